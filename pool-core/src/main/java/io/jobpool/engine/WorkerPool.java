package io.jobpool.engine;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.jobpool.JobFuture;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.JobTimes;
import io.jobpool.RecurringJob;
import io.jobpool.RecurringJobStatus;
import io.jobpool.spi.Ending;
import io.jobpool.spi.JobCounters;
import io.jobpool.spi.JobStore;
import io.jobpool.spi.PoolEngine;
import io.jobpool.spi.QueuedJob;
import io.jobpool.spi.SlotSubmission;
import io.jobpool.spi.StoreContext;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind every {@link JobPool}: dispatchers of workers taking jobs from one {@link JobStore}. Its
 * states, the threads that move it from one to the next, and why no job is stranded and no wake-up lost are
 * written down once, in {@code package-info.java}.
 */
final class WorkerPool implements PoolEngine {

	private static final System.Logger logger = System.getLogger(WorkerPool.class.getName());

	private static final long DRAIN_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final JobPoolSettings settings;

	private final JobPool face;

	private final JobStore store;

	private final Dispatchers dispatchers;

	private final IdleWorkers idleWorkers;

	private final Spinners spinners = new Spinners(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

	private final ProcessorRoutes routes;

	private final Listeners listeners;

	private final JobCounters counters;

	private final JobRunner runner;

	private final JobEndLog endLog;

	private final LifecycleLog lifecycleLog;

	private final JobDecorator[] decorators;

	private final Recurrences recurrences;

	private final AtomicLong ids = new AtomicLong();

	private final CountDownLatch terminated = new CountDownLatch(1);

	// Guards the transitions of state, the housekeeper and resizing.
	private final Object lifecycle = new Object();

	private final StoreContext context = new Context();

	private volatile State state = State.NOT_STARTED;

	private volatile boolean paused;

	private volatile @Nullable String failure;

	private boolean terminating;

	// Guarded by lifecycle: a forced stop is handing back the jobs it took from the store; terminate() leaves it to
	// the forced stop to terminate once they are handed back, so that they count before the pool is CLOSED.
	private boolean handingBack;

	private @Nullable ScheduledThreadPoolExecutor housekeeper;

	/**
	 * Create a pool whose jobs wait in memory, not yet started.
	 * @param settings validated settings
	 */
	WorkerPool(JobPoolSettings settings) {
		this(settings, null, null);
	}

	/**
	 * Create a pool, not yet started.
	 * @param settings validated settings
	 * @param store where jobs wait, or {@code null} for memory
	 * @param face the pool listeners hear, or {@code null} for this one
	 */
	WorkerPool(JobPoolSettings settings, @Nullable JobStore store, @Nullable JobPool face) {
		this.settings = settings;
		this.face = (face != null) ? face : this;
		this.counters = new JobCounters();
		this.store = (store != null) ? store : new MemoryStore(this, settings, this.counters);
		this.dispatchers = new Dispatchers(this, settings);
		this.idleWorkers = new IdleWorkers(this.dispatchers.slots());
		this.routes = new ProcessorRoutes(settings.processors());
		this.listeners = new Listeners(settings.listeners());
		this.endLog = new JobEndLog(settings.name());
		this.lifecycleLog = new LifecycleLog(settings);
		this.runner = new JobRunner(this.store, this.listeners, this.counters, this.endLog, settings.jobTimeout());
		this.decorators = settings.decorators().toArray(new JobDecorator[0]);
		this.recurrences = new Recurrences(settings.name(), settings.recurringJobs().values(), settings.clock(),
				this::submitSlot);
	}

	// Submit

	@Override
	public JobFuture submit(Object data) {
		return submit(data, null, -1L);
	}

	@Override
	public JobFuture trySubmit(Object data, Duration maxWait) {
		Objects.requireNonNull(maxWait, "maxWait must not be null");
		return submit(data, null, Math.max(0L, maxWait.toNanos()));
	}

	@Override
	public JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
		Objects.requireNonNull(data, "data must not be null");
		try {
			if (this.state != State.RUNNING) {
				throw new JobRejectedException(Reason.NOT_RUNNING, notRunning());
			}
			return this.store.submit(data, idempotencyKey, waitNanos);
		}
		catch (JobRejectedException ex) {
			this.counters.rejected();
			this.listeners.onRejected(data, ex);
			throw ex;
		}
	}

