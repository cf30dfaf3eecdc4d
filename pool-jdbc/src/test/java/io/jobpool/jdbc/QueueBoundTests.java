package io.jobpool.jdbc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code queue-size} bounds the ready jobs in the table: submit waits, or is refused, while it is full.
 */
class QueueBoundTests {

	record Ping(int n) {
	}

	private final String name = TestDatabase.uniqueName("bound");

	private final AtomicInteger ran = new AtomicInteger();

	private final JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
		.name(this.name)
		.queueSize(5)
		.processor(Ping.class, () -> (job) -> this.ran.incrementAndGet()));

	@AfterEach
	void close() {
		this.pool.close(Duration.ofSeconds(10));
	}

	@Test
	void trySubmitIsRefusedWhileTheTableHoldsQueueSizeReadyJobs() {
		this.pool.pause();
		// Filled with submit: a count made as a submit commits may count that job twice until the next count, and
		// trySubmit with no wait would then be refused one job early.
		for (int i = 0; i < 5; i++) {
			this.pool.submit(new Ping(i));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.queueDepth() == 5);
		long started = System.nanoTime();
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> this.pool.trySubmit(new Ping(5), Duration.ofMillis(200)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.QUEUE_FULL))
			.withMessageContaining("5 ready jobs");
		assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
		assertThat(TestPools.rows(this.name)).isEqualTo(5);
		assertThat(this.pool.stats().rejected()).isOne();
	}

	@Test
	void submitWaitsForRoomAndGoesInOnceWorkersTakeJobs() throws Exception {
		this.pool.pause();
		for (int i = 0; i < 5; i++) {
			this.pool.submit(new Ping(i));
		}
		CompletableFuture<JobFuture> blocked = blockedSubmit(new Ping(5));
		assertThat(TestPools.rows(this.name)).isEqualTo(5);
		this.pool.resume();
		blocked.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.ran.get() == 6);
	}

	@Test
	void aBlockedSubmitterIsRefusedWhenThePoolCloses() throws Exception {
		this.pool.pause();
		for (int i = 0; i < 5; i++) {
			this.pool.submit(new Ping(i));
		}
		CompletableFuture<JobFuture> blocked = blockedSubmit(new Ping(5));
		this.pool.shutdown();
		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> blocked.get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(JobRejectedException.class)
			.withMessageContaining("accepts no jobs");
	}

	/** Submit on a thread of its own and return once that thread waits for room. */
	private CompletableFuture<JobFuture> blockedSubmit(Ping ping) {
		CompletableFuture<JobFuture> submitted = new CompletableFuture<>();
		Thread submitter = new Thread(() -> {
			try {
				submitted.complete(this.pool.submit(ping));
			}
			catch (RuntimeException ex) {
				submitted.completeExceptionally(ex);
			}
		});
		submitter.start();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> submitter.getState() == Thread.State.TIMED_WAITING && !submitted.isDone());
		return submitted;
	}

}
