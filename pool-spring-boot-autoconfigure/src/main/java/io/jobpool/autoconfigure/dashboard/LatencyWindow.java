package io.jobpool.autoconfigure.dashboard;

import java.time.Duration;

import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.Latency;
import org.jspecify.annotations.Nullable;

/**
 * The percentiles of the durations a {@link LatencyHistogram} counted over the last minute or so. It keeps a copy
 * of the histogram's counts every sixth of a minute, and the last seven, so the window spans between one and one and
 * a sixth minutes once the pool has run that long; percentiles are worked out only when asked for. Not thread-safe:
 * the sampler uses it under its lock.
 */
final class LatencyWindow {

	private static final int SLICES = 6;

	private static final long SLICE_NANOS = Duration.ofMinutes(1).toNanos() / SLICES;

	private final LatencyHistogram histogram;

	// A ring of copies, the oldest at `oldest`: at most SLICES + 1, one slice apart, so the oldest is a window old;
	// the first is all zeros, as the histogram was when created.
	private final long[][] copies = new long[SLICES + 1][LatencyHistogram.BUCKETS];

	private final long[] copiedAt = new long[SLICES + 1];

	private int oldest;

	private int kept;

	private final long[] now = new long[LatencyHistogram.BUCKETS];

	/**
	 * Create a window that starts with the histogram's first duration.
	 * @param histogram the histogram, counting from zero
	 * @param nanoTime the time now, as {@link System#nanoTime()} gives it
	 */
	LatencyWindow(LatencyHistogram histogram, long nanoTime) {
		this.histogram = histogram;
		this.copiedAt[0] = nanoTime;
		this.kept = 1;
	}

	/**
	 * Copy the histogram if a sixth of a minute has passed since the last copy, forgetting the oldest copy if seven
	 * are kept.
	 * @param nanoTime the time now, as {@link System#nanoTime()} gives it
	 */
	void tick(long nanoTime) {
		if (nanoTime - this.copiedAt[newest()] < SLICE_NANOS) {
			return;
		}
		int slot;
		if (this.kept < this.copies.length) {
			slot = (this.oldest + this.kept) % this.copies.length;
			this.kept++;
		}
		else {
			slot = this.oldest;
			this.oldest = (this.oldest + 1) % this.copies.length;
		}
		this.histogram.copyTo(this.copies[slot]);
		this.copiedAt[slot] = nanoTime;
	}

	/**
	 * The percentiles of the durations counted since the oldest copy.
	 * @return the percentiles, or {@code null} if no duration was counted since
	 */
	@Nullable Latency latency() {
		this.histogram.copyTo(this.now);
		long[] since = this.copies[this.oldest];
		long total = 0;
		for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
			this.now[i] -= since[i];
			total += this.now[i];
		}
		if (total == 0) {
			return null;
		}
		return new Latency(total, LatencyHistogram.percentile(this.now, total, 0.5),
				LatencyHistogram.percentile(this.now, total, 0.9), LatencyHistogram.percentile(this.now, total, 0.99));
	}

	private int newest() {
		return (this.oldest + this.kept - 1) % this.copies.length;
	}

}
