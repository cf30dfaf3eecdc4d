package io.jobpool.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.jobpool.RecurringJob;
import io.jobpool.RecurringJobStatus;
import io.jobpool.jdbc.test.FaultyDatabase;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.jdbc.test.Ticks;
import io.jobpool.test.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No slot of a recurring job is lost or doubled when the instance submitting it dies mid-transaction, nor when the
 * database is down as a slot comes.
 */
class RecurringJobFaultTests {

	private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final FaultyDatabase database = FaultyDatabase.get();

	private final String name = TestDatabase.uniqueName("recurring-fault");

	private final Ticks ticks = new Ticks();

	private final List<JdbcJobPool> pools = new ArrayList<>();

	private final CountDownLatch payloadMayBeMade = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.payloadMayBeMade.countDown();
		database.start();
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
	}

	private static Instant slot(int n) {
		return START.plus(Duration.ofMinutes(n));
	}

	private String application(String instance) {
		return this.name + "-" + instance;
	}

	private JdbcJobPool instance(String instance, TestClock clock, RecurringJob job) {
		JdbcJobPool pool = TestPools.start(database.dataSource(application(instance), 6, CONNECTION_TIMEOUT),
				this.ticks.pool(this.name, clock, job).threadNamePrefix(application(instance) + "-"));
		this.pools.add(pool);
		return pool;
	}

	private static RecurringJobStatus status(JdbcJobPool pool) {
		return pool.recurringJobs().get(0);
	}

	private void awaitRun(Instant slot) {
		await().atMost(BOUND).until(() -> this.ticks.runs().contains(slot) && database.rows(this.name) == 0);
	}

	@Test
	void aSlotWhoseInstanceDiesMidTransactionIsSubmittedOnceByAnother() throws Exception {
		Instant dying = slot(4);
		CountDownLatch inTransaction = new CountDownLatch(1);
		TestClock clockA = new TestClock(START);
		JdbcJobPool a = instance("a", clockA, Ticks.job((slot) -> {
			if (slot.equals(dying)) {
				inTransaction.countDown();
				awaitQuietly(this.payloadMayBeMade);
			}
			return slot;
		}));
		TestClock clockB = new TestClock(START);
		JdbcJobPool b = instance("b", clockB, Ticks.job());
		for (int n = 1; n < 4; n++) {
			clockA.advance(Duration.ofMinutes(1));
			clockB.advance(Duration.ofMinutes(1));
			awaitRun(slot(n));
		}

		clockA.advance(Duration.ofMinutes(1));
		assertThat(inTransaction.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		clockB.advance(Duration.ofMinutes(1));
		await("instance b waiting for the slot that instance a holds").atMost(BOUND)
			.until(() -> database.waitingForLock(application("b"), "%jobpool_recurring%") == 1);
		assertThat(database.terminateConnections(application("a"))).isPositive();
		awaitRun(dying);
		assertThat(a.shutdownNow()).isEmpty();
		this.payloadMayBeMade.countDown();

		for (int n = 5; n <= 6; n++) {
			clockB.advance(Duration.ofMinutes(1));
			awaitRun(slot(n));
		}
		assertThat(this.ticks.runs()).containsExactly(slot(1), slot(2), slot(3), slot(4), slot(5), slot(6));
		assertThat(Ticks.lastSlot(database.jdbc(), this.name)).isEqualTo(slot(6));
		assertThat(status(b).lastSlot()).isEqualTo(slot(6));
	}

	@Test
	void aSlotDueWhileTheDatabaseIsDownIsSubmittedOnceItIsBack() {
		TestClock clock = new TestClock(START);
		JdbcJobPool pool = instance("a", clock, Ticks.job());
		clock.advance(Duration.ofMinutes(1));
		awaitRun(slot(1));
		database.stop();
		clock.advance(Duration.ofMinutes(1));
		// Each try the database refuses counts as a refused submit; the slot stays the next one.
		await().atMost(BOUND).until(() -> pool.stats().rejected() >= 2);
		assertThat(status(pool).lastSlot()).isEqualTo(slot(1));
		assertThat(status(pool).nextSlot()).isEqualTo(slot(2));
		assertThat(status(pool).lastOutcome()).startsWith("refused: ");
		database.start();
		awaitRun(slot(2));
		clock.advance(Duration.ofMinutes(1));
		awaitRun(slot(3));
		assertThat(this.ticks.runs()).containsExactly(slot(1), slot(2), slot(3));
		assertThat(Ticks.lastSlot(database.jdbc(), this.name)).isEqualTo(slot(3));
		assertThat(pool.stats().recurring()).isEqualTo(3);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
