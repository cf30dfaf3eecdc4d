package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.JobTable.StoredJob;
import io.jobpool.spi.Ending;
import io.jobpool.spi.QueuedJob;
import io.jobpool.spi.StoreContext;
import org.jspecify.annotations.Nullable;

/**
 * The jobs this pool claimed and has not finished with. It turns claimed rows into jobs for the workers and keeps
 * them until a worker takes one; it knows which claims are alive here (the heartbeat renews only those) and hands
 * each end to {@link Completions}. Its counts bound the next claim. A job waiting here for a worker keeps its place
 * in the queue ({@link PendingJobs}) until a worker takes it or its row is back in the table.
 * <p>
 * A claim may run ahead of the free workers by a few jobs, so that a worker that frees up finds its next job
 * waiting instead of waiting for a round trip: at most the number of workers, and no more than the jobs the
 * workers finished in the last {@link #PREFETCH_HORIZON} ({@link Turnover}), so only while jobs are short. A job
 * claimed ahead that no worker took within {@link #PREFETCH_HORIZON} goes back to the table for any pool to claim,
 * and nothing more is claimed ahead until the workers finish jobs again: no pool holds work it cannot start soon.
 * <p>
 * A claim is alive from its claim until its end is written, or until a write of its end failed: from then on its
 * lease is left to lapse, so that a job whose end cannot be recorded runs again instead of staying claimed.
 */
final class ClaimedRuns {

	private static final System.Logger logger = System.getLogger(ClaimedRuns.class.getName());

	/** How soon a job claimed ahead of the free workers is expected to start, and is given back if it does not. */
	static final Duration PREFETCH_HORIZON = Duration.ofMillis(100);

	private static final long PREFETCH_HORIZON_NANOS = PREFETCH_HORIZON.toNanos();

	private final String pool;

	private final JobTable table;

	private final JobTypes types;

	private final RetryPolicy retry;

	private final long leaseNanos;

	private final SubmittedJobs submitted;

	private final Completions completions;

	private final PendingJobs places;

	private final Queue<QueuedJob> ready = new ConcurrentLinkedQueue<>();

	private final AtomicInteger readyCount = new AtomicInteger();

	private final Map<Long, ClaimedRun> alive = new ConcurrentHashMap<>();

	// Claimed and not ended: waiting for a worker or running.
	private final AtomicInteger running = new AtomicInteger();

	// Claimed, and the end not written yet nor given up.
	private final AtomicInteger unrecorded = new AtomicInteger();

	private final Turnover turnover = new Turnover(PREFETCH_HORIZON_NANOS);

	private final Supplier<StoreContext> context;

	private final Runnable workerFreed;

	ClaimedRuns(String pool, JobTable table, JobTypes types, RetryPolicy retry, Duration lease,
			SubmittedJobs submitted, PendingJobs places, Trouble trouble, Duration pollInterval,
			Supplier<StoreContext> context, Runnable workerFreed, ReadyJobsNotifier notifier) {
		this.pool = pool;
		this.table = table;
		this.types = types;
		this.retry = retry;
		this.leaseNanos = lease.toNanos();
		this.submitted = submitted;
		this.places = places;
		this.completions = new Completions(pool, table, this, trouble, pollInterval, notifier);
		this.context = context;
		this.workerFreed = workerFreed;
	}

	Completions completions() {
		return this.completions;
	}

	/** The most jobs that may be claimed and not ended: the workers, and as many more as may be claimed ahead. */
	int capacity() {
		int workers = this.context.get().workers();
		return workers + Math.min(workers, this.turnover.lately(System.nanoTime()));
	}

	/**
	 * Jobs a new claim may take: the {@link #capacity()} less the jobs claimed and not ended, and with the claimed
	 * jobs whose end is not yet written at most twice the workers, so a slow table slows claims.
	 */
	int room() {
		int workers = this.context.get().workers();
		return Math.min(capacity() - this.running.get(), 2 * workers - this.unrecorded.get());
	}