	@Override
	public JobFuture schedule(Object data, Duration delay) {
		Objects.requireNonNull(delay, "delay must not be null");
		return schedule(data, this.settings.clock().instant().plus(delay));
	}

	@Override
	public JobFuture schedule(Object data, Instant at) {
		return schedule(data, at, -1L);
	}

	@Override
	public JobFuture trySchedule(Object data, Instant at, Duration maxWait) {
		Objects.requireNonNull(maxWait, "maxWait must not be null");
		return schedule(data, at, Math.max(0L, maxWait.toNanos()));
	}

	private JobFuture schedule(Object data, Instant at, long waitNanos) {
		Objects.requireNonNull(data, "data must not be null");
		Objects.requireNonNull(at, "at must not be null");
		if (!at.isAfter(this.settings.clock().instant())) {
			return submit(data, null, waitNanos);
		}
		try {
			if (this.state != State.RUNNING) {
				throw new JobRejectedException(Reason.NOT_RUNNING, notRunning());
			}
			JobFuture future = this.store.schedule(data, null, at, waitNanos);
			this.counters.scheduled();
			return future;
		}
		catch (JobRejectedException ex) {
			this.counters.rejected();
			this.listeners.onRejected(data, ex);
			throw ex;
		}
	}

	private SlotSubmission submitSlot(RecurringJob job, Instant slot) {
		try {
			if (this.state != State.RUNNING) {
				throw new JobRejectedException(Reason.NOT_RUNNING, notRunning());
			}
			SlotSubmission submission = this.store.recur(job, slot);
			if (submission.future() != null) {
				this.counters.recurring();
			}
			return submission;
		}
		catch (JobRejectedException ex) {
			this.counters.rejected();
			this.listeners.onRejected(job.slotKey(slot), ex);
			throw ex;
		}
	}

	@Override
	public List<RecurringJobStatus> recurringJobs() {
		return this.recurrences.statuses();
	}

	@Override
	public JobFuture runNow(String name) {
		RecurringJob job = this.recurrences.job(name);
		return submit(job.payload().apply(this.settings.clock().instant()));
	}

	/** A new job of the memory store, routed and decorated. */
	JobTask newTask(Object data) {
		Object route = this.routes.routeOf(data.getClass());
		if (!(route instanceof Integer index)) {
			throw new JobRejectedException(Reason.NO_PROCESSOR, (String) route);
		}
		JobTask task = new JobTask(this, new Job<>(this.ids.incrementAndGet(), data, 1, System.currentTimeMillis()),
				index, null);
		decorate(task);
		if (this.runner.timed()) {
			task.enqueuedNanos = System.nanoTime();
		}
		return task;
	}

	private void decorate(JobTask task) {
		Runnable execution = task;
		for (JobDecorator decorator : this.decorators) {
			execution = Objects.requireNonNull(decorator.decorate(this.face, task.job, execution),
					() -> "Decorator " + decorator + " returned null");
		}
		task.execution = execution;
	}

	boolean admit(JobTask task) {
		if (this.state != State.RUNNING && task.transition(JobTask.QUEUED, JobTask.REVOKED)) {
			return false;
		}
		if (!this.spinners.any() && this.idleWorkers.any()) {
			this.idleWorkers.wakeOne();
		}
		return true;
	}

	void accepted(JobTask task) {
		if (this.runner.timed()) {
			this.listeners.onAccepted(task.job);
		}
	}

	void checkMayWait(long waitNanos) {
		if (waitNanos < 0 && Worker.currentPool() == this) {
			throw new JobRejectedException(Reason.QUEUE_FULL, "Pool '" + name() + "' refused a job that one of "
					+ "its own workers submitted while its queue is full: the worker would wait for room that only "
					+ "the pool's workers make, and the pool would stop if they all did. Submit with trySubmit and "
					+ "a bounded wait, or from another thread, or raise queue-size");
		}
	}

