package io.jobpool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static io.jobpool.AccountingTests.cause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing processor never kills a worker or the pool; its job's future fails, a listener hears it, and a
 * retry policy runs it again after a backoff that holds no worker.
 */
class FailureAndRetryTests {

	@Test
	void exceptionsAndErrorsFailTheJobButNotTheWorker() {
		RecordingListener listener = new RecordingListener();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.listener(listener)
			.processor(String.class, () -> (job) -> {
				switch (job.data()) {
					case "exception" -> throw new IllegalStateException("boom");
					case "error" -> throw new StackOverflowError("deep");
					default -> {
					}
				}
			})
			.build();
		pool.start();
		JobFuture exception = pool.submit("exception");
		JobFuture error = pool.submit("error");
		JobFuture fine = pool.submit("fine");
		pool.close();
		assertThat(cause(exception)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
		assertThat(cause(error)).isInstanceOf(StackOverflowError.class);
		assertThat(cause(fine)).isNull();
		assertThat(listener.failed).extracting((failure) -> failure.getClass().getSimpleName())
			.containsExactly("IllegalStateException", "StackOverflowError");
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(3, 0, 1, 2, 0, 0, 0, 0));
	}

	@Test
	void aListenerThatThrowsDoesNotHurtTheWorker() {
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.listener(new JobListener() {
				@Override
				public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
					throw new IllegalStateException("listener bug");
				}
			})
			.processor(String.class, () -> (job) -> {
			})
			.build();
		pool.start();
		JobFuture first = pool.submit("one");
		JobFuture second = pool.submit("two");
		pool.close();
		assertThat(cause(first)).isNull();
		assertThat(cause(second)).isNull();
	}

	@Test
	void aFailedJobIsRetriedWithBackoffUntilItSucceeds() {
		RecordingListener listener = new RecordingListener();
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.listener(listener)
			.retry(RetryPolicy.maxAttempts(3).withBackoff(Duration.ofMillis(20), 2.0, Duration.ofSeconds(1), 0))
			.processor(String.class, () -> (job) -> {
				attempts.add(job.attempt());
				if (job.attempt() < 3) {
					throw new IllegalStateException("attempt " + job.attempt());
				}
			})
			.build();
		pool.start();
		JobFuture future = pool.submit("flaky");
		assertThat(cause(future)).isNull();
		pool.close();
		assertThat(attempts).containsExactly(1, 2, 3);
		assertThat(listener.backoffs).containsExactly(Duration.ofMillis(20), Duration.ofMillis(40));
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(1, 0, 1, 0, 2, 0, 0, 0));
	}

	@Test
	void aJobOutOfAttemptsFailsWithItsLastError() {
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.retry(RetryPolicy.maxAttempts(2).withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0))
			.processor(String.class, () -> (job) -> {
				throw new IllegalStateException("attempt " + job.attempt());
			})
			.build();
		pool.start();
		JobFuture future = pool.submit("doomed");
		assertThat(cause(future)).hasMessage("attempt 2");
		pool.close();
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(1, 0, 0, 1, 1, 0, 0, 0));
	}

	@Test
	void errorsAreNotRetriedByDefault() {
		AtomicInteger runs = new AtomicInteger();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.retry(RetryPolicy.maxAttempts(5))
			.processor(String.class, () -> (job) -> {
				runs.incrementAndGet();
				throw new AssertionError("not retryable");
			})
			.build();
		pool.start();
		assertThat(cause(pool.submit("error"))).isInstanceOf(AssertionError.class);
		pool.close();
		assertThat(runs).hasValue(1);
	}

	@Test
	void aJobWaitingForItsBackoffHoldsNoWorker() throws Exception {
		CountDownLatch otherRan = new CountDownLatch(1);
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.retry(RetryPolicy.maxAttempts(2).withBackoff(Duration.ofSeconds(30), 1.0, Duration.ofSeconds(30), 0))
			.processor(String.class, () -> (job) -> {
				if (job.data().equals("fails")) {
					throw new IllegalStateException("retry me later");
				}
				otherRan.countDown();
			})
			.build();
		pool.start();
		JobFuture failing = pool.submit("fails");
		await().atMost(Duration.ofSeconds(2)).until(() -> pool.figures().retrying() == 1);
		pool.submit("other");
		assertThat(otherRan.await(2, TimeUnit.SECONDS)).isTrue();
		assertThat(failing).isNotDone();
		assertThat(pool.shutdownNow()).extracting(Job::id).containsExactly(failing.jobId());
		assertThat(cause(failing)).isInstanceOf(JobHandedBackException.class);
		assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(2, 0, 1, 0, 1, 1, 0, 0));
	}

	@Test
	void aRetryPredicateThatThrowsMakesTheFailureFinalWithItsErrorAttached() {
		JobPool pool = JobPool.builder()
			.retry(RetryPolicy.maxAttempts(3).withRetryOn((error) -> {
				throw new IllegalArgumentException("predicate broke");
			}))
			.processor(String.class, () -> (job) -> {
				throw new IllegalStateException("job failed");
			})
			.build();
		pool.start();
		Throwable cause = cause(pool.submit("x"));
		assertThat(cause).isInstanceOf(IllegalStateException.class).hasMessage("job failed");
		assertThat(cause.getSuppressed()).singleElement()
			.satisfies((suppressed) -> assertThat(suppressed).hasMessage("predicate broke"));
		pool.close();
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(1, 0, 0, 1, 0, 0, 0, 0));
		assertThat(pool.figures().failure()).isNull();
	}

	@Test
	void backoffGrowsExponentiallyUpToItsMaximumAndJitterOnlyShortensIt() {
		RetryPolicy policy = RetryPolicy.maxAttempts(10)
			.withBackoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(500), 0.0);
		assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(policy.backoff(3)).isEqualTo(Duration.ofMillis(400));
		assertThat(policy.backoff(4)).isEqualTo(Duration.ofMillis(500));
		RetryPolicy jittered = policy.withBackoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(500), 0.5);
		for (int i = 0; i < 1000; i++) {
			assertThat(jittered.backoff(2)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
		}
	}

	static final class RecordingListener implements JobListener {

		final List<Throwable> failed = new CopyOnWriteArrayList<>();

		final List<Duration> backoffs = new CopyOnWriteArrayList<>();

		@Override
		public void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
			this.failed.add(error);
		}

		@Override
		public void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
			this.backoffs.add(backoff);
		}

	}

}
