package io.jobpool.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.JobPoolBuilder;
import io.jobpool.RecurringJob.MissedSlots;
import io.jobpool.RecurringJob;
import io.jobpool.RecurringJobStatus;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.jdbc.test.Ticks;
import io.jobpool.test.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recurring jobs of pools that share a table, each instance on a clock of its own: each slot is submitted by one
 * instance, missed slots run once or are skipped when an instance starts again, and overlap is forbidden across
 * instances when the job says so.
 */
class RecurringJobTests {

	private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

	private static final Instant FIRST = START.plus(Duration.ofMinutes(1));

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final String SKIPPED_OVERLAP = "skipped: the job of the last slot submitted has not ended";

	private final String name = TestDatabase.uniqueName("recurring");

	private final JdbcTemplate jdbc = TestDatabase.get().jdbc();

	private final Ticks ticks = new Ticks();

	private final List<JdbcJobPool> pools = new ArrayList<>();

	private final List<HikariDataSource> dataSources = new ArrayList<>();

	@AfterEach
	void close() {
		this.ticks.release();
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
		this.dataSources.forEach(HikariDataSource::close);
	}

	private static Instant slot(int n) {
		return FIRST.plus(Duration.ofMinutes(n - 1));
	}

	/** An instance of the pool, on a connection pool of its own. */
	private JdbcJobPool instance(TestClock clock, RecurringJob job) {
		HikariDataSource dataSource = TestDatabase.get().dataSource(5);
		this.dataSources.add(dataSource);
		return start(dataSource, this.ticks.pool(this.name, clock, job));
	}

	private JdbcJobPool start(DataSource dataSource, JobPoolBuilder builder) {
		JdbcJobPool pool = TestPools.start(dataSource, builder);
		this.pools.add(pool);
		return pool;
	}

	private static RecurringJobStatus status(JdbcJobPool pool) {
		return pool.recurringJobs().get(0);
	}

	@Test
	void twoInstancesSubmitEachSlotOnce() {
		TestClock clockA = new TestClock(START);
		TestClock clockB = new TestClock(START);
		JdbcJobPool a = instance(clockA, Ticks.job());
		JdbcJobPool b = instance(clockB, Ticks.job());
		int slots = 5;
		for (int n = 1; n <= slots; n++) {
			clockA.advance(Duration.ofMinutes(1));
			clockB.advance(Duration.ofMinutes(1));
			Instant slot = slot(n);
			await().atMost(BOUND).until(() -> slot.equals(status(a).lastSlot()) && slot.equals(status(b).lastSlot()));
			await().atMost(BOUND).until(() -> this.ticks.runs().contains(slot) && TestPools.rows(this.name) == 0);
		}
		assertThat(this.ticks.runs()).containsExactly(slot(1), slot(2), slot(3), slot(4), slot(5));
		assertThat(a.stats().recurring() + b.stats().recurring()).isEqualTo(slots);
		assertThat(List.of(status(a).lastOutcome(), status(b).lastOutcome())).contains("taken elsewhere");
		assertThat(Ticks.lastSlot(this.jdbc, this.name)).isEqualTo(slot(slots));
	}

	@Test
	void slotsMissedWhileNoInstanceRanRunOnceAsTheLatestWhenInstancesStart() {
		TestClock clock = new TestClock(START);
		JdbcJobPool before = start(TestDatabase.get().dataSource(), this.ticks.pool(this.name, clock, Ticks.job()));
		clock.advance(Duration.ofMinutes(1));
		await().atMost(BOUND).until(() -> this.ticks.runs().equals(List.of(FIRST)));
		before.close(Duration.ofSeconds(10));
		clock.advance(Duration.ofMinutes(30).plusSeconds(30));
		Instant latest = slot(31);
		JdbcJobPool a = instance(clock, Ticks.job());
		JdbcJobPool b = instance(clock, Ticks.job());
		// An instance that starts once the other submitted the latest slot finds it the last one, and waits for the next.
		await().atMost(BOUND)
			.until(() -> slot(32).equals(status(a).nextSlot()) && slot(32).equals(status(b).nextSlot())
					&& this.ticks.runs().contains(latest) && TestPools.rows(this.name) == 0);
		assertThat(this.ticks.runs()).containsExactly(FIRST, latest);
		clock.advance(Duration.ofSeconds(30));
		await().atMost(BOUND).until(() -> this.ticks.runs().size() == 3);
		assertThat(this.ticks.runs()).containsExactly(FIRST, latest, slot(32));
	}

