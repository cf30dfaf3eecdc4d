package io.jobpool.autoconfigure.lanes;

import java.time.Duration;

import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.autoconfigure.JobPoolLifecycle;
import io.jobpool.autoconfigure.lanes.LaneHandlers.Email;
import io.jobpool.autoconfigure.lanes.LaneHandlers.EmailHandler;
import io.jobpool.autoconfigure.lanes.LaneHandlers.Report;
import io.jobpool.autoconfigure.lanes.LaneHandlers.ReportHandler;
import io.jobpool.spring.JobPools;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for lanes: the pools under {@code pool.pools.<name>}, each with its handlers, properties and lifecycle.
 */
class JobPoolLanesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
		.withBean(EmailHandler.class)
		.withBean(ReportHandler.class)
		.withPropertyValues("pool.worker-num=3", "pool.queue-size=40", "pool.retry.max-attempts=4",
				"pool.pools.reports.worker-num=2");

	@Test
	void aLaneIsAPoolOfItsOwnTakingTheTopLevelValuesItDoesNotSet() {
		this.contextRunner.run((context) -> {
			JobPool reports = context.getBean("reportsJobPool", JobPool.class);
			assertThat(reports.name()).isEqualTo("reports");
			JobPoolFigures figures = reports.figures();
			assertThat(figures.workersPerDispatcher()).isEqualTo(2);
			assertThat(figures.queueCapacity()).isEqualTo(40);
			JobPoolFigures defaults = context.getBean(JobPool.class).figures();
			assertThat(defaults.workersPerDispatcher()).isEqualTo(3);
			assertThat(context.getBean(JobPool.class).name()).isEqualTo("jobpool");
			assertThat(context.getBeansOfType(JobPoolLifecycle.class)).hasSize(2);
		});
	}

	@Test
	void eachPayloadRunsInThePoolOfItsHandlerOnThatPoolsThreads() {
		this.contextRunner.run((context) -> {
			JobPools pools = context.getBean(JobPools.class);
			pools.submit(new Report("q3")).get();
			pools.submit(new Email("ada@example.com")).get();
			assertThat(context.getBean(ReportHandler.class).threads).singleElement()
				.asString()
				.startsWith("reports-");
			assertThat(context.getBean(EmailHandler.class).threads).singleElement()
				.asString()
				.startsWith("jobpool-");
			assertThat(pools.poolFor(Report.class).name()).isEqualTo("reports");
			assertThat(pools.poolFor(Email.class)).isSameAs(context.getBean(JobPool.class));
			assertThat(pools.all()).extracting(JobPool::name).containsExactly("jobpool", "reports");
			assertThatIllegalArgumentException().isThrownBy(() -> pools.pool("nightly"))
				.withMessage("There is no pool named 'nightly'; the pools are [jobpool, reports]");
		});
	}

	@Test
	void aLaneIsInjectedByItsQualifierAndAPlainJobPoolIsTheDefaultOne() {
		this.contextRunner.withBean(Consumer.class).run((context) -> {
			Consumer consumer = context.getBean(Consumer.class);
			assertThat(consumer.reports.name()).isEqualTo("reports");
			assertThat(consumer.defaultPool.name()).isEqualTo("jobpool");
		});
	}

	@Test
	void eachLaneStartsWithTheContextAndDrainsWhenItStops() {
		this.contextRunner.run((context) -> {
			JobPool reports = context.getBean("reportsJobPool", JobPool.class);
			assertThat(reports.isRunning()).isTrue();
			context.stop();
			assertThat(reports.awaitTermination(Duration.ofSeconds(5))).isTrue();
			assertThat(context.getBean(JobPool.class).isClosed()).isTrue();
		});
	}

	@Test
	void aLaneHasItsOwnThreadNamePrefixUnlessItSetsOne() {
		this.contextRunner.withPropertyValues("pool.thread-name-prefix=work-").run((context) -> {
			context.getBean(JobPools.class).submit(new Report("q3")).get();
			assertThat(context.getBean(ReportHandler.class).threads).singleElement()
				.asString()
				.startsWith("reports-");
		});
	}

	/** Injects the default pool and a lane. */
	static class Consumer {

		final JobPool defaultPool;

		final JobPool reports;

		Consumer(JobPool defaultPool, @Qualifier("reports") JobPool reports) {
			this.defaultPool = defaultPool;
			this.reports = reports;
		}

	}

}
