package io.jobpool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What a pool writes to the log: a job's final failure and a hand-back at WARN, the stack trace once per distinct
 * failure, at most twenty lines a second under a storm, a retry at DEBUG, the start and the stop at INFO; a job
 * shows as its id and type, never its payload.
 */
class JobLogTests {

	private static final String JOBS = "io.jobpool.jobs";

	private static final String LIFECYCLE = "io.jobpool.lifecycle";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final RetryPolicy TWO_ATTEMPTS = RetryPolicy.maxAttempts(2)
		.withBackoff(Duration.ofMillis(250), 1.0, Duration.ofMillis(250), 0.0);

	private final CountDownLatch blocking = new CountDownLatch(1);

	@Test
	void aFinalFailureIsWrittenAtWarnWithItsIdTypePoolAttemptAndException() {
		try (LogCapture log = LogCapture.of(JOBS, Level.INFO)) {
			JobFuture failing = failTwice("final");
			assertThat(log.of("final", Level.WARNING, "failed for good")).singleElement().satisfies((record) -> {
				assertThat(record.getMessage()).isEqualTo("Pool 'final': job " + failing.jobId()
						+ " (Huge) failed for good on attempt 2: java.lang.IllegalStateException: printer on fire");
				assertThat(record.getThrown()).isInstanceOf(IllegalStateException.class).hasMessage("printer on fire");
			});
		}
	}

	@Test
	void theStackTraceOfAFailureIsWrittenOnceAndLeftOutWhenTheSameFailureComesAgain() {
		try (LogCapture log = LogCapture.of(JOBS, Level.INFO)) {
			JobPool pool = start(builder("traces"));
			for (String mode : List.of("fail", "fail", "fail-otherwise", "fail")) {
				assertThat(pool.submit(Huge.of(mode))).failsWithin(WAIT);
			}
			pool.close();
			List<LogRecord> failures = log.of("traces", Level.WARNING, "failed for good");
			assertThat(failures).extracting((record) -> record.getThrown() != null)
				.containsExactly(true, false, true, false);
			assertThat(failures).extracting(LogRecord::getMessage)
				.containsExactly("Pool 'traces': job 1 (Huge) failed for good on attempt 1: "
						+ "java.lang.IllegalStateException: printer on fire",
						"Pool 'traces': job 2 (Huge) failed for good on attempt 1: "
								+ "java.lang.IllegalStateException: printer on fire (stack trace written before)",
						"Pool 'traces': job 3 (Huge) failed for good on attempt 1: "
								+ "java.lang.IllegalArgumentException: out of paper",
						"Pool 'traces': job 4 (Huge) failed for good on attempt 1: "
								+ "java.lang.IllegalStateException: printer on fire (stack trace written before)");
		}
	}

	@Test
	void aRetryIsWrittenAtDebugWithItsAttemptAndBackoff() {
		try (LogCapture log = LogCapture.of(JOBS, Level.FINE)) {
			JobFuture failing = failTwice("retries");
			assertThat(log.of("retries", Level.FINE, "")).singleElement().satisfies((record) -> {
				assertThat(record.getMessage()).isEqualTo("Pool 'retries': job " + failing.jobId() + " (Huge) failed "
						+ "on attempt 1, next attempt in 250 ms: java.lang.IllegalStateException: printer on fire");
				assertThat(record.getThrown()).isNull();
			});
		}
	}

	@Test
	void aRetryIsNotWrittenWhenDebugIsOff() {
		try (LogCapture log = LogCapture.of(JOBS, Level.INFO)) {
			failTwice("quiet");
			assertThat(log.of("quiet")).extracting(LogRecord::getLevel).containsExactly(Level.WARNING);
		}
	}

