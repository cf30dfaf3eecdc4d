package io.jobpool.jdbc;

/**
 * One claim of a job by this pool: the token the engine carries with the job. Its attempt fences every write of
 * the job's end; its lease deadline (on this machine's clock) is how long a write of that end may still be tried.
 */
final class ClaimedRun {

	final long id;

	final int attempt;

	final int failures;

	private volatile long leaseDeadlineNanos;

	// Whether its end was written or given up; read and written by the completer thread only.
	private boolean settled;

	ClaimedRun(long id, int attempt, int failures, long leaseDeadlineNanos) {
		this.id = id;
		this.attempt = attempt;
		this.failures = failures;
		this.leaseDeadlineNanos = leaseDeadlineNanos;
	}

	/** The lease was renewed at a moment no later than {@code renewedAtNanos}. */
	void renewed(long renewedAtNanos, long leaseNanos) {
		this.leaseDeadlineNanos = renewedAtNanos + leaseNanos;
	}

	/** Whether the lease has lapsed by now: another pool may have claimed the job again. */
	boolean lapsed(long nowNanos) {
		return nowNanos - this.leaseDeadlineNanos > 0;
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
