package io.jobpool.engine;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jobpool.JobTimes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AttemptTimes}: each slot's writer adds, readers sum every slot, and nothing is lost or counted twice.
 */
class AttemptTimesTests {

	private static final int ATTEMPTS = 200_000;

	@Test
	void sumsEachOutcomeOverEverySlot() {
		AttemptTimes first = new AttemptTimes();
		AttemptTimes second = new AttemptTimes();
		first.add(AttemptTimes.SUCCESS, 10, 100);
		first.add(AttemptTimes.FAILURE, 20, 200);
		second.add(AttemptTimes.SUCCESS, 30, 300);
		second.add(AttemptTimes.TIMEOUT, 40, 400);
		JobTimes times = AttemptTimes.sum(new AttemptTimes[] { first, second });
		assertThat(times.success()).isEqualTo(new JobTimes.Totals(2, 40, 400));
		assertThat(times.failure()).isEqualTo(new JobTimes.Totals(1, 20, 200));
		assertThat(times.timeout()).isEqualTo(new JobTimes.Totals(1, 40, 400));
		assertThat(times.of(JobTimes.Outcome.TIMEOUT)).isSameAs(times.timeout());
	}

	@Test
	void readersWhileSlotsAreWrittenSeeTotalsThatOnlyGrowAndEndExact() throws Exception {
		AttemptTimes[] slots = { new AttemptTimes(), new AttemptTimes(), new AttemptTimes(), new AttemptTimes() };
		Thread[] writers = new Thread[slots.length];
		for (int w = 0; w < slots.length; w++) {
			AttemptTimes slot = slots[w];
			writers[w] = new Thread(() -> {
				for (int i = 1; i <= ATTEMPTS; i++) {
					slot.add(AttemptTimes.SUCCESS, i, 2L * i);
				}
			});
			writers[w].start();
		}
		JobTimes.Totals last = JobTimes.Totals.NONE;
		boolean writing = true;
		while (writing) {
			writing = false;
			for (Thread writer : writers) {
				writing |= writer.isAlive();
			}
			JobTimes.Totals now = AttemptTimes.sum(slots).success();
			assertThat(now.count()).isGreaterThanOrEqualTo(last.count());
			assertThat(now.queueWaitNanos()).isGreaterThanOrEqualTo(last.queueWaitNanos());
			assertThat(now.runNanos()).isGreaterThanOrEqualTo(last.runNanos());
			last = now;
		}
		for (Thread writer : writers) {
			writer.join(TimeUnit.SECONDS.toMillis(30));
		}
		long each = (long) ATTEMPTS * (ATTEMPTS + 1) / 2;
		assertThat(AttemptTimes.sum(slots).success())
			.isEqualTo(new JobTimes.Totals(4L * ATTEMPTS, 4 * each, 8 * each));
		assertThat(AttemptTimes.sum(slots).failure()).isEqualTo(JobTimes.Totals.NONE);
	}

}
