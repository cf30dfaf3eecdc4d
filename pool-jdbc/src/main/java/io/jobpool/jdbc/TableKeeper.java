package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.jobpool.jdbc.JobTable.Counts;
import io.jobpool.jdbc.JobTable.StoredState;
import org.jspecify.annotations.Nullable;

/**
 * Looks after a durable pool's side of the table on a thread of its own: renews the leases of the claims alive here
 * (every third of a lease), and every poll interval returns expired leases to the queue, counts the pool's jobs
 * (less often when a count takes long, as {@link PendingJobs} allows), reports jobs of types no processor here
 * takes, and completes the futures of jobs submitted here that ended in another pool (looking up at most
 * {@value #STATES_PER_ROUND} of them a round: the oldest, and the others in turn). A failure is told through
 * {@link Trouble}, and the next round tries again.
 */
final class TableKeeper {

	private static final System.Logger logger = System.getLogger(TableKeeper.class.getName());

	/** A job whose lease expired this many times is set aside: it may be what kills the pools that run it. */
	static final int MAX_LEASE_EXPIRIES = 3;

	private static final String HEARTBEAT = "renew the leases of its jobs";

	private static final String TIDY = "look after its table (expired leases, counts, jobs that ended elsewhere)";

	private static final int STATES_PER_QUERY = 1000;

	/** The most jobs submitted here whose rows a round looks up, so a round costs the same however many wait. */
	static final int STATES_PER_ROUND = 1000;

	private static final int SHOWN_JOBS = 20;

	private final String pool;

	private final JobTable table;

	private final JdbcOptions options;

	private final String[] types;

	private final PendingJobs pending;

	private final PendingJobs scheduled;

	private final SubmittedJobs submitted;

	private final ClaimedRuns runs;

	private final Trouble trouble;

	private final Runnable jobsReturned;

	private final Set<String> reportedUnknownTypes = ConcurrentHashMap.newKeySet();

	private volatile Counts counts = Counts.NONE;

	private @Nullable ScheduledThreadPoolExecutor executor;

	TableKeeper(String pool, JobTable table, JdbcOptions options, String[] types, PendingJobs pending,
			PendingJobs scheduled, SubmittedJobs submitted, ClaimedRuns runs, Trouble trouble, Runnable jobsReturned) {
		this.pool = pool;
		this.table = table;
		this.options = options;
		this.types = types;
		this.pending = pending;
		this.scheduled = scheduled;
		this.submitted = submitted;
		this.runs = runs;
		this.trouble = trouble;
		this.jobsReturned = jobsReturned;
	}

	void start(String threadName) {
		ScheduledThreadPoolExecutor keeper = new ScheduledThreadPoolExecutor(1, (work) -> {
			Thread thread = new Thread(work, threadName);
			thread.setDaemon(true);
			return thread;
		});
		long beat = Math.max(1, this.options.lease().toNanos() / 3);
		keeper.scheduleWithFixedDelay(() -> guarded(HEARTBEAT, this::heartbeat), beat, beat, TimeUnit.NANOSECONDS);
		long poll = this.options.pollInterval().toNanos();
		keeper.scheduleWithFixedDelay(() -> guarded(TIDY, this::tidy), poll, poll, TimeUnit.NANOSECONDS);
		this.executor = keeper;
	}

	/** Stop, waiting at most the given time for a round under way. */
	void stop(Duration timeout) {
		ScheduledThreadPoolExecutor keeper = this.executor;
		if (keeper != null) {
			keeper.shutdownNow();
			try {
				keeper.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Ready, retrying, dead and scheduled jobs, as last counted. */
	Counts counts() {
		return this.counts;
	}

	/**
	 * Count the pool's jobs now, each as far as its bound needs: the queue's and the retries just past the queue's
	 * capacity, the schedule's just past its own. The one count serves the queue's estimate and the schedule's, so
	 * it is made inside both updates: each takes note of its places being taken before the rows are counted.
	 */
	void recount() {
		this.scheduled.update(() -> {
			this.pending.update(() -> {
				this.counts = this.table.counts(this.pending.countLimit(), this.scheduled.countLimit());
				return clamp(this.counts.ready());
			});
			return clamp(this.counts.scheduled());
		});
	}

	private static int clamp(long count) {
		return (int) Math.min(Integer.MAX_VALUE, count);
	}

	/** Complete the futures of jobs submitted here that ended in another pool. */
	void syncSubmitted() {
		syncSubmitted(this.submitted.ids(STATES_PER_QUERY));
	}

	private void syncSubmitted(List<long[]> batches) {
		for (long[] ids : batches) {
			Map<Long, StoredState> states = this.table.states(ids);
			for (long id : ids) {
				StoredState state = states.get(id);
				if (state == null) {
					this.submitted.succeeded(id);
				}
				else if (state.state() == RowState.DEAD) {
					this.submitted.failed(id, new DeadJobException(id, String.valueOf(state.error())));
				}
			}
		}
	}

	// A scheduled task that throws is never run again: nothing may escape.
	private void guarded(String activity, Runnable round) {
		try {
			round.run();
			this.trouble.worked(activity);
		}
		catch (Throwable ex) {
			this.trouble.failed(activity, ex);
		}
	}

	private void heartbeat() {
		List<ClaimedRun> alive = this.runs.alive();
		if (alive.isEmpty()) {
			return;
		}
		long renewedAt = System.nanoTime();
		Set<Long> renewed = this.table.heartbeat(alive, this.options.lease());
		long lease = this.options.lease().toNanos();
		for (ClaimedRun run : alive) {
			if (renewed.contains(run.id)) {
				run.renewed(renewedAt, lease);
			}
		}
	}

	private void tidy() {
		Map<Long, RowState> reaped = this.table.reap(MAX_LEASE_EXPIRIES);
		if (!reaped.isEmpty()) {
			logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' found " + reaped.size()
					+ " jobs whose lease expired, and returned them to the queue (or set them aside as dead after "
					+ MAX_LEASE_EXPIRIES + " expiries): " + reaped.entrySet().stream().limit(SHOWN_JOBS).toList()
					+ ((reaped.size() > SHOWN_JOBS) ? "…" : ""));
			this.jobsReturned.run();
		}
		if (this.pending.mayCount()) {
			recount();
		}
		reportUnknownTypes();
		syncSubmitted(this.submitted.idsInTurn(STATES_PER_ROUND, STATES_PER_QUERY));
	}

	private void reportUnknownTypes() {
		this.table.unknownTypes(this.types).forEach((type, count) -> {
			if (this.reportedUnknownTypes.add(type)) {
				logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' has " + count + " ready jobs of type '"
						+ type + "', which no processor here takes; they stay queued for a pool that registers '" + type
						+ "'. Register a processor for that type name (@JobType), or requeue them once one is.");
			}
		});
	}

}
