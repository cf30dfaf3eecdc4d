package io.jobpool.jdbc.test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.RecurringJob;
import io.jobpool.test.TestClock;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A recurring job for tests, every minute on the minute, whose job records the slot it runs for: the runs of all
 * the instances of a test in one place, to count how often each slot ran.
 */
public final class Ticks {

	/** The recurring job's name. */
	public static final String NAME = "tick";

	private final List<Instant> runs = new CopyOnWriteArrayList<>();

	private volatile CountDownLatch held = new CountDownLatch(0);

	/**
	 * The payload of a slot.
	 * @param slot the slot, as an ISO instant
	 */
	public record Tick(String slot) {
	}

	/** The first minute strictly after a time. */
	public static Instant everyMinute(Instant after) {
		return after.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
	}

	/**
	 * The recurring job.
	 * @param beforePayload called with the slot before its payload is made, on the instance that makes it
	 */
	public static RecurringJob job(UnaryOperator<Instant> beforePayload) {
		return RecurringJob.of(NAME, Ticks::everyMinute, (slot) -> new Tick(beforePayload.apply(slot).toString()));
	}

	/** The recurring job. */
	public static RecurringJob job() {
		return job(UnaryOperator.identity());
	}

	/** A pool, as one instance of it, that runs ticks on its own clock. */
	public JobPoolBuilder pool(String name, TestClock clock, RecurringJob job) {
		return JobPool.builder()
			.name(name)
			.workerNum(2)
			.clock(clock)
			.recurring(job)
			.processor(Tick.class, () -> (run) -> {
				this.runs.add(Instant.parse(run.data().slot()));
				this.held.await(30, TimeUnit.SECONDS);
			});
	}

	/** Keep the jobs that start from now on running, for at most 30 s, until {@link #release()}. */
	public void hold() {
		this.held = new CountDownLatch(1);
	}

	/** Let the jobs held run to their end. */
	public void release() {
		this.held.countDown();
	}

	/** The slots run, in the order they ran. */
	public List<Instant> runs() {
		return List.copyOf(this.runs);
	}

	/** The last slot {@code jobpool_recurring} holds for a pool's ticks, or {@code null}. */
	public static @Nullable Instant lastSlot(JdbcTemplate jdbc, String pool) {
		List<Timestamp> last = jdbc.queryForList("SELECT last_slot FROM jobpool_recurring WHERE pool = ? AND name = ?",
				Timestamp.class, pool, NAME);
		return last.isEmpty() ? null : last.get(0).toInstant();
	}

}
