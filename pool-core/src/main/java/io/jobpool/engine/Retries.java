package io.jobpool.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Jobs of the memory store waiting out a backoff before their next attempt. They hold no worker: a timer thread of
 * their own puts each back in the queue when its backoff ends. At most {@code limit} jobs retry at once, so a storm
 * of failures cannot grow memory without bound.
 */
final class Retries {

	private final int limit;

	private final String threadName;

	private final Consumer<JobTask> requeue;

	// Jobs in backoff or put back and not yet taken by a worker.
	private final AtomicInteger retrying = new AtomicInteger();

	private final Set<JobTask> backingOff = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledThreadPoolExecutor timer;

	/**
	 * Create the retries of a store.
	 * @param limit how many jobs may retry at once
	 * @param threadName the name of the timer thread
	 * @param requeue puts a job back in the queue once its backoff ends
	 */
	Retries(int limit, String threadName, Consumer<JobTask> requeue) {
		this.limit = limit;
		this.threadName = threadName;
		this.requeue = requeue;
	}

	void start() {
		this.timer = Timers.start(this.threadName);
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
	 * Schedule the next attempt of a job that holds a reserved place and is in {@code WAITING}.
	 * @return whether it was scheduled; if not, the timer has stopped and the caller hands the job back
	 */
	boolean schedule(JobTask task, Duration backoff) {
		ScheduledThreadPoolExecutor executor = this.timer;
		this.backingOff.add(task);
		try {
			if (executor == null) {
				throw new RejectedExecutionException("not started");
			}
			executor.schedule(() -> requeue(task), backoff.toNanos(), TimeUnit.NANOSECONDS);
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
	 * Stop the timer and take every job still in backoff.
	 * @param taken where to put them
	 */
	void stop(List<JobTask> taken) {
		Timers.stop(this.timer);
		for (JobTask task : this.backingOff) {
			this.backingOff.remove(task);
			release();
			taken.add(task);
		}
	}

	private void requeue(JobTask task) {
		this.backingOff.remove(task);
		if (task.transition(JobTask.WAITING, JobTask.QUEUED)) {
			task.job = task.job.nextAttempt();
			this.requeue.accept(task);
		}
		else {
			release();
		}
	}

	private void release() {
		this.retrying.decrementAndGet();
	}

}
