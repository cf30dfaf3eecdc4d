package io.jobpool.spi;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How one attempt of a job ended, and so what becomes of the job: it succeeded, runs again after a backoff, failed
 * for good, or goes back unrun (a forced stop). The engine tells listeners and the store records it.
 *
 * @param kind what became of the job
 * @param backoff how long before the next attempt, for a retry
 * @param error what the attempt threw, for a retry or a failure
 */
public record Ending(Kind kind, Duration backoff, @Nullable Throwable error) {

	/** The attempt succeeded. */
	public static final Ending SUCCEEDED = new Ending(Kind.SUCCEEDED, Duration.ZERO, null);

	/** The job goes back unrun. */
	public static final Ending HANDED_BACK = new Ending(Kind.HANDED_BACK, Duration.ZERO, null);

	/**
	 * The job runs again after a backoff.
	 * @param backoff how long it waits
	 * @param error what the attempt threw
	 * @return the ending
	 */
	public static Ending retry(Duration backoff, Throwable error) {
		return new Ending(Kind.RETRY, backoff, Objects.requireNonNull(error, "error must not be null"));
	}

	/**
	 * The job failed for good.
	 * @param error what the attempt threw
	 * @return the ending
	 */
	public static Ending failed(Throwable error) {
		return new Ending(Kind.FAILED, Duration.ZERO, Objects.requireNonNull(error, "error must not be null"));
	}

	/** What becomes of a job after an attempt. */
	public enum Kind {

		/** It ran to completion. */
		SUCCEEDED,

		/** It runs again after a backoff. */
		RETRY,

		/** It failed for good: out of attempts, or not retryable. */
		FAILED,

		/** It goes back unrun, or back to be run again after an interrupted run, for a forced stop. */
		HANDED_BACK

	}

}
