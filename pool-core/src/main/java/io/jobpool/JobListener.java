package io.jobpool;

import java.time.Duration;

/**
 * Hears what happens to jobs: the Go library's {@code Errors} channel done right. Every method has a no-op
 * default; listeners run on the thread where the event happens (a worker for run events), so they must be
 * quick and must not block. An exception thrown by a listener is logged and ignored.
 */
public interface JobListener {

	/**
	 * The pool this listener was built into has started.
	 * @param pool the pool
	 */
	default void onPoolStarted(JobPool pool) {
	}

	/**
	 * The pool this listener was built into has stopped: every worker is gone and every job has ended.
	 * @param pool the pool
	 */
	default void onPoolTerminated(JobPool pool) {
	}

	/**
	 * A job was accepted into the queue.
	 * @param job the job
	 */
	default void onAccepted(Job<?> job) {
	}

	/**
	 * A job was refused at submit.
	 * @param data the payload refused
	 * @param exception the exception the submitter receives
	 */
	default void onRejected(Object data, JobRejectedException exception) {
	}

	/**
	 * A worker took a job from the queue and is about to run it.
	 * @param job the job
	 * @param queueWaitNanos how long the job waited in the queue for this attempt
	 */
	default void onStarted(Job<?> job, long queueWaitNanos) {
	}

	/**
	 * A job ran to completion.
	 * @param job the job
	 * @param queueWaitNanos how long the job waited in the queue for this attempt
	 * @param runNanos how long the processor ran
	 */
	default void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
	}

	/**
	 * An attempt failed and the job will run again after a backoff.
	 * @param job the attempt that failed
	 * @param error what the processor threw, or a {@link JobTimeoutException}
	 * @param queueWaitNanos how long the job waited in the queue for this attempt
	 * @param runNanos how long the processor ran
	 * @param backoff how long the job waits before its next attempt
	 */
	default void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
	}

	/**
	 * A job failed for good: its last attempt failed, or it was not retryable, or it was cancelled before it
	 * ran (then with a {@link java.util.concurrent.CancellationException} and zero times).
	 * @param job the attempt that failed
	 * @param error what the processor threw, or a {@link JobTimeoutException}
	 * @param queueWaitNanos how long the job waited in the queue for this attempt
	 * @param runNanos how long the processor ran
	 */
	default void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
	}

	/**
	 * A forced stop handed a job back without running it.
	 * @param job the job
	 */
	default void onHandedBack(Job<?> job) {
	}

	/**
	 * A job ran past its timeout and did not stop when its worker was interrupted.
	 * @param job the job
	 * @param worker the thread still running it
	 * @param running how long it has run
	 */
	default void onStuck(Job<?> job, Thread worker, Duration running) {
	}

}
