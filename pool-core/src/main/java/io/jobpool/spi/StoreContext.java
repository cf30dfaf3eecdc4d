package io.jobpool.spi;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobRejectedException;

/**
 * The engine of a pool, as its {@link JobStore} sees it.
 */
public interface StoreContext {

	/** What the pool was built from. */
	JobPoolSettings settings();

	/** The pool's listeners as one; a listener that throws is logged and the others still hear the event. */
	JobListener listeners();

	/** The pool's counters. */
	JobCounters counters();

	/** Where the pool is in its life. */
	JobPool.State state();

	/** Whether the pool's workers are paused. */
	boolean isPaused();

	/** Live workers now. */
	int workers();

	/**
	 * Make a stored job ready for a worker: find its processor by the payload's class and decorate it.
	 * @param job the job as its processor will see it
	 * @param token the store's token for it, given back with the job
	 * @param waitedNanos how long the job already waited in the store, counted in its queue wait
	 * @return the job to hand out through {@link JobStore#poll()}
	 * @throws IllegalArgumentException if no processor takes the payload's class
	 */
	QueuedJob queued(Job<Object> job, Object token, long waitedNanos);

	/**
	 * A job was put where {@link JobStore#poll()} finds it: wake a worker for it. If the pool has left
	 * {@code RUNNING} meanwhile, the job is taken back unless a worker has it already.
	 * @param job the job
	 * @return whether the job will run; {@code false} when it was taken back, and the store gives it back itself
	 */
	boolean admit(QueuedJob job);

	/**
	 * Refuse a submit that could wait for itself: one from a worker of this pool that would wait without bound for
	 * room only this pool's workers can make.
	 * @param waitNanos how long the submit would wait; negative without bound
	 * @throws JobRejectedException with {@code QUEUE_FULL}, saying so, if the submit must not wait
	 */
	void checkMayWait(long waitNanos);

	/**
	 * A thread of the store cannot go on: the pool's health turns DOWN with the reason, and the log says why.
	 * @param what what stopped
	 * @param error why
	 */
	void failed(String what, Throwable error);

}
