package io.jobpool.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * and failed jobs waiting out their backoff. Each job is its own future.
 */
final class MemoryStore implements JobStore {

	private static final int SUBMIT_YIELDS = 8;

	private final WorkerPool pool;

	private final MemoryJobQueue<JobTask> queue;

	private final Backpressure backpressure = new Backpressure();

	private final RetryPolicy retry;

	private final boolean retrying;

	private final Retries retries;

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
		Backpressure.Outcome outcome;
		try {
			this.pool.checkMayWait(waitNanos);
			outcome = (waitNanos == 0) ? Backpressure.Outcome.TIMED_OUT
					: this.backpressure.await(() -> this.queue.offer(task), this.pool::isRunning, waitNanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.counters.unaccepted();
			throw new JobRejectedException(Reason.INTERRUPTED,
					"Interrupted while waiting for room in the queue of pool '" + this.pool.name() + "'");
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
			throw new JobRejectedException(Reason.QUEUE_FULL, "The queue of pool '" + this.pool.name()
					+ "' stayed full (" + this.queue.capacity() + " jobs) for " + Duration.ofNanos(waitNanos)
					+ "; retry later, or raise queue-size or the number of workers");
		}
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
	public String toString() {
		return "memory";
	}

}
