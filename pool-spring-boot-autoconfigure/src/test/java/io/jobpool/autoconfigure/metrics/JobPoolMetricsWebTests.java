package io.jobpool.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.jobpool.JobPool;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * The pool's gauges as {@code /actuator/metrics} reports them, for a pool held busy on purpose.
 */
@SpringBootTest(classes = JobPoolMetricsWebTests.BusyPoolApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=metrics")
@AutoConfigureRestTestClient
class JobPoolMetricsWebTests {

	private static final int WORKERS = 3;

	private static final int WAITING = 5;

	@Autowired
	private RestTestClient client;

	@Autowired
	private JobPool pool;

	@Autowired
	private CountDownLatch release;

	@AfterEach
	void releaseWorkers() {
		this.release.countDown();
	}

	@Test
	void metricsEndpointReportsTheQueueDepthAndActiveWorkersOfABusyPool() {
		for (int i = 0; i < WORKERS + WAITING; i++) {
			this.pool.submit("block");
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.pool.activeWorkers() == WORKERS && this.pool.queueDepth() == WAITING);
		this.client.get()
			.uri("/actuator/metrics/jobpool.queue.depth?tag=pool:busy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.measurements[0].statistic")
			.isEqualTo("VALUE")
			.jsonPath("$.measurements[0].value")
			.isEqualTo(5.0)
			.jsonPath("$.baseUnit")
			.isEqualTo("jobs");
		this.client.get()
			.uri("/actuator/metrics/jobpool.workers.active")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.measurements[0].value")
			.isEqualTo(3.0)
			.jsonPath("$.availableTags[0].tag")
			.isEqualTo("pool")
			.jsonPath("$.availableTags[0].values[0]")
			.isEqualTo("busy");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = "io.jobpool.autoconfigure.JobPoolAutoConfiguration")
	static class BusyPoolApplication {

		@Bean
		CountDownLatch release() {
			return new CountDownLatch(1);
		}

		@Bean
		JobPool jobPool(ObjectProvider<JobPoolBuilderCustomizer> customizers, CountDownLatch release) {
			var builder = JobPool.builder()
				.name("busy")
				.workerNum(WORKERS)
				.queueSize(20)
				.drainPeriod(Duration.ofSeconds(2))
				.processor(String.class, () -> (job) -> release.await());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			JobPool pool = builder.build();
			pool.start();
			return pool;
		}

	}

}
