package io.jobpool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.jobpool.JobTimes;

/**
 * One worker slot's totals of attempt times by outcome. Only the slot's current thread writes them (a slot has
 * one thread at a time, and the next starts after the last has stopped), so adding is a plain read and an opaque
 * write: no lock, no compare-and-set, no cache line shared with another worker. Readers sum the slots' totals
 * with opaque reads.
 */
final class AttemptTimes {

	static final int SUCCESS = 0;

	static final int FAILURE = 1;

	static final int TIMEOUT = 2;

	private static final VarHandle TOTALS = MethodHandles.arrayElementVarHandle(long[].class);

	// Count, queue wait and run time of each outcome, between 8 longs of padding on each side so that two slots'
	// totals never share a cache line.
	private static final int PAD = 8;

	private static final int FIELDS = 3;

	private final long[] totals = new long[PAD + 3 * FIELDS + PAD];

	/**
	 * Add an attempt; only the slot's thread calls it.
	 * @param outcome {@link #SUCCESS}, {@link #FAILURE} or {@link #TIMEOUT}
	 * @param queueWaitNanos how long it waited in the queue
	 * @param runNanos how long its processor ran
	 */
	void add(int outcome, long queueWaitNanos, long runNanos) {
		int at = PAD + outcome * FIELDS;
		long[] totals = this.totals;
		TOTALS.setOpaque(totals, at, totals[at] + 1);
		TOTALS.setOpaque(totals, at + 1, totals[at + 1] + queueWaitNanos);
		TOTALS.setOpaque(totals, at + 2, totals[at + 2] + runNanos);
	}

	/**
	 * The totals of several slots, summed.
	 * @param slots the slots
	 * @return the sums
	 */
	static JobTimes sum(AttemptTimes[] slots) {
		return new JobTimes(sum(slots, SUCCESS), sum(slots, FAILURE), sum(slots, TIMEOUT));
	}

	private static JobTimes.Totals sum(AttemptTimes[] slots, int outcome) {
		int at = PAD + outcome * FIELDS;
		long count = 0;
		long queueWait = 0;
		long run = 0;
		for (AttemptTimes slot : slots) {
			count += (long) TOTALS.getOpaque(slot.totals, at);
			queueWait += (long) TOTALS.getOpaque(slot.totals, at + 1);
			run += (long) TOTALS.getOpaque(slot.totals, at + 2);
		}
		return new JobTimes.Totals(count, queueWait, run);
	}

}
