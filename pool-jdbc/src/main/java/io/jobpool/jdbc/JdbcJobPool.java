package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.jobpool.DeadJob;
import io.jobpool.DeadJobs;
import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.JobProcessor;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.RetryPolicy;
import io.jobpool.engine.Listeners;
import io.jobpool.engine.PoolCounters;
import io.jobpool.engine.PoolSettings;
import io.jobpool.engine.WorkerPool;
import io.jobpool.jdbc.JobTable.StoredJob;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A {@link JobPool} whose queue is a PostgreSQL table, shared by every pool of the same name on that database.
 * <p>
 * Submit inserts a row, in the caller's transaction when there is one. Each pool claims ready rows for its free
 * workers with {@code FOR UPDATE SKIP LOCKED}, under a lease its heartbeat renews; a succeeded job is deleted, a
 * failed one is retried after a backoff or set aside as dead, and every such change is fenced by the job's id and
 * attempt, so a worker that lost its lease changes nothing. Any pool returns jobs whose lease expired to the queue,
 * so the jobs of a pool that crashed run elsewhere: delivery is at least once.
 * <p>
 * A submitted job's future completes when the job ends, wherever it ran; when this pool closes, the futures of
 * its jobs still stored complete with a {@link JobHandedBackException}: the jobs stay in the table.
 */
public final class JdbcJobPool implements JobPool, DeadJobs {

	private static final System.Logger logger = System.getLogger(JdbcJobPool.class.getName());

	private static final long SUBMIT_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final PoolSettings settings;

	private final JdbcOptions options;

	private final DataSource dataSource;

	private final JobTable table;

	private final JobTypes types;

	private final WorkerPool local;

	private final Listeners listeners;

	private final String owner;

	private final PoolCounters counters = new PoolCounters();

	private final SubmittedJobs submitted = new SubmittedJobs(this.counters);

	private final PendingJobs pending;

	private final Claimer claimer;

	private final ClaimedJobs claimed;

	private final TableKeeper keeper;

	private final CountDownLatch terminated = new CountDownLatch(1);

	private final Object lifecycle = new Object();

	// Held while claiming, so that pause() can wait out a claim under way.
	private final ReentrantLock claimLock = new ReentrantLock();

	private volatile State state = State.NOT_STARTED;

	private volatile boolean paused;

	JdbcJobPool(PoolSettings settings, JdbcOptions options) {
		if (settings.autoscale()) {
			throw new InvalidPoolConfigurationException("autoscale", true,
					"a durable pool sizes its workers by dispatchers, not by the depth of its queue",
					"Turn autoscaling off and set the number of dispatchers, or resize them at run time.");
		}
		this.settings = settings;
		this.options = options;
		this.dataSource = options.dataSource();
		this.table = new JobTable(this.dataSource, settings.name());
		this.types = new JobTypes(settings.processors().keySet(), options.typeNames(), options.json());
		this.listeners = new Listeners(settings.listeners());
		this.owner = settings.name() + "@" + ManagementFactory.getRuntimeMXBean().getName() + "/"
				+ UUID.randomUUID().toString().substring(0, 8);
		this.pending = new PendingJobs(settings.queueSize());
		this.claimer = new Claimer(this, options.pollInterval());
		this.keeper = new TableKeeper(settings.name(), this.table, options, this.owner, this.types.names(), this.pending,
				this.submitted, this.claimer);
		this.local = new WorkerPool(localSettings(settings));
		this.claimed = new ClaimedJobs(settings.name(), this.local, this.table, this.types, settings.retry(),
				this.submitted, this.counters, this.claimer, options.pollInterval());
	}

	/**
	 * Start building a durable pool on a PostgreSQL database.
	 * @param dataSource where the {@code jobpool_job} table is; a connection pool, sized for the submitting threads
	 * plus three
	 * @return a new builder
	 */
	public static JdbcJobPoolBuilder builder(DataSource dataSource) {
		return new JdbcJobPoolBuilder(dataSource);
	}

