package io.jobpool.engine;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.RecurringJob;
import io.jobpool.RecurringJobStatus;
import io.jobpool.spi.JobStore;
import io.jobpool.spi.SlotSubmission;
import org.jspecify.annotations.Nullable;

/**
 * The recurring jobs of a pool: one thread submits each at its slots, reading the pool's clock at the latest every
 * second. A slot reached more than {@link #MISSED_AFTER} late counts as missed, and of the slots missed in a row
 * only the latest is considered, which its job's {@link RecurringJob.MissedSlots policy} runs or skips. A slot
 * the store cannot take now (the database is down) is tried again a second later.
 */
final class Recurrences implements Runnable {

	/** How late a slot may be reached and still count as on time. */
	static final Duration MISSED_AFTER = Duration.ofSeconds(10);

	private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

	// A schedule with a slot every nanosecond would otherwise keep this thread counting missed slots forever.
	private static final int MAX_MISSED_COUNTED = 1_000_000;

	private static final System.Logger logger = System.getLogger(Recurrences.class.getName());

	private final String pool;

	private final Clock clock;

	private final Slots slots;

	private final List<Schedule> schedules = new ArrayList<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition stopping = this.lock.newCondition();

	private boolean stopped;

	private @Nullable Thread thread;

	Recurrences(String pool, Collection<RecurringJob> jobs, Clock clock, Slots slots) {
		this.pool = pool;
		this.clock = clock;
		this.slots = slots;
		jobs.forEach((job) -> this.schedules.add(new Schedule(job)));
	}

