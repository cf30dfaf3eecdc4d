package io.jobpool.spi;

import java.time.Instant;
import java.util.List;

import io.jobpool.JobFuture;
import io.jobpool.JobRejectedException;
import io.jobpool.RecurringJob;
import org.jspecify.annotations.Nullable;

/**
 * Where a pool's jobs wait, and where their ends are recorded. The engine keeps the workers, the lifecycle, the
 * figures, routing and listeners; a store takes in submitted jobs, hands them to the workers through
 * {@link #poll()}, and records how each attempt ended. The memory queue is one store; a database table is another,
 * whose jobs the engine turns into {@link QueuedJob}s with {@link StoreContext#queued}.
 * <p>
 * Each job a store hands out comes back exactly once, through {@link #ended}: after it ran, or with
 * {@link Ending#HANDED_BACK} when a forced stop {@link #takeQueued() took it back} unrun.
 * <p>
 * A store's {@code toString()} names it in the line the pool logs when it starts, as {@code memory} does.
 */
public interface JobStore {

	/**
	 * Get ready: called once when the pool starts, before its workers start. A store with threads of its own starts
	 * them here. A failure here stops the pool from starting.
	 * @param context the engine, as the store sees it
	 */
	void open(StoreContext context);

	/**
	 * Keep a submitted job. Called on the submitting thread once the engine has checked that the pool runs and that a
	 * processor takes the payload's type; before waiting without bound, a store calls
	 * {@link StoreContext#checkMayWait(long)}.
	 * @param data the payload
	 * @param idempotencyKey the key under which the store keeps at most one job, or {@code null}
	 * @param waitNanos the longest to wait for room; negative to wait as long as it takes
	 * @return the job's future
	 * @throws JobRejectedException when the store cannot keep the job; the engine counts it and tells listeners
	 */
	JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos);

	/**
	 * Keep a job to run at a later time. Called as {@link #submit} is, for a time still to come.
	 * @param data the payload
	 * @param idempotencyKey the key under which the store keeps at most one job, or {@code null}
	 * @param at when the job is due
	 * @param waitNanos the longest to wait for room; negative to wait as long as it takes
	 * @return the job's future
	 * @throws JobRejectedException when the store cannot keep the job
	 * @throws UnsupportedOperationException for a store that keeps no job for later
	 */
	default JobFuture schedule(Object data, @Nullable String idempotencyKey, Instant at, long waitNanos) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no job for later");
	}

	/**
	 * The last slot of a recurring job that any instance sharing this store submitted, so that a pool that
	 * starts knows which slots it missed.
	 * @param job the recurring job
	 * @return the last slot, or {@code null} if none is known
	 */
	default @Nullable Instant lastSlot(RecurringJob job) {
		return null;
	}

	/**
	 * Submit the job of one slot of a recurring job, unless another instance sharing this store already did, or
	 * the job forbids overlap and the job of its previous slot, submitted by another instance, has not ended (the
	 * engine checks the jobs this instance submitted). The payload is asked for only when the slot is submitted
	 * here. By default the slot is submitted as any job is, which suits a store that no other instance shares.
	 * @param job the recurring job
	 * @param slot the slot
	 * @return the slot's job, or why it was not submitted here
	 * @throws JobRejectedException when the store cannot keep the job
	 */
	default SlotSubmission recur(RecurringJob job, Instant slot) {
		return SlotSubmission.submitted(submit(job.payload().apply(slot), job.slotKey(slot), -1L));
	}

	/**
	 * A job that waited for its time was cancelled before it was due: free its place.
	 * @param job the job
	 */
	default void cancelled(QueuedJob job) {
	}

	/**
	 * The next job for a worker, if one waits. Never blocks: workers call it when they look for work.
	 * @return the job, or {@code null}
	 */
	@Nullable QueuedJob poll();

	/** Jobs ready for a worker now: while there are any, the engine keeps a worker awake. */
	int waiting();

	/**
	 * Decide what becomes of a job whose attempt failed; may reserve room for a retry. The engine tells listeners,
	 * then calls {@link #ended} with the decision.
	 * @param job the job
	 * @param error what the attempt threw
	 * @return a retry, a failure, or {@link Ending#HANDED_BACK} for a run cut short by a forced stop
	 */
	Ending failed(QueuedJob job, Throwable error);

	/**
	 * Record how an attempt ended. Called on the worker once listeners have heard it, or by the engine with
	 * {@link Ending#HANDED_BACK} for jobs a forced stop took back.
	 * @param job the job
	 * @param ending how it ended
	 */
	void ended(QueuedJob job, Ending ending);

	/** The pool started, was paused, resumed or resized: look at its workers again. */
	default void poolChanged() {
	}

	/** The pool stopped accepting jobs: claim no more, and let waiting submitters go. */
	void closing();

	/** Whether nothing is left here for the workers, so that a draining pool may stop. */
	boolean drained();

	/**
	 * Take every job waiting here for a worker, for a forced stop; the engine hands each back through
	 * {@link #ended}.
	 * @return the jobs
	 */
	List<QueuedJob> takeQueued();

	/**
	 * Every worker has stopped: record what is left, within the pool's drain period, and stop the store's threads.
	 */
	void close();

	/** Jobs waiting to run. */
	int depth();

	/** How many jobs may wait at most. */
	int capacity();

	/** Jobs waiting for a retry after a backoff. */
	int retrying();

	/** Jobs waiting for their time. */
	default int scheduled() {
		return 0;
	}

	/** How many jobs may wait for their time at most. */
	default int scheduleCapacity() {
		return 0;
	}

	/** Dead jobs the store keeps, as last counted, or {@code null} for a store that keeps none. */
	default @Nullable Long deadJobs() {
		return null;
	}

}