	private PoolSettings localSettings(PoolSettings settings) {
		List<Supplier<? extends JobProcessor<?>>> generators = new ArrayList<>();
		for (String name : this.types.names()) {
			generators.add(settings.processors().get(this.types.classOf(name)));
		}
		Supplier<ClaimedJobRouter> router = () -> new ClaimedJobRouter(generators);
		int localQueue = (int) Math.min(1_000_000L, (long) settings.maxPoolNum() * settings.workerNum());
		return new PoolSettings(settings.name(), settings.initPoolNum(), settings.maxPoolNum(), settings.workerNum(),
				localQueue, false, settings.loadFactor(), settings.resizePeriod(), settings.resizeSuccessThreshold(),
				RetryPolicy.NONE, settings.jobTimeout(), settings.drainPeriod(), settings.threadNamePrefix(),
				settings.virtualThreads(), Map.of(ClaimedJob.class, router),
				settings.decorators()
					.stream()
					.map((decorator) -> (JobDecorator) (job, execution) -> decorator
						.decorate(ClaimedJob.unwrap(job), execution))
					.toList(),
				this.listeners.isEmpty() ? List.of() : List.of(new ClaimedJobListener(this.listeners, (job, error) -> this.claimed.decide(job, error))));
	}

	// Submit

	@Override
	public JobFuture submit(Object data) {
		return enqueue(data, null, -1L);
	}

	@Override
	public JobFuture trySubmit(Object data, Duration maxWait) {
		Objects.requireNonNull(maxWait, "maxWait must not be null");
		return enqueue(data, null, Math.max(0L, maxWait.toNanos()));
	}

	/**
	 * Submit a payload unless a job with the same key is stored (ready, running or dead), waiting as long as the
	 * queue is full. The key is forgotten once its job has succeeded.
	 * @param data the payload
	 * @param idempotencyKey the key, unique among this pool's stored jobs
	 * @return the future of the new job, or of the stored job with that key
	 * @throws JobRejectedException as {@link #submit(Object)} does
	 */
	public JobFuture submit(Object data, String idempotencyKey) {
		Objects.requireNonNull(idempotencyKey, "idempotencyKey must not be null");
		return enqueue(data, idempotencyKey, -1L);
	}

