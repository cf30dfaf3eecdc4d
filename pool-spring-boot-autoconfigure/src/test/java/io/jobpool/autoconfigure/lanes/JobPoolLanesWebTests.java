package io.jobpool.autoconfigure.lanes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import io.jobpool.JobRejectedException;
import io.jobpool.spring.JobHandler;
import io.jobpool.spring.JobPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three lanes in a web application: a flood of slow reports takes none of the workers of urgent jobs and
 * e-mails, and each lane has its own gauges, health and endpoint entry over HTTP.
 */
@SpringBootTest(classes = JobPoolLanesWebTests.LanesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=metrics,health,jobpool",
				"management.endpoint.health.show-components=always", "pool.worker-num=2", "pool.queue-size=10",
				"pool.pools.reports.worker-num=3", "pool.pools.urgent.worker-num=1", "pool.shutdown.drain-period=2s" })
@AutoConfigureRestTestClient
class JobPoolLanesWebTests {

	private static final int REPORT_WORKERS = 3;

	private static final int QUEUE_SIZE = 10;

	private static final int FAST_JOBS = 50;

	@Autowired
	private RestTestClient client;

	@Autowired
	private JobPools pools;

	@Autowired
	@Qualifier("reports")
	private JobPool reports;

	@Autowired
	private LanesApplication application;

	@BeforeEach
	void holdReports() {
		this.application.release = new CountDownLatch(1);
		this.application.ended.clear();
	}

	@AfterEach
	void releaseReports() {
		this.application.release.countDown();
	}

	@Test
	void aFloodOfSlowReportsLeavesTheOtherLanesTheirWorkers() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.reports.activeWorkers() == 0);
		int reportsAccepted = floodReports();
		assertThat(reportsAccepted).isEqualTo(REPORT_WORKERS + QUEUE_SIZE);
		List<CompletableFuture<Void>> fast = new ArrayList<>();
		for (int i = 0; i < FAST_JOBS; i++) {
			fast.add(this.pools.submit(new PasswordReset("user-" + i)));
			fast.add(this.pools.submit(new LaneHandlers.Email("user-" + i + "@example.com")));
		}
		CompletableFuture.allOf(fast.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		assertThat(this.reports.queueDepth()).isEqualTo(QUEUE_SIZE);
		assertThat(this.reports.activeWorkers()).isEqualTo(REPORT_WORKERS);
		this.application.release.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.application.ended.size() == 2 * FAST_JOBS
				+ reportsAccepted);
		List<String> ended = new ArrayList<>(this.application.ended);
		assertThat(ended.subList(0, 2 * FAST_JOBS)).as("every fast job ended before the first report")
			.doesNotContain("report");
		assertThat(ended.subList(2 * FAST_JOBS, ended.size())).containsOnly("report");
	}

	@Test
	void eachLaneHasItsOwnGaugesHealthAndEndpointEntryOverHttp() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.reports.activeWorkers() == 0);
		floodReports();
		this.pools.submit(new PasswordReset("ada")).get(10, TimeUnit.SECONDS);
		gauge("jobpool.queue.depth", "reports", QUEUE_SIZE);
		gauge("jobpool.workers.active", "reports", REPORT_WORKERS);
		gauge("jobpool.queue.depth", "urgent", 0);
		gauge("jobpool.workers", "urgent", 1);
		gauge("jobpool.workers", "jobpool", 2);
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectBody()
			.jsonPath("$.components.jobpool.components.reports.status")
			.isEqualTo("UP")
			.jsonPath("$.components.jobpool.components.urgent.status")
			.isEqualTo("UP")
			.jsonPath("$.components.jobpool.components.jobpool.status")
			.isEqualTo("UP");
		this.client.get()
			.uri("/actuator/jobpool")
			.exchange()
			.expectBody()
			.jsonPath("$.pools.reports.figures.queueDepth")
			.isEqualTo(QUEUE_SIZE)
			.jsonPath("$.pools.urgent.figures.workers")
			.isEqualTo(1)
			.jsonPath("$.pools.jobpool.state")
			.isEqualTo("running");
	}

	private int floodReports() {
		int accepted = 0;
		try {
			while (true) {
				this.pools.trySubmit(new LaneHandlers.Report("r" + accepted), Duration.ZERO);
				accepted++;
				if (accepted <= REPORT_WORKERS) {
					int started = accepted;
					await().atMost(Duration.ofSeconds(10)).until(() -> this.reports.activeWorkers() == started);
				}
			}
		}
		catch (JobRejectedException ex) {
			assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.QUEUE_FULL);
		}
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> this.pools.trySubmit(new LaneHandlers.Report("one more"), Duration.ZERO));
		return accepted;
	}

	private void gauge(String name, String pool, double value) {
		this.client.get()
			.uri("/actuator/metrics/" + name + "?tag=pool:" + pool)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.measurements[0].value")
			.isEqualTo(value);
	}

	record PasswordReset(String user) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LanesApplication {

		volatile CountDownLatch release = new CountDownLatch(1);

		final ConcurrentLinkedQueue<String> ended = new ConcurrentLinkedQueue<>();

		@Bean
		@JobHandler(pool = "reports")
		JobProcessor<LaneHandlers.Report> reportHandler() {
			return (job) -> {
				this.release.await();
				this.ended.add("report");
			};
		}

		@Bean
		@JobHandler(pool = "urgent")
		JobProcessor<PasswordReset> passwordResetHandler() {
			return (job) -> this.ended.add("urgent");
		}

		@Bean
		@JobHandler
		JobProcessor<LaneHandlers.Email> emailHandler() {
			return this::email;
		}

		private void email(Job<LaneHandlers.Email> job) {
			this.ended.add("email");
		}

	}

}
