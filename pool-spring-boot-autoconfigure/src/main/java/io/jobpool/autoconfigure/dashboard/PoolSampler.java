package io.jobpool.autoconfigure.dashboard;

import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;
import io.jobpool.JobPoolStats;
import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.PoolHistoryDescriptor;
import io.jobpool.autoconfigure.dashboard.PoolHistory.Sample;
import org.jspecify.annotations.Nullable;

/**
 * Samples one pool into its {@link PoolHistory}: its live figures and its job counts turned into rates; and, when it
 * was built with {@link JobTimes}, keeps the window of its job times. Not thread-safe: the sampler uses it under its
 * lock.
 */
final class PoolSampler {

	private static final double NANOS_PER_SECOND = 1e9;

	private final JobPool pool;

	private final JobTimesByPool times;

	private final PoolHistory history;

	private @Nullable LatencyWindow queueWait;

	private @Nullable LatencyWindow run;

	private JobPoolStats last;

	private long lastNanoTime;

	PoolSampler(JobPool pool, JobTimesByPool times, int historySize, long nanoTime) {
		this.pool = pool;
		this.times = times;
		this.history = new PoolHistory(historySize);
		this.last = pool.stats();
		this.lastNanoTime = nanoTime;
	}

	/** How many samples were taken, so the number of the last one. */
	long sampled() {
		return this.history.recorded();
	}

	/**
	 * Take a sample.
	 * @param time the time now, in milliseconds since the epoch
	 * @param nanoTime the time now, as {@link System#nanoTime()} gives it
	 */
	void sample(long time, long nanoTime) {
		findTimes(nanoTime);
		JobPoolFigures figures = this.pool.figures();
		JobPoolStats stats = this.pool.stats();
		double seconds = Math.max(1, nanoTime - this.lastNanoTime) / NANOS_PER_SECOND;
		Sample sample = new Sample(time, figures.queueDepth(), figures.activeWorkers(), figures.workers(),
				figures.dispatchers(), figures.retrying(), rate(stats.succeeded() - this.last.succeeded(), seconds),
				rate(stats.failed() - this.last.failed(), seconds), rate(stats.rejected() - this.last.rejected(), seconds));
		this.last = stats;
		this.lastNanoTime = nanoTime;
		this.history.record(sample);
		if (this.queueWait != null && this.run != null) {
			this.queueWait.tick(nanoTime);
			this.run.tick(nanoTime);
		}
	}

	/**
	 * The samples after a given one, and the percentiles of the pool's job times over the last minute.
	 * @param after the number of the last sample the caller has; 0 for all
	 * @return the history
	 */
	PoolHistoryDescriptor describe(long after) {
		LatencyWindow queueWait = this.queueWait;
		LatencyWindow run = this.run;
		return new PoolHistoryDescriptor(this.history.after(after), (queueWait != null) ? queueWait.latency() : null,
				(run != null) ? run.latency() : null);
	}

	/**
	 * Look for the pool's job times until found: they are known once the pool has started.
	 */
	private void findTimes(long nanoTime) {
		if (this.queueWait == null) {
			JobTimes times = this.times.get(this.pool.name());
			if (times != null) {
				this.queueWait = new LatencyWindow(times.queueWait(), nanoTime);
				this.run = new LatencyWindow(times.run(), nanoTime);
			}
		}
	}

	private static double rate(long count, double seconds) {
		return Math.round(count * 10 / seconds) / 10.0;
	}

}
