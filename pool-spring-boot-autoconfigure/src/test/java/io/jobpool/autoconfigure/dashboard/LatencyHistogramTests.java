package io.jobpool.autoconfigure.dashboard;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link LatencyHistogram}.
 */
class LatencyHistogramTests {

	@Test
	void bucketsTileTheRangeWithoutGapsOrOverlaps() {
		assertThat(LatencyHistogram.lowerBound(0)).isZero();
		for (int bucket = 0; bucket < LatencyHistogram.BUCKETS - 1; bucket++) {
			assertThat(LatencyHistogram.upperBound(bucket)).as("end of bucket %d", bucket)
				.isEqualTo(LatencyHistogram.lowerBound(bucket + 1));
		}
		assertThat(LatencyHistogram.upperBound(LatencyHistogram.BUCKETS - 1)).isEqualTo(1L << 42);
	}

	@Test
	void everyDurationFallsInItsBucketAndItsBucketsMiddleIsWithinASixteenthOfIt() {
		for (long nanos = 1024; nanos < (1L << 42); nanos = nanos * 17 / 16 + 7) {
			int bucket = LatencyHistogram.bucketOf(nanos);
			assertThat(nanos).isBetween(LatencyHistogram.lowerBound(bucket), LatencyHistogram.upperBound(bucket) - 1);
			long middle = (LatencyHistogram.lowerBound(bucket) + LatencyHistogram.upperBound(bucket)) / 2;
			assertThat((double) middle).isCloseTo(nanos, within(nanos / 16.0));
		}
	}

	@Test
	void durationsUnderAMicrosecondOrNegativeCountInTheFirstBucketAndLongOnesInTheLast() {
		assertThat(LatencyHistogram.bucketOf(-5)).isZero();
		assertThat(LatencyHistogram.bucketOf(0)).isZero();
		assertThat(LatencyHistogram.bucketOf(1023)).isZero();
		assertThat(LatencyHistogram.bucketOf(1024)).isOne();
		assertThat(LatencyHistogram.bucketOf(Duration.ofHours(3).toNanos())).isEqualTo(LatencyHistogram.BUCKETS - 1);
		assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
	}

	@Test
	void percentilesAreReadFromTheCounts() {
		LatencyHistogram histogram = new LatencyHistogram();
		for (int i = 1; i <= 100; i++) {
			histogram.record(Duration.ofMillis(i).toNanos());
		}
		long[] counts = new long[LatencyHistogram.BUCKETS];
		histogram.copyTo(counts);
		assertThat(millis(LatencyHistogram.percentile(counts, 100, 0.5))).isCloseTo(50, within(50 / 16.0));
		assertThat(millis(LatencyHistogram.percentile(counts, 100, 0.9))).isCloseTo(90, within(90 / 16.0));
		assertThat(millis(LatencyHistogram.percentile(counts, 100, 0.99))).isCloseTo(99, within(99 / 16.0));
		assertThat(millis(LatencyHistogram.percentile(counts, 100, 0))).isCloseTo(1, within(1 / 16.0));
	}

	@Test
	void noCountIsLostWhenManyThreadsRecordAtOnce() throws InterruptedException {
		LatencyHistogram histogram = new LatencyHistogram();
		int threads = 4;
		int each = 50_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		for (int t = 0; t < threads; t++) {
			executor.submit(() -> {
				start.await();
				for (int i = 0; i < each; i++) {
					histogram.record(2000);
				}
				return null;
			});
		}
		start.countDown();
		executor.shutdown();
		assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		long[] counts = new long[LatencyHistogram.BUCKETS];
		histogram.copyTo(counts);
		assertThat(counts[LatencyHistogram.bucketOf(2000)]).isEqualTo((long) threads * each);
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

}