	@Test
	void slotsMissedWhileNoInstanceRanAreSkippedWhenTheJobSaysSo() {
		TestClock clock = new TestClock(START);
		RecurringJob job = Ticks.job().withMissedSlots(MissedSlots.SKIP);
		JdbcJobPool before = start(TestDatabase.get().dataSource(), this.ticks.pool(this.name, clock, job));
		clock.advance(Duration.ofMinutes(1));
		await().atMost(BOUND).until(() -> this.ticks.runs().equals(List.of(FIRST)));
		before.close(Duration.ofSeconds(10));
		clock.advance(Duration.ofMinutes(30).plusSeconds(30));
		JdbcJobPool after = instance(clock, job);
		await().atMost(BOUND).untilAsserted(() -> assertThat(status(after)).satisfies((status) -> {
			assertThat(status.lastSlot()).isEqualTo(slot(31));
			assertThat(status.lastOutcome()).startsWith("skipped: missed by");
			assertThat(status.nextSlot()).isEqualTo(slot(32));
		}));
		clock.advance(Duration.ofSeconds(30));
		await().atMost(BOUND).until(() -> this.ticks.runs().size() == 2);
		assertThat(this.ticks.runs()).containsExactly(FIRST, slot(32));
	}

	@Test
	void aSlotIsSkippedOnOneInstanceWhileTheJobOfTheSlotBeforeRunsOnAnother() {
		TestClock clockA = new TestClock(START);
		TestClock clockB = new TestClock(START);
		RecurringJob job = Ticks.job().withOverlap(false);
		JdbcJobPool a = instance(clockA, job);
		JdbcJobPool b = instance(clockB, job);
		this.ticks.hold();
		clockA.advance(Duration.ofMinutes(1));
		await().atMost(BOUND)
			.until(() -> this.ticks.runs().equals(List.of(slot(1))) && slot(1).equals(status(a).lastSlot()));
		clockB.advance(Duration.ofMinutes(1));
		await().atMost(BOUND).until(() -> "taken elsewhere".equals(status(b).lastOutcome()));
		clockB.advance(Duration.ofMinutes(1));
		await().atMost(BOUND).until(() -> slot(2).equals(status(b).lastSlot()));
		assertThat(status(b).lastOutcome()).isEqualTo(SKIPPED_OVERLAP);
		assertThat(Ticks.lastSlot(this.jdbc, this.name)).isEqualTo(slot(2));
		assertThat(TestPools.rows(this.name, "running")).isOne();
		this.ticks.release();
		await().atMost(BOUND).until(() -> TestPools.rows(this.name) == 0);
		clockB.advance(Duration.ofMinutes(1));
		await().atMost(BOUND).until(() -> this.ticks.runs().size() == 2);
		assertThat(this.ticks.runs()).containsExactly(slot(1), slot(3));
		assertThat(b.stats().recurring()).isOne();
	}

	@Test
	void aPayloadThatCannotBeMadeLeavesNoTraceOfItsSlot() {
		TestClock clock = new TestClock(START);
		JdbcJobPool pool = instance(clock, Ticks.job((slot) -> {
			if (slot.equals(FIRST)) {
				throw new IllegalStateException("no payload for the first slot");
			}
			return slot;
		}));
		clock.advance(Duration.ofMinutes(1));
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(status(pool).lastOutcome())
				.startsWith("failed to make the payload: java.lang.IllegalStateException: no payload"));
		assertThat(Ticks.lastSlot(this.jdbc, this.name)).isNull();
		assertThat(TestPools.rows(this.name)).isZero();
		clock.advance(Duration.ofMinutes(1));
		await().atMost(BOUND).until(() -> this.ticks.runs().size() == 1);
		assertThat(this.ticks.runs()).containsExactly(slot(2));
		assertThat(Ticks.lastSlot(this.jdbc, this.name)).isEqualTo(slot(2));
	}

}
