package io.jobpool.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobPoolStats;
import io.jobpool.LogCapture;
import io.jobpool.RetryPolicy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A store of another module plugs into the engine through the seam alone: the engine routes, runs, retries as the
 * store decides, tells listeners, and reports the store's figures and failures.
 */
class StoreSeamTests {

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private final ListStore store = new ListStore();

	private final ListPool pool = new ListPool(JobPool.builder()
		.name("list")
		.workerNum(2)
		.retry(RetryPolicy.maxAttempts(2))
		.listener(new JobListener() {

			@Override
			public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
				StoreSeamTests.this.events.add("succeeded " + job.data());
			}

			@Override
			public void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
				StoreSeamTests.this.events.add("retry " + job.data());
			}

			@Override
			public void onPoolStarted(JobPool started) {
				StoreSeamTests.this.events.add("started " + (started instanceof ListPool));
			}

		})
		.processor(String.class, () -> (job) -> {
			this.ran.add(job.data() + "#" + job.attempt());
			if (job.data().startsWith("always") || (job.data().startsWith("fail") && job.attempt() == 1)) {
				throw new IllegalStateException("attempt " + job.attempt() + " fails");
			}
		})
		.settings(), this.store);

	@AfterEach
	void close() {
		this.pool.close(Duration.ofSeconds(5));
	}

	@Test
	void jobsOfAStoreRunOnTheEngineAndEndThroughTheStore() throws Exception {
		this.pool.start();
		JobFuture plain = this.pool.submit("plain");
		JobFuture failing = this.pool.submit("failing");
		assertThat(plain).succeedsWithin(Duration.ofSeconds(5));
		assertThat(failing).succeedsWithin(Duration.ofSeconds(5));
		assertThat(this.ran).contains("plain#1", "failing#1", "failing#2");
		assertThat(this.events).contains("started true", "succeeded plain", "retry failing", "succeeded failing");
		assertThat(this.store.endings).containsExactlyInAnyOrder("plain SUCCEEDED", "failing RETRY",
				"failing SUCCEEDED");
		assertThat(this.pool.figures().queueCapacity()).isEqualTo(ListStore.CAPACITY);
		assertThat(this.pool.figures().deadJobs()).isEqualTo(7L);
		this.pool.close();
		assertThat(this.pool.stats()).isEqualTo(new JobPoolStats(2, 0, 2, 0, 1, 0, 0, 0));
	}

	@Test
	void aForcedStopHandsTheStoresQueuedJobsBackThroughIt() {
		this.pool.start();
		this.pool.pause();
		JobFuture waiting = this.pool.submit("waiting");
		assertThat(this.pool.shutdownNow()).extracting((job) -> (Object) job.data()).containsExactly("waiting");
		assertThat(waiting).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(JobHandedBackException.class);
		assertThat(this.store.endings).containsExactly("waiting HANDED_BACK");
	}

	@Test
	void aFinalFailureAndAHandBackOfAStoresJobAreEachWrittenToTheLogOnce() {
		try (LogCapture log = LogCapture.of("io.jobpool.jobs", Level.FINE)) {
			this.pool.start();
			JobFuture failing = this.pool.submit("always failing");
			assertThat(failing).failsWithin(Duration.ofSeconds(5));
			this.pool.pause();
			JobFuture waiting = this.pool.submit("waiting");
			this.pool.shutdownNow();
			assertThat(waiting).failsWithin(Duration.ofSeconds(5));
			assertThat(log.of("list")).extracting(LogRecord::getLevel, LogRecord::getMessage)
				.containsExactly(
						tuple(Level.FINE, "Pool 'list': job 1 (String) failed on attempt 1, next attempt in 0 ms: "
								+ "java.lang.IllegalStateException: attempt 1 fails"),
						tuple(Level.WARNING, "Pool 'list': job 1 (String) failed for good on attempt 2: "
								+ "java.lang.IllegalStateException: attempt 2 fails"),
						tuple(Level.WARNING, "Pool 'list': job 2 (String) was handed back on attempt 1: the pool "
								+ "stopped before the job could end"));
		}
	}

	@Test
	void aStoreThatCannotGoOnTurnsThePoolsFiguresFailed() {
		this.pool.start();
		assertThat(this.pool.figures().failure()).isNull();
		this.store.context.failed("Its reader stopped", new OutOfMemoryError("test"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.pool.figures().failure() != null);
		assertThat(this.pool.figures().failure()).contains("Its reader stopped").contains("OutOfMemoryError");
	}

	/** A pool over the list store. */
	static final class ListPool extends StoredJobPool {

		ListPool(JobPoolSettings settings, JobStore store) {
			super(settings, store);
		}

	}

	/** A store that keeps its jobs in a list, each future known by its job's id. */
	static final class ListStore implements JobStore {

		static final int CAPACITY = 100;

		final List<String> endings = new CopyOnWriteArrayList<>();

		private final Queue<QueuedJob> queued = new ConcurrentLinkedQueue<>();

		private final Map<Long, ListFuture> futures = new ConcurrentHashMap<>();

		private final AtomicLong ids = new AtomicLong();

		StoreContext context;

		@Override
		public void open(StoreContext context) {
			this.context = context;
		}

		@Override
		public JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
			long id = this.ids.incrementAndGet();
			ListFuture future = new ListFuture(id);
			this.futures.put(id, future);
			this.context.counters().accepted();
			QueuedJob job = this.context.queued(new Job<>(id, data, 1, System.currentTimeMillis()), future, 0);
			this.queued.add(job);
			this.context.admit(job);
			return future;
		}

		@Override
		public @Nullable QueuedJob poll() {
			return this.queued.poll();
		}

		@Override
		public int waiting() {
			return this.queued.size();
		}

		@Override
		public Ending failed(QueuedJob job, Throwable error) {
			return (job.job().attempt() == 1) ? Ending.retry(Duration.ZERO, error) : Ending.failed(error);
		}

		@Override
		public void ended(QueuedJob job, Ending ending) {
			this.endings.add(job.job().data() + " " + ending.kind());
			ListFuture future = (ListFuture) job.token();
			switch (ending.kind()) {
				case SUCCEEDED -> {
					this.context.counters().succeeded();
					future.complete(null);
				}
				case RETRY -> {
					QueuedJob again = this.context.queued(job.job().nextAttempt(), future, 0);
					this.queued.add(again);
					this.context.admit(again);
				}
				case FAILED -> {
					this.context.counters().failed();
					future.completeExceptionally(ending.error());
				}
				case HANDED_BACK -> {
					this.context.counters().handedBack();
					future.completeExceptionally(new JobHandedBackException(job.job()));
				}
			}
		}

		@Override
		public void closing() {
		}

		@Override
		public boolean drained() {
			return this.queued.isEmpty();
		}

		@Override
		public List<QueuedJob> takeQueued() {
			List<QueuedJob> taken = new ArrayList<>();
			QueuedJob job;
			while ((job = this.queued.poll()) != null) {
				taken.add(job);
			}
			return taken;
		}

		@Override
		public void close() {
		}

		@Override
		public int depth() {
			return this.queued.size();
		}

		@Override
		public int capacity() {
			return CAPACITY;
		}

		@Override
		public int retrying() {
			return 0;
		}

		@Override
		public Long deadJobs() {
			return 7L;
		}

	}

	/** The future of a job of the list store. */
	static final class ListFuture extends JobFuture {

		private final long id;

		ListFuture(long id) {
			this.id = id;
		}

		@Override
		public long jobId() {
			return this.id;
		}

	}

}