	@Test
	void aJobHandedBackByAForcedStopIsWrittenAtWarn() throws InterruptedException {
		try (LogCapture log = LogCapture.of(JOBS, Level.INFO);
				LogCapture lifecycle = LogCapture.of(LIFECYCLE, Level.INFO)) {
			JobPool pool = start(builder("stops"));
			pool.submit(Huge.of("block"));
			assertThat(this.blocking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			JobFuture second = pool.submit(Huge.of("ok"));
			JobFuture third = pool.submit(Huge.of("ok"));
			assertThat(pool.shutdownNow()).hasSize(2);
			assertThat(pool.awaitTermination(WAIT)).isTrue();
			assertThat(log.of("stops", Level.WARNING, "handed back")).extracting(LogRecord::getMessage)
				.containsExactly(
						"Pool 'stops': job " + second.jobId() + " (Huge) was handed back on attempt 1: the pool "
								+ "stopped before the job could end",
						"Pool 'stops': job " + third.jobId() + " (Huge) was handed back on attempt 1: the pool "
								+ "stopped before the job could end");
			assertStopLine(lifecycle, "stops", "forced", "0 jobs succeeded, 1 failed, 2 handed back, of 3 accepted");
		}
	}

	@Test
	void theStartAndTheStopOfAPoolAreWrittenAtInfo() {
		try (LogCapture log = LogCapture.of(LIFECYCLE, Level.INFO)) {
			JobPool pool = start(builder("summary").initPoolNum(2).workerNum(3).queueSize(10));
			assertThat(log.of("summary")).extracting(LogRecord::getLevel, LogRecord::getMessage)
				.containsExactly(tuple(Level.INFO, "Pool 'summary' started with 2 x 3 "
						+ "workers (dispatchers x workers each), queue-size 10, store memory"));
			List<JobFuture> futures = List.of(pool.submit(Huge.of("ok")), pool.submit(Huge.of("ok")),
					pool.submit(Huge.of("fail")));
			pool.close();
			assertThat(futures).allMatch(JobFuture::isDone);
			assertStopLine(log, "summary", "drained", "2 jobs succeeded, 1 failed, 0 handed back, of 3 accepted");
		}
	}

	@Test
	void anAutoscaledPoolSaysHowFarItMayGrowWhenItStarts() {
		try (LogCapture log = LogCapture.of(LIFECYCLE, Level.INFO)) {
			JobPool pool = start(builder("growing").initPoolNum(1).maxPoolNum(4).workerNum(2).autoscale(true));
			pool.close();
			assertThat(log.of("growing", Level.INFO, "started")).extracting(LogRecord::getMessage)
				.containsExactly("Pool 'growing' started with 1 x 2 workers (dispatchers x workers each, autoscaled "
						+ "up to 4 dispatchers), queue-size 1000, store memory");
		}
	}

	@Test
	void aStormOfFailuresWritesAtMostTwentyLinesASecondAndCountsTheLinesLeftOut() {
		int jobs = 2000;
		try (LogCapture log = LogCapture.of(JOBS, Level.INFO)) {
			long start = System.nanoTime();
			JobPool pool = start(builder("storm").initPoolNum(2).workerNum(4).queueSize(jobs));
			List<JobFuture> futures = new ArrayList<>();
			for (int i = 0; i < jobs; i++) {
				futures.add(pool.submit(Huge.of("fail")));
			}
			pool.close();
			long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
			assertThat(futures).allMatch(JobFuture::isCompletedExceptionally);
			List<LogRecord> failures = log.of("storm", Level.WARNING, "failed for good");
			List<LogRecord> leftOut = log.of("storm", Level.WARNING, "were left out");
			assertThat(leftOut).isNotEmpty();
			assertThat(failures.size() + leftOut.stream().mapToLong(JobLogTests::leftOutCount).sum()).isEqualTo(jobs);
			assertThat(failures).hasSizeLessThanOrEqualTo((int) (20 * (seconds + 1)));
			assertThat(failures).filteredOn((record) -> record.getThrown() != null).hasSize(1);
		}
	}

	@Test
	void noLineShowsAPayload() throws InterruptedException {
		try (LogCapture jobs = LogCapture.of(JOBS, Level.FINE);
				LogCapture lifecycle = LogCapture.of(LIFECYCLE, Level.FINE)) {
			JobPool pool = start(builder("discreet").retry(TWO_ATTEMPTS));
			assertThat(pool.submit(Huge.of("fail"))).failsWithin(WAIT);
			pool.submit(Huge.of("block"));
			assertThat(this.blocking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			pool.submit(Huge.of("ok"));
			pool.shutdownNow();
			assertThat(pool.awaitTermination(WAIT)).isTrue();
			List<LogRecord> records = new ArrayList<>(jobs.of("discreet"));
			records.addAll(lifecycle.of("discreet"));
			assertThat(records).extracting(LogRecord::getLevel)
				.contains(Level.FINE, Level.WARNING, Level.INFO);
			assertThat(records).allSatisfy((record) -> {
				assertThat(record.getMessage()).doesNotContain(Huge.MARK).hasSizeLessThan(1000);
				assertThat(String.valueOf(record.getThrown())).doesNotContain(Huge.MARK);
			});
		}
	}

	// A job that fails on both of its two attempts, in a pool of its own, closed once the job has failed.
	private JobFuture failTwice(String pool) {
		JobPool started = start(builder(pool).retry(TWO_ATTEMPTS));
		JobFuture failing = started.submit(Huge.of("fail"));
		assertThat(failing).failsWithin(WAIT);
		started.close();
		assertThat(started.stats().retried()).isEqualTo(1);
		return failing;
	}

	private static void assertStopLine(LogCapture log, String pool, String how, String counts) {
		assertThat(log.of(pool, Level.INFO, "stopped")).singleElement()
			.extracting(LogRecord::getMessage)
			.asString()
			.matches("Pool '" + pool + "' stopped in \\d+\\.\\d{3} s \\(" + how + "\\): " + Pattern.quote(counts));
	}

	private static long leftOutCount(LogRecord record) {
		Matcher matcher = Pattern.compile("Pool '[^']+': (\\d+) more lines").matcher(record.getMessage());
		assertThat(matcher.find()).as(record.getMessage()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private JobPoolBuilder builder(String name) {
		return JobPool.builder().name(name).initPoolNum(1).workerNum(1).processor(Huge.class, () -> (job) -> {
			switch (job.data().mode()) {
				case "fail" -> throw new IllegalStateException("printer on fire");
				case "fail-otherwise" -> throw new IllegalArgumentException("out of paper");
				case "block" -> {
					this.blocking.countDown();
					new CountDownLatch(1).await();
				}
				default -> {
				}
			}
		});
	}

	private static JobPool start(JobPoolBuilder builder) {
		JobPool pool = builder.build();
		pool.start();
		return pool;
	}

	/** A payload whose text runs to a megabyte, so that a line that showed it would be seen. */
	record Huge(String mode, String body) {

		static final String MARK = "PAYLOAD-TEXT-";

		private static final String BODY = MARK.repeat(80_000);

		static Huge of(String mode) {
			return new Huge(mode, BODY);
		}

	}

}
