package io.jobpool.autoconfigure;

import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.logging.LogManager;
import java.util.regex.Pattern;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the pool writes through {@code System.Logger} reaches a Spring Boot app's log, and Boot's
 * {@code logging.level.*} properties turn it up and down: the WARN line of a final failure by default, the DEBUG
 * line of a retry only with {@code logging.level.io.jobpool.jobs=debug}, neither with
 * {@code logging.level.io.jobpool=error}.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobPoolLoggingTests {

	private static final String FINAL_FAILURE = "Pool 'reports': job 1 (Report) failed for good on attempt 2: "
			+ "java.lang.IllegalStateException: printer on fire";

	private static final String RETRY = "Pool 'reports': job 1 (Report) failed on attempt 1, next attempt in 10 ms: "
			+ "java.lang.IllegalStateException: printer on fire";

	// Boot hands each logging.level.* it sets on to java.util.logging, but the next context in this JVM does not
	// clear what an earlier one set there: each test starts from java.util.logging's own levels.
	@AfterEach
	void resetJavaUtilLoggingLevels() {
		LogManager manager = LogManager.getLogManager();
		Collections.list(manager.getLoggerNames())
			.stream()
			.filter((name) -> name.startsWith("io.jobpool"))
			.map(manager::getLogger)
			.filter(Objects::nonNull)
			.forEach((logger) -> logger.setLevel(null));
	}

	@Test
	void byDefaultAFinalFailureIsWrittenAtWarnWithItsTraceAndTheStartAtInfoButNotARetry(CapturedOutput output) {
		runFailingJob();
		assertThat(output).containsPattern("WARN .*io\\.jobpool\\.jobs .*" + quoted(FINAL_FAILURE))
			.contains("at io.jobpool.autoconfigure.JobPoolLoggingTests$ReportHandler.process")
			.doesNotContain(RETRY)
			.containsPattern("INFO .*io\\.jobpool\\.lifecycle .*Pool 'reports' started with 1 x 1 workers");
	}

	@Test
	void aRetryIsWrittenAtDebugWhenTheJobsLoggerIsSetToDebug(CapturedOutput output) {
		runFailingJob("logging.level.io.jobpool.jobs=debug");
		assertThat(output).containsPattern("DEBUG .*io\\.jobpool\\.jobs .*" + quoted(RETRY))
			.containsPattern("WARN .*io\\.jobpool\\.jobs .*" + quoted(FINAL_FAILURE));
	}

	@Test
	void nothingIsWrittenWhenThePoolsLoggersAreSetToError(CapturedOutput output) {
		runFailingJob("logging.level.io.jobpool=error");
		assertThat(output).doesNotContain("Pool 'reports'");
	}

	private static void runFailingJob(String... properties) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FailingApplication.class)
			.web(WebApplicationType.NONE)
			.properties("pool.name=reports", "pool.worker-num=1", "pool.retry.max-attempts=2",
					"pool.retry.initial-backoff=10ms", "pool.retry.jitter=0")
			.properties(properties)
			.run()) {
			JobPool pool = context.getBean(JobPool.class);
			assertThat(pool.submit(new Report("q3"))).failsWithin(Duration.ofSeconds(10));
		}
	}

	private static String quoted(String text) {
		return Pattern.quote(text);
	}

	record Report(String name) {
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(JobPoolAutoConfiguration.class)
	@Import(ReportHandler.class)
	static class FailingApplication {

	}

	@JobHandler
	static class ReportHandler implements JobProcessor<Report> {

		@Override
		public void process(Job<Report> job) {
			throw new IllegalStateException("printer on fire");
		}

	}

}
