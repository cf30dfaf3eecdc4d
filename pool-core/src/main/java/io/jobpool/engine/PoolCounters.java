package io.jobpool.engine;

import java.util.concurrent.atomic.LongAdder;

import io.jobpool.JobPoolStats;

/**
 * A pool's job counters, striped so that workers and submitters do not contend on one cache line.
 */
public final class PoolCounters {

	/** Jobs accepted by submit. */
	public final LongAdder accepted = new LongAdder();

	/** Submits refused. */
	public final LongAdder rejected = new LongAdder();

	/** Jobs that ran to completion. */
	public final LongAdder succeeded = new LongAdder();

	/** Jobs that failed for good. */
	public final LongAdder failed = new LongAdder();

	/** Attempts that failed and were retried. */
	public final LongAdder retried = new LongAdder();

	/** Jobs handed back without running. */
	public final LongAdder handedBack = new LongAdder();

	/** The counters now. */
	public JobPoolStats snapshot() {
		// Ends first, then acceptance: a job is accepted before it ends, so pending() is never negative.
		long succeededNow = this.succeeded.sum();
		long failedNow = this.failed.sum();
		long handedBackNow = this.handedBack.sum();
		long retriedNow = this.retried.sum();
		return new JobPoolStats(this.accepted.sum(), this.rejected.sum(), succeededNow, failedNow, retriedNow,
				handedBackNow);
	}

}
