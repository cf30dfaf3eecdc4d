package io.jobpool.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.JobPool;
import io.jobpool.RecurringJob.MissedSlots;
import io.jobpool.RecurringJob;
import io.jobpool.RecurringJobStatus;
import io.jobpool.test.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for recurring jobs in memory, on a clock the tests move: one job per slot with the slot's time, missed
 * slots run once or skipped, overlap forbidden when asked, and where each schedule stands.
 */
class RecurringJobsTests {

	private static final Instant START = Instant.parse("2026-03-01T09:00:30Z");

	private static final Instant FIRST_SLOT = Instant.parse("2026-03-01T09:01:00Z");

	private final TestClock clock = new TestClock(START);

	private final List<Instant> ran = new CopyOnWriteArrayList<>();

	private volatile CountDownLatch release = new CountDownLatch(0);

	private JobPool pool;

	@AfterEach
	void close() {
		this.release.countDown();
		if (this.pool != null) {
			this.pool.close(Duration.ofSeconds(5));
		}
	}

	private static Instant everyMinute(Instant after) {
		return after.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
	}

	private JobPool start(RecurringJob job) {
		this.pool = JobPool.builder()
			.name("recurring")
			.workerNum(2)
			.clock(this.clock)
			.recurring(job)
			.processor(Instant.class, () -> (run) -> {
				this.ran.add(run.data());
				this.release.await();
			})
			.build();
		this.pool.start();
		return this.pool;
	}

	@Test
	void eachSlotIsSubmittedOnceWithItsTime() {
		JobPool pool = start(RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> slot));
		assertThat(pool.recurringJobs()).singleElement()
			.isEqualTo(new RecurringJobStatus("minutely", FIRST_SLOT, null, null));
		for (int minute = 0; minute < 3; minute++) {
			this.clock.advance(Duration.ofMinutes(1));
			int runs = minute + 1;
			await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == runs);
		}
		assertThat(this.ran).containsExactly(FIRST_SLOT, FIRST_SLOT.plus(Duration.ofMinutes(1)),
				FIRST_SLOT.plus(Duration.ofMinutes(2)));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(pool.recurringJobs()).singleElement()
				.isEqualTo(new RecurringJobStatus("minutely", FIRST_SLOT.plus(Duration.ofMinutes(3)),
						FIRST_SLOT.plus(Duration.ofMinutes(2)), "succeeded")));
		assertThat(pool.stats().accepted()).isEqualTo(3);
	}

	@Test
	void slotsMissedWhileTheClockJumpedRunOnceAsTheLatest() {
		JobPool pool = start(RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> slot));
		this.clock.advance(Duration.ofMinutes(30));
		Instant latest = FIRST_SLOT.plus(Duration.ofMinutes(29));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == 1);
		assertThat(this.ran).containsExactly(latest);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> latest.plus(Duration.ofMinutes(1)).equals(pool.recurringJobs().get(0).nextSlot()));
		assertThat(pool.stats().accepted()).isEqualTo(1);
	}

	@Test
	void slotsMissedAreSkippedWhenTheJobSaysSo() {
		JobPool pool = start(RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> slot)
			.withMissedSlots(MissedSlots.SKIP));
		this.clock.advance(Duration.ofMinutes(30));
		Instant latest = FIRST_SLOT.plus(Duration.ofMinutes(29));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(pool.recurringJobs()).singleElement().satisfies((status) -> {
				assertThat(status.lastSlot()).isEqualTo(latest);
				assertThat(status.lastOutcome()).startsWith("skipped: missed by PT");
				assertThat(status.nextSlot()).isEqualTo(latest.plus(Duration.ofMinutes(1)));
			}));
		this.clock.advance(Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == 1);
		assertThat(this.ran).containsExactly(latest.plus(Duration.ofMinutes(1)));
	}

	@Test
	void everySlotWhilePreviousJobStillRunsIsSkippedWhenOverlapIsForbidden() throws Exception {
		this.release = new CountDownLatch(1);
		JobPool pool = start(RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> slot)
			.withOverlap(false));
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == 1);
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> FIRST_SLOT.plus(Duration.ofMinutes(1)).equals(pool.recurringJobs().get(0).lastSlot()));
		assertThat(pool.recurringJobs().get(0).lastOutcome())
			.isEqualTo("skipped: the job of the last slot submitted has not ended");
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> FIRST_SLOT.plus(Duration.ofMinutes(2)).equals(pool.recurringJobs().get(0).lastSlot()));
		assertThat(pool.recurringJobs().get(0).lastOutcome())
			.isEqualTo("skipped: the job of the last slot submitted has not ended");
		assertThat(pool.activeWorkers()).isEqualTo(1);
		this.release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> pool.activeWorkers() == 0);
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == 2);
		assertThat(this.ran).containsExactly(FIRST_SLOT, FIRST_SLOT.plus(Duration.ofMinutes(3)));
	}

	@Test
	void aSlotsMayOverlapByDefault() {
		this.release = new CountDownLatch(1);
		start(RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> slot));
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == 1);
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == 2);
	}

	@Test
	void runNowSubmitsThePayloadOfThePresentTimeOutsideTheSlots() throws Exception {
		JobPool pool = start(RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> slot));
		pool.runNow("minutely").get(5, TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly(START);
		assertThat(pool.recurringJobs().get(0).lastSlot()).isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> pool.runNow("hourly"))
			.withMessage("Pool 'recurring' has no recurring job named 'hourly'; its recurring jobs are [minutely]");
	}

	@Test
	void aPayloadThatCannotBeMadeSkipsItsSlotAndTheScheduleGoesOn() {
		JobPool pool = start(RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> {
			if (slot.equals(FIRST_SLOT)) {
				throw new IllegalStateException("no payload for the first slot");
			}
			return slot;
		}));
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(pool.recurringJobs().get(0).lastOutcome())
				.startsWith("failed to make the payload: java.lang.IllegalStateException: no payload"));
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.ran.size() == 1);
		assertThat(this.ran).containsExactly(FIRST_SLOT.plus(Duration.ofMinutes(1)));
	}

	@Test
	void twoRecurringJobsOfOneNameAreRefused() {
		RecurringJob job = RecurringJob.of("minutely", RecurringJobsTests::everyMinute, (slot) -> slot);
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> JobPool.builder().recurring(job).recurring(job))
			.withMessageContaining("the pool has a recurring job of that name already");
	}

}