	/**
	 * Claim up to {@code max} jobs and make them ready for the workers.
	 * @return how many were claimed
	 */
	int claim(String owner, Duration lease, int max) {
		long leaseStart = System.nanoTime();
		this.places.holding(max);
		int kept = 0;
		List<StoredJob> rows = List.of();
		try {
			rows = this.table.claim(owner, lease, this.types.names(), max);
			for (StoredJob row : rows) {
				if (dispatch(row, leaseStart)) {
					kept++;
				}
			}
		}
		finally {
			this.places.claimed(max, rows.size(), kept);
		}
		return rows.size();
	}

	/**
	 * Make a claimed row a job for the workers.
	 * @return whether it was queued for them; if not, it ended at once
	 */
	private boolean dispatch(StoredJob row, long leaseStart) {
		ClaimedRun run = new ClaimedRun(row.id(), row.attempt(), row.failures(), leaseStart, this.leaseNanos);
		this.running.incrementAndGet();
		this.unrecorded.incrementAndGet();
		this.alive.put(run.id, run);
		Object data;
		try {
			data = this.types.read(row.type(), row.payload());
		}
		catch (Throwable ex) {
			setAside(run, (ex instanceof JobTypes.UnreadablePayloadException) ? ex.getMessage()
					: "Reading its payload failed: " + ex);
			return false;
		}
		QueuedJob job;
		try {
			job = this.context.get().queued(new Job<>(row.id(), data, row.attempt(), row.createdAtMillis()), run,
					row.waitedNanos());
		}
		catch (Throwable ex) {
			setAside(run, "Preparing it to run (its processor, its decorators) failed: " + ex);
			return false;
		}
		this.ready.add(job);
		this.readyCount.incrementAndGet();
		if (!this.context.get().admit(job)) {
			// Refused as the pool stops: the job is revoked, and no worker runs it even if one took it already.
			if (this.ready.remove(job)) {
				this.readyCount.decrementAndGet();
				giveBack(run);
			}
			else {
				end(run, PendingEnd.released(run));
			}
		}
		return true;
	}

	private void setAside(ClaimedRun run, String reason) {
		String text = reason + ". Fix the cause, then requeue the job.";
		logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' set " + run + " aside as dead: " + text);
		end(run, new PendingEnd(run, PendingEnd.Kind.UNREADABLE, Duration.ZERO, text,
				new DeadJobException(run.id, text)));
	}

	@Nullable QueuedJob poll() {
		QueuedJob job = this.ready.poll();
		if (job != null) {
			this.readyCount.decrementAndGet();
			this.places.taken();
		}
		return job;
	}

	/**
	 * Give back to the table the jobs claimed ahead that no worker took within {@link #PREFETCH_HORIZON} (while more
	 * jobs are claimed than there are workers, the oldest waiting first), and claim no more ahead until the workers
	 * finish jobs again.
	 */
	void releaseStale(long nowNanos) {
		int workers = this.context.get().workers();
		int released = 0;
		for (QueuedJob job : this.ready) {
			ClaimedRun run = (ClaimedRun) job.token();
			if (this.running.get() <= workers || nowNanos - run.claimedAtNanos < PREFETCH_HORIZON_NANOS) {
				break;
			}
			if (this.ready.remove(job)) {
				this.readyCount.decrementAndGet();
				giveBack(run);
				released++;
			}
		}
		if (released > 0) {
			this.turnover.reset();
		}
	}

	/** How long until the oldest job claimed ahead is given back, if no worker takes it. */
	long untilStale(long nowNanos) {
		QueuedJob oldest = this.ready.peek();
		if (oldest == null || this.running.get() <= this.context.get().workers()) {
			return Long.MAX_VALUE;
		}
		return Math.max(0, ((ClaimedRun) oldest.token()).claimedAtNanos + PREFETCH_HORIZON_NANOS - nowNanos);
	}

	int waiting() {
		return this.readyCount.get();
	}

	/** Take every claimed job no worker has taken. */
	List<QueuedJob> takeReady() {
		List<QueuedJob> taken = new ArrayList<>();
		QueuedJob job;
		while ((job = poll()) != null) {
			taken.add(job);
		}
		return taken;
	}

