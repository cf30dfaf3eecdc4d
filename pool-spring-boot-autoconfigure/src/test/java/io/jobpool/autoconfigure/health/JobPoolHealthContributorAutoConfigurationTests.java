package io.jobpool.autoconfigure.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobRejectedException;
import io.jobpool.spi.Ending;
import io.jobpool.spi.JobStore;
import io.jobpool.spi.QueuedJob;
import io.jobpool.spi.StoreContext;
import io.jobpool.spi.StoredJobPool;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JobPoolHealthContributorAutoConfiguration}.
 */
class JobPoolHealthContributorAutoConfigurationTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolHealthContributorAutoConfiguration.class))
		.withBean(CountDownLatch.class, () -> this.release);

	@AfterEach
	void releaseWorkers() {
		this.release.countDown();
	}

	@Test
	void healthIsUpWithTheFiguresWhileThePoolRunsEvenWithAFullQueue() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			for (int i = 0; i < 2 + 3; i++) {
				pool.submit("block");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> pool.activeWorkers() == 2 && pool.queueDepth() == 3);
			Health health = context.getBean("jobpoolHealthContributor", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", "running")
				.containsEntry("paused", false)
				.containsEntry("queueDepth", 3)
				.containsEntry("queueCapacity", 3)
				.containsEntry("activeWorkers", 2)
				.containsEntry("workers", 2)
				.containsEntry("dispatchers", 1)
				.containsEntry("retrying", 0);
			this.release.countDown();
		});
	}

	@Test
	void healthIsOutOfServiceWhileThePoolDrainsAndOnceItIsClosed() {
		CountDownLatch drain = new CountDownLatch(1);
		JobPool pool = pool("draining", drain);
		pool.submit("block");
		await().atMost(Duration.ofSeconds(10)).until(() -> pool.activeWorkers() == 1);
		JobPoolHealthIndicator indicator = new JobPoolHealthIndicator(pool);
		pool.shutdown();
		Health draining = indicator.health();
		assertThat(draining.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(draining.getDetails()).containsEntry("state", "draining").containsEntry("activeWorkers", 1);
		drain.countDown();
		await().atMost(Duration.ofSeconds(10)).until(pool::isClosed);
		Health closed = indicator.health();
		assertThat(closed.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(closed.getDetails()).containsEntry("state", "closed");
	}

	@Test
	void healthIsOutOfServiceBeforeThePoolStarts() {
		JobPool pool = JobPool.builder().processor(String.class, () -> (job) -> {
		}).build();
		Health health = new JobPoolHealthIndicator(pool).health();
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("state", "not-started");
	}

	@Test
	void healthIsDownWithTheReasonWhenAThreadOfThePoolCannotGoOn() {
		JobPool pool = new StoredPool(JobPool.builder().processor(String.class, () -> (job) -> {
		}).settings(), new StoreWhoseReaderStops());
		pool.start();
		try {
			Health health = new JobPoolHealthIndicator(pool).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("state", "running")
				.hasEntrySatisfying("failure", (failure) -> assertThat(failure).asString()
					.contains("Its reader stopped")
					.contains("StackOverflowError"));
		}
		finally {
			pool.close();
		}
	}

	@Test
	void severalPoolsMakeACompositeKeyedByPoolName() {
		this.contextRunner.withUserConfiguration(TwoPoolsConfiguration.class).run((context) -> {
			CompositeHealthContributor composite = context.getBean("jobpoolHealthContributor",
					CompositeHealthContributor.class);
			assertThat(composite.stream().map((entry) -> entry.name())).containsExactlyInAnyOrder("orders",
					"invoices");
			assertThat(((HealthIndicator) composite.getContributor("orders")).health().getStatus())
				.isEqualTo(Status.UP);
		});
	}

	@Test
	void disabledByProperty() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withPropertyValues("management.health.jobpool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("jobpoolHealthContributor"));
	}

	@Test
	void backsOffWithoutAPool() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean("jobpoolHealthContributor"));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Health.class))
			.withUserConfiguration(PoolConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("jobpoolHealthContributor"));
	}

	@Test
	void backsOffWhenTheUserDefinesAJobpoolHealthIndicator() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withBean("jobpoolHealthIndicator", HealthIndicator.class, () -> () -> Health.down().build())
			.run((context) -> assertThat(context).doesNotHaveBean("jobpoolHealthContributor")
				.hasBean("jobpoolHealthIndicator"));
	}

	static JobPool pool(String name, CountDownLatch latch) {
		JobPool pool = JobPool.builder()
			.name(name)
			.workerNum(2)
			.queueSize(3)
			.drainPeriod(Duration.ofSeconds(5))
			.processor(String.class, () -> (job) -> latch.await())
			.build();
		pool.start();
		return pool;
	}

	/** A pool whose jobs wait in a store of its own. */
	static final class StoredPool extends StoredJobPool {

		StoredPool(JobPoolSettings settings, JobStore store) {
			super(settings, store);
		}

	}

	/** A store whose reading thread stops as soon as it opens, and says so. */
	static final class StoreWhoseReaderStops implements JobStore {

		@Override
		public void open(StoreContext context) {
			context.failed("Its reader stopped", new StackOverflowError());
		}

		@Override
		public JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
			throw new JobRejectedException(JobRejectedException.Reason.STORE_UNAVAILABLE, "its reader stopped");
		}

		@Override
		public @Nullable QueuedJob poll() {
			return null;
		}

		@Override
		public int waiting() {
			return 0;
		}

		@Override
		public Ending failed(QueuedJob job, Throwable error) {
			return Ending.failed(error);
		}

		@Override
		public void ended(QueuedJob job, Ending ending) {
		}

		@Override
		public void closing() {
		}

		@Override
		public boolean drained() {
			return true;
		}

		@Override
		public List<QueuedJob> takeQueued() {
			return List.of();
		}

		@Override
		public void close() {
		}

		@Override
		public int depth() {
			return 0;
		}

		@Override
		public int capacity() {
			return 1;
		}

		@Override
		public int retrying() {
			return 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PoolConfiguration {

		@Bean
		JobPool jobPool(CountDownLatch release) {
			return pool("jobpool", release);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPoolsConfiguration {

		@Bean
		JobPool orders(CountDownLatch release) {
			return pool("orders", release);
		}

		@Bean
		JobPool invoices(CountDownLatch release) {
			return pool("invoices", release);
		}

	}

}
