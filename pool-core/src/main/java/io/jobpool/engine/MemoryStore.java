package io.jobpool.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.RetryPolicy;
import io.jobpool.spi.Ending;
import io.jobpool.spi.JobCounters;
import io.jobpool.spi.JobStore;
import io.jobpool.spi.QueuedJob;
import io.jobpool.spi.StoreContext;
import org.jspecify.annotations.Nullable;

/**
 * The store of a pool whose jobs wait in memory: a bounded lock-free queue, submitters waiting while it is full,
 * failed jobs waiting out their backoff, and jobs submitted for later waiting for their time. Each job is its own
 * future. A job still waiting for its time when the pool has drained is handed back: memory does not outlive the
 * pool.
 */
final class MemoryStore implements JobStore {

	private static final int SUBMIT_YIELDS = 8;

	private final WorkerPool pool;

	private final MemoryJobQueue<JobTask> queue;

	private final Backpressure backpressure = new Backpressure();

	private final RetryPolicy retry;

	private final boolean retrying;

	private final Retries retries;

	private final DelayedJobs delayed;

	private final JobCounters counters;

	// Waiting submitters are woken once this many slots are free, as many as there are free slots: each wake-up
	// then buys a batch of submits instead of one.
	private final int signalBatch;

	MemoryStore(WorkerPool pool, JobPoolSettings settings, JobCounters counters) {
		this.pool = pool;
		this.queue = new MemoryJobQueue<>(settings.queueSize());
		this.retry = settings.retry();
		this.retrying = this.retry.maxAttempts() > 1;
		this.retries = new Retries(settings.queueSize(), settings.threadNamePrefix() + "retries", this::requeue);
		this.delayed = new DelayedJobs(settings.scheduleSize(), settings.clock(), settings.threadNamePrefix() + "delayed",
				this::due);
		this.counters = counters;
		this.signalBatch = Math.max(1, settings.queueSize() / 4);
	}

	@Override
	public void open(StoreContext context) {
		if (this.retrying) {
			this.retries.start();
		}
	}

	// Submit

