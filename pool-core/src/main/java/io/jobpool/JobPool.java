package io.jobpool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A bounded worker pool with a job queue: {@code init-pool-num} dispatchers, each with {@code worker-num}
 * workers, all taking jobs in FIFO order from one queue of {@code queue-size}. Submitting blocks while the
 * queue is full, so memory stays bounded under any flood.
 * <p>
 * Every accepted job ends exactly once: succeeded, failed (after its retries) or handed back by a forced
 * stop, and its future says which.
 */
public interface JobPool extends AutoCloseable {

	/**
	 * Start building a pool.
	 * @return a new builder with the Go library's defaults (1 dispatcher, 50 workers, a queue of 1000)
	 */
	static JobPoolBuilder builder() {
		return new JobPoolBuilder();
	}

	/**
	 * Submit a payload to the processor registered for its type, waiting as long as the queue is full.
	 * @param data the payload
	 * @return a future that completes when the job has run, exceptionally if it failed or was handed back
	 * @throws JobRejectedException if the pool is not running (also when it closes while this call waits),
	 * no processor takes the payload's type, or the calling thread is interrupted while it waits
	 */
	JobFuture submit(Object data);

	/**
	 * Submit a payload, waiting at most {@code maxWait} for room in the queue.
	 * @param data the payload
	 * @param maxWait how long to wait for room; zero does not wait
	 * @return a future that completes when the job has run, exceptionally if it failed or was handed back
	 * @throws JobRejectedException as {@link #submit(Object)} does, and when the queue stayed full
	 */
	JobFuture trySubmit(Object data, Duration maxWait);

	/**
	 * Submit a payload to run once a delay has passed. Until then it holds no worker; waiting for its time, it
	 * takes a place in the pool's schedule, which is bounded as the queue is: while the schedule is full, this
	 * waits as {@link #submit(Object)} does. Cancelling the future before the job is due means it never runs.
	 * @param data the payload
	 * @param delay how long from now; zero or less submits it now
	 * @return a future that completes when the job has run, exceptionally if it failed or was handed back
	 * @throws JobRejectedException as {@link #submit(Object)} does
	 */
	JobFuture schedule(Object data, Duration delay);

	/**
	 * Submit a payload to run at a given time, as {@link #schedule(Object, Duration)} does.
	 * @param data the payload
	 * @param at when to run it; a time already past submits it now
	 * @return a future that completes when the job has run, exceptionally if it failed or was handed back
	 * @throws JobRejectedException as {@link #submit(Object)} does
	 */
	JobFuture schedule(Object data, Instant at);

	/**
	 * Submit a payload to run at a given time, waiting at most {@code maxWait} for a place in the schedule (or, for
	 * a time already past, in the queue).
	 * @param data the payload
	 * @param at when to run it
	 * @param maxWait how long to wait for a place; zero does not wait
	 * @return a future that completes when the job has run, exceptionally if it failed or was handed back
	 * @throws JobRejectedException as {@link #schedule(Object, Instant)} does, and when the schedule stayed full
	 */
	JobFuture trySchedule(Object data, Instant at, Duration maxWait);

	/**
	 * The recurring jobs of this pool and where each stands.
	 * @return the recurring jobs, in the order they were added to the pool
	 */
	List<RecurringJobStatus> recurringJobs();

	/**
	 * Submit the job of a recurring schedule now, outside its slots, as {@link #submit(Object)} does with the
	 * payload the schedule gives for the present time.
	 * @param name the schedule's name
	 * @return the job's future
	 * @throws IllegalArgumentException if the pool has no recurring job of that name
	 * @throws JobRejectedException as {@link #submit(Object)} does
	 */
	JobFuture runNow(String name);

	/**
	 * Start the workers. Calling it again has no effect.
	 * @throws IllegalStateException if the pool was closed
	 */
	void start();

	/**
	 * Stop accepting jobs, let queued, retrying and running jobs finish within the drain period, then force the
	 * rest to stop: queued jobs are handed back and running ones interrupted. Returns within the drain period.
	 */
	@Override
	void close();

	/**
	 * Close as {@link #close()} does, within the given time instead of the drain period.
	 * @param within the longest to take, forced stop included
	 * @return the jobs the forced stop handed back; empty when the pool drained in time
	 */
	List<Job<?>> close(Duration within);

	/**
	 * Stop accepting jobs and start draining, without waiting.
	 */
	void shutdown();

	/**
	 * Force a stop now: stop accepting, hand back every job not yet running (their futures complete with a
	 * {@link JobHandedBackException}) and interrupt running ones.
	 * @return the jobs handed back
	 */
	List<Job<?>> shutdownNow();

	/**
	 * Wait until the pool has stopped.
	 * @param timeout the longest to wait
	 * @return whether the pool stopped in time
	 * @throws InterruptedException if the calling thread is interrupted
	 */
	boolean awaitTermination(Duration timeout) throws InterruptedException;

	/** Where the pool is in its life. */
	State state();

	/** Whether the pool accepts jobs: started and not closing. */
	boolean isRunning();

	/** Whether the pool has drained and stopped (the Go library's {@code Closed()}). */
	boolean isClosed();

	/** The pool's name, used in thread names and metric tags. */
	String name();

	/** How long {@link #close()} lets jobs finish before it forces a stop. */
	Duration drainPeriod();

	/** Jobs waiting in the queue. */
	int queueDepth();

	/** Workers running a job now. */
	int activeWorkers();

	/** What the pool is doing now, read at once: state, queue, workers and dispatchers. */
	JobPoolFigures figures();

	/**
	 * Add or remove dispatchers. A removed dispatcher's workers finish their current job and stop; queued
	 * jobs stay in the shared queue.
	 * @param dispatchers the new count, from 1 to the most dispatchers ({@code max-pool-num})
	 * @throws IllegalArgumentException if the count is out of range
	 * @throws IllegalStateException if the pool is not running
	 */
	void resizeDispatchers(int dispatchers);

	/**
	 * Remove dispatchers (the Go library's {@code Undispatch}), keeping at least one.
	 * @param count how many to remove
	 * @return how many were removed
	 * @throws IllegalStateException if the pool is not running
	 */
	int removeDispatchers(int count);

	/** Stop taking jobs from the queue; running jobs finish and submits are still accepted while there is room. */
	void pause();

	/** Take jobs from the queue again after {@link #pause()}. */
	void resume();

	/** Whether workers are paused. */
	boolean isPaused();

	/** A snapshot of the pool's counters. */
	JobPoolStats stats();

	/**
	 * The times of the pool's job attempts so far, summed by outcome; kept by a pool built with at least one
	 * listener, zeros otherwise.
	 * @return the totals now
	 */
	default JobTimes jobTimes() {
		return JobTimes.NONE;
	}

	/** Where a pool is in its life; it only moves forward. */
	enum State {

		/** Built, not started: accepts no jobs. */
		NOT_STARTED,

		/** Started: accepts and runs jobs. */
		RUNNING,

		/** Closing: accepts no jobs, lets queued, retrying and running ones finish. */
		DRAINING,

		/** Forced to stop: hands back the jobs not run and waits for running ones to end. */
		STOPPING,

		/** Every worker has stopped and every job has ended. */
		CLOSED;

		/** The name shown in health details and the endpoint: lower case, with dashes. */
		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}
