package io.jobpool.jdbc;

import java.time.Duration;
import java.util.function.BiFunction;

import io.jobpool.Job;
import io.jobpool.jdbc.JobTable.StoredJob;
import org.jspecify.annotations.Nullable;

/**
 * A job claimed from the table, on its way through the local engine: the row it came from, the job its processor
 * sees, and, once an attempt failed, what becomes of it.
 */
final class ClaimedJob {

	final StoredJob stored;

	final Job<Object> job;

	final int route;

	private volatile @Nullable Settlement settlement;

	ClaimedJob(StoredJob stored, Job<Object> job, int route) {
		this.stored = stored;
		this.job = job;
		this.route = route;
	}

	/**
	 * What becomes of this job after a failed attempt, decided once: the listeners hear it before the table is
	 * changed, and both must agree.
	 */
	Settlement settlement(Throwable error, BiFunction<ClaimedJob, Throwable, Settlement> decision) {
		Settlement decided = this.settlement;
		if (decided == null) {
			decided = decision.apply(this, error);
			this.settlement = decided;
		}
		return decided;
	}

	/** The job a listener or decorator of the local engine sees, as its processor sees it. */
	static Job<?> unwrap(Job<?> job) {
		return (job.data() instanceof ClaimedJob claimed) ? claimed.job : job;
	}

	/**
	 * What becomes of a job after a failed attempt.
	 *
	 * @param kind retry, dead or released unrun
	 * @param backoff how long before the retry
	 */
	record Settlement(Kind kind, Duration backoff) {

		static final Settlement DEAD = new Settlement(Kind.DEAD, Duration.ZERO);

		static final Settlement RELEASE = new Settlement(Kind.RELEASE, Duration.ZERO);

		enum Kind {

			/** Back to the queue after a backoff. */
			RETRY,

			/** Set aside, out of attempts or not retryable. */
			DEAD,

			/** Back to the queue as it was: the pool was forced to stop while it ran. */
			RELEASE

		}

	}

}
