package io.jobpool.autoconfigure;

import io.jobpool.autoconfigure.TestHandlers.GenericHandler;
import io.jobpool.autoconfigure.TestHandlers.GreetingHandler;
import io.jobpool.autoconfigure.TestHandlers.NotAProcessor;
import io.jobpool.autoconfigure.TestHandlers.OtherGreetingHandler;
import io.jobpool.autoconfigure.TestHandlers.RawHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the start-up failures of {@link JobPoolAutoConfiguration}: each bad value stops the context, and the
 * failure analysis names the property, the value and the fix.
 */
class JobPoolAutoConfigurationFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
		.withBean(GreetingHandler.class);

	@ParameterizedTest(name = "{0}={1} should fail start-up")
	@CsvSource(delimiter = '|', textBlock = """
			pool.init-pool-num               | 0    | 0    | Set the number of dispatchers to start with to 1
			pool.worker-num                  | 0    | 0    | Set the number of workers per dispatcher to 1 or more
			pool.worker-num                  | -5   | -5   | to 1 or more
			pool.queue-size                  | 0    | 0    | Set the queue size to 1 or more
			pool.queue-size                  | 2000000000 | 2000000000 | Set a queue size of at most 1073741824
			pool.autoscale.load-factor       | 1.5  | 1.5  | at most 1.0
			pool.autoscale.load-factor       | 0    | 0.0  | at most 1.0
			pool.autoscale.period            | 0s   | PT0S | positive duration
			pool.autoscale.success-threshold | 0    | 0    | 1 or more
			pool.retry.max-attempts          | 0    | 0    | Set it to 1 for no retry
			pool.retry.initial-backoff       | -1s  | PT-1S | positive duration
			pool.retry.max-backoff           | 0ms  | PT0S | positive duration
			pool.retry.multiplier            | 0.5  | 0.5  | at least 1.0
			pool.retry.jitter                | 1.5  | 1.5  | from 0.0 (no jitter) to 1.0
			pool.job-timeout                 | 0s   | PT0S | leave it unset for no timeout
			pool.shutdown.drain-period       | -1s  | PT-1S | positive duration
			pool.name                        | ' '  | ''   | non-empty name
			""")
	void badValueShouldFailStartUpNamingPropertyValueAndFix(String property, String value, String shownValue,
			String fix) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'" + shownValue + "'").contains("'" + property + "'");
			assertThat(analysis.getAction()).contains("'" + property + "'").contains(fix);
		});
	}

	@Test
	void maxPoolNumBelowInitPoolNumShouldFailStartUp() {
		this.contextRunner.withPropertyValues("pool.init-pool-num=3", "pool.max-pool-num=2").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Invalid value '2' for configuration property 'pool.max-pool-num': "
						+ "it is below 'pool.init-pool-num' (3).");
			assertThat(analysis.getAction()).isEqualTo("Update 'pool.max-pool-num' in your application's "
					+ "configuration. Set 'pool.max-pool-num' to at least 3, or leave it unset to use "
					+ "'pool.init-pool-num'.");
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void virtualThreadsBeforeJava21ShouldFailStartUp() {
		this.contextRunner.withPropertyValues("pool.virtual-threads=true").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'true'")
				.contains("'pool.virtual-threads'")
				.contains("Java 21");
			assertThat(analysis.getAction()).contains("set 'pool.virtual-threads' to false");
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsOnJava21ShouldRunWorkersOnVirtualThreads() {
		this.contextRunner.withPropertyValues("pool.virtual-threads=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0}={1} should fail binding")
	@CsvSource({ "pool.job-timeout, soon", "pool.shutdown.drain-period, 3 fortnights", "pool.retry.max-backoff, x",
			"pool.autoscale.period, 1 minute" })
	void malformedDurationShouldFailStartUpNamingTheProperty(String property, String value) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'" + property + "'")
				.contains(value)
				.contains("java.time.Duration");
			assertThat(analysis.getAction()).contains("Update your application's configuration");
		});
	}

	@Test
	void malformedNumberShouldFailStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("pool.worker-num=many").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("pool.worker-num").contains("many");
		});
	}

	@Test
	void jobHandlerThatIsNotAProcessorShouldFailStartUpNamingTheBean() {
		this.contextRunner.withBean("notAProcessor", NotAProcessor.class).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'notAProcessor'")
				.contains(NotAProcessor.class.getName())
				.contains("must implement io.jobpool.JobProcessor");
			assertThat(analysis.getAction()).contains("implement JobProcessor<PayloadType>")
				.contains("remove @JobHandler");
		});
	}

	@Test
	void jobHandlersForTheSamePayloadTypeShouldFailStartUpNamingBoth() {
		this.contextRunner.withBean("otherGreetingHandler", OtherGreetingHandler.class).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(TestHandlers.Greeting.class.getName())
				.contains("'otherGreetingHandler'")
				.contains(GreetingHandler.class.getSimpleName() + "'");
			assertThat(analysis.getAction()).contains("one bean per payload type");
		});
	}

	@Test
	void rawJobHandlerShouldFailStartUpSayingHowToFixIt() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.withBean("rawHandler", RawHandler.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'rawHandler'").contains("cannot be read");
				assertThat(analysis.getAction()).contains("implements JobProcessor<OrderPlaced>");
			});
	}

	@Test
	void jobHandlerWithTypeVariableShouldFailStartUpSayingHowToFixIt() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.withBean("genericHandler", GenericHandler.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'genericHandler'").contains("cannot be read");
			});
	}

	@Test
	void poolWithoutJobHandlerShouldFailStartUpSayingHowToFixIt() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("no processor");
				assertThat(analysis.getAction()).contains("@JobHandler").contains("'pool.enabled' to false");
			});
	}

}
