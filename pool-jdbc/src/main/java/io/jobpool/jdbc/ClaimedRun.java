package io.jobpool.jdbc;

/**
 * One claim of a job by this pool: the token the engine carries with the job. Its attempt fences every write of
 * the job's end; its lease deadline (on this machine's clock) is how long a write of that end may still be tried.
 */
final class ClaimedRun {

	final long id;

	final int attempt;

	final int failures;

	/** When it was claimed, on this machine's clock. */
	final long claimedAtNanos;

	private volatile long leaseDeadlineNanos;

	// Whether its end was written or given up; read and written by the completer thread only.
	private boolean settled;

	// Whether it was given back to the table before a worker took it; written before its end is handed on.
	private boolean givenBack;

	ClaimedRun(long id, int attempt, int failures, long claimedAtNanos, long leaseNanos) {
		this.id = id;
		this.attempt = attempt;
		this.failures = failures;
		this.claimedAtNanos = claimedAtNanos;
		this.leaseDeadlineNanos = claimedAtNanos + leaseNanos;
	}

	/** The lease was renewed at a moment no later than {@code renewedAtNanos}. */
	void renewed(long renewedAtNanos, long leaseNanos) {
		this.leaseDeadlineNanos = renewedAtNanos + leaseNanos;
	}

	/** Whether the lease has lapsed by now: another pool may have claimed the job again. */
	boolean lapsed(long nowNanos) {
		return nowNanos - this.leaseDeadlineNanos > 0;
	}

	/** It goes back to the table before a worker took it. */
	void givenBack() {
		this.givenBack = true;
	}

	boolean wasGivenBack() {
		return this.givenBack;
	}

	/**
	 * Mark the end of this claim written or given up.
	 * @return whether it was not marked before
	 */
	boolean settle() {
		boolean first = !this.settled;
		this.settled = true;
		return first;
	}

	@Override
	public String toString() {
		return "job " + this.id + " (attempt " + this.attempt + ")";
	}

}
