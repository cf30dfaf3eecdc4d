package io.jobpool.engine;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.queue.JobQueue;
import io.jobpool.queue.MemoryJobQueue;

/**
 * The engine behind {@link JobPool}: dispatchers of workers taking jobs from one bounded queue.
 * <p>
 * State: NEW -> RUNNING -> DRAINING (close: no new jobs; queued, retrying and running ones finish) ->
 * STOPPED (forced: the rest is handed back, workers interrupted) -> TERMINATED (every worker gone). A
 * submitter re-reads the state after its job is in the queue; if the pool has left RUNNING it takes the job
 * back unless a worker already has it, so a job is either refused or run or handed back, never stranded.
 */
public final class WorkerPool implements JobPool {

	private static final System.Logger logger = System.getLogger(WorkerPool.class.getName());

	private static final int NEW = 0;

	private static final int RUNNING = 1;

	private static final int DRAINING = 2;

	private static final int STOPPED = 3;

	private static final int TERMINATED = 4;

	private static final long DRAIN_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final int SUBMIT_YIELDS = 8;

	private final PoolSettings settings;

	private final JobQueue<JobTask> queue;

	private final Dispatchers dispatchers;

	private final IdleWorkers idleWorkers;

	private final Backpressure backpressure = new Backpressure();

	private final Spinners spinners = new Spinners(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

	private final ProcessorRoutes routes;

	private final Listeners listeners;

	private final JobRunner runner;

	private final Retries retries;

	private final boolean retrying;

	// Waiting submitters are woken once this many slots are free, as many as there are free slots: each
	// wake-up then buys a batch of submits instead of one.
	private final int signalBatch;

	private final JobDecorator[] decorators;

	private final PoolCounters counters = new PoolCounters();

	private final AtomicLong ids = new AtomicLong();

	private final CountDownLatch terminated = new CountDownLatch(1);

	private final Object lifecycle = new Object();

	private volatile int control = NEW;

	private volatile boolean paused;

	private ScheduledThreadPoolExecutor housekeeper;

	/**
	 * Create a pool, not yet started.
	 * @param settings validated settings
	 */
	public WorkerPool(PoolSettings settings) {
		this.settings = settings;
		this.queue = new MemoryJobQueue<>(settings.queueSize());
		this.dispatchers = new Dispatchers(this, settings);
		this.idleWorkers = new IdleWorkers(this.dispatchers.slots());
		this.routes = new ProcessorRoutes(settings.processors());
		this.listeners = new Listeners(settings.listeners());
		this.runner = new JobRunner(this, settings, this.listeners);
		this.retries = new Retries(this, settings.queueSize());
		this.retrying = settings.retry().maxAttempts() > 1;
		this.signalBatch = Math.max(1, settings.queueSize() / 4);
		this.decorators = settings.decorators().toArray(new JobDecorator[0]);
	}

	@Override
	public JobFuture submit(Object data) {
		return enqueue(data, -1L);
	}

	@Override
	public JobFuture trySubmit(Object data, Duration maxWait) {
		Objects.requireNonNull(maxWait, "maxWait must not be null");
		return enqueue(data, Math.max(0L, maxWait.toNanos()));
	}

	private JobFuture enqueue(Object data, long waitNanos) {
		Objects.requireNonNull(data, "data must not be null");
		if (this.control != RUNNING) {
			throw reject(data, Reason.NOT_RUNNING, notRunning());
		}
		Object route = this.routes.routeOf(data.getClass());
		if (!(route instanceof Integer)) {
			throw reject(data, Reason.NO_PROCESSOR, (String) route);
		}
		JobTask task = new JobTask(this,
				new Job<>(this.ids.incrementAndGet(), data, 1, System.currentTimeMillis()), (Integer) route);
		decorate(task);
		if (this.runner.timed()) {
			task.enqueuedNanos = System.nanoTime();
		}
		this.counters.accepted.increment();
		if (!this.queue.offer(task) && !offerAfterYielding(task, waitNanos)) {
			waitForRoom(task, waitNanos);
		}
		if (this.control != RUNNING && task.transition(JobTask.QUEUED, JobTask.REVOKED)) {
			this.counters.accepted.decrement();
			throw reject(data, Reason.NOT_RUNNING, notRunning());
		}
		if (!this.spinners.any() && this.idleWorkers.any()) {
			this.idleWorkers.wakeOne();
		}
		if (this.runner.timed()) {
			this.listeners.onAccepted(task.job);
		}
		return task;
	}

	private void decorate(JobTask task) {
		Runnable execution = task;
		for (JobDecorator decorator : this.decorators) {
			execution = Objects.requireNonNull(decorator.decorate(task.job, execution),
					() -> "Decorator " + decorator + " returned null");
		}
		task.execution = execution;
	}

	// A full queue often has room again a moment later: yield to the workers a few times before blocking.
	private boolean offerAfterYielding(JobTask task, long waitNanos) {
		if (waitNanos == 0) {
			return false;
		}
		for (int i = 0; i < SUBMIT_YIELDS; i++) {
			Thread.yield();
			if (this.queue.offer(task)) {
				return true;
			}
		}
		return false;
	}

	private void waitForRoom(JobTask task, long waitNanos) {
		Backpressure.Outcome outcome;
		try {
			outcome = (waitNanos == 0) ? Backpressure.Outcome.TIMED_OUT
					: this.backpressure.await(() -> this.queue.offer(task), this::isRunning, waitNanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.counters.accepted.decrement();
			throw reject(task.job.data(), Reason.INTERRUPTED,
					"Interrupted while waiting for room in the queue of pool '" + name() + "'");
		}
		if (outcome != Backpressure.Outcome.OFFERED) {
			this.counters.accepted.decrement();
			if (outcome == Backpressure.Outcome.CLOSED) {
				throw reject(task.job.data(), Reason.NOT_RUNNING, notRunning());
			}
			throw reject(task.job.data(), Reason.QUEUE_FULL, "The queue of pool '" + name() + "' stayed full ("
					+ this.queue.capacity() + " jobs) for " + Duration.ofNanos(waitNanos)
					+ "; retry later, or raise queue-size or the number of workers");
		}
	}

	private JobRejectedException reject(Object data, Reason reason, String message) {
		JobRejectedException exception = new JobRejectedException(reason, message);
		this.counters.rejected.increment();
		this.listeners.onRejected(data, exception);
		return exception;
	}

	private String notRunning() {
		String state = switch (this.control) {
			case NEW -> "not started";
			case DRAINING -> "closing";
			default -> "closed";
		};
		return "Pool '" + name() + "' is " + state + " and accepts no jobs";
	}

	// Worker side

	JobTask take() {
		if (this.paused) {
			return null;
		}
		JobTask task = this.queue.poll();
		if (task != null) {
			if (this.paused) {
				this.queue.requeue(task);
				return null;
			}
			if (this.backpressure.hasWaiters()) {
				int free = this.queue.capacity() - this.queue.size();
				if (free >= this.signalBatch) {
					this.backpressure.signal(free);
				}
			}
			if (this.retrying && task.job.attempt() > 1) {
				this.retries.taken();
			}
			wakeIdleIfQueued();
		}
		return task;
	}

	boolean mayTake() {
		int state = this.control;
		return (state == RUNNING || state == DRAINING) && !this.paused;
	}

	boolean mayRetry() {
		int state = this.control;
		return state == RUNNING || state == DRAINING;
	}

	boolean workerMayStop() {
		int state = this.control;
		return state >= STOPPED || (state == DRAINING && this.retries.count() == 0 && this.queue.size() == 0);
	}

	void park() {
		if (this.control == RUNNING) {
			LockSupport.park(this);
		}
		else {
			LockSupport.parkNanos(this, DRAIN_RECHECK_NANOS);
		}
	}

	// A worker that takes a job passes the word on: while jobs remain and a worker is parked, wake it. This
	// is what wakes workers for a burst that arrived while another worker was spinning.
	void wakeIdleIfQueued() {
		if (this.idleWorkers.any() && this.queue.size() > 0) {
			this.idleWorkers.wakeOne();
		}
	}

	void requeue(JobTask task) {
		this.queue.requeue(task);
		this.idleWorkers.wakeOne();
	}

	void cancelled(JobTask task) {
		this.counters.failed.increment();
		this.listeners.onFailed(task.job, new CancellationException("Cancelled before it ran"), 0, 0);
	}

	void handBack(JobTask task) {
		if (task.transition(JobTask.RETRY_WAIT, JobTask.HANDED_BACK)) {
			settleHandedBack(List.of(task));
		}
	}

	void workerExited(Worker worker) {
		if (this.dispatchers.threadExited() == 0 && this.control >= DRAINING) {
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

	Retries retries() {
		return this.retries;
	}

	PoolCounters counters() {
		return this.counters;
	}

	ScheduledExecutorService housekeeper() {
		return this.housekeeper;
	}

	// Lifecycle

	@Override
	public void start() {
		synchronized (this.lifecycle) {
			if (this.control == RUNNING) {
				return;
			}
			if (this.control != NEW) {
				throw new IllegalStateException("Pool '" + name() + "' was closed; build a new one");
			}
			this.housekeeper = newHousekeeper();
			this.control = RUNNING;
			try {
				this.dispatchers.resize(this.settings.initPoolNum());
			}
			catch (RuntimeException | Error ex) {
				shutdownNow();
				throw ex;
			}
		}
		this.listeners.onPoolStarted(this);
	}

	private ScheduledThreadPoolExecutor newHousekeeper() {
		boolean autoscale = this.settings.autoscale() && this.settings.maxPoolNum() > this.settings.initPoolNum();
		if (!this.retrying && this.settings.jobTimeout() == null && !autoscale) {
			return null;
		}
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (work) -> {
			Thread thread = new Thread(work, this.settings.threadNamePrefix() + "housekeeper");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		if (this.settings.jobTimeout() != null) {
			TimeoutWatchdog watchdog = new TimeoutWatchdog(this.dispatchers.slots(), this.settings.jobTimeout(),
					this.listeners);
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
			if (this.control == NEW) {
				this.control = TERMINATED;
				this.terminated.countDown();
				return;
			}
			if (this.control != RUNNING) {
				return;
			}
			this.control = DRAINING;
			this.paused = false;
		}
		this.dispatchers.wakeAll(false);
		this.backpressure.signalAll();
	}

	@Override
	public List<Job<?>> shutdownNow() {
		List<JobTask> handedBack;
		synchronized (this.lifecycle) {
			if (this.control == NEW) {
				shutdown();
				return List.of();
			}
			if (this.control >= STOPPED) {
				return List.of();
			}
			this.control = STOPPED;
			this.paused = false;
			handedBack = sweep();
		}
		this.backpressure.signalAll();
		this.dispatchers.wakeAll(true);
		if (this.dispatchers.liveThreads() == 0) {
			terminate();
		}
		return settleHandedBack(handedBack);
	}

	private List<JobTask> sweep() {
		stopHousekeeper();
		List<JobTask> handedBack = new ArrayList<>();
		this.retries.handBack(handedBack);
		JobTask task;
		while ((task = take()) != null) {
			if (task.transition(JobTask.QUEUED, JobTask.HANDED_BACK)) {
				handedBack.add(task);
			}
		}
		return handedBack;
	}

	private void stopHousekeeper() {
		if (this.housekeeper != null) {
			this.housekeeper.shutdownNow();
			try {
				this.housekeeper.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private List<Job<?>> settleHandedBack(List<JobTask> tasks) {
		List<Job<?>> jobs = new ArrayList<>(tasks.size());
		for (JobTask task : tasks) {
			this.counters.handedBack.increment();
			this.listeners.onHandedBack(task.job);
			task.completeExceptionally(new JobHandedBackException(task.job));
			jobs.add(task.job);
		}
		return jobs;
	}

	private void terminate() {
		List<JobTask> leftOver;
		synchronized (this.lifecycle) {
			if (this.control == TERMINATED) {
				return;
			}
			leftOver = sweep();
			this.control = TERMINATED;
		}
		settleHandedBack(leftOver);
		this.backpressure.signalAll();
		this.listeners.onPoolTerminated(this);
		this.terminated.countDown();
	}

	@Override
	public boolean awaitTermination(Duration timeout) throws InterruptedException {
		return this.terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public State state() {
		return switch (this.control) {
			case NEW -> State.NOT_STARTED;
			case RUNNING -> State.RUNNING;
			case DRAINING -> State.DRAINING;
			case STOPPED -> State.STOPPING;
			default -> State.CLOSED;
		};
	}

	@Override
	public boolean isRunning() {
		return this.control == RUNNING;
	}

	@Override
	public boolean isClosed() {
		return this.control == TERMINATED;
	}

	// Dispatchers

	@Override
	public void resizeDispatchers(int target) {
		synchronized (this.lifecycle) {
			if (this.control != RUNNING) {
				throw new IllegalStateException("Pool '" + name() + "' is not running; cannot resize it");
			}
			if (target < 1 || target > this.settings.maxPoolNum()) {
				throw new IllegalArgumentException("Dispatchers must be from 1 to max-pool-num ("
						+ this.settings.maxPoolNum() + ") but was " + target);
			}
			this.dispatchers.resize(target);
		}
	}

	void resizeIfRunning(int target) {
		synchronized (this.lifecycle) {
			if (this.control == RUNNING) {
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
	}

	@Override
	public void resume() {
		this.paused = false;
		this.dispatchers.wakeAll(false);
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
		return this.queue.size();
	}

	@Override
	public int queueCapacity() {
		return this.queue.capacity();
	}

	@Override
	public int retryingJobs() {
		return this.retries.count();
	}

	@Override
	public int activeWorkers() {
		return this.dispatchers.busy();
	}

	@Override
	public int workerCount() {
		return this.dispatchers.liveThreads();
	}

	@Override
	public int dispatcherCount() {
		return this.dispatchers.count();
	}

	@Override
	public int workersPerDispatcher() {
		return this.settings.workerNum();
	}

	@Override
	public int maxDispatchers() {
		return this.settings.maxPoolNum();
	}

	@Override
	public JobPoolStats stats() {
		return this.counters.snapshot();
	}

	@Override
	public String toString() {
		return "JobPool[" + name() + "]";
	}

}
