package io.jobpool.autoconfigure.jdbc;

import javax.sql.DataSource;

import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.autoconfigure.FailureAnalyses;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.autoconfigure.jdbc.DurableTestSupport.GreetingHandler;
import io.jobpool.jdbc.JdbcJobPool;
import io.jobpool.jdbc.JobType;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.spring.JobHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the start-up failures of the durable pool: what is missing or wrong, named by its property, with the
 * fix; never a silent fall back to the in-memory pool.
 */
class JdbcJobPoolAutoConfigurationFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JdbcJobPoolAutoConfiguration.class, JobPoolAutoConfiguration.class))
		.withBean(GreetingHandler.class)
		.withPropertyValues("pool.store=jdbc", "pool.name=" + TestDatabase.uniqueName("failure"));

	private final ApplicationContextRunner withDataSource = this.contextRunner.withBean(DataSource.class,
			DurableTestSupport::sharedDataSource);

	@Test
	void withoutADataSourceStartUpFailsSayingHowToConfigureOne() {
		this.contextRunner.run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).isEqualTo("Invalid value 'jdbc' for configuration property "
					+ "'pool.store': the durable store needs a DataSource, and the application has none.");
			assertThat(analysis.getAction()).contains("spring.datasource.* properties")
				.contains("define a DataSource bean")
				.endsWith("or set 'pool.store' to 'memory' to keep jobs in memory.");
		});
	}

	@Test
	void withoutPoolJdbcStartUpFailsSayingWhichDependencyToAdd() {
		this.withDataSource.withClassLoader(new FilteredClassLoader(JdbcJobPool.class)).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'jdbc'")
				.contains("'pool.store'")
				.contains("needs io.jobpool:pool-jdbc, which is not on the class path");
			assertThat(analysis.getAction()).contains("Add the io.jobpool:pool-jdbc dependency")
				.contains("set 'pool.store' to 'memory'");
		});
	}

	@Test
	void withSeveralDataSourcesAndNoPrimaryStartUpFailsNamingThem() {
		this.contextRunner.withBean("first", DataSource.class, DurableTestSupport::sharedDataSource)
			.withBean("second", DataSource.class, DurableTestSupport::sharedDataSource)
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'pool.store'")
					.contains("has 2 with none of them primary: 'first', 'second'");
				assertThat(analysis.getAction()).contains("@Primary");
			});
	}

	@ParameterizedTest(name = "{0}={1} should fail start-up")
	@CsvSource(delimiter = '|', textBlock = """
			pool.jdbc.lease          | 0     | PT0S     | Set a lease of 100ms or more
			pool.jdbc.lease          | 99ms  | PT0.099S | Set a lease of 100ms or more
			pool.jdbc.poll-interval  | 9ms   | PT0.009S | Set a poll interval of 10ms or more
			pool.jdbc.poll-interval  | 30s   | PT30S    | Set a poll interval shorter than the lease
			pool.autoscale.enabled   | true  | true     | Turn autoscaling off
			""")
	void badValueShouldFailStartUpNamingPropertyValueAndFix(String property, String value, String shownValue,
			String fix) {
		this.withDataSource.withPropertyValues(property + "=" + value).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'" + shownValue + "'").contains("'" + property + "'");
			assertThat(analysis.getAction()).contains("'" + property + "'").contains(fix);
		});
	}

	@Test
	void unknownSchemaInitializationModeShouldFailBindingWithTheValidModes() {
		this.withDataSource.withPropertyValues("pool.jdbc.initialize-schema=embedded").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("pool.jdbc.initialize-schema").contains("embedded");
			assertThat(analysis.getAction()).contains("ALWAYS").contains("NEVER");
		});
	}

	@Test
	void missingTableShouldFailStartUpSayingHowToCreateIt() {
		String schema = "jobpool_" + TestDatabase.uniqueName("empty").replace('-', '_');
		try {
			this.contextRunner.withBean(DataSource.class, () -> DurableTestSupport.dataSourceOnNewSchema(schema))
				.run((context) -> {
					FailureAnalysis analysis = analyze(context);
					assertThat(analysis.getDescription()).isEqualTo("Invalid value 'never' for configuration "
							+ "property 'pool.jdbc.initialize-schema': the table jobpool_job does not exist in the "
							+ "database.");
					assertThat(analysis.getAction()).contains("pool.jdbc.initialize-schema=always")
						.contains("initializeSchema(true)")
						.contains("classpath:io/jobpool/jdbc/schema-postgresql.sql");
				});
		}
		finally {
			DurableTestSupport.dropSchema(schema);
		}
	}

	@Test
	void payloadTypesSharingATypeNameShouldFailStartUpNamingBoth() {
		this.withDataSource.withBean(LeftTwinHandler.class).withBean(RightTwinHandler.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid job type name 'twin' in the durable job pool")
				.contains(LeftTwin.class.getName())
				.contains(RightTwin.class.getName());
			assertThat(analysis.getAction()).contains("@JobType(\"another-name\")");
		});
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return FailureAnalyses.analyze(context.getStartupFailure());
	}

	@JobType("twin")
	record LeftTwin(int id) {
	}

	@JobType("twin")
	record RightTwin(int id) {
	}

	@JobHandler
	static class LeftTwinHandler implements JobProcessor<LeftTwin> {

		@Override
		public void process(Job<LeftTwin> job) {
		}

	}

	@JobHandler
	static class RightTwinHandler implements JobProcessor<RightTwin> {

		@Override
		public void process(Job<RightTwin> job) {
		}

	}

}
