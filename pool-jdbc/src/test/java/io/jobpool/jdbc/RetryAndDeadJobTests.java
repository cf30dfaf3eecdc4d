package io.jobpool.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.jobpool.DeadJob;
import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Retries wait in the table; a job out of attempts is kept as dead, listed, and can be requeued.
 */
class RetryAndDeadJobTests {

	record Charge(String card) {
	}

	private final String name = TestDatabase.uniqueName("retry");

	private final AtomicBoolean failing = new AtomicBoolean(true);

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<Integer> attempts = new CopyOnWriteArrayList<>();

	private final JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
		.name(this.name)
		.retry(RetryPolicy.maxAttempts(3).withBackoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100), 0.0))
		.listener(new JobListener() {

			@Override
			public void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
				RetryAndDeadJobTests.this.events.add("retry " + job.attempt() + " after " + backoff.toMillis());
			}

			@Override
			public void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
				RetryAndDeadJobTests.this.events.add("failed " + job.attempt());
			}

			@Override
			public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
				RetryAndDeadJobTests.this.events.add("succeeded " + job.attempt());
			}

		})
		.processor(Charge.class, () -> (job) -> {
			this.attempts.add(job.attempt());
			if (this.failing.get()) {
				throw new IllegalStateException("card " + job.data().card() + " declined");
			}
		}));

	@AfterEach
	void close() {
		this.pool.close(Duration.ofSeconds(10));
	}

	@Test
	void aFailingJobIsRetriedWithBackoffThenKeptAsDeadWithItsError() {
		JobFuture future = this.pool.submit(new Charge("4242"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("card 4242 declined");
		assertThat(this.attempts).containsExactly(1, 2, 3);
		assertThat(this.events).containsExactly("retry 1 after 20", "retry 2 after 40", "failed 3");
		assertThat(TestPools.rows(this.name, "dead")).isOne();
		List<DeadJob> dead = this.pool.deadJobs(10);
		assertThat(dead).singleElement().satisfies((job) -> {
			assertThat(job.id()).isEqualTo(future.jobId());
			assertThat(job.type()).isEqualTo("Charge");
			assertThat(job.payload()).contains("\"card\"").contains("4242");
			assertThat(job.attempts()).isEqualTo(3);
			assertThat(job.error()).contains("IllegalStateException: card 4242 declined");
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.deadJobCount() == 1);
		assertThat(this.pool.stats().retried()).isEqualTo(2);
		assertThat(this.pool.stats().failed()).isOne();
	}

	@Test
	void eachRetryIsWrittenToTheLogAtDebugAndTheFinalFailureOnceAtWarn() {
		Logger logger = Logger.getLogger("io.jobpool.jobs");
		List<LogRecord> records = new CopyOnWriteArrayList<>();
		Handler handler = new Handler() {

			@Override
			public void publish(LogRecord record) {
				if (record.getMessage().startsWith("Pool '" + RetryAndDeadJobTests.this.name + "'")) {
					records.add(record);
				}
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		Level level = logger.getLevel();
		logger.setLevel(Level.FINE);
		logger.addHandler(handler);
		JobFuture future;
		try {
			future = this.pool.submit(new Charge("4242"));
			assertThat(future).failsWithin(Duration.ofSeconds(30));
		}
		finally {
			logger.removeHandler(handler);
			logger.setLevel(level);
		}
		String job = "Pool '" + this.name + "': job " + future.jobId() + " (Charge)";
		assertThat(records).extracting(LogRecord::getLevel, LogRecord::getMessage)
			.containsExactly(
					tuple(Level.FINE, job + " failed on attempt 1, next attempt in 20 ms: "
							+ "java.lang.IllegalStateException: card 4242 declined"),
					tuple(Level.FINE, job + " failed on attempt 2, next attempt in 40 ms: "
							+ "java.lang.IllegalStateException: card 4242 declined"),
					tuple(Level.WARNING, job + " failed for good on attempt 3: "
							+ "java.lang.IllegalStateException: card 4242 declined"));
		assertThat(records.get(2).getThrown()).hasMessage("card 4242 declined");
	}

	@Test
	void aDeadJobIsListedWithTheFirstCharactersOfItsPayloadAndErrorAndTheirWholeLengths() {
		String card = "9".repeat(100_000);
		JobFuture future = this.pool.submit(new Charge(card));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(30, TimeUnit.SECONDS));
		assertThat(this.pool.deadJobs(10)).singleElement().satisfies((job) -> {
			assertThat(job.payload()).hasSize(JobTable.SHOWN_LENGTH).startsWith("{\"card\": \"999");
			assertThat(job.payloadLength()).isEqualTo("{\"card\": \"\"}".length() + card.length());
			assertThat(job.error()).hasSize(JobTable.SHOWN_LENGTH).startsWith("java.lang.IllegalStateException: card 999");
			assertThat(job.errorLength()).isEqualTo(4000);
		});
	}

	@Test
	void aRequeuedDeadJobRunsAgainWithAFreshRetryBudget() throws Exception {
		JobFuture future = this.pool.submit(new Charge("1111"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(30, TimeUnit.SECONDS));
		this.failing.set(false);
		assertThat(this.pool.requeueDeadJob(future.jobId() + 1_000_000)).isFalse();
		assertThat(this.pool.requeueDeadJob(future.jobId())).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> TestPools.rows(this.name) == 0);
		assertThat(this.attempts).containsExactly(1, 2, 3, 4);
		assertThat(this.events).last().isEqualTo("succeeded 4");
		assertThat(this.pool.deadJobCount()).isZero();
	}

	@Test
	void requeueingEveryDeadJobRunsThemAll() throws Exception {
		JobFuture one = this.pool.submit(new Charge("1"));
		JobFuture two = this.pool.submit(new Charge("2"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> one.get(30, TimeUnit.SECONDS));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> two.get(30, TimeUnit.SECONDS));
		this.failing.set(false);
		assertThat(this.pool.requeueDeadJobs()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(30)).until(() -> TestPools.rows(this.name) == 0);
		assertThat(this.pool.deadJobs(10)).isEmpty();
	}

}
