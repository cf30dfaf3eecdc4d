package io.jobpool;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise the Go library broke: a flood of jobs far beyond the queue size, against slow workers, keeps
 * live threads and queued jobs bounded (the Go code made one goroutine per job).
 */
class FloodTests {

	@Test
	void aFloodKeepsThreadsAndQueuedJobsBounded() throws Exception {
		int queueSize = 10;
		int workers = 4;
		int jobs = 20_000;
		LongAdder done = new LongAdder();
		AtomicInteger maxQueued = new AtomicInteger();
		AtomicInteger maxRunning = new AtomicInteger();
		AtomicInteger running = new AtomicInteger();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(workers)
			.queueSize(queueSize)
			.processor(byte[].class, () -> (job) -> {
				maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
				Thread.onSpinWait();
				running.decrementAndGet();
				done.increment();
			})
			.build();
		int threadsBefore = Thread.activeCount();
		pool.start();
		ExecutorService producers = Executors.newFixedThreadPool(8);
		AtomicInteger maxThreads = new AtomicInteger();
		CompletableFuture<?>[] floods = new CompletableFuture<?>[8];
		for (int p = 0; p < floods.length; p++) {
			floods[p] = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < jobs / 8; i++) {
					pool.submit(new byte[1024]);
					maxQueued.accumulateAndGet(pool.queueDepth(), Math::max);
					maxThreads.accumulateAndGet(Thread.activeCount(), Math::max);
				}
			}, producers);
		}
		CompletableFuture.allOf(floods).get(60, TimeUnit.SECONDS);
		pool.close();
		producers.shutdown();
		assertThat(done.sum()).isEqualTo(jobs);
		assertThat(maxQueued.get()).isLessThanOrEqualTo(queueSize);
		assertThat(maxRunning.get()).isLessThanOrEqualTo(workers);
		assertThat(maxThreads.get()).isLessThanOrEqualTo(threadsBefore + workers + 8 + 2);
		assertThat(pool.stats().accepted()).isEqualTo(jobs);
		assertThat(pool.awaitTermination(Duration.ofSeconds(1))).isTrue();
	}

}
