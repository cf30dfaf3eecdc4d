package io.jobpool.engine;

import java.util.concurrent.atomic.LongAdder;

import io.jobpool.JobPoolStats;

/**
 * A pool's job counters, striped so that workers and submitters do not contend on one cache line.
 */
final class PoolCounters {

	final LongAdder accepted = new LongAdder();

	final LongAdder rejected = new LongAdder();

	final LongAdder succeeded = new LongAdder();

	final LongAdder failed = new LongAdder();

	final LongAdder retried = new LongAdder();

	final LongAdder handedBack = new LongAdder();

	JobPoolStats snapshot() {
		// Ends first, then acceptance: a job is accepted before it ends, so pending() is never negative.
		long succeededNow = this.succeeded.sum();
		long failedNow = this.failed.sum();
		long handedBackNow = this.handedBack.sum();
		long retriedNow = this.retried.sum();
		return new JobPoolStats(this.accepted.sum(), this.rejected.sum(), succeededNow, failedNow, retriedNow,
				handedBackNow);
	}

}