	String notRunning() {
		String what = switch (this.state) {
			case NOT_STARTED -> "not started";
			case DRAINING -> "closing";
			default -> "closed";
		};
		return "Pool '" + name() + "' is " + what + " and accepts no jobs";
	}

	// Workers

	@Nullable JobTask take() {
		if (this.paused) {
			return null;
		}
		JobTask task = (JobTask) this.store.poll();
		if (task != null) {
			wakeIdleIfQueued();
		}
		return task;
	}

	boolean mayTake() {
		State now = this.state;
		return (now == State.RUNNING || now == State.DRAINING) && !this.paused;
	}

	boolean mayRetry() {
		State now = this.state;
		return now == State.RUNNING || now == State.DRAINING;
	}

	boolean workerMayStop() {
		State now = this.state;
		return now.compareTo(State.STOPPING) >= 0 || (now == State.DRAINING && this.store.drained());
	}

	void park() {
		if (this.state == State.RUNNING) {
			LockSupport.park(this);
		}
		else {
			LockSupport.parkNanos(this, DRAIN_RECHECK_NANOS);
		}
	}

	// A worker that takes a job passes the word on: while jobs remain and a worker is parked, wake it. This
	// is what wakes workers for a burst that arrived while another worker was spinning.
	void wakeIdleIfQueued() {
		if (this.idleWorkers.any() && this.store.waiting() > 0) {
			this.idleWorkers.wakeOne();
		}
	}

	void wakeOne() {
		this.idleWorkers.wakeOne();
	}

	/**
	 * A job was cancelled before it ran.
	 * @param task the job
	 * @param waiting whether it was waiting for its time (a retry's backoff, or a time to run at), so that the store
	 * frees its place there
	 */
	void cancelled(JobTask task, boolean waiting) {
		if (waiting) {
			this.store.cancelled(task);
		}
		this.counters.failed();
		this.listeners.onFailed(task.job, new CancellationException("Cancelled before it ran"), 0, 0);
	}

	/** Hand back a job waiting out its backoff whose retry could not be scheduled: the pool is stopping. */
	void handBack(JobTask task) {
		if (task.transition(JobTask.WAITING, JobTask.HANDED_BACK)) {
			handBack(List.of(task));
		}
	}

	private List<Job<?>> handBack(List<JobTask> tasks) {
		List<Job<?>> jobs = new ArrayList<>(tasks.size());
		for (JobTask task : tasks) {
			this.listeners.onHandedBack(task.job);
			this.endLog.handedBack(task.job);
			this.store.ended(task, Ending.HANDED_BACK);
			jobs.add(task.job);
		}
		return jobs;
	}

	void workerFailed(Worker worker, @Nullable JobTask task, Throwable error) {
		fail("Worker " + worker + " could not end " + ((task != null) ? task.job : "its job"), error);
	}

	private void fail(String what, Throwable error) {
		this.failure = what + ": " + error;
		logger.log(Level.ERROR, "Pool '" + name() + "': " + what + "; the pool cannot work as it should", error);
	}

	void workerExited() {
		if (this.dispatchers.threadExited() == 0 && this.state.compareTo(State.DRAINING) >= 0) {
			terminate();
		}
	}

	ProcessorRoutes routes() {
		return this.routes;
	}

	JobRunner runner() {
		return this.runner;
	}

	Spinners spinners() {
		return this.spinners;
	}

	IdleWorkers idleWorkers() {
		return this.idleWorkers;
	}

