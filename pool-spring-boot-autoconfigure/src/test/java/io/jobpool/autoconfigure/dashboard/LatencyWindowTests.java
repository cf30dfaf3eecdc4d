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
		this.window.tick(at(Duration.ofSeconds(1)));
		assertThat(this.window.latency()).isNull();
	}

	@Test
	void durationsCountedBeforeTheFirstTickAreInTheWindow() {
		record(10, Duration.ofMillis(3));
		this.window.tick(at(Duration.ofSeconds(1)));
		Latency latency = this.window.latency();
		assertThat(latency).isNotNull();
		assertThat(latency.count()).isEqualTo(10);
		assertThat(latency.p50()).isBetween(Duration.ofMillis(3).toNanos() * 15 / 16,
				Duration.ofMillis(3).toNanos() * 17 / 16);
	}

	@Test
	void durationsOlderThanAMinuteAndASixthLeaveTheWindow() {
		record(5, Duration.ofSeconds(2));
		for (int second = 1; second <= 60; second++) {
			this.window.tick(at(Duration.ofSeconds(second)));
			assertThat(this.window.latency()).as("at %d s", second).extracting(Latency::count).isEqualTo(5L);
		}
		record(3, Duration.ofMillis(1));
		long second = 61;
		while (second <= 71 && countAt(second) == 8) {
			second++;
		}
		assertThat(second).as("when the first durations left").isBetween(61L, 71L);
		Latency latency = this.window.latency();
		assertThat(latency.count()).isEqualTo(3);
		assertThat(latency.p99()).isLessThan(Duration.ofMillis(2).toNanos());
		for (long later = second + 1; later <= 150; later++) {
			this.window.tick(at(Duration.ofSeconds(later)));
		}
		assertThat(this.window.latency()).isNull();
	}

	@Test
	void aTickWithinASixthOfAMinuteOfTheLastCopyCopiesNothing() {
		record(4, Duration.ofMillis(1));
		for (int second = 1; second < 10; second++) {
			this.window.tick(at(Duration.ofSeconds(second)));
		}
		record(1, Duration.ofMillis(1));
		this.window.tick(at(Duration.ofSeconds(10)));
		record(2, Duration.ofMillis(1));
		assertThat(this.window.latency().count()).isEqualTo(7);
	}

	private long countAt(long second) {
		this.window.tick(at(Duration.ofSeconds(second)));
		return this.window.latency().count();
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