	private JobFuture enqueue(Object data, @Nullable String idempotencyKey, long waitNanos) {
		Objects.requireNonNull(data, "data must not be null");
		if (this.state != State.RUNNING) {
			throw reject(data, Reason.NOT_RUNNING, notRunning());
		}
		String type = this.types.nameOf(data.getClass());
		if (type == null) {
			throw reject(data, Reason.NO_PROCESSOR, "No processor is registered for payload type "
					+ data.getClass().getName() + " in durable pool '" + name() + "'; its types are "
					+ List.of(this.types.names()));
		}
		String payload = this.types.write(data);
		reserveRoom(data, waitNanos);
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
		catch (RuntimeException | Error ex) {
			if (fresh) {
				this.pending.unreserve();
			}
			throw ex;
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

	private void reserveRoom(Object data, long waitNanos) {
		if (this.pending.tryReserve()) {
			return;
		}
		long deadline = System.nanoTime() + waitNanos;
		for (;;) {
			this.pending.recount(() -> this.table.pending(this.pending.capacity()));
			if (this.pending.tryReserve()) {
				return;
			}
			if (this.state != State.RUNNING) {
				throw reject(data, Reason.NOT_RUNNING, notRunning());
			}
			long left = deadline - System.nanoTime();
			if (waitNanos >= 0 && left <= 0) {
				throw reject(data, Reason.QUEUE_FULL, "The queue of durable pool '" + name() + "' stayed full ("
						+ this.pending.capacity() + " ready jobs) for " + Duration.ofNanos(waitNanos)
						+ "; retry later, or raise queue-size or the number of workers");
			}
			LockSupport.parkNanos(this, (waitNanos < 0) ? SUBMIT_RECHECK_NANOS : Math.min(left, SUBMIT_RECHECK_NANOS));
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw reject(data, Reason.INTERRUPTED,
						"Interrupted while waiting for room in the queue of durable pool '" + name() + "'");
			}
		}
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
						JdbcJobPool.this.pending.stored();
					}
					accepted(future);
				}
				else {
					if (fresh) {
						JdbcJobPool.this.pending.unreserve();
					}
					future.completeExceptionally(new CancellationException("The transaction that submitted job "
							+ future.jobId() + " did not commit, so the job was never stored"));
				}
			}

		});
	}

	private void accepted(JdbcJobFuture future) {
		this.counters.accepted.increment();
		this.listeners.onAccepted(future.job);
		this.submitted.track(future);
		if (this.state == State.CLOSED) {
			this.submitted.handBack(future);
		}
		this.claimer.nudge();
	}

	private JobRejectedException reject(Object data, Reason reason, String message) {
		JobRejectedException exception = new JobRejectedException(reason, message);
		this.counters.rejected.increment();
		this.listeners.onRejected(data, exception);
		return exception;
	}

	private String notRunning() {
		return "Durable pool '" + name() + "' is " + this.state.label() + " and accepts no jobs";
	}

	boolean cancel(JdbcJobFuture future) {
		if (this.table.cancel(future.jobId()) && future.end()) {
			this.submitted.untrack(future);
			this.counters.failed.increment();
			return true;
		}
		return false;
	}

	// Claim and settle

	boolean isClaiming() {
		return this.state == State.RUNNING;
	}

	/** Workers free for a new claim. */
	int freeWorkers() {
		return this.claimed.freeWorkers(workers());
	}

	/** Workers of the local engine now. */
	int workers() {
		return this.local.dispatcherCount() * this.local.workersPerDispatcher();
	}

	/**
	 * Claim up to {@code max} jobs and hand them to the local workers.
	 * @return how many were claimed
	 */
	int claim(int max) {
		this.claimLock.lock();
		try {
			if (this.paused || this.state != State.RUNNING) {
				return 0;
			}
			int claiming = this.pending.claiming();
			List<StoredJob> rows = this.table.claim(this.owner, this.options.lease(), this.types.names(), max);
			this.pending.claimed(rows.size(), claiming);
			for (StoredJob row : rows) {
				this.claimed.dispatch(row);
			}
			return rows.size();
		}
		finally {
			this.claimLock.unlock();
		}
	}

	/** Ready jobs of types no processor of this pool takes, by type name, as counted now. */
	public Map<String, Long> unknownTypes() {
		return this.table.unknownTypes(this.types.names());
	}

	// Dead jobs

	@Override
	public long deadJobCount() {
		return this.keeper.counts().dead();
	}

	@Override
	public List<DeadJob> deadJobs(int limit) {
		return this.table.dead(Math.max(0, limit));
	}

	@Override
	public boolean requeueDeadJob(long id) {
		boolean requeued = this.table.requeue(id);
		if (requeued) {
			refreshCounts();
		}
		return requeued;
	}

	@Override
	public int requeueDeadJobs() {
		int requeued = this.table.requeueAll();
		refreshCounts();
		return requeued;
	}

	private void refreshCounts() {
		this.keeper.recount();
		this.claimer.nudge();
	}

	// Lifecycle

	@Override
	public void start() {
		synchronized (this.lifecycle) {
			if (this.state == State.RUNNING) {
				return;
			}
			if (this.state != State.NOT_STARTED) {
				throw new IllegalStateException("Pool '" + name() + "' was closed; build a new one");
			}
			new Schema(this.dataSource).prepare(this.options.initializeSchema());
			this.keeper.recount();
			this.local.start();
			this.keeper.start(this.settings.threadNamePrefix() + "table-keeper");
			this.state = State.RUNNING;
			this.claimed.completions().start(this.settings.threadNamePrefix() + "completer");
			this.claimer.start(this.settings.threadNamePrefix() + "claimer");
		}
		this.listeners.onPoolStarted(this);
	}

	@Override
	public void close() {
		List<Job<?>> handedBack = close(this.settings.drainPeriod());
		if (!handedBack.isEmpty()) {
			logger.log(Level.WARNING, () -> "Pool '" + name() + "' did not drain within "
					+ this.settings.drainPeriod() + "; gave " + handedBack.size() + " claimed jobs back to the table");
		}
	}

	@Override
	public List<Job<?>> close(Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		shutdown();
		List<Job<?>> handedBack = this.local.close(within);
		try {
			this.terminated.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return unwrap(handedBack);
	}

	@Override
	public void shutdown() {
		synchronized (this.lifecycle) {
			if (this.state == State.NOT_STARTED) {
				this.state = State.CLOSED;
				this.terminated.countDown();
				return;
			}
			if (this.state != State.RUNNING) {
				return;
			}
			this.state = State.DRAINING;
		}
		this.claimer.nudge();
		this.local.shutdown();
		Thread finisher = new Thread(this::finishWhenDrained, this.settings.threadNamePrefix() + "finisher");
		finisher.setDaemon(true);
		finisher.start();
	}

	@Override
	public List<Job<?>> shutdownNow() {
		shutdown();
		synchronized (this.lifecycle) {
			if (this.state == State.DRAINING) {
				this.state = State.STOPPING;
			}
		}
		return unwrap(this.local.shutdownNow());
	}

	private static List<Job<?>> unwrap(List<Job<?>> jobs) {
		return jobs.stream().<Job<?>>map(ClaimedJob::unwrap).toList();
	}

	private void finishWhenDrained() {
		try {
			this.claimer.join(this.settings.drainPeriod());
			while (!this.local.awaitTermination(this.settings.drainPeriod())) {
				logger.log(Level.INFO, () -> "Pool '" + name() + "' still waits for its workers to stop");
			}
			this.claimed.completions().stop(this.settings.drainPeriod());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			finish();
		}
	}

	private void finish() {
		this.keeper.stop(this.settings.drainPeriod());
		synchronized (this.lifecycle) {
			this.state = State.CLOSED;
		}
		try {
			this.keeper.syncSubmitted();
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, "Could not look up the jobs submitted here before closing", ex);
		}
		this.submitted.handBackAll();
		this.listeners.onPoolTerminated(this);
		this.terminated.countDown();
	}

	@Override
	public boolean awaitTermination(Duration timeout) throws InterruptedException {
		return this.terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public State state() {
		return this.state;
	}

	@Override
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	@Override
	public boolean isClosed() {
		return this.state == State.CLOSED;
	}

	// Workers

	@Override
	public void resizeDispatchers(int dispatchers) {
		this.local.resizeDispatchers(dispatchers);
		this.claimer.nudge();
	}

	@Override
	public int removeDispatchers(int count) {
		return this.local.removeDispatchers(count);
	}

	/**
	 * Stop claiming jobs: no job is claimed once this returns. Claimed ones finish, and submits are still accepted
	 * while there is room.
	 */
	@Override
	public void pause() {
		this.paused = true;
		this.claimLock.lock();
		this.claimLock.unlock();
	}

	@Override
	public void resume() {
		this.paused = false;
		this.claimer.nudge();
	}

	@Override
	public boolean isPaused() {
		return this.paused;
	}

	// Figures

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public Duration drainPeriod() {
		return this.settings.drainPeriod();
	}

	/** Ready jobs of this pool in the table: the last count, plus what this pool inserted and minus what it claimed since. */
	@Override
	public int queueDepth() {
		return this.pending.estimate();
	}

	@Override
	public int queueCapacity() {
		return this.pending.capacity();
	}

	/** Jobs in the table waiting for a retry, as last counted. */
	@Override
	public int retryingJobs() {
		return (int) Math.min(Integer.MAX_VALUE, this.keeper.counts().retrying());
	}

	@Override
	public int activeWorkers() {
		return this.local.activeWorkers();
	}

	@Override
	public int workerCount() {
		return this.local.workerCount();
	}

	@Override
	public int dispatcherCount() {
		return this.local.dispatcherCount();
	}

	@Override
	public int workersPerDispatcher() {
		return this.local.workersPerDispatcher();
	}

	@Override
	public int maxDispatchers() {
		return this.local.maxDispatchers();
	}

	/**
	 * This pool's counters: jobs submitted here and how they ended, wherever they ran, and the retries of jobs run
	 * here. Once the pool has stopped, {@code accepted == succeeded + failed + handedBack}.
	 */
	@Override
	public JobPoolStats stats() {
		return this.counters.snapshot();
	}

	/** The name this pool claims jobs under, unique to this instance. */
	public String owner() {
		return this.owner;
	}

	@Override
	public String toString() {
		return "JdbcJobPool[" + name() + "]";
	}

}
