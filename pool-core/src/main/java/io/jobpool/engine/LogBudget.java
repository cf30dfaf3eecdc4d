package io.jobpool.engine;

import java.util.concurrent.TimeUnit;

/**
 * How many lines a pool may write about its jobs in a second, counting the lines it refuses.
 */
final class LogBudget {

	private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** What {@link #take(long)} returns for a line that is over the budget. */
	static final long REFUSED = -1;

	private final int perSecond;

	// Guarded by this. Only failed and handed-back jobs take from the budget, never a job that succeeded, and
	// the lock is held for a few field writes, never while writing a line.
	private boolean started;

	private long windowStart;

	private int used;

	private long leftOut;

	/**
	 * Create a budget.
	 * @param perSecond how many lines a second are allowed
	 */
	LogBudget(int perSecond) {
		this.perSecond = perSecond;
	}

	/** How many lines a second are allowed. */
	int perSecond() {
		return this.perSecond;
	}

	/**
	 * Ask for one line.
	 * @param nowNanos the time now, from {@link System#nanoTime()}
	 * @return {@link #REFUSED} if the line is over this second's budget; otherwise how many lines were refused
	 * since the last one allowed
	 */
	synchronized long take(long nowNanos) {
		if (!this.started || nowNanos - this.windowStart >= SECOND_NANOS) {
			this.started = true;
			this.windowStart = nowNanos;
			this.used = 0;
		}
		if (this.used == this.perSecond) {
			this.leftOut++;
			return REFUSED;
		}
		this.used++;
		return takeLeftOut();
	}

	/**
	 * Take the count of lines refused since the last one allowed.
	 * @return how many were refused
	 */
	synchronized long takeLeftOut() {
		long count = this.leftOut;
		this.leftOut = 0;
		return count;
	}

}
