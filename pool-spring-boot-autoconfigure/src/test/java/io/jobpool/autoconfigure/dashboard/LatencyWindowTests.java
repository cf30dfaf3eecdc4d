package io.jobpool.autoconfigure.dashboard;

import java.time.Duration;

import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.Latency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LatencyWindow}.
 */
class LatencyWindowTests {

	private static final long START = 1_000_000_000L;

	private final LatencyHistogram histogram = new LatencyHistogram();

	private final LatencyWindow window = new LatencyWindow(this.histogram, START);

	@Test
	void nothingCountedIsNoLatency() {
		assertThat(this.window.advance(at(Duration.ofSeconds(1)))).isNull();
	}

	@Test
	void durationsCountedBeforeTheFirstReadAreInTheWindow() {
		record(10, Duration.ofMillis(3));
		Latency latency = this.window.advance(at(Duration.ofSeconds(1)));
		assertThat(latency).isNotNull();
		assertThat(latency.count()).isEqualTo(10);
		assertThat(latency.p50()).isBetween(Duration.ofMillis(3).toNanos() * 7 / 8, Duration.ofMillis(3).toNanos() * 9 / 8);
	}

	@Test
	void durationsOlderThanAMinuteAndASixthLeaveTheWindow() {
		record(5, Duration.ofSeconds(2));
		for (int second = 1; second <= 60; second++) {
			assertThat(this.window.advance(at(Duration.ofSeconds(second)))).as("at %d s", second)
				.extracting(Latency::count)
				.isEqualTo(5L);
		}
		record(3, Duration.ofMillis(1));
		long seconds = 61;
		while (seconds <= 71 && this.window.advance(at(Duration.ofSeconds(seconds))).count() == 8) {
			seconds++;
		}
		assertThat(seconds).as("when the first durations left").isBetween(61L, 71L);
		Latency latency = this.window.advance(at(Duration.ofSeconds(seconds)));
		assertThat(latency.count()).isEqualTo(3);
		assertThat(latency.p99()).isLessThan(Duration.ofMillis(2).toNanos());
		for (long later = seconds + 1; later <= 120; later++) {
			this.window.advance(at(Duration.ofSeconds(later)));
		}
		assertThat(this.window.advance(at(Duration.ofSeconds(150)))).isNull();
	}

	private void record(int count, Duration duration) {
		for (int i = 0; i < count; i++) {
			this.histogram.record(duration.toNanos());
		}
	}

	private static long at(Duration sinceStart) {
		return START + sinceStart.toNanos();
	}

}