	/**
	 * Find each job's next slot from the last one the store knows of, and start the thread.
	 * @param store the pool's store
	 * @param threadName the thread's name
	 */
	void start(JobStore store, String threadName) {
		if (this.schedules.isEmpty()) {
			return;
		}
		Instant now = this.clock.instant();
		for (Schedule schedule : this.schedules) {
			Instant last = null;
			try {
				last = store.lastSlot(schedule.job);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Pool '" + this.pool + "' could not read the last slot of recurring job '"
						+ schedule.job.name() + "'; it goes on from now, and slots missed before are not run", ex);
			}
			schedule.next = schedule.job.nextSlot().apply((last != null) ? last : now);
		}
		Thread thread = new Thread(this, threadName);
		thread.setDaemon(true);
		this.thread = thread;
		thread.start();
	}

	/** Submit no more slots. */
	void stop() {
		this.lock.lock();
		try {
			this.stopped = true;
			this.stopping.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	List<RecurringJobStatus> statuses() {
		return this.schedules.stream().map(Schedule::status).toList();
	}

	RecurringJob job(String name) {
		return this.schedules.stream()
			.filter((schedule) -> schedule.job.name().equals(name))
			.findFirst()
			.map((schedule) -> schedule.job)
			.orElseThrow(() -> new IllegalArgumentException("Pool '" + this.pool + "' has no recurring job named '"
					+ name + "'; its recurring jobs are "
					+ this.schedules.stream().map((schedule) -> schedule.job.name()).toList()));
	}

	@Override
	public void run() {
		while (true) {
			Instant now = this.clock.instant();
			long sleep = MAX_SLEEP_NANOS;
			for (Schedule schedule : this.schedules) {
				if (isStopped()) {
					return;
				}
				Instant next = schedule.next;
				if (next != null && !next.isAfter(now)) {
					fire(schedule, now);
					next = schedule.next;
				}
				if (next != null) {
					sleep = Math.min(sleep, Math.max(1, nanosUntil(next)));
				}
			}
			if (!sleep(sleep)) {
				return;
			}
		}
	}

	private void fire(Schedule schedule, Instant now) {
		RecurringJob job = schedule.job;
		Instant slot = schedule.next;
		int missed = 0;
		Instant later = job.nextSlot().apply(slot);
		while (later != null && !later.isAfter(now) && missed < MAX_MISSED_COUNTED) {
			slot = later;
			missed++;
			later = job.nextSlot().apply(slot);
		}
		boolean late = Duration.between(slot, now).compareTo(MISSED_AFTER) > 0;
		if (late && job.missedSlots() == RecurringJob.MissedSlots.SKIP) {
			schedule.handled(slot, SlotSubmission.skipped("missed by " + Duration.between(slot, now)), later);
			log(Level.INFO, job, slot, "was missed by " + Duration.between(slot, now) + " and is skipped");
			return;
		}
		if (late || missed > 0) {
			log(Level.INFO, job, slot, "is run late, by " + Duration.between(slot, now)
					+ ((missed > 0) ? ", and the " + missed + " slot(s) before it are skipped" : ""));
		}
		JobFuture submittedHere = schedule.submittedHere;
		if (!job.overlap() && submittedHere != null && !submittedHere.isDone()) {
			schedule.handled(slot, SlotSubmission.skipped("the job of the last slot submitted has not ended"), later);
			log(Level.INFO, job, slot, "is skipped: the job of the last slot submitted has not ended");
			return;
		}
		try {
			schedule.handled(slot, this.slots.submit(job, slot), later);
		}
		catch (JobRejectedException ex) {
			if (ex.reason() == Reason.STORE_UNAVAILABLE) {
				schedule.retrying(slot, ex);
				return;
			}
			schedule.handled(slot, new SlotSubmission(null, "refused: " + ex.getMessage()), later);
			log(Level.WARNING, job, slot, "was refused: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			schedule.handled(slot, new SlotSubmission(null, "failed to make the payload: " + ex), later);
			logger.log(Level.WARNING, "Recurring job '" + job.name() + "' of pool '" + this.pool + "' could not make "
					+ "the payload of slot " + slot + "; the slot is skipped", ex);
		}
	}

	private void log(Level level, RecurringJob job, Instant slot, String what) {
		logger.log(level, () -> "Slot " + slot + " of recurring job '" + job.name() + "' of pool '" + this.pool
				+ "' " + what);
	}

	private long nanosUntil(Instant next) {
		Duration until = Duration.between(this.clock.instant(), next);
		return (until.compareTo(Duration.ofSeconds(1)) > 0) ? MAX_SLEEP_NANOS : until.toNanos();
	}

	private boolean isStopped() {
		this.lock.lock();
		try {
			return this.stopped;
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean sleep(long nanos) {
		this.lock.lock();
		try {
			if (!this.stopped) {
				this.stopping.awaitNanos(nanos);
			}
			return !this.stopped;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Submits the job of a slot for the pool, counting a refusal as the pool's submits do. */
	@FunctionalInterface
	interface Slots {

		SlotSubmission submit(RecurringJob job, Instant slot);

	}

	/** One recurring job and where it stands; written by the thread, read by anyone. */
	private final class Schedule {

		final RecurringJob job;

		volatile @Nullable Instant next;

		volatile @Nullable Instant last;

		volatile @Nullable String lastOutcome;

		volatile @Nullable JobFuture lastFuture;

		// The job of the last slot this instance submitted, which a job that forbids overlap waits out.
		@Nullable JobFuture submittedHere;

		// The first failure of a streak in which the store could not take a slot, so it is logged once.
		private volatile @Nullable Instant unavailableSince;

		Schedule(RecurringJob job) {
			this.job = job;
		}

		void handled(Instant slot, SlotSubmission submission, @Nullable Instant next) {
			if (this.unavailableSince != null) {
				logger.log(Level.INFO, () -> "Recurring job '" + this.job.name() + "' of pool '" + Recurrences.this.pool
						+ "' can submit its slots again");
				this.unavailableSince = null;
			}
			this.last = slot;
			this.lastFuture = submission.future();
			if (submission.future() != null) {
				this.submittedHere = submission.future();
			}
			this.lastOutcome = submission.notSubmitted();
			this.next = next;
		}

		void retrying(Instant slot, JobRejectedException ex) {
			if (this.unavailableSince == null) {
				this.unavailableSince = slot;
				log(Level.WARNING, this.job, slot, "cannot be submitted now (" + ex.getMessage()
						+ "); it is tried again every second until it can");
			}
			this.lastOutcome = "refused: " + ex.getMessage();
		}

		RecurringJobStatus status() {
			JobFuture future = this.lastFuture;
			String outcome = (future != null && this.unavailableSince == null) ? outcomeOf(future) : this.lastOutcome;
			return new RecurringJobStatus(this.job.name(), this.next, this.last, outcome);
		}

		private static String outcomeOf(CompletableFuture<Void> future) {
			if (!future.isDone()) {
				return "submitted";
			}
			if (!future.isCompletedExceptionally()) {
				return "succeeded";
			}
			try {
				future.join();
				return "succeeded";
			}
			catch (RuntimeException ex) {
				return (ex.getCause() instanceof JobHandedBackException) ? "handed back" : "failed";
			}
		}

	}

}
