package io.jobpool.jdbc;

import java.time.Duration;
import java.util.function.BiFunction;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.jdbc.ClaimedJob.Settlement;

/**
 * Lets the user's listeners hear the local engine's run events as events of the durable pool: jobs as their
 * processors see them, queue waits counted from when the job became ready in the table, and a failed attempt
 * heard as a retry when the table will retry it. The engine's own intake and life events are the durable pool's
 * to tell, so they are not passed on.
 */
final class ClaimedJobListener implements JobListener {

	private final JobListener listeners;

	private final BiFunction<ClaimedJob, Throwable, Settlement> decision;

	ClaimedJobListener(JobListener listeners, BiFunction<ClaimedJob, Throwable, Settlement> decision) {
		this.listeners = listeners;
		this.decision = decision;
	}

	@Override
	public void onStarted(Job<?> job, long queueWaitNanos) {
		ClaimedJob claimed = (ClaimedJob) job.data();
		this.listeners.onStarted(claimed.job, wait(claimed, queueWaitNanos));
	}

	@Override
	public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
		ClaimedJob claimed = (ClaimedJob) job.data();
		this.listeners.onSucceeded(claimed.job, wait(claimed, queueWaitNanos), runNanos);
	}

	@Override
	public void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
		ClaimedJob claimed = (ClaimedJob) job.data();
		Settlement settlement = claimed.settlement(error, this.decision);
		long wait = wait(claimed, queueWaitNanos);
		switch (settlement.kind()) {
			case RETRY -> this.listeners.onRetry(claimed.job, error, wait, runNanos, settlement.backoff());
			case DEAD -> this.listeners.onFailed(claimed.job, error, wait, runNanos);
			case RELEASE -> this.listeners.onHandedBack(claimed.job);
		}
	}

	@Override
	public void onHandedBack(Job<?> job) {
		this.listeners.onHandedBack(ClaimedJob.unwrap(job));
	}

	@Override
	public void onStuck(Job<?> job, Thread worker, Duration running) {
		this.listeners.onStuck(ClaimedJob.unwrap(job), worker, running);
	}

	private static long wait(ClaimedJob claimed, long localWaitNanos) {
		return claimed.stored.waitedNanos() + localWaitNanos;
	}

}
