package io.jobpool.spi;

import java.util.concurrent.atomic.LongAdder;

import io.jobpool.JobPoolStats;

/**
 * A pool's job counters, striped so that workers and submitters do not contend on one cache line. The engine
 * counts refused submits and retried attempts; a store counts the jobs it accepted and how they ended, so that
 * {@code accepted = succeeded + failed + handedBack} once the pool has stopped.
 */
public final class JobCounters {

	private final LongAdder accepted = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder retried = new LongAdder();

	private final LongAdder handedBack = new LongAdder();

	private final LongAdder scheduled = new LongAdder();

	private final LongAdder recurring = new LongAdder();

	/** A job was accepted. */
	public void accepted() {
		this.accepted.increment();
	}

	/** A job counted as accepted was taken back before anyone saw it accepted. */
	public void unaccepted() {
		this.accepted.decrement();
	}

	/** A submit was refused. */
	public void rejected() {
		this.rejected.increment();
	}

	/** An accepted job ran to completion. */
	public void succeeded() {
		this.succeeded.increment();
	}

	/** An accepted job failed for good. */
	public void failed() {
		this.failed.increment();
	}

	/** An attempt failed and will be retried. */
	public void retried() {
		this.retried.increment();
	}

	/** An accepted job was handed back unrun. */
	public void handedBack() {
		this.handedBack.increment();
	}

	/** An accepted job is to run later. */
	public void scheduled() {
		this.scheduled.increment();
	}

	/** The job of a recurring slot was submitted. */
	public void recurring() {
		this.recurring.increment();
	}

	/** The counters now. */
	public JobPoolStats snapshot() {
		// Ends first, then acceptance: a job is accepted before it ends, so pending() is never negative.
		long succeededNow = this.succeeded.sum();
		long failedNow = this.failed.sum();
		long handedBackNow = this.handedBack.sum();
		long retriedNow = this.retried.sum();
		return new JobPoolStats(this.accepted.sum(), this.rejected.sum(), succeededNow, failedNow, retriedNow,
				handedBackNow, this.scheduled.sum(), this.recurring.sum());
	}

}
