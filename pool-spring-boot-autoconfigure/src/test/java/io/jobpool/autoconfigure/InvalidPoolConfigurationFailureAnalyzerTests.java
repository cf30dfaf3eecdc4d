package io.jobpool.autoconfigure;

import java.util.Map;

import io.jobpool.InvalidPoolConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin.Location;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidPoolConfigurationFailureAnalyzer}.
 */
class InvalidPoolConfigurationFailureAnalyzerTests {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({ "initPoolNum, pool.init-pool-num", "maxPoolNum, pool.max-pool-num", "workerNum, pool.worker-num",
			"queueSize, pool.queue-size", "name, pool.name", "jobTimeout, pool.job-timeout",
			"threadNamePrefix, pool.thread-name-prefix", "virtualThreads, pool.virtual-threads",
			"loadFactor, pool.autoscale.load-factor", "resizePeriod, pool.autoscale.period",
			"resizeSuccessThreshold, pool.autoscale.success-threshold", "drainPeriod, pool.shutdown.drain-period",
			"retry.maxAttempts, pool.retry.max-attempts", "retry.initialBackoff, pool.retry.initial-backoff",
			"retry.multiplier, pool.retry.multiplier", "retry.maxBackoff, pool.retry.max-backoff",
			"retry.jitter, pool.retry.jitter", "autoscale, pool.autoscale.enabled", "jdbc.lease, pool.jdbc.lease",
			"jdbc.pollInterval, pool.jdbc.poll-interval", "jdbc.initializeSchema, pool.jdbc.initialize-schema" })
	void engineOptionShouldMapToItsProperty(String option, String property) {
		assertThat(InvalidPoolConfigurationFailureAnalyzer.propertyOf(option)).isEqualTo(property);
	}

	@Test
	void analysisShouldSayWhereTheBadValueWasSet() {
		StandardEnvironment environment = new StandardEnvironment();
		TextResourceOrigin origin = new TextResourceOrigin(new ClassPathResource("application.yml"),
				new Location(2, 14));
		environment.getPropertySources()
			.addFirst(new OriginTrackedMapPropertySource("application.yml",
					Map.of("pool.worker-num", OriginTrackedValue.of("0", origin))));
		InvalidPoolConfigurationException failure = new InvalidPoolConfigurationException("workerNum", 0,
				"it must be at least 1", "Set the number of workers per dispatcher to 1 or more.");
		FailureAnalysis analysis = new InvalidPoolConfigurationFailureAnalyzer(environment).analyze(failure);
		assertThat(analysis.getDescription()).isEqualTo("Invalid value '0' for configuration property "
				+ "'pool.worker-num' (originating from 'class path resource [application.yml] - 3:15'): "
				+ "it must be at least 1.");
		assertThat(analysis.getAction()).isEqualTo("Update 'pool.worker-num' in your application's configuration. "
				+ "Set the number of workers per dispatcher to 1 or more.");
	}

}
