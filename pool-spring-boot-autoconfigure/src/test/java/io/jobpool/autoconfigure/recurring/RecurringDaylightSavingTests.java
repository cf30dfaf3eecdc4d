package io.jobpool.autoconfigure.recurring;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import io.jobpool.JobPool;
import io.jobpool.RecurringJobStatus;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.autoconfigure.recurring.RecurringBeans.Digest;
import io.jobpool.autoconfigure.recurring.RecurringBeans.DigestHandler;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.jobpool.spring.Recurring;
import io.jobpool.test.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slots of {@code "0 30 2 * * *"} in Europe/Berlin across the changes of 2026: on 29 March clocks go from 02:00 to
 * 03:00, so 02:30 does not happen; on 25 October they go from 03:00 back to 02:00, so 02:30 happens twice. What
 * Spring's {@link CronExpression} gives for those nights, and that a pool submits exactly those slots, each with
 * its time in Berlin.
 */
class RecurringDaylightSavingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private static final CronExpression HALF_PAST_TWO = CronExpression.parse("0 30 2 * * *");

	private static final List<ZonedDateTime> MARCH = List.of(berlin("2026-03-28T02:30+01:00"),
			berlin("2026-03-30T02:30+02:00"), berlin("2026-03-31T02:30+02:00"));

	private static final List<ZonedDateTime> OCTOBER = List.of(berlin("2026-10-24T02:30+02:00"),
			berlin("2026-10-25T02:30+02:00"), berlin("2026-10-25T02:30+01:00"), berlin("2026-10-26T02:30+01:00"));

	@Test
	void cronExpressionGivesNoSlotOnTheNightWhoseHalfPastTwoDoesNotHappen() {
		assertThat(slots(Instant.parse("2026-03-27T12:00:00Z"), MARCH.size())).containsExactlyElementsOf(MARCH);
		assertThat(MARCH.stream().map(ZonedDateTime::toInstant)).containsExactly(
				Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"),
				Instant.parse("2026-03-31T00:30:00Z"));
	}

	@Test
	void cronExpressionGivesTwoSlotsOnTheNightWhoseHalfPastTwoHappensTwice() {
		assertThat(slots(Instant.parse("2026-10-23T12:00:00Z"), OCTOBER.size())).containsExactlyElementsOf(OCTOBER);
		assertThat(OCTOBER.stream().map(ZonedDateTime::toInstant)).containsExactly(
				Instant.parse("2026-10-24T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
				Instant.parse("2026-10-25T01:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
	}

	@Test
	void thePoolSubmitsNoJobOnTheNightWhoseHalfPastTwoDoesNotHappen() {
		assertThePoolSubmitsExactly(Instant.parse("2026-03-27T12:00:00Z"), MARCH);
	}

	@Test
	void thePoolSubmitsTwoJobsOnTheNightWhoseHalfPastTwoHappensTwice() {
		assertThePoolSubmitsExactly(Instant.parse("2026-10-23T12:00:00Z"), OCTOBER);
	}

	/**
	 * Start a pool at {@code start}, move its clock to each next slot the pool says it has, and check that those are
	 * the slots expected and that each job ran once with its slot.
	 */
	private static void assertThePoolSubmitsExactly(Instant start, List<ZonedDateTime> expected) {
		TestClock clock = new TestClock(start);
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.withBean(JobPoolBuilderCustomizer.class, () -> (builder) -> builder.clock(clock))
			.withBean(DigestHandler.class)
			.withBean(NightlySchedules.class)
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				DigestHandler digests = context.getBean(DigestHandler.class);
				List<Instant> submitted = new ArrayList<>();
				for (int i = 0; i < expected.size(); i++) {
					Instant slot = status(pool).nextSlot();
					submitted.add(slot);
					clock.set(slot);
					await().atMost(WAIT).until(() -> status(pool).nextSlot().isAfter(slot));
					int runs = i + 1;
					await().atMost(WAIT).until(() -> digests.ran.size() == runs);
				}
				assertThat(submitted).containsExactlyElementsOf(expected.stream().map(ZonedDateTime::toInstant).toList());
				assertThat(digests.ran).extracting(Digest::slot).containsExactlyElementsOf(expected);
				assertThat(pool.stats().recurring()).isEqualTo(expected.size());
			});
	}

	private static RecurringJobStatus status(JobPool pool) {
		return pool.recurringJobs().get(0);
	}

	private static List<ZonedDateTime> slots(Instant after, int count) {
		List<ZonedDateTime> slots = new ArrayList<>();
		ZonedDateTime slot = after.atZone(BERLIN);
		for (int i = 0; i < count; i++) {
			slot = HALF_PAST_TWO.next(slot);
			slots.add(slot);
		}
		return slots;
	}

	private static ZonedDateTime berlin(String offsetDateTime) {
		return ZonedDateTime.parse(offsetDateTime + "[Europe/Berlin]");
	}

	static class NightlySchedules {

		@Recurring(cron = "0 30 2 * * *", zone = "Europe/Berlin")
		Digest nightlyDigest(ZonedDateTime slot) {
			return new Digest(slot);
		}

	}

}
