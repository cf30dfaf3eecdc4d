package io.jobpool.autoconfigure.dashboard;

import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.Samples;
import io.jobpool.autoconfigure.dashboard.PoolHistory.Sample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolHistory}.
 */
class PoolHistoryTests {

	private final PoolHistory history = new PoolHistory(4);

	@Test
	void anEmptyHistoryHasNoSamples() {
		assertThat(this.history.after(0).time()).isEmpty();
		assertThat(this.history.recorded()).isZero();
	}

	@Test
	void samplesComeOldestFirstInColumns() {
		record(1, 2, 3);
		Samples samples = this.history.after(0);
		assertThat(samples.time()).containsExactly(1000, 2000, 3000);
		assertThat(samples.queueDepth()).containsExactly(1, 2, 3);
		assertThat(samples.activeWorkers()).containsExactly(10, 20, 30);
		assertThat(samples.workers()).containsExactly(40, 40, 40);
		assertThat(samples.succeeded()).containsExactly(1.5, 3.0, 4.5);
	}

	@Test
	void onlyTheSamplesAfterTheGivenOneAreGiven() {
		record(1, 2, 3);
		assertThat(this.history.after(2).time()).containsExactly(3000);
		assertThat(this.history.after(3).time()).isEmpty();
		assertThat(this.history.after(7).time()).isEmpty();
	}

	@Test
	void theRingKeepsTheLastSamplesOnly() {
		record(1, 2, 3, 4, 5, 6, 7);
		assertThat(this.history.recorded()).isEqualTo(7);
		assertThat(this.history.after(0).time()).containsExactly(4000, 5000, 6000, 7000);
		assertThat(this.history.after(2).time()).containsExactly(4000, 5000, 6000, 7000);
		assertThat(this.history.after(5).time()).containsExactly(6000, 7000);
	}

	private void record(int... values) {
		for (int value : values) {
			this.history.record(new Sample(value * 1000L, value, value * 10, 40, 1, 0, value * 1.5, 0, 0));
		}
	}

}
