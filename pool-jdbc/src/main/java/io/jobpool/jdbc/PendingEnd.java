package io.jobpool.jdbc;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a claimed job ended, waiting to be written to its row, fenced by the claim's attempt.
 *
 * @param run the claim
 * @param kind what to write
 * @param backoff how long before the next attempt, for a retry
 * @param error the error text to store, for a retry or a dead job
 * @param cause what the job's future fails with once a dead job is written, or {@code null}
 */
record PendingEnd(ClaimedRun run, Kind kind, Duration backoff, @Nullable String error, @Nullable Throwable cause) {

	static PendingEnd succeeded(ClaimedRun run) {
		return new PendingEnd(run, Kind.SUCCEEDED, Duration.ZERO, null, null);
	}

	static PendingEnd released(ClaimedRun run) {
		return new PendingEnd(run, Kind.RELEASED, Duration.ZERO, null, null);
	}

	/** What to write. */
	enum Kind {

		/** Delete the row. */
		SUCCEEDED,

		/** Back to ready after a backoff, one more failure counted. */
		RETRY,

		/** Set aside as dead, one more failure counted. */
		FAILED,

		/** Set aside as dead without counting a failure: the payload could not be read. */
		UNREADABLE,

		/** Back to ready at once, unrun: the pool stopped, paused or could not take it. */
		RELEASED

	}

}
