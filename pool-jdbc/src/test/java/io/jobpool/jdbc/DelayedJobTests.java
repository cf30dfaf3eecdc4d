package io.jobpool.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.JobRejectedException;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.test.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Jobs submitted for later on PostgreSQL: rows due at their time on the pool's clock, bounded by
 * {@code schedule-size}, kept in the table across restarts, and deleted when cancelled before they are due.
 */
class DelayedJobTests {

	private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

	private static final Duration BOUND = Duration.ofSeconds(30);

	record Reminder(String text) {
	}

	record Nested(int n) {
	}

	private final String name = TestDatabase.uniqueName("delayed");

	private final TestClock clock = new TestClock(START);

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private final List<JdbcJobPool> pools = new ArrayList<>();

	@AfterEach
	void close() {
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
	}

	private JdbcJobPool start(int scheduleSize) {
		return start(builder(scheduleSize));
	}

	private JdbcJobPool start(JobPoolBuilder builder) {
		JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), builder);
		this.pools.add(pool);
		return pool;
	}

	private JobPoolBuilder builder(int scheduleSize) {
		return JobPool.builder()
			.name(this.name)
			.workerNum(2)
			.queueSize(4)
			.scheduleSize(scheduleSize)
			.clock(this.clock)
			.processor(Reminder.class, () -> (job) -> this.ran.add(job.data().text()));
	}

	@Test
	void aJobRunsWhenThePoolsClockReachesItsTimeAndNotBefore() throws Exception {
		JdbcJobPool pool = start(10);
		JobFuture inTwoHours = pool.schedule(new Reminder("in two hours"), Duration.ofHours(2));
		JobFuture inOneHour = pool.schedule(new Reminder("in one hour"), START.plus(Duration.ofHours(1)));
		// An estimate, as the queue's depth is: a count made as a job commits may count it twice until the next.
		await().atMost(BOUND).until(() -> pool.figures().scheduled() == 2);
		assertThat(pool.figures().scheduleCapacity()).isEqualTo(10);
		assertThat(pool.queueDepth()).isZero();
		assertThat(TestPools.rows(this.name, "ready")).isEqualTo(2);
		// A job due now runs past them: the claims that took it left the two alone.
		pool.submit(new Reminder("now")).get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("now");
		this.clock.advance(Duration.ofHours(1));
		inOneHour.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(inTwoHours).isNotDone();
		assertThat(this.ran).containsExactly("now", "in one hour");
		await().atMost(BOUND).until(() -> pool.figures().scheduled() == 1);
		this.clock.advance(Duration.ofHours(1));
		inTwoHours.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("now", "in one hour", "in two hours");
		assertThat(TestPools.rows(this.name)).isZero();
		assertThat(pool.stats().scheduled()).isEqualTo(2);
	}

	@Test
	void aJobNotYetDueStaysInTheTableWhenThePoolClosesAndRunsAfterTheNextStart() throws Exception {
		JdbcJobPool first = start(10);
		JobFuture later = first.schedule(new Reminder("later"), Duration.ofHours(1));
		assertThat(first.close(Duration.ofSeconds(10))).isEmpty();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> later.get(BOUND.toSeconds(), TimeUnit.SECONDS))
			.withCauseInstanceOf(JobHandedBackException.class);
		assertThat(first.stats()).isEqualTo(new JobPoolStats(1, 0, 0, 0, 0, 1, 1, 0));
		assertThat(TestPools.rows(this.name, "ready")).isOne();

		JdbcJobPool second = start(10);
		assertThat(second.figures().scheduled()).isOne();
		this.clock.advance(Duration.ofHours(1));
		await().atMost(BOUND).until(() -> TestPools.rows(this.name) == 0);
		assertThat(this.ran).containsExactly("later");
	}

	@Test
	void aJobCancelledBeforeItIsDueIsDeletedNeverRunsAndFreesItsPlace() throws Exception {
		JdbcJobPool pool = start(1);
		JobFuture cancelled = pool.schedule(new Reminder("cancelled"), Duration.ofMinutes(5));
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(TestPools.rows(this.name)).isZero();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(cancelled::join);
		JobFuture kept = pool.schedule(new Reminder("kept"), Duration.ofMinutes(5));
		this.clock.advance(Duration.ofMinutes(5));
		kept.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("kept");
		JobPoolStats stats = pool.stats();
		assertThat(stats.accepted()).isEqualTo(2);
		assertThat(stats.failed()).isOne();
		assertThat(stats.succeeded()).isOne();
	}

	@Test
	void aFullScheduleBlocksTheSubmitterUntilAJobComesDue() throws Exception {
		JdbcJobPool pool = start(2);
		JobFuture first = pool.schedule(new Reminder("first"), Duration.ofMinutes(1));
		JobFuture second = pool.schedule(new Reminder("second"), Duration.ofMinutes(2));
		CompletableFuture<JobFuture> third = new CompletableFuture<>();
		Thread submitter = new Thread(() -> {
			try {
				third.complete(pool.schedule(new Reminder("third"), Duration.ofMinutes(3)));
			}
			catch (RuntimeException ex) {
				third.completeExceptionally(ex);
			}
		});
		submitter.start();
		await().atMost(BOUND).until(() -> submitter.getState() == Thread.State.TIMED_WAITING && !third.isDone());
		assertThat(TestPools.rows(this.name)).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(1));
		first.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		JobFuture thirdJob = third.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		this.clock.advance(Duration.ofMinutes(1));
		second.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		this.clock.advance(Duration.ofMinutes(1));
		thirdJob.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("first", "second", "third");
	}

	@Test
	void aFullScheduleRefusesTryScheduleOnceItsWaitIsOver() {
		JdbcJobPool pool = start(1);
		pool.schedule(new Reminder("fills the schedule"), Duration.ofMinutes(10));
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> pool.trySchedule(new Reminder("one too many"), this.clock.instant().plus(Duration.ofMinutes(5)),
					Duration.ofMillis(100)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.QUEUE_FULL));
		assertThat(TestPools.rows(this.name)).isEqualTo(1);
		assertThat(pool.stats().rejected()).isEqualTo(1);
	}

	@Test
	void aFullScheduleRefusesAJobThatOneOfThePoolsOwnWorkersWouldWaitFor() throws Exception {
		AtomicReference<JdbcJobPool> self = new AtomicReference<>();
		AtomicReference<Throwable> refused = new AtomicReference<>();
		JdbcJobPool pool = start(builder(1).processor(Nested.class, () -> (job) -> {
			try {
				self.get().schedule(new Reminder("nested"), Duration.ofMinutes(1));
			}
			catch (JobRejectedException ex) {
				refused.set(ex);
			}
		}));
		self.set(pool);
		pool.schedule(new Reminder("fills the schedule"), Duration.ofMinutes(10));
		pool.submit(new Nested(1)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(refused.get()).isInstanceOfSatisfying(JobRejectedException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(Reason.QUEUE_FULL));
		assertThat(pool.stats().rejected()).isOne();
		assertThat(TestPools.rows(this.name)).isOne();
	}

	@Test
	void aRetryWaitsOnThePoolsClockAndCountsAsRetryingNotScheduled() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		JdbcJobPool pool = start(JobPool.builder()
			.name(this.name)
			.clock(this.clock)
			.retry(RetryPolicy.maxAttempts(2).withBackoff(Duration.ofHours(1), 2.0, Duration.ofHours(1), 0.0))
			.processor(Reminder.class, () -> (job) -> {
				if (attempts.incrementAndGet() == 1) {
					throw new IllegalStateException("first attempt fails");
				}
			}));
		JobFuture future = pool.submit(new Reminder("retried"));
		await().atMost(BOUND).until(() -> pool.figures().retrying() == 1);
		assertThat(pool.figures().scheduled()).isZero();
		assertThat(future).isNotDone();
		this.clock.advance(Duration.ofHours(1));
		future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(attempts).hasValue(2);
	}

}
