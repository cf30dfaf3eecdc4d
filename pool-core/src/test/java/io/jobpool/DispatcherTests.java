package io.jobpool;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Dispatchers: one processor per worker from the generator, worker threads named by dispatcher and by worker
 * within it, removing and adding dispatchers at run time, and autoscaling that fires under load and scales back
 * down when the load is gone.
 */
class DispatcherTests {

	private JobPool pool;

	@AfterEach
	void stop() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

	@Test
	void theGeneratorIsAskedOncePerWorkerAndEachWorkerKeepsItsProcessor() throws Exception {
		AtomicInteger generated = new AtomicInteger();
		Set<Object> used = ConcurrentHashMap.newKeySet();
		CountDownLatch allBusy = new CountDownLatch(6);
		this.pool = JobPool.builder()
			.initPoolNum(2)
			.workerNum(3)
			.processor(String.class, () -> {
				generated.incrementAndGet();
				return new JobProcessor<String>() {
					@Override
					public void process(Job<String> job) throws Exception {
						used.add(this);
						allBusy.countDown();
						allBusy.await(5, TimeUnit.SECONDS);
					}
				};
			})
			.build();
		this.pool.start();
		assertThat(generated).hasValue(6);
		for (int i = 0; i < 60; i++) {
			this.pool.submit("job " + i);
		}
		this.pool.close();
		assertThat(generated).hasValue(6);
		assertThat(used).hasSize(6);
	}

	@Test
	void workerThreadsAreNamedByDispatcherAndByWorkerWithinThatDispatcher() throws Exception {
		Set<String> names = ConcurrentHashMap.newKeySet();
		CountDownLatch release = new CountDownLatch(1);
		this.pool = JobPool.builder()
			.initPoolNum(2)
			.workerNum(3)
			.maxPoolNum(3)
			.threadNamePrefix("names-")
			.processor(String.class, () -> (job) -> {
				names.add(Thread.currentThread().getName());
				release.await(10, TimeUnit.SECONDS);
			})
			.build();
		this.pool.start();
		for (int i = 0; i < 6; i++) {
			this.pool.submit("first " + i);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> names.size() == 6);
		assertThat(names).containsExactlyInAnyOrder("names-1-1", "names-1-2", "names-1-3", "names-2-1", "names-2-2",
				"names-2-3");
		this.pool.resizeDispatchers(3);
		for (int i = 0; i < 3; i++) {
			this.pool.submit("added " + i);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> names.size() == 9);
		assertThat(names).contains("names-3-1", "names-3-2", "names-3-3");
		release.countDown();
		this.pool.close();
	}

	@Test
	void removingDispatchersStopsTheirWorkersAndKeepsAtLeastOne() {
		this.pool = JobPool.builder().initPoolNum(3).workerNum(2).maxPoolNum(3).processor(String.class, () -> (job) -> {
		}).build();
		this.pool.start();
		assertThat(this.pool.removeDispatchers(1)).isEqualTo(1);
		assertThat(this.pool.figures().dispatchers()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(2)).until(() -> this.pool.figures().workers() == 4);
		assertThat(this.pool.removeDispatchers(5)).isEqualTo(1);
		assertThat(this.pool.figures().dispatchers()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(2)).until(() -> this.pool.figures().workers() == 2);
		this.pool.resizeDispatchers(3);
		assertThat(this.pool.figures().workers()).isEqualTo(6);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.pool.resizeDispatchers(4))
			.withMessageContaining("max-pool-num (3)");
		for (int i = 0; i < 100; i++) {
			this.pool.submit("after resize " + i);
		}
		this.pool.close();
		assertThat(this.pool.stats().succeeded()).isEqualTo(100);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.pool.removeDispatchers(1));
	}

	@Test
	void removingADispatcherWhileItsWorkersRunLetsThemFinishTheirJobs() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.pool = JobPool.builder().initPoolNum(2).workerNum(1).processor(String.class, () -> (job) -> {
			release.await(5, TimeUnit.SECONDS);
		}).build();
		this.pool.start();
		JobFuture first = this.pool.submit("one");
		JobFuture second = this.pool.submit("two");
		await().atMost(Duration.ofSeconds(2)).until(() -> this.pool.activeWorkers() == 2);
		this.pool.removeDispatchers(1);
		release.countDown();
		assertThat(first).succeedsWithin(Duration.ofSeconds(5));
		assertThat(second).succeedsWithin(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(2)).until(() -> this.pool.figures().workers() == 1);
	}

	@Test
	void autoscaleAddsDispatchersUnderLoadAndRemovesThemWhenTheLoadIsGone() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.pool = JobPool.builder()
			.initPoolNum(1)
			.maxPoolNum(3)
			.workerNum(1)
			.queueSize(10)
			.autoscale(true)
			.loadFactor(0.5)
			.resizePeriod(Duration.ofMillis(20))
			.resizeSuccessThreshold(2)
			.processor(String.class, () -> (job) -> release.await(10, TimeUnit.SECONDS))
			.build();
		this.pool.start();
		for (int i = 0; i < 10; i++) {
			this.pool.submit("load " + i);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.pool.figures().dispatchers() == 3);
		assertThat(this.pool.figures().workers()).isEqualTo(3);
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.pool.figures().dispatchers() == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.pool.figures().workers() == 1);
		assertThat(this.pool.stats().succeeded()).isEqualTo(10);
	}

	@Test
	void pausedWorkersTakeNoJobsUntilResumed() throws Exception {
		this.pool = JobPool.builder().initPoolNum(1).workerNum(2).processor(String.class, () -> (job) -> {
		}).build();
		this.pool.start();
		this.pool.pause();
		JobFuture held = this.pool.submit("held");
		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> !held.isDone());
		assertThat(this.pool.queueDepth()).isEqualTo(1);
		this.pool.resume();
		assertThat(held).succeedsWithin(Duration.ofSeconds(2));
	}

}
