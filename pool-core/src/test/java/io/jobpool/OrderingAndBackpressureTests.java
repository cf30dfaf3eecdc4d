package io.jobpool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * FIFO start order, and real backpressure: a full queue makes submitters wait.
 */
class OrderingAndBackpressureTests {

	private JobPool pool;

	@AfterEach
	void close() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

	@RepeatedTest(20)
	void oneDispatcherWithOneWorkerStartsJobsInSubmitOrder() {
		List<Integer> started = new CopyOnWriteArrayList<>();
		this.pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.queueSize(16)
			.processor(Integer.class, () -> (job) -> started.add(job.data()))
			.build();
		this.pool.start();
		IntStream.range(0, 500).forEach(this.pool::submit);
		this.pool.close();
		assertThat(started).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
	}

	@Test
	void trySubmitGivesUpAfterItsWaitWhenTheQueueStaysFull() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.pool = blockedPool(release, 2);
		fillWorkerAndQueue(2);
		long start = System.nanoTime();
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> this.pool.trySubmit("one too many", Duration.ofMillis(100)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.QUEUE_FULL))
			.withMessageContaining("stayed full");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> this.pool.trySubmit("no wait", Duration.ZERO));
		assertThat(this.pool.stats().rejected()).isEqualTo(2);
		release.countDown();
	}

	@Test
	void submitBlocksWhileTheQueueIsFullAndProceedsWhenRoomFrees() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.pool = blockedPool(release, 2);
		fillWorkerAndQueue(2);
		AtomicBoolean submitted = new AtomicBoolean();
		CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
			this.pool.submit("waits for room");
			submitted.set(true);
		});
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).untilFalse(submitted);
		assertThat(this.pool.queueDepth()).isEqualTo(2);
		release.countDown();
		blocked.get(5, TimeUnit.SECONDS);
		assertThat(submitted).isTrue();
		this.pool.close();
		assertThat(this.pool.stats().succeeded()).isEqualTo(4);
	}

	@Test
	void aSubmitterBlockedOnAFullQueueIsRejectedWhenThePoolCloses() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.pool = blockedPool(release, 1);
		fillWorkerAndQueue(1);
		CompletableFuture<JobFuture> blocked = CompletableFuture.supplyAsync(() -> this.pool.submit("blocked"));
		await().atMost(Duration.ofSeconds(2)).until(() -> Thread.getAllStackTraces().keySet().stream()
			.anyMatch((thread) -> thread.getState() == Thread.State.TIMED_WAITING && isInBackpressure(thread)));
		this.pool.shutdown();
		assertThat(blocked).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(JobRejectedException.class)
			.withMessageContaining("closing");
		release.countDown();
		assertThat(this.pool.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(this.pool.stats().accepted()).isEqualTo(2);
		assertThat(this.pool.stats().succeeded()).isEqualTo(2);
	}

	@RepeatedTest(5)
	void aWorkerSubmittingToItsOwnFullQueueIsRefusedInsteadOfWaitingForItself() throws Exception {
		List<JobRejectedException> refusals = new CopyOnWriteArrayList<>();
		AtomicInteger children = new AtomicInteger();
		CountDownLatch parentsStarted = new CountDownLatch(2);
		CountDownLatch releaseChildren = new CountDownLatch(1);
		JobPool[] self = new JobPool[1];
		this.pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(2)
			.queueSize(1)
			.processor(String.class, () -> (job) -> {
				if (job.data().equals("child")) {
					releaseChildren.await(10, TimeUnit.SECONDS);
					children.incrementAndGet();
					return;
				}
				parentsStarted.countDown();
				parentsStarted.await(5, TimeUnit.SECONDS);
				try {
					for (int i = 0; i < 10; i++) {
						self[0].submit("child");
					}
				}
				catch (JobRejectedException ex) {
					refusals.add(ex);
				}
			})
			.build();
		self[0] = this.pool;
		this.pool.start();
		JobFuture first = this.pool.submit("parent");
		JobFuture second = this.pool.submit("parent");
		assertThat(CompletableFuture.allOf(first, second)).succeedsWithin(Duration.ofSeconds(10));
		assertThat(refusals).hasSize(2).allSatisfy((ex) -> {
			assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.QUEUE_FULL);
			assertThat(ex).hasMessageContaining("its own workers").hasMessageContaining("trySubmit");
		});
		releaseChildren.countDown();
		this.pool.close();
		long acceptedChildren = this.pool.stats().accepted() - 2;
		assertThat(acceptedChildren).isBetween(1L, 2L);
		assertThat(children).hasValue((int) acceptedChildren);
		assertThat(this.pool.stats()).isEqualTo(new JobPoolStats(2 + acceptedChildren, 2, 2 + acceptedChildren, 0, 0, 0, 0, 0));
	}

	@Test
	void aWorkerMayWaitForRoomInItsOwnQueueForABoundedTime() {
		JobPool[] self = new JobPool[1];
		this.pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.queueSize(1)
			.processor(String.class, () -> (job) -> {
				if (job.data().equals("parent")) {
					self[0].submit("child");
					self[0].trySubmit("child", Duration.ofMillis(50));
				}
			})
			.build();
		self[0] = this.pool;
		this.pool.start();
		assertThat(this.pool.submit("parent")).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(JobRejectedException.class)
			.withMessageContaining("stayed full");
	}

	private static boolean isInBackpressure(Thread thread) {
		for (StackTraceElement frame : thread.getStackTrace()) {
			if (frame.getClassName().endsWith("Backpressure")) {
				return true;
			}
		}
		return false;
	}

	private JobPool blockedPool(CountDownLatch release, int queueSize) {
		JobPool blocked = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.queueSize(queueSize)
			.processor(String.class, () -> (job) -> release.await(10, TimeUnit.SECONDS))
			.build();
		blocked.start();
		return blocked;
	}

	private void fillWorkerAndQueue(int queueSize) {
		this.pool.submit("running");
		await().atMost(Duration.ofSeconds(2)).until(() -> this.pool.activeWorkers() == 1);
		for (int i = 0; i < queueSize; i++) {
			this.pool.submit("queued " + i);
		}
		assertThat(this.pool.queueDepth()).isEqualTo(queueSize);
	}

}
