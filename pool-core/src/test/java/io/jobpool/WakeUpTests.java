package io.jobpool;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No lost wake-ups: a job submitted while every worker is parked, spinning or about to park runs without
 * another submit to nudge the pool. Each job here is the only one in flight, so a missed wake-up would leave
 * it in the queue and its future would time out.
 */
class WakeUpTests {

	@Test
	void everyLoneJobRunsWhateverTheWorkersWereDoing() throws Exception {
		JobPool pool = JobPool.builder().initPoolNum(2).workerNum(2).queueSize(4).processor(Integer.class, () -> (job) -> {
		}).build();
		pool.start();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < 20_000; i++) {
			JobFuture future = pool.submit(i);
			future.get(5, TimeUnit.SECONDS);
			if (random.nextInt(8) == 0) {
				LockSupport.parkNanos(random.nextInt(200_000));
			}
		}
		pool.close();
		assertThat(pool.stats().succeeded()).isEqualTo(20_000);
	}

	@Test
	void burstsFromSeveralSubmittersAllRun() throws Exception {
		JobPool pool = JobPool.builder().initPoolNum(1).workerNum(3).queueSize(2).processor(Integer.class, () -> (job) -> {
		}).build();
		pool.start();
		CompletableFuture<?>[] submitters = new CompletableFuture<?>[3];
		for (int s = 0; s < submitters.length; s++) {
			submitters[s] = CompletableFuture.runAsync(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				for (int burst = 0; burst < 2_000; burst++) {
					CompletableFuture<?>[] jobs = new CompletableFuture<?>[1 + random.nextInt(4)];
					for (int j = 0; j < jobs.length; j++) {
						jobs[j] = pool.submit(j);
					}
					CompletableFuture.allOf(jobs).orTimeout(5, TimeUnit.SECONDS).join();
				}
			});
		}
		CompletableFuture.allOf(submitters).get(60, TimeUnit.SECONDS);
		pool.close();
		JobPoolStats stats = pool.stats();
		assertThat(stats.succeeded()).isEqualTo(stats.accepted());
		assertThat(pool.awaitTermination(Duration.ofSeconds(1))).isTrue();
	}

	@Test
	void aBurstOfJobsThatMustRunTogetherGetsEveryWorker() throws Exception {
		int workers = 3;
		CyclicBarrier together = new CyclicBarrier(workers);
		JobPool pool = JobPool.builder().initPoolNum(1).workerNum(workers).processor(Integer.class, () -> (job) -> {
			together.await(5, TimeUnit.SECONDS);
		}).build();
		pool.start();
		for (int round = 0; round < 1_000; round++) {
			CompletableFuture<?>[] burst = new CompletableFuture<?>[workers];
			for (int j = 0; j < workers; j++) {
				burst[j] = pool.submit(j);
			}
			CompletableFuture.allOf(burst).get(10, TimeUnit.SECONDS);
		}
		pool.close();
		assertThat(pool.stats().succeeded()).isEqualTo(1_000L * workers);
	}

}