	/** Give every claimed job no worker has taken back to the queue, for other pools: this one is paused. */
	void releaseReady() {
		QueuedJob job;
		while ((job = this.ready.poll()) != null) {
			this.readyCount.decrementAndGet();
			giveBack((ClaimedRun) job.token());
		}
	}

	/** A job no worker took goes back to the table, keeping its place in the queue until its row is written. */
	private void giveBack(ClaimedRun run) {
		run.givenBack();
		this.places.releasing();
		end(run, PendingEnd.released(run));
	}

	/** What becomes of a claimed job whose attempt failed. */
	Ending decide(QueuedJob job, Throwable error) {
		if (this.context.get().state().compareTo(JobPool.State.STOPPING) >= 0) {
			return Ending.HANDED_BACK;
		}
		int failedAttempt = ((ClaimedRun) job.token()).failures + 1;
		if (this.retry.shouldRetry(failedAttempt, error)) {
			return Ending.retry(this.retry.backoff(failedAttempt), error);
		}
		return Ending.failed(error);
	}

	/** A claimed job's attempt ended, or a forced stop took it back unrun: write that. */
	void ended(QueuedJob job, Ending ending) {
		this.turnover.finished(System.nanoTime());
		ClaimedRun run = (ClaimedRun) job.token();
		Throwable error = ending.error();
		end(run, switch (ending.kind()) {
			case SUCCEEDED -> PendingEnd.succeeded(run);
			case RETRY -> new PendingEnd(run, PendingEnd.Kind.RETRY, ending.backoff(), describe(error), error);
			case FAILED -> new PendingEnd(run, PendingEnd.Kind.FAILED, Duration.ZERO, describe(error), error);
			case HANDED_BACK -> PendingEnd.released(run);
		});
	}

	private void end(ClaimedRun run, PendingEnd end) {
		this.running.decrementAndGet();
		this.completions.add(end);
		this.workerFreed.run();
	}

	/** The claims whose leases the heartbeat renews. */
	List<ClaimedRun> alive() {
		return new ArrayList<>(this.alive.values());
	}

	/** The end of a claimed job was written; {@code stood} says whether its claim still stood. */
	void recorded(PendingEnd end, boolean stood) {
		ClaimedRun run = end.run();
		this.alive.remove(run.id, run);
		if (!run.settle()) {
			return;
		}
		if (!stood) {
			logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' ran " + run + " after its lease was lost; what "
					+ "this run did stands, but its outcome is not recorded: the job was claimed again");
		}
		else if (end.kind() == PendingEnd.Kind.SUCCEEDED) {
			this.submitted.succeeded(run.id);
		}
		else if (end.kind() == PendingEnd.Kind.FAILED || end.kind() == PendingEnd.Kind.UNREADABLE) {
			this.submitted.failed(run.id, (end.cause() != null) ? end.cause() : new DeadJobException(run.id, "dead"));
		}
		settled(run);
	}

	/** A write of a claimed job's end failed: its lease is left to lapse, and the write is tried again. */
	void writeFailed(PendingEnd end) {
		this.alive.remove(end.run().id, end.run());
	}

	/** The end of a claimed job will not be written: the job runs again once its lease expires. */
	void gaveUp(PendingEnd end) {
		this.alive.remove(end.run().id, end.run());
		if (end.run().settle()) {
			settled(end.run());
		}
	}

	private void settled(ClaimedRun run) {
		this.unrecorded.decrementAndGet();
		if (run.wasGivenBack()) {
			this.places.released();
		}
		this.workerFreed.run();
	}

	void threadFailed(String what, Throwable error) {
		this.context.get().failed(what, error);
	}

	private static String describe(@Nullable Throwable error) {
		if (error == null) {
			return "";
		}
		StringBuilder text = new StringBuilder(error.toString());
		for (Throwable cause = error.getCause(); cause != null && cause != error; cause = cause.getCause()) {
			text.append("; caused by ").append(cause);
		}
		return text.toString();
	}

}
