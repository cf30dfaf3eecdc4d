package io.jobpool.autoconfigure.dashboard;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.JobPool;

/**
 * Counts how long each attempt of a pool's jobs waited in the queue and ran, as the {@code jobpool.queue.wait} and
 * {@code jobpool.job.duration} timers do. It runs on the workers, so it takes no lock.
 */
final class JobTimes implements JobListener {

	private final LatencyHistogram queueWait = new LatencyHistogram();

	private final LatencyHistogram run = new LatencyHistogram();

	private final BiConsumer<String, JobTimes> started;

	/**
	 * Create the times of one pool.
	 * @param started told the pool's name and these times when the pool starts
	 */
	JobTimes(BiConsumer<String, JobTimes> started) {
		this.started = started;
	}

	LatencyHistogram queueWait() {
		return this.queueWait;
	}

	LatencyHistogram run() {
		return this.run;
	}

	@Override
	public void onPoolStarted(JobPool pool) {
		this.started.accept(pool.name(), this);
	}

	@Override
	public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
		record(queueWaitNanos, runNanos);
	}

	@Override
	public void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
		record(queueWaitNanos, runNanos);
	}

	@Override
	public void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
		if (!(error instanceof CancellationException)) {
			record(queueWaitNanos, runNanos);
		}
	}

	private void record(long queueWaitNanos, long runNanos) {
		this.queueWait.record(queueWaitNanos);
		this.run.record(runNanos);
	}

}
