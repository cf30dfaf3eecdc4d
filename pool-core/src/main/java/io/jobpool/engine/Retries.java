package io.jobpool.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jobs waiting out a backoff before their next attempt. They hold no worker: a timer on the housekeeper puts
 * each back in the queue when its backoff ends. At most {@code limit} jobs retry at once, so a storm of
 * failures cannot grow memory without bound.
 */
final class Retries {

	private final WorkerPool pool;

	private final int limit;

	// Jobs in backoff or put back and not yet taken by a worker.
	private final AtomicInteger retrying = new AtomicInteger();

	private final Set<JobTask> backingOff = ConcurrentHashMap.newKeySet();

	Retries(WorkerPool pool, int limit) {
		this.pool = pool;
		this.limit = limit;
	}

	int count() {
		return this.retrying.get();
	}

	/**
	 * Take a place for a retry, if one is free.
	 * @return whether the job may retry
	 */
	boolean reserve() {
		if (this.retrying.incrementAndGet() <= this.limit) {
			return true;
		}
		this.retrying.decrementAndGet();
		return false;
	}

	/**
	 * Schedule the next attempt of a job that holds a reserved place and is in {@code RETRY_WAIT}.
	 * @return whether it was scheduled; if not, the pool is stopping and the caller hands the job back
	 */
	boolean schedule(JobTask task, Duration backoff, ScheduledExecutorService housekeeper) {
		this.backingOff.add(task);
		try {
			housekeeper.schedule(() -> requeue(task), backoff.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (RejectedExecutionException ex) {
			this.backingOff.remove(task);
			release();
			return false;
		}
	}

	/** A worker took a put-back job from the queue. */
	void taken() {
		release();
	}

	/**
	 * Hand back every job still in backoff. Call only once the housekeeper has stopped.
	 * @param handedBack where to put the jobs handed back
	 */
	void handBack(List<JobTask> handedBack) {
		for (JobTask task : this.backingOff) {
			this.backingOff.remove(task);
			release();
			if (task.transition(JobTask.RETRY_WAIT, JobTask.HANDED_BACK)) {
				handedBack.add(task);
			}
		}
	}

	private void requeue(JobTask task) {
		this.backingOff.remove(task);
		if (task.transition(JobTask.RETRY_WAIT, JobTask.QUEUED)) {
			task.job = task.job.nextAttempt();
			this.pool.requeue(task);
		}
		else {
			release();
		}
	}

	private void release() {
		this.retrying.decrementAndGet();
	}

}
