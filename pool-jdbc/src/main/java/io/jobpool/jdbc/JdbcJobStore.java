package io.jobpool.jdbc;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import io.jobpool.DeadJob;
import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.spi.Ending;
import io.jobpool.spi.JobStore;
import io.jobpool.spi.QueuedJob;
import io.jobpool.spi.StoreContext;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The store of a durable pool: the {@code jobpool_job} table. Submit inserts a row, in the caller's transaction
 * when there is one; the {@link Claimer} claims rows for free workers under a lease the {@link TableKeeper} renews;
 * {@link Completions} writes how each claimed job ended.
 */
final class JdbcJobStore implements JobStore {

	private static final long SUBMIT_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final String name;

	private final JobPoolSettings settings;

	private final JdbcOptions options;

	private final JobTable table;

	private final JobTypes types;

	private final String owner;

	private final Trouble trouble;

	private final PendingJobs pending;

	private final SubmittedJobs submitted = new SubmittedJobs();

	private final ClaimedRuns runs;

	private final Claimer claimer;

	private final TableKeeper keeper;

	private volatile @Nullable StoreContext context;

	private volatile boolean closed;

	JdbcJobStore(JobPoolSettings settings, JdbcOptions options) {
		this.name = settings.name();
		this.settings = settings;
		this.options = options;
		this.table = new JobTable(options.dataSource(), this.name);
		this.types = new JobTypes(settings.processors().keySet(), options.typeNames(), options.json());
		this.owner = this.name + "@" + ManagementFactory.getRuntimeMXBean().getName() + "/"
				+ UUID.randomUUID().toString().substring(0, 8);
		this.trouble = new Trouble(this.name);
		this.pending = new PendingJobs(settings.queueSize());
		this.runs = new ClaimedRuns(this.name, this.table, this.types, settings.retry(), options.lease(),
				this.submitted, this.trouble, options.pollInterval());
		this.claimer = new Claimer(this, this.runs, this.trouble, options.pollInterval());
		this.keeper = new TableKeeper(this.name, this.table, options, this.types.names(), this.pending, this.submitted,
				this.runs, this.trouble, this.claimer::nudge);
	}

	@Override
	public void open(StoreContext context) {
		new Schema(this.options.dataSource()).prepare(this.options.initializeSchema());
		this.keeper.recount();
		this.context = context;
		this.submitted.open(context.counters());
		this.runs.open(context, this.claimer::workerFreed);
		String prefix = this.settings.threadNamePrefix();
		this.keeper.start(prefix + "table-keeper");
		this.runs.completions().start(prefix + "completer");
		this.claimer.start(prefix + "claimer");
	}

	// Submit

