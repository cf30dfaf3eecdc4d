package io.jobpool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static io.jobpool.AccountingTests.cause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that runs past its timeout is interrupted and fails with a {@link JobTimeoutException}; one that
 * ignores the interrupt is reported, and close still returns within its drain period.
 */
class TimeoutTests {

	@Test
	void aJobPastItsTimeoutIsInterruptedAndFailsWithATimeout() {
		AtomicBoolean interrupted = new AtomicBoolean();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.jobTimeout(Duration.ofMillis(50))
			.processor(String.class, () -> (job) -> {
				if (job.data().equals("slow")) {
					try {
						Thread.sleep(10_000);
					}
					catch (InterruptedException ex) {
						interrupted.set(true);
						throw ex;
					}
				}
			})
			.build();
		pool.start();
		JobFuture slow = pool.submit("slow");
		JobFuture next = pool.submit("quick");
		assertThat(cause(slow)).isInstanceOf(JobTimeoutException.class).hasMessageContaining("PT0.05S");
		assertThat(cause(next)).isNull();
		assertThat(interrupted).isTrue();
		pool.close();
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(2, 0, 1, 1, 0, 0, 0, 0));
	}

	@Test
	void aTimedOutJobIsRetriedAndTheNextJobIsNotInterrupted() {
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.jobTimeout(Duration.ofMillis(50))
			.retry(RetryPolicy.maxAttempts(2).withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0))
			.processor(String.class, () -> (job) -> {
				attempts.add(job.attempt());
				if (job.attempt() == 1) {
					Thread.sleep(10_000);
				}
				Thread.sleep(5);
			})
			.build();
		pool.start();
		assertThat(cause(pool.submit("slow once"))).isNull();
		pool.close();
		assertThat(attempts).containsExactly(1, 2);
	}

	@Test
	void aProcessorIgnoringInterruptsIsReportedAndCloseDoesNotWaitForIt() throws Exception {
		CountDownLatch stuckReported = new CountDownLatch(1);
		AtomicBoolean stop = new AtomicBoolean();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.jobTimeout(Duration.ofMillis(50))
			.drainPeriod(Duration.ofMillis(500))
			.listener(new JobListener() {
				@Override
				public void onStuck(Job<?> job, Thread worker, Duration running) {
					stuckReported.countDown();
				}
			})
			.processor(String.class, () -> (job) -> {
				while (!stop.get()) {
					Thread.onSpinWait();
				}
			})
			.build();
		pool.start();
		JobFuture stubborn = pool.submit("ignores interrupts");
		assertThat(stuckReported.await(5, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		pool.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_200));
		assertThat(pool.isClosed()).isFalse();
		stop.set(true);
		assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(cause(stubborn)).isInstanceOf(JobTimeoutException.class);
		assertThat(pool.stats().pending()).isZero();
	}

	@Test
	void aJobIgnoringTheForcedStopAtCloseIsReportedWithItsJob() throws Exception {
		List<Job<?>> reported = new CopyOnWriteArrayList<>();
		AtomicBoolean stop = new AtomicBoolean();
		CountDownLatch running = new CountDownLatch(1);
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.drainPeriod(Duration.ofMillis(300))
			.listener(new JobListener() {
				@Override
				public void onStuck(Job<?> job, Thread worker, Duration runningFor) {
					reported.add(job);
				}
			})
			.processor(String.class, () -> (job) -> {
				running.countDown();
				while (!stop.get()) {
					Thread.onSpinWait();
				}
			})
			.build();
		pool.start();
		JobFuture stubborn = pool.submit("ignores interrupts");
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		pool.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_000));
		assertThat(reported).extracting(Job::id).containsExactly(stubborn.jobId());
		stop.set(true);
		assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(cause(stubborn)).isNull();
	}

}
