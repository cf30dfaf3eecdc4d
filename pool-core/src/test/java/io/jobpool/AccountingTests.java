package io.jobpool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Never lose a job: whatever the timing of close, every accepted job ends succeeded, failed or handed back,
 * its future says which, and {@code accepted = succeeded + failed + handedBack}.
 */
class AccountingTests {

	@RepeatedTest(30)
	void manyProducersRacingAGracefulCloseLoseNoJob() throws Exception {
		race(false);
	}

	@RepeatedTest(30)
	void manyProducersRacingAForcedStopLoseNoJob() throws Exception {
		race(true);
	}

	private void race(boolean forced) throws Exception {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		LongAdder ran = new LongAdder();
		JobPool pool = JobPool.builder()
			.initPoolNum(2)
			.workerNum(2)
			.queueSize(1 + random.nextInt(32))
			.retry(RetryPolicy.maxAttempts(2).withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0))
			.processor(Integer.class, () -> (job) -> {
				ran.increment();
				if (job.data() % 7 == 0 && job.attempt() == 1) {
					throw new IllegalStateException("fails once");
				}
				if (job.data() % 11 == 0) {
					throw new IllegalArgumentException("fails always");
				}
			})
			.build();
		pool.start();
		int producers = 6;
		CountDownLatch started = new CountDownLatch(producers);
		List<CompletableFuture<List<JobFuture>>> submitted = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			submitted.add(CompletableFuture.supplyAsync(() -> {
				List<JobFuture> futures = new ArrayList<>();
				started.countDown();
				for (int i = 0; i < 20_000; i++) {
					try {
						futures.add(pool.submit(i));
					}
					catch (JobRejectedException ex) {
						assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.NOT_RUNNING);
						return futures;
					}
				}
				return futures;
			}));
		}
		started.await(5, TimeUnit.SECONDS);
		int succeededBeforeClose = random.nextInt(200);
		await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
			.until(() -> pool.stats().succeeded() > succeededBeforeClose);
		if (forced) {
			pool.shutdownNow();
		}
		else {
			pool.close();
		}
		assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
		long succeeded = 0;
		long failed = 0;
		long handedBack = 0;
		for (CompletableFuture<List<JobFuture>> producer : submitted) {
			for (JobFuture future : producer.get(10, TimeUnit.SECONDS)) {
				assertThat(future).isDone();
				if (!future.isCompletedExceptionally()) {
					succeeded++;
				}
				else if (cause(future) instanceof JobHandedBackException) {
					handedBack++;
				}
				else {
					failed++;
				}
			}
		}
		JobPoolStats stats = pool.stats();
		assertThat(stats.accepted()).isEqualTo(succeeded + failed + handedBack);
		assertThat(stats.succeeded()).isEqualTo(succeeded);
		assertThat(stats.failed()).isEqualTo(failed);
		assertThat(stats.handedBack()).isEqualTo(handedBack);
		assertThat(stats.pending()).isZero();
		if (!forced) {
			assertThat(handedBack).isZero();
		}
	}

	@Test
	void aForcedStopHandsBackQueuedJobsAndTheirFuturesSaySo() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		List<Job<?>> heard = new ArrayList<>();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.queueSize(10)
			.listener(new JobListener() {
				@Override
				public void onHandedBack(Job<?> job) {
					heard.add(job);
				}
			})
			.processor(String.class, () -> (job) -> release.await())
			.build();
		pool.start();
		JobFuture running = pool.submit("running");
		await().atMost(Duration.ofSeconds(2)).until(() -> pool.activeWorkers() == 1);
		List<JobFuture> queued = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			queued.add(pool.submit("queued " + i));
		}
		List<Job<?>> handedBack = pool.shutdownNow();
		assertThat(handedBack.stream().map((job) -> (Object) job.data()).toList()).containsExactly("queued 0", "queued 1", "queued 2");
		assertThat(heard).hasSize(3);
		for (JobFuture future : queued) {
			assertThat(cause(future)).isInstanceOf(JobHandedBackException.class);
			assertThat(((JobHandedBackException) cause(future)).job().id()).isEqualTo(future.jobId());
		}
		assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(cause(running)).isInstanceOf(InterruptedException.class);
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(4, 0, 0, 1, 0, 3, 0, 0));
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit("late"))
			.withMessageContaining("closed");
	}

	@Test
	void closingWithinAGivenTimeReturnsTheJobsItHandedBack() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.drainPeriod(Duration.ofMinutes(1))
			.processor(String.class, () -> (job) -> release.await())
			.build();
		pool.start();
		pool.submit("running");
		await().atMost(Duration.ofSeconds(2)).until(() -> pool.activeWorkers() == 1);
		JobFuture queued = pool.submit("queued");
		long start = System.nanoTime();
		assertThat(pool.close(Duration.ofMillis(200))).extracting(Job::id).containsExactly(queued.jobId());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(cause(queued)).isInstanceOf(JobHandedBackException.class);
		assertThat(pool.close(Duration.ofMillis(200))).isEmpty();
	}

	@Test
	void closeDrainsQueuedAndRunningJobsWithinTheDrainPeriod() {
		LongAdder ran = new LongAdder();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(2)
			.queueSize(100)
			.processor(Integer.class, () -> (job) -> {
				Thread.sleep(1);
				ran.increment();
			})
			.build();
		pool.start();
		for (int i = 0; i < 100; i++) {
			pool.submit(i);
		}
		pool.close();
		assertThat(pool.isClosed()).isTrue();
		assertThat(ran.sum()).isEqualTo(100);
		assertThat(pool.stats().succeeded()).isEqualTo(100);
	}

	@Test
	void cancellingAQueuedJobMeansItNeverRunsAndCountsAsFailed() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean ranCancelled = new AtomicBoolean();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.processor(String.class, () -> (job) -> {
				release.await();
				if (job.data().equals("cancelled")) {
					ranCancelled.set(true);
				}
			})
			.build();
		pool.start();
		pool.submit("running");
		await().atMost(Duration.ofSeconds(2)).until(() -> pool.activeWorkers() == 1);
		JobFuture cancelled = pool.submit("cancelled");
		assertThat(cancelled.cancel(false)).isTrue();
		release.countDown();
		pool.close();
		assertThat(ranCancelled).isFalse();
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(2, 0, 1, 1, 0, 0, 0, 0));
	}

	@Test
	void aPoolThatWasNeverStartedClosesAtOnceAndRejectsJobs() {
		JobPool pool = JobPool.builder().processor(String.class, () -> (job) -> {
		}).build();
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit("early"))
			.withMessageContaining("not started");
		pool.close();
		assertThat(pool.isClosed()).isTrue();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(pool::start)
			.withMessageContaining("was closed");
	}

	@Test
	void theStateMovesForwardThroughDrainingOrStoppingToClosed() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		JobPool pool = JobPool.builder().initPoolNum(1).workerNum(1).processor(String.class, () -> (job) -> {
			while (release.getCount() > 0) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					// keeps running through the forced stop, so the pool stays STOPPING until released
				}
			}
		}).build();
		assertThat(pool.state()).isEqualTo(JobPool.State.NOT_STARTED);
		pool.start();
		assertThat(pool.state()).isEqualTo(JobPool.State.RUNNING);
		pool.submit("holds the worker");
		await().atMost(Duration.ofSeconds(2)).until(() -> pool.activeWorkers() == 1);
		pool.shutdown();
		assertThat(pool.state()).isEqualTo(JobPool.State.DRAINING);
		pool.shutdownNow();
		assertThat(pool.state()).isEqualTo(JobPool.State.STOPPING);
		assertThat(pool.state().label()).isEqualTo("stopping");
		release.countDown();
		assertThat(pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(pool.state()).isEqualTo(JobPool.State.CLOSED);
	}

	static Throwable cause(CompletableFuture<?> future) {
		return future.handle((result, error) -> error).orTimeout(10, TimeUnit.SECONDS).join();
	}

}