	@Override
	public JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
		String type = this.types.nameOf(data.getClass());
		if (type == null) {
			throw new JobRejectedException(Reason.NO_PROCESSOR, "No processor is registered for payload type "
					+ data.getClass().getName() + " in durable pool '" + this.name + "'; its types are "
					+ List.of(this.types.names()));
		}
		String payload = this.types.write(data);
		reserveRoom(waitNanos);
		boolean fresh = true;
		Long id;
		try {
			id = (idempotencyKey != null) ? this.table.insertOnce(type, payload, idempotencyKey)
					: Long.valueOf(this.table.insert(type, payload));
			if (id == null) {
				fresh = false;
				this.pending.unreserve();
				id = this.table.findByKey(idempotencyKey);
				JdbcJobFuture tracked = (id != null) ? this.submitted.find(id) : null;
				if (tracked != null) {
					return tracked;
				}
			}
		}
		catch (RuntimeException ex) {
			if (fresh) {
				this.pending.unreserve();
			}
			throw failed("store the job; if the connection broke after the database committed the insert, the job "
					+ "is stored all the same (submit with an idempotency key to make a second try safe)", ex);
		}
		JdbcJobFuture future = new JdbcJobFuture(this,
				new Job<>((id != null) ? id : -1L, data, 1, System.currentTimeMillis()));
		if (id == null) {
			// The stored job with that key ended between the insert and the look-up: it succeeded.
			future.complete(null);
			return future;
		}
		afterCommit(future, fresh);
		return future;
	}

	private void reserveRoom(long waitNanos) {
		if (this.pending.tryReserve()) {
			return;
		}
		StoreContext context = context();
		boolean holdsConnection = TransactionSynchronizationManager.hasResource(this.options.dataSource());
		long deadline = System.nanoTime() + waitNanos;
		for (;;) {
			try {
				this.pending.recount(() -> this.table.pending(this.pending.capacity()));
			}
			catch (RuntimeException ex) {
				throw failed("count its ready jobs", ex);
			}
			if (this.pending.tryReserve()) {
				return;
			}
			if (context.state() != JobPool.State.RUNNING) {
				throw new JobRejectedException(Reason.NOT_RUNNING, "Durable pool '" + this.name + "' is "
						+ context.state().label() + " and accepts no jobs");
			}
			if (holdsConnection && this.trouble.starved()) {
				throw new JobRejectedException(Reason.STORE_UNAVAILABLE, "Durable pool '" + this.name + "' cannot "
						+ "make room in its queue: its own threads get no database connection, while this submit waits "
						+ "in a transaction that holds one. Refused so that the connection goes back to the pool. Give "
						+ "the connection pool more connections than the threads that submit in transactions, plus 3 "
						+ "for the pool's own threads; or submit after the transaction, or with trySubmit and a short "
						+ "wait");
			}
			long left = deadline - System.nanoTime();
			if (waitNanos >= 0 && left <= 0) {
				throw new JobRejectedException(Reason.QUEUE_FULL, "The queue of durable pool '" + this.name
						+ "' stayed full (" + this.pending.capacity() + " ready jobs) for " + Duration.ofNanos(waitNanos)
						+ "; retry later, or raise queue-size or the number of workers");
			}
			context.checkMayWait(waitNanos);
			LockSupport.parkNanos(this, (waitNanos < 0) ? SUBMIT_RECHECK_NANOS : Math.min(left, SUBMIT_RECHECK_NANOS));
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new JobRejectedException(Reason.INTERRUPTED,
						"Interrupted while waiting for room in the queue of durable pool '" + this.name + "'");
			}
		}
	}

	private JobRejectedException failed(String what, RuntimeException error) {
		String sqlState = sqlState(error);
		if (sqlState != null && (sqlState.startsWith("22") || sqlState.equals("54000"))) {
			return new JobRejectedException(Reason.INVALID_PAYLOAD, "Durable pool '" + this.name
					+ "' could not store the job, as the database refused its payload: " + Trouble.describe(error),
					error);
		}
		return new JobRejectedException(Reason.STORE_UNAVAILABLE, "Durable pool '" + this.name + "' could not "
				+ what + ": " + Trouble.describe(error), error);
	}

	private static @Nullable String sqlState(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private void afterCommit(JdbcJobFuture future, boolean fresh) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			if (fresh) {
				this.pending.stored();
			}
			accepted(future);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_COMMITTED) {
					if (fresh) {
						JdbcJobStore.this.pending.stored();
					}
					accepted(future);
				}
				else {
					if (fresh) {
						JdbcJobStore.this.pending.unreserve();
					}
					future.completeExceptionally(new CancellationException("The transaction that submitted job "
							+ future.jobId() + " did not commit, so the job was never stored"));
				}
			}

		});
	}

	private void accepted(JdbcJobFuture future) {
		StoreContext context = context();
		context.counters().accepted();
		context.listeners().onAccepted(future.job);
		this.submitted.track(future);
		if (this.closed) {
			this.submitted.handBack(future);
		}
		this.claimer.nudge();
	}

	boolean cancel(JdbcJobFuture future) {
		boolean deleted;
		try {
			deleted = this.table.cancel(future.jobId());
		}
		catch (DataAccessException ex) {
			return false;
		}
		if (deleted && future.end()) {
			this.submitted.untrack(future);
			context().counters().failed();
			return true;
		}
		return false;
	}

	// Claims

	boolean mayClaim() {
		StoreContext context = this.context;
		return context != null && context.state() == JobPool.State.RUNNING && !context.isPaused();
	}

	boolean isPaused() {
		StoreContext context = this.context;
		return context != null && context.isPaused();
	}

	int workers() {
		return context().workers();
	}

	int claim(int max) {
		int claiming = this.pending.claiming();
		int claimed = this.runs.claim(this.owner, this.options.lease(), max);
		this.pending.claimed(claimed, claiming);
		return claimed;
	}

	// Workers

	@Override
	public @Nullable QueuedJob poll() {
		return this.runs.poll();
	}

	@Override
	public int waiting() {
		return this.runs.waiting();
	}

	@Override
	public Ending failed(QueuedJob job, Throwable error) {
		return this.runs.decide(job, error);
	}

	@Override
	public void ended(QueuedJob job, Ending ending) {
		this.runs.ended(job, ending);
	}

	@Override
	public void poolChanged() {
		this.claimer.nudge();
	}

	// Lifecycle

	@Override
	public void closing() {
		this.claimer.stopSoon();
	}

	@Override
	public boolean drained() {
		return this.runs.waiting() == 0;
	}

	@Override
	public List<QueuedJob> takeQueued() {
		return this.runs.takeReady();
	}

	@Override
	public void close() {
		Duration within = this.settings.drainPeriod();
		try {
			this.claimer.stop(within);
			this.runs.completions().stop(within);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.keeper.stop(within);
			this.closed = true;
			try {
				this.keeper.syncSubmitted();
			}
			catch (RuntimeException ex) {
				this.trouble.failed("look up the jobs submitted here before closing", ex);
			}
			this.submitted.handBackAll();
		}
	}

	// Figures

	@Override
	public int depth() {
		return this.pending.estimate();
	}

	@Override
	public int capacity() {
		return this.pending.capacity();
	}

	@Override
	public int retrying() {
		return (int) Math.min(Integer.MAX_VALUE, this.keeper.counts().retrying());
	}

	@Override
	public Long deadJobs() {
		return this.keeper.counts().dead();
	}

	// Dead jobs and the table

	List<DeadJob> deadJobs(int limit) {
		return this.table.dead(Math.max(0, limit));
	}

	boolean requeueDeadJob(long id) {
		boolean requeued = this.table.requeue(id);
		if (requeued) {
			refreshCounts();
		}
		return requeued;
	}

	int requeueDeadJobs() {
		int requeued = this.table.requeueAll();
		refreshCounts();
		return requeued;
	}

	private void refreshCounts() {
		this.keeper.recount();
		this.claimer.nudge();
	}

	Map<String, Long> unknownTypes() {
		return this.table.unknownTypes(this.types.names());
	}

	String owner() {
		return this.owner;
	}

	private StoreContext context() {
		StoreContext current = this.context;
		if (current == null) {
			throw new IllegalStateException("Durable pool '" + this.name + "' has not started");
		}
		return current;
	}

}
