package io.jobpool.autoconfigure.endpoint;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.jobpool.JobPool;
import io.jobpool.autoconfigure.endpoint.JobPoolEndpoint.JobPoolDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JobPoolEndpointAutoConfiguration} and the operations of {@link JobPoolEndpoint}.
 */
class JobPoolEndpointAutoConfigurationTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolEndpointAutoConfiguration.class))
		.withBean(CountDownLatch.class, () -> this.release)
		.withPropertyValues("management.endpoints.web.exposure.include=jobpool");

	@AfterEach
	void releaseWorkers() {
		this.release.countDown();
	}

	@Test
	void readOperationDescribesConfigurationLiveFiguresAndJobCounts() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			for (int i = 0; i < 4; i++) {
				pool.submit("block");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> pool.activeWorkers() == 2 && pool.queueDepth() == 2);
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			JobPoolDescriptor orders = endpoint.pools().pools().get("orders");
			assertThat(orders).isNotNull().isEqualTo(endpoint.pool("orders"));
			assertThat(orders.state()).isEqualTo("running");
			assertThat(orders.paused()).isFalse();
			assertThat(orders.configuration()).isEqualTo(new JobPoolEndpoint.Configuration(10, 2, 3));
			assertThat(orders.figures()).isEqualTo(new JobPoolEndpoint.Figures(2, 2, 2, 1, 0));
			assertThat(orders.jobs().accepted()).isEqualTo(4);
			assertThat(endpoint.pool("missing")).isNull();
			this.release.countDown();
		});
	}

	@Test
	void writeOperationResizesDispatchersAndPausesAndResumes() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			JobPoolDescriptor resized = endpoint.update("orders", 3, null);
			assertThat(pool.figures().dispatchers()).isEqualTo(3);
			assertThat(resized.figures().dispatchers()).isEqualTo(3);
			assertThat(endpoint.update("orders", null, true).paused()).isTrue();
			assertThat(pool.isPaused()).isTrue();
			assertThat(endpoint.update("orders", 1, false).paused()).isFalse();
			assertThat(pool.isPaused()).isFalse();
			assertThat(pool.figures().dispatchers()).isEqualTo(1);
			assertThat(endpoint.update("missing", 2, null)).isNull();
		});
	}

	@Test
	void writeOperationRefusesAnOutOfRangeSizeOrAnEmptyRequest() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.update("orders", 4, null))
				.withMessageContaining("max-pool-num");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.update("orders", null, null));
		});
	}

	@Test
	void deadJobsAreNotFoundInAPoolThatKeepsNone() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			assertThat(endpoint.pool("orders")).extracting(JobPoolDescriptor::deadJobs).isNull();
			assertThat(endpoint.deadJobs("orders", "dead", null)).isNull();
			assertThat(endpoint.requeueDeadJobs("orders", "dead")).isNull();
			assertThat(endpoint.requeueDeadJob("orders", "dead", 1)).isNull();
		});
	}

	@Test
	void backsOffWhenTheEndpointIsNotExposed() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(JobPoolEndpoint.class));
	}

	@Test
	void backsOffWhenAccessIsNone() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withPropertyValues("management.endpoint.jobpool.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(JobPoolEndpoint.class));
	}

	@Test
	void backsOffWithoutAPool() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(JobPoolEndpoint.class));
	}

	@Test
	void backsOffWhenTheUserDefinesTheEndpoint() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withBean("myEndpoint", JobPoolEndpoint.class, () -> new JobPoolEndpoint(java.util.List.of()))
			.run((context) -> assertThat(context).getBean(JobPoolEndpoint.class)
				.isSameAs(context.getBean("myEndpoint")));
	}

	@Configuration(proxyBeanMethods = false)
	static class PoolConfiguration {

		@Bean
		JobPool jobPool(CountDownLatch release) {
			JobPool pool = JobPool.builder()
				.name("orders")
				.initPoolNum(1)
				.maxPoolNum(3)
				.workerNum(2)
				.queueSize(10)
				.drainPeriod(Duration.ofSeconds(5))
				.processor(String.class, () -> (job) -> release.await())
				.build();
			pool.start();
			return pool;
		}

	}

}
