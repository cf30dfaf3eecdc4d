package io.jobpool.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.JobRejectedException;
import io.jobpool.test.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for jobs submitted for later in memory: they hold no worker, run when due on the pool's clock, are bounded
 * as the queue is, and can be cancelled before they are due.
 */
class DelayedJobsTests {

	private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

	private final TestClock clock = new TestClock(START);

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private JobPool pool;

	@AfterEach
	void close() {
		if (this.pool != null) {
			this.pool.close(Duration.ofSeconds(5));
		}
	}

	private JobPool start(int scheduleSize) {
		this.pool = JobPool.builder()
			.name("later")
			.workerNum(2)
			.queueSize(4)
			.scheduleSize(scheduleSize)
			.clock(this.clock)
			.processor(String.class, () -> (job) -> this.ran.add(job.data()))
			.build();
		this.pool.start();
		return this.pool;
	}

	@Test
	void aJobRunsWhenThePoolsClockReachesItsTimeAndNotBefore() throws Exception {
		JobPool pool = start(10);
		JobFuture inTwoHours = pool.schedule("in two hours", Duration.ofHours(2));
		JobFuture inOneHour = pool.schedule("in one hour", START.plus(Duration.ofHours(1)));
		assertThat(pool.figures().scheduled()).isEqualTo(2);
		assertThat(pool.figures().queueDepth()).isZero();
		assertThat(pool.activeWorkers()).isZero();
		this.clock.advance(Duration.ofHours(1));
		inOneHour.get(5, TimeUnit.SECONDS);
		assertThat(inTwoHours).isNotDone();
		assertThat(this.ran).containsExactly("in one hour");
		assertThat(pool.figures().scheduled()).isEqualTo(1);
		this.clock.advance(Duration.ofHours(1));
		inTwoHours.get(5, TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("in one hour", "in two hours");
	}

	@Test
	void aTimeAlreadyPastSubmitsTheJobNow() throws Exception {
		JobPool pool = start(10);
		pool.schedule("yesterday", START.minus(Duration.ofDays(1))).get(5, TimeUnit.SECONDS);
		pool.schedule("no delay", Duration.ZERO).get(5, TimeUnit.SECONDS);
		assertThat(this.ran).containsExactlyInAnyOrder("yesterday", "no delay");
	}

	@Test
	void aDelayOnTheSystemClockRunsTheJobOnceItHasPassed() throws Exception {
		AtomicReference<Long> ranAt = new AtomicReference<>();
		this.pool = JobPool.builder()
			.name("system-clock")
			.processor(String.class, () -> (job) -> ranAt.set(System.nanoTime()))
			.build();
		this.pool.start();
		long submitted = System.nanoTime();
		this.pool.schedule("soon", Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);
		assertThat(ranAt.get() - submitted).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
	}

	@Test
	void aJobCancelledBeforeItIsDueNeverRunsAndFreesItsPlace() throws Exception {
		JobPool pool = start(1);
		JobFuture cancelled = pool.schedule("cancelled", Duration.ofMinutes(5));
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(pool.figures().scheduled()).isZero();
		JobFuture kept = pool.schedule("kept", Duration.ofMinutes(5));
		this.clock.advance(Duration.ofMinutes(5));
		kept.get(5, TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("kept");
		assertThatExceptionOfType(CancellationException.class).isThrownBy(cancelled::join);
		JobPoolStats stats = pool.stats();
		assertThat(stats.accepted()).isEqualTo(2);
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.succeeded()).isEqualTo(1);
	}

	@Test
	void aFullScheduleBlocksTheSubmitterUntilThereIsRoom() throws Exception {
		JobPool pool = start(2);
		JobFuture first = pool.schedule("first", Duration.ofMinutes(1));
		JobFuture second = pool.schedule("second", Duration.ofMinutes(2));
		CompletableFuture<JobFuture> third = CompletableFuture.supplyAsync(() -> pool.schedule("third",
				Duration.ofMinutes(3)));
		await().atMost(Duration.ofSeconds(5)).until(() -> pool.figures().scheduled() == 2);
		assertThat(third).isNotDone();
		this.clock.advance(Duration.ofMinutes(1));
		first.get(5, TimeUnit.SECONDS);
		JobFuture thirdJob = third.get(5, TimeUnit.SECONDS);
		this.clock.advance(Duration.ofMinutes(1));
		second.get(5, TimeUnit.SECONDS);
		this.clock.advance(Duration.ofMinutes(1));
		thirdJob.get(5, TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("first", "second", "third");
	}

	@Test
	void aFullScheduleRefusesTryScheduleOnceItsWaitIsOver() {
		JobPool pool = start(1);
		pool.schedule("fills the schedule", Duration.ofMinutes(10));
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> pool.trySchedule("one too many", START.plus(Duration.ofMinutes(5)), Duration.ofMillis(50)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.QUEUE_FULL))
			.withMessage("The schedule of pool 'later' stayed full (1 jobs waiting for their time) for PT0.05S; "
					+ "retry later, or raise schedule-size");
		assertThat(pool.stats().rejected()).isEqualTo(1);
		assertThat(pool.stats().accepted()).isEqualTo(1);
	}

	@Test
	void aFullScheduleRefusesAJobThatOneOfThePoolsOwnWorkersWouldWaitFor() throws Exception {
		AtomicReference<Throwable> refused = new AtomicReference<>();
		this.pool = JobPool.builder()
			.name("own-worker")
			.scheduleSize(1)
			.clock(this.clock)
			.processor(Integer.class, () -> (job) -> {
				try {
					this.pool.schedule("later", Duration.ofMinutes(1));
				}
				catch (JobRejectedException ex) {
					refused.set(ex);
				}
			})
			.processor(String.class, () -> (job) -> {
			})
			.build();
		this.pool.start();
		this.pool.schedule("fills the schedule", Duration.ofMinutes(10));
		this.pool.submit(1).get(5, TimeUnit.SECONDS);
		assertThat(refused.get()).isInstanceOf(JobRejectedException.class)
			.satisfies((ex) -> assertThat(((JobRejectedException) ex).reason()).isEqualTo(Reason.QUEUE_FULL));
		assertThat(this.pool.stats().rejected()).isEqualTo(1);
	}

	@Test
	void aSubmitterWaitingOnAFullScheduleIsRefusedWhenThePoolCloses() throws Exception {
		JobPool pool = start(1);
		pool.schedule("fills the schedule", Duration.ofMinutes(10));
		CompletableFuture<JobFuture> blocked = new CompletableFuture<>();
		Thread submitter = new Thread(() -> {
			try {
				blocked.complete(pool.schedule("blocked", Duration.ofMinutes(1)));
			}
			catch (RuntimeException ex) {
				blocked.completeExceptionally(ex);
			}
		});
		submitter.start();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> submitter.getState() == Thread.State.WAITING
					|| submitter.getState() == Thread.State.TIMED_WAITING);
		assertThat(blocked).isNotDone();
		pool.close(Duration.ofSeconds(5));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> blocked.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(JobRejectedException.class)
			.satisfies((ex) -> assertThat(((JobRejectedException) ex).reason()).isEqualTo(Reason.NOT_RUNNING));
	}

	@Test
	void jobsNotYetDueAreHandedBackWhenThePoolClosesAndCountedSo() throws Exception {
		JobPool pool = start(10);
		JobFuture later = pool.schedule("later", Duration.ofDays(1));
		pool.submit("now").get(5, TimeUnit.SECONDS);
		pool.close(Duration.ofSeconds(5));
		assertThat(pool.isClosed()).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> later.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(JobHandedBackException.class);
		JobPoolStats stats = pool.stats();
		assertThat(stats.accepted()).isEqualTo(stats.succeeded() + stats.failed() + stats.handedBack());
		assertThat(stats.handedBack()).isEqualTo(1);
		assertThat(this.ran).containsExactly("now");
	}

}
