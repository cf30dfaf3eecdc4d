package io.jobpool.autoconfigure.dashboard;

import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;
import io.jobpool.JobPoolStats;
import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.Latency;
import io.jobpool.autoconfigure.dashboard.PoolHistory.Sample;
import org.jspecify.annotations.Nullable;

/**
 * Samples one pool into its {@link PoolHistory}: its live figures, its job counts turned into rates, and the
 * percentiles of its job times when it was built with {@link JobTimes}. Used by the sampler's thread only.
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

	PoolHistory history() {
		return this.history;
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
		LatencyWindow queueWait = this.queueWait;
		LatencyWindow run = this.run;
		if (queueWait == null || run == null) {
			this.history.record(sample, null, null);
		}
		else {
			this.history.record(sample, queueWait.advance(nanoTime), run.advance(nanoTime));
		}
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
