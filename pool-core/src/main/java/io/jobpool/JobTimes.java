package io.jobpool;

/**
 * How long a pool's job attempts waited in the queue and ran, as totals by outcome: what its
 * {@code jobpool.queue.wait} and {@code jobpool.job.duration} timers publish. Each worker adds up its own attempts
 * and the totals are summed when asked, so each figure is exact, but a job ending while they are read may be in
 * the count and not yet in the times. Times are kept only by a pool built with at least one {@link JobListener}
 * (the Micrometer binder is one): without listeners the pool reads no clock and every total is zero.
 *
 * @param success attempts that succeeded
 * @param failure attempts that failed, other than by a timeout; a job cancelled before it ran is not an attempt
 * @param timeout attempts that ran past the pool's job timeout
 */
public record JobTimes(Totals success, Totals failure, Totals timeout) {

	/** No attempts. */
	public static final JobTimes NONE = new JobTimes(Totals.NONE, Totals.NONE, Totals.NONE);

	/**
	 * The totals of one outcome.
	 * @param outcome the outcome
	 * @return its totals
	 */
	public Totals of(Outcome outcome) {
		return switch (outcome) {
			case SUCCESS -> this.success;
			case FAILURE -> this.failure;
			case TIMEOUT -> this.timeout;
		};
	}

	/** How an attempt ended, as the timers' {@code outcome} tag names it. */
	public enum Outcome {

		/** The processor returned. */
		SUCCESS,

		/** The processor threw. */
		FAILURE,

		/** The attempt ran past the pool's job timeout. */
		TIMEOUT;

		/** The value of the {@code outcome} tag. */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * The totals of the attempts of one outcome.
	 * @param count attempts
	 * @param queueWaitNanos time they waited in the queue, summed
	 * @param runNanos time their processors ran, summed
	 */
	public record Totals(long count, long queueWaitNanos, long runNanos) {

		/** No attempts. */
		public static final Totals NONE = new Totals(0, 0, 0);

	}

}
