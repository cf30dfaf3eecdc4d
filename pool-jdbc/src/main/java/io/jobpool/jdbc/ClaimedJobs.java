package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.RetryPolicy;
import io.jobpool.engine.PoolCounters;
import io.jobpool.jdbc.ClaimedJob.Settlement;
import io.jobpool.jdbc.JobTable.StoredJob;
import io.jobpool.jdbc.JobTypes.UnreadablePayloadException;
import org.jspecify.annotations.Nullable;

/**
 * The jobs a durable pool has claimed: it reads each one, hands it to the local workers, and writes how it ended
 * (succeeded jobs through {@link Completions}, in batches), every write fenced by the job's attempt. It knows how
 * many claimed jobs are running and how many ends are not written yet, which bounds the next claim.
 */
final class ClaimedJobs {

	private static final System.Logger logger = System.getLogger(ClaimedJobs.class.getName());

	private final String pool;

	private final JobPool local;

	private final JobTable table;

	private final JobTypes types;

	private final RetryPolicy retry;

	private final SubmittedJobs submitted;

	private final PoolCounters counters;

	private final Claimer claimer;

	private final Completions completions;

	// Claimed jobs the local workers have not finished.
	private final AtomicInteger running = new AtomicInteger();

	// Claimed jobs whose end is not written to the table yet.
	private final AtomicInteger unrecorded = new AtomicInteger();

	ClaimedJobs(String pool, JobPool local, JobTable table, JobTypes types, RetryPolicy retry, SubmittedJobs submitted,
			PoolCounters counters, Claimer claimer, Duration pollInterval) {
		this.pool = pool;
		this.local = local;
		this.table = table;
		this.types = types;
		this.retry = retry;
		this.submitted = submitted;
		this.counters = counters;
		this.claimer = claimer;
		this.completions = new Completions(this, pollInterval);
	}

	String pool() {
		return this.pool;
	}

	Completions completions() {
		return this.completions;
	}

	/**
	 * Workers free for a new claim: not running a job, and with the claimed jobs whose end is not yet written to
	 * the table (succeeded jobs are deleted in batches) at most twice the workers, so a slow table slows claims.
	 * @param workers the local workers
	 */
	int freeWorkers(int workers) {
		return Math.min(workers - this.running.get(), 2 * workers - this.unrecorded.get());
	}

	/** Hand a claimed row to the local workers, or set it aside if it cannot be read. */
	void dispatch(StoredJob stored) {
		Object data;
		try {
			data = this.types.read(stored.type(), stored.payload());
		}
		catch (UnreadablePayloadException ex) {
			setAside(stored, ex.getMessage());
			return;
		}
		ClaimedJob claimed = new ClaimedJob(stored, new Job<>(stored.id(), data, stored.attempt(),
				stored.createdAtMillis()), this.types.routeOf(stored.type()));
		this.running.incrementAndGet();
		this.unrecorded.incrementAndGet();
		JobFuture run;
		try {
			run = this.local.trySubmit(claimed, Duration.ZERO);
		}
		catch (JobRejectedException ex) {
			this.running.decrementAndGet();
			this.unrecorded.decrementAndGet();
			this.table.release(stored);
			return;
		}
		run.whenComplete((ignored, error) -> settle(claimed, error));
	}

	private void setAside(StoredJob stored, String reason) {
		String error = reason + ". Fix the payload or register its type, then requeue the job.";
		logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' set job " + stored.id() + " aside as dead: " + error);
		if (this.table.bury(stored, error, false)) {
			this.submitted.failed(stored.id(), new DeadJobException(stored.id(), error));
		}
	}

	private void settle(ClaimedJob claimed, @Nullable Throwable error) {
		if (error == null) {
			this.completions.add(claimed);
			this.running.decrementAndGet();
			this.claimer.workerFreed();
			return;
		}
		try {
			Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause()
					: error;
			Settlement settlement = (cause instanceof JobHandedBackException) ? Settlement.RELEASE
					: claimed.settlement(cause, this::decide);
			StoredJob stored = claimed.stored;
			boolean stood = switch (settlement.kind()) {
				case RETRY -> this.table.retry(stored, settlement.backoff(), describe(cause));
				case DEAD -> this.table.bury(stored, describe(cause), true);
				case RELEASE -> this.table.release(stored);
			};
			if (!stood) {
				lostLease(stored);
			}
			else if (settlement.kind() == Settlement.Kind.RETRY) {
				this.counters.retried.increment();
			}
			else if (settlement.kind() == Settlement.Kind.DEAD) {
				this.submitted.failed(stored.id(), cause);
			}
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' could not record how job " + claimed.stored.id()
					+ " ended; it runs again once its lease expires", ex);
		}
		finally {
			this.running.decrementAndGet();
			recorded(1);
		}
	}

	/** The ends of claimed jobs were written to the table, or given up on (their leases will expire). */
	void recorded(int jobs) {
		this.unrecorded.addAndGet(-jobs);
		this.claimer.workerFreed();
	}

	Settlement decide(ClaimedJob claimed, Throwable error) {
		if (this.local.state().compareTo(JobPool.State.STOPPING) >= 0) {
			return Settlement.RELEASE;
		}
		int failedAttempt = claimed.stored.failures() + 1;
		if (this.retry.shouldRetry(failedAttempt, error)) {
			return new Settlement(Settlement.Kind.RETRY, this.retry.backoff(failedAttempt));
		}
		return Settlement.DEAD;
	}

	/** Jobs that succeeded here: delete their rows, then complete their futures. */
	void succeeded(List<ClaimedJob> jobs) {
		List<StoredJob> rows = new ArrayList<>(jobs.size());
		for (ClaimedJob job : jobs) {
			rows.add(job.stored);
		}
		Set<Long> deleted = this.table.succeed(rows);
		for (StoredJob row : rows) {
			if (deleted.contains(row.id())) {
				this.submitted.succeeded(row.id());
			}
			else {
				lostLease(row);
			}
		}
	}

	private void lostLease(StoredJob stored) {
		logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' ran job " + stored.id() + " (attempt "
				+ stored.attempt() + ") after its lease was lost; what this run did stands, but its outcome is not "
				+ "recorded: the job was claimed again");
	}

	private static String describe(Throwable error) {
		StringBuilder text = new StringBuilder(error.toString());
		for (Throwable cause = error.getCause(); cause != null && cause != error; cause = cause.getCause()) {
			text.append("; caused by ").append(cause);
		}
		return text.toString();
	}

}