	int dispatcherCount() {
		return this.dispatchers.count();
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
			this.store.open(this.context);
			this.housekeeper = newHousekeeper();
			this.state = State.RUNNING;
			try {
				this.dispatchers.resize(this.settings.initPoolNum());
			}
			catch (RuntimeException | Error ex) {
				shutdownNow();
				throw ex;
			}
		}
		this.store.poolChanged();
		this.recurrences.start(this.store, this.settings.threadNamePrefix() + "recurring");
		this.lifecycleLog.started(this.store);
		this.listeners.onPoolStarted(this.face);
	}

	private @Nullable ScheduledThreadPoolExecutor newHousekeeper() {
		Duration jobTimeout = this.settings.jobTimeout();
		boolean autoscale = this.settings.autoscale() && this.settings.maxPoolNum() > this.settings.initPoolNum();
		if (jobTimeout == null && !autoscale) {
			return null;
		}
		ScheduledThreadPoolExecutor executor = Timers.start(this.settings.threadNamePrefix() + "housekeeper");
		if (jobTimeout != null) {
			TimeoutWatchdog watchdog = new TimeoutWatchdog(this.dispatchers.slots(), jobTimeout, this.listeners);
			long tick = watchdog.tick().toNanos();
			executor.scheduleAtFixedRate(watchdog, tick, tick, TimeUnit.NANOSECONDS);
		}
		if (autoscale) {
			long period = this.settings.resizePeriod().toNanos();
			executor.scheduleAtFixedRate(new Autoscaler(this, this.settings), period, period, TimeUnit.NANOSECONDS);
		}
		return executor;
	}

	@Override
	public void close() {
		List<Job<?>> handedBack = close(this.settings.drainPeriod());
		if (!handedBack.isEmpty()) {
			logger.log(Level.WARNING, () -> "Pool '" + name() + "' did not drain within " + this.settings.drainPeriod()
					+ "; handed back " + handedBack.size() + " jobs and interrupted running ones");
		}
	}

	@Override
	public List<Job<?>> close(Duration within) {
		shutdown();
		long budget = within.toNanos();
		long grace = Math.min(budget / 10, TimeUnit.SECONDS.toNanos(1));
		long closeStart = System.nanoTime();
		try {
			if (this.terminated.await(budget - grace, TimeUnit.NANOSECONDS)) {
				return List.of();
			}
			List<Job<?>> handedBack = shutdownNow();
			if (!this.terminated.await(grace, TimeUnit.NANOSECONDS)) {
				reportStuck(Duration.ofNanos(System.nanoTime() - closeStart));
			}
			return handedBack;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return shutdownNow();
		}
	}

	private void reportStuck(Duration since) {
		this.dispatchers.forEachStillRunning((thread, task) -> {
			logger.log(Level.WARNING, () -> "Worker " + thread.getName() + " ignored its interrupt and still runs "
					+ ((task != null) ? task.job : "a job") + "; pool '" + name() + "' stops without it");
			if (task != null) {
				this.listeners.onStuck(task.job, thread, since);
			}
		});
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
			this.paused = false;
			this.lifecycleLog.stopping(false);
		}
		this.recurrences.stop();
		this.store.closing();
		this.dispatchers.wakeAll(false);
	}

	@Override
	public List<Job<?>> shutdownNow() {
		List<JobTask> handedBack;
		boolean wasRunning;
		synchronized (this.lifecycle) {
			if (this.state == State.NOT_STARTED) {
				shutdown();
				return List.of();
			}
			if (this.state.compareTo(State.STOPPING) >= 0) {
				return List.of();
			}
			wasRunning = this.state == State.RUNNING;
			this.state = State.STOPPING;
			this.paused = false;
			this.lifecycleLog.stopping(true);
			handedBack = sweep();
			this.handingBack = true;
		}
		this.recurrences.stop();
		List<Job<?>> jobs;
		try {
			if (wasRunning) {
				this.store.closing();
			}
			this.dispatchers.wakeAll(true);
			jobs = handBack(handedBack);
		}
		finally {
			synchronized (this.lifecycle) {
				this.handingBack = false;
			}
			if (this.dispatchers.liveThreads() == 0) {
				terminate();
			}
		}
		return jobs;
	}

	private List<JobTask> sweep() {
		Timers.stop(this.housekeeper);
		List<JobTask> handedBack = new ArrayList<>();
		for (QueuedJob job : this.store.takeQueued()) {
			JobTask task = (JobTask) job;
			if (task.transition(JobTask.QUEUED, JobTask.HANDED_BACK)
					|| task.transition(JobTask.WAITING, JobTask.HANDED_BACK)) {
				handedBack.add(task);
			}
		}
		return handedBack;
	}

	private void terminate() {
		List<JobTask> leftOver;
		synchronized (this.lifecycle) {
			if (this.terminating || this.handingBack) {
				return;
			}
			this.terminating = true;
			leftOver = sweep();
		}
		handBack(leftOver);
		try {
			this.store.close();
		}
		catch (RuntimeException | Error ex) {
			fail("Its store could not close", ex);
		}
		this.endLog.stopped();
		this.lifecycleLog.stopped(this.counters.snapshot());
		synchronized (this.lifecycle) {
			this.state = State.CLOSED;
		}
		this.listeners.onPoolTerminated(this.face);
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

	// Dispatchers

	@Override
	public void resizeDispatchers(int target) {
		synchronized (this.lifecycle) {
			if (this.state != State.RUNNING) {
				throw new IllegalStateException("Pool '" + name() + "' is not running; cannot resize it");
			}
			if (target < 1 || target > this.settings.maxPoolNum()) {
				throw new IllegalArgumentException("Dispatchers must be from 1 to max-pool-num ("
						+ this.settings.maxPoolNum() + ") but was " + target);
			}
			this.dispatchers.resize(target);
		}
		this.store.poolChanged();
	}

	void resizeIfRunning(int target) {
		synchronized (this.lifecycle) {
			if (this.state == State.RUNNING) {
				this.dispatchers.resize(target);
			}
		}
	}

	@Override
	public int removeDispatchers(int count) {
		synchronized (this.lifecycle) {
			int current = this.dispatchers.count();
			int target = Math.max(1, current - Math.max(0, count));
			resizeDispatchers(target);
			return current - target;
		}
	}

	// Pause

	@Override
	public void pause() {
		this.paused = true;
		this.store.poolChanged();
	}

	@Override
	public void resume() {
		this.paused = false;
		this.dispatchers.wakeAll(false);
		this.store.poolChanged();
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

	@Override
	public int queueDepth() {
		return this.store.depth();
	}

	@Override
	public int activeWorkers() {
		return this.dispatchers.busy();
	}

	@Override
	public JobPoolFigures figures() {
		return new JobPoolFigures(this.state, this.paused, this.store.depth(), this.store.capacity(),
				this.store.retrying(), this.store.scheduled(), this.store.scheduleCapacity(), this.dispatchers.busy(), this.dispatchers.liveThreads(), this.dispatchers.count(),
				this.settings.workerNum(), this.settings.maxPoolNum(), this.store.deadJobs(), this.failure);
	}

	@Override
	public JobPoolStats stats() {
		return this.counters.snapshot();
	}

	@Override
	public JobTimes jobTimes() {
		return this.runner.timed() ? this.dispatchers.times() : JobTimes.NONE;
	}

	@Override
	public String toString() {
		return "JobPool[" + name() + "]";
	}

	/** The engine as its store sees it. */
	private final class Context implements StoreContext {

		@Override
		public JobPoolSettings settings() {
			return WorkerPool.this.settings;
		}

		@Override
		public JobListener listeners() {
			return WorkerPool.this.listeners;
		}

		@Override
		public JobCounters counters() {
			return WorkerPool.this.counters;
		}

		@Override
		public State state() {
			return WorkerPool.this.state;
		}

		@Override
		public boolean isPaused() {
			return WorkerPool.this.paused;
		}

		@Override
		public int workers() {
			return WorkerPool.this.dispatchers.count() * WorkerPool.this.settings.workerNum();
		}

		@Override
		public QueuedJob queued(Job<Object> job, Object token, long waitedNanos) {
			Object route = WorkerPool.this.routes.routeOf(job.data().getClass());
			if (!(route instanceof Integer index)) {
				throw new IllegalArgumentException((String) route);
			}
			JobTask task = new JobTask(WorkerPool.this, job, index, token);
			decorate(task);
			task.enqueuedNanos = System.nanoTime() - waitedNanos;
			return task;
		}

		@Override
		public boolean admit(QueuedJob job) {
			return WorkerPool.this.admit((JobTask) job);
		}

		@Override
		public void checkMayWait(long waitNanos) {
			WorkerPool.this.checkMayWait(waitNanos);
		}

		@Override
		public void failed(String what, Throwable error) {
			fail(what, error);
		}

	}

}
