package io.jobpool.autoconfigure.dashboard;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts durations in fixed buckets, without locks, so that a worker pays a few nanoseconds to record one.
 * <p>
 * Bucket 0 holds durations under 1 µs; then each power of two from 2^10 ns (1 µs) to 2^42 ns (about 73 minutes) has
 * eight buckets, each an eighth of its power wide, so that the middle of a bucket is within 6.25 % of any duration in
 * it. The last bucket also holds every longer duration. Counts only grow: a window of time is the difference of two
 * {@link #copyTo copies}.
 */
final class LatencyHistogram {

	private static final int MIN_EXPONENT = 10;

	private static final int MAX_EXPONENT = 42;

	private static final int SUB_BUCKET_BITS = 3;

	private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

	/** How many buckets there are. */
	static final int BUCKETS = 1 + (MAX_EXPONENT - MIN_EXPONENT) * SUB_BUCKETS;

	private final LongAdder[] counts = new LongAdder[BUCKETS];

	LatencyHistogram() {
		for (int i = 0; i < BUCKETS; i++) {
			this.counts[i] = new LongAdder();
		}
	}

	/**
	 * Count one duration.
	 * @param nanos the duration; a negative one counts as zero
	 */
	void record(long nanos) {
		this.counts[bucketOf(nanos)].increment();
	}

	/**
	 * Copy the counts so far, which may miss a duration recorded meanwhile.
	 * @param into an array of {@link #BUCKETS} counts
	 */
	void copyTo(long[] into) {
		for (int i = 0; i < BUCKETS; i++) {
			into[i] = this.counts[i].sum();
		}
	}

	static int bucketOf(long nanos) {
		if (nanos < (1L << MIN_EXPONENT)) {
			return 0;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(nanos);
		if (exponent >= MAX_EXPONENT) {
			return BUCKETS - 1;
		}
		int eighth = (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
		return 1 + (exponent - MIN_EXPONENT) * SUB_BUCKETS + eighth;
	}

	static long lowerBound(int bucket) {
		if (bucket == 0) {
			return 0;
		}
		int exponent = MIN_EXPONENT + (bucket - 1) / SUB_BUCKETS;
		int eighth = (bucket - 1) % SUB_BUCKETS;
		return (long) (SUB_BUCKETS + eighth) << (exponent - SUB_BUCKET_BITS);
	}

	static long upperBound(int bucket) {
		if (bucket == 0) {
			return 1L << MIN_EXPONENT;
		}
		int exponent = MIN_EXPONENT + (bucket - 1) / SUB_BUCKETS;
		return lowerBound(bucket) + (1L << (exponent - SUB_BUCKET_BITS));
	}

	/**
	 * The duration under which a fraction of the counted durations fall, as the middle of its bucket.
	 * @param counts counts by bucket, as {@link #copyTo} gives them or a difference of two such copies
	 * @param total the sum of the counts, more than zero
	 * @param fraction from 0 to 1
	 * @return the duration in nanoseconds
	 */
	static long percentile(long[] counts, long total, double fraction) {
		long rank = Math.max(1, (long) Math.ceil(fraction * total));
		long seen = 0;
		for (int bucket = 0; bucket < BUCKETS; bucket++) {
			seen += counts[bucket];
			if (seen >= rank) {
				return (lowerBound(bucket) + upperBound(bucket)) / 2;
			}
		}
		return (lowerBound(BUCKETS - 1) + upperBound(BUCKETS - 1)) / 2;
	}

}