	@Override
	public JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
		JobTask task = this.pool.newTask(data);
		this.counters.accepted();
		if (!this.queue.offer(task) && !offerAfterYielding(task, waitNanos)) {
			waitForRoom(task, waitNanos);
		}
		if (!this.pool.admit(task)) {
			this.counters.unaccepted();
			throw new JobRejectedException(Reason.NOT_RUNNING, this.pool.notRunning());
		}
		this.pool.accepted(task);
		return task;
	}

	// A full queue often has room again a moment later: yield to the workers a few times before blocking.
	private boolean offerAfterYielding(JobTask task, long waitNanos) {
		if (waitNanos == 0) {
			return false;
		}
		for (int i = 0; i < SUBMIT_YIELDS; i++) {
			Thread.yield();
			if (this.queue.offer(task)) {
				return true;
			}
		}
		return false;
	}

	private void waitForRoom(JobTask task, long waitNanos) {
		waitFor(this.backpressure, () -> this.queue.offer(task), waitNanos,
				() -> "The queue of pool '" + this.pool.name() + "' stayed full (" + this.queue.capacity()
						+ " jobs) for " + Duration.ofNanos(waitNanos)
						+ "; retry later, or raise queue-size or the number of workers");
	}

	private void waitFor(Backpressure room, BooleanSupplier offer, long waitNanos, Supplier<String> full) {
		Backpressure.Outcome outcome;
		try {
			this.pool.checkMayWait(waitNanos);
			outcome = (waitNanos == 0) ? Backpressure.Outcome.TIMED_OUT
					: room.await(offer, this.pool::isRunning, waitNanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.counters.unaccepted();
			throw new JobRejectedException(Reason.INTERRUPTED,
					"Interrupted while waiting for room in pool '" + this.pool.name() + "'");
		}
		catch (JobRejectedException ex) {
			this.counters.unaccepted();
			throw ex;
		}
		if (outcome != Backpressure.Outcome.OFFERED) {
			this.counters.unaccepted();
			if (outcome == Backpressure.Outcome.CLOSED) {
				throw new JobRejectedException(Reason.NOT_RUNNING, this.pool.notRunning());
			}
			throw new JobRejectedException(Reason.QUEUE_FULL, full.get());
		}
	}

	@Override
	public JobFuture schedule(Object data, @Nullable String idempotencyKey, Instant at, long waitNanos) {
		JobTask task = this.pool.newTask(data);
		task.transition(JobTask.QUEUED, JobTask.WAITING);
		this.counters.accepted();
		if (!this.delayed.offer(task, at)) {
			waitFor(this.delayed.room(), () -> this.delayed.offer(task, at), waitNanos,
					() -> "The schedule of pool '" + this.pool.name() + "' stayed full (" + this.delayed.capacity()
							+ " jobs waiting for their time) for " + Duration.ofNanos(waitNanos)
							+ "; retry later, or raise schedule-size");
		}
		if (!this.pool.isRunning() && task.transition(JobTask.WAITING, JobTask.REVOKED)) {
			this.delayed.remove(task);
			this.counters.unaccepted();
			throw new JobRejectedException(Reason.NOT_RUNNING, this.pool.notRunning());
		}
		this.pool.accepted(task);
		return task;
	}

	// A job waiting for its time is due: it goes ahead of new jobs, as it was submitted before them.
	private void due(JobTask task) {
		if (task.transition(JobTask.WAITING, JobTask.QUEUED)) {
			task.enqueuedNanos = System.nanoTime();
			requeue(task);
		}
	}

	@Override
	public void cancelled(QueuedJob job) {
		this.delayed.remove((JobTask) job);
	}

	// Workers

	@Override
	public @Nullable QueuedJob poll() {
		JobTask task = this.queue.poll();
		if (task != null) {
			if (this.backpressure.hasWaiters()) {
				int free = this.queue.capacity() - this.queue.size();
				if (free >= this.signalBatch) {
					this.backpressure.signal(free);
				}
			}
			if (this.retrying && task.job.attempt() > 1) {
				this.retries.taken();
			}
		}
		return task;
	}

	@Override
	public int waiting() {
		return this.queue.size();
	}

	@Override
	public Ending failed(QueuedJob job, Throwable error) {
		int attempt = job.job().attempt();
		if (this.retry.shouldRetry(attempt, error) && this.pool.mayRetry() && this.retries.reserve()) {
			return Ending.retry(this.retry.backoff(attempt), error);
		}
		return Ending.failed(error);
	}

	@Override
	public void ended(QueuedJob job, Ending ending) {
		JobTask task = (JobTask) job;
		switch (ending.kind()) {
			case SUCCEEDED -> {
				this.counters.succeeded();
				task.complete(null);
			}
			case RETRY -> {
				if (!this.retries.schedule(task, ending.backoff())) {
					this.pool.handBack(task);
				}
			}
			case FAILED -> {
				this.counters.failed();
				task.completeExceptionally(ending.error());
			}
			case HANDED_BACK -> {
				this.counters.handedBack();
				task.completeExceptionally(new JobHandedBackException(task.job));
			}
		}
	}

	private void requeue(JobTask task) {
		this.queue.requeue(task);
		this.pool.wakeOne();
	}

	// Lifecycle

	@Override
	public void closing() {
		this.backpressure.signalAll();
	}

	@Override
	public boolean drained() {
		return this.retries.count() == 0 && this.queue.size() == 0;
	}

	@Override
	public List<QueuedJob> takeQueued() {
		List<JobTask> backingOff = new ArrayList<>();
		this.retries.stop(backingOff);
		List<QueuedJob> taken = new ArrayList<>(backingOff);
		taken.addAll(this.delayed.stop());
		QueuedJob job;
		while ((job = poll()) != null) {
			taken.add(job);
		}
		this.backpressure.signalAll();
		return taken;
	}

	@Override
	public void close() {
		this.retries.stop(new ArrayList<>());
		this.delayed.stop();
	}

	// Figures

	@Override
	public int depth() {
		return this.queue.size();
	}

	@Override
	public int capacity() {
		return this.queue.capacity();
	}

	@Override
	public int retrying() {
		return this.retries.count();
	}

	@Override
	public int scheduled() {
		return this.delayed.count();
	}

	@Override
	public int scheduleCapacity() {
		return this.delayed.capacity();
	}

	@Override
	public String toString() {
		return "memory";
	}

}
