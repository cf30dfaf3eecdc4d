package io.jobpool;

/**
 * A snapshot of a pool's counters. Once the pool has stopped,
 * {@code accepted == succeeded + failed + handedBack}.
 *
 * @param accepted jobs accepted by submit
 * @param rejected submits refused
 * @param succeeded jobs that ran to completion
 * @param failed jobs that failed for good, after their retries
 * @param retried attempts that failed and were retried
 * @param handedBack jobs a forced stop handed back without running them
 * @param scheduled jobs accepted to run later, by {@code schedule}; also counted in {@code accepted}
 * @param recurring jobs of recurring slots this instance submitted; also counted in {@code accepted}
 */
public record JobPoolStats(long accepted, long rejected, long succeeded, long failed, long retried, long handedBack,
		long scheduled, long recurring) {

	/** Jobs accepted that have not ended yet: queued, retrying or running. */
	public long pending() {
		return this.accepted - this.succeeded - this.failed - this.handedBack;
	}

}
