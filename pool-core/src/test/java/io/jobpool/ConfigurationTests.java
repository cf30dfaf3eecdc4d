package io.jobpool;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A bad option fails when the pool is built, naming the option, the value and the fix.
 */
class ConfigurationTests {

	static Arguments[] badOptions() {
		return new Arguments[] { bad("initPoolNum", 0, (b) -> b.initPoolNum(0)),
				bad("workerNum", -1, (b) -> b.workerNum(-1)), bad("queueSize", 0, (b) -> b.queueSize(0)),
				bad("maxPoolNum", 1, (b) -> b.initPoolNum(2).maxPoolNum(1)),
				bad("loadFactor", 1.5, (b) -> b.loadFactor(1.5)),
				bad("resizePeriod", Duration.ZERO, (b) -> b.resizePeriod(Duration.ZERO)),
				bad("resizeSuccessThreshold", 0, (b) -> b.resizeSuccessThreshold(0)),
				bad("jobTimeout", Duration.ofSeconds(-1), (b) -> b.jobTimeout(Duration.ofSeconds(-1))),
				bad("drainPeriod", Duration.ZERO, (b) -> b.drainPeriod(Duration.ZERO)),
				bad("name", "", (b) -> b.name("")) };
	}

	private static Arguments bad(String option, Object value, UnaryOperator<JobPoolBuilder> change) {
		return arguments(option, value, change);
	}

	@ParameterizedTest(name = "{0} = {1}")
	@MethodSource("badOptions")
	void aBadOptionFailsTheBuildNamingOptionValueAndFix(String option, Object value,
			UnaryOperator<JobPoolBuilder> change) {
		JobPoolBuilder builder = JobPool.builder().processor(String.class, () -> (job) -> {
		});
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> change.apply(builder).build())
			.satisfies((ex) -> {
				assertThat(ex.option()).isEqualTo(option);
				assertThat(ex.value()).isEqualTo(value);
				assertThat(ex.fix()).startsWith("Set");
			})
			.withMessageContaining(option)
			.withMessageContaining(String.valueOf(value));
	}

	@Test
	void aQueueLargerThanTheEngineHoldsIsRefusedNamingTheLargest() {
		for (int size : new int[] { JobPoolSettings.MAX_QUEUE_SIZE + 1, Integer.MAX_VALUE }) {
			assertThatExceptionOfType(InvalidPoolConfigurationException.class)
				.isThrownBy(() -> JobPool.builder().queueSize(size).processor(String.class, () -> (job) -> {
				}).build())
				.satisfies((ex) -> assertThat(ex.option()).isEqualTo("queueSize"))
				.withMessageContaining(String.valueOf(size))
				.withMessageContaining("at most 1073741824");
		}
	}

	@Test
	void badRetryOptionsFailWhenThePolicyIsMade() {
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> RetryPolicy.maxAttempts(0))
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("retry.maxAttempts"));
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> RetryPolicy.NONE.withBackoff(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1), 0))
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("retry.multiplier"));
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> RetryPolicy.NONE.withBackoff(Duration.ofMillis(1), 2, Duration.ofSeconds(1), 2))
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("retry.jitter"));
	}

	@Test
	void aPoolWithoutProcessorsFailsTheBuild() {
		assertThatExceptionOfType(InvalidPoolConfigurationException.class).isThrownBy(() -> JobPool.builder().build())
			.withMessageContaining("at least one processor");
	}

	@Test
	void twoProcessorsForOneTypeFailTheBuilder() {
		JobPoolBuilder builder = JobPool.builder().processor(String.class, () -> (job) -> {
		});
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> builder.processor(String.class, () -> (job) -> {
			}))
			.withMessageContaining("java.lang.String");
	}

	@Test
	void aGeneratorThatFailsFailsStart() {
		JobPool pool = JobPool.builder().processor(String.class, () -> {
			throw new IllegalStateException("cannot make a processor");
		}).build();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(pool::start)
			.withMessage("cannot make a processor");
		assertThat(pool.isRunning()).isFalse();
		assertThat(pool.figures().workers()).isZero();
	}

}
