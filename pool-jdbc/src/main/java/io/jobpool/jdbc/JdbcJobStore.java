package io.jobpool.jdbc;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.jobpool.DeadJob;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobPoolSettings;
import io.jobpool.RecurringJob;
import io.jobpool.spi.Ending;
import io.jobpool.spi.JobStore;
import io.jobpool.spi.QueuedJob;
import io.jobpool.spi.SlotSubmission;
import io.jobpool.spi.StoreContext;
import org.jspecify.annotations.Nullable;

/**
 * The store of a durable pool: the {@code jobpool_job} table. {@link TableIntake} inserts the rows of submitted
 * jobs, and of jobs submitted for later, due at their time; {@link RecurringSlots} submits each slot of a recurring
 * job on one instance only, through {@code jobpool_recurring}; the {@link Claimer} claims due rows for free
 * workers, as {@link ClaimedRuns}, under a lease the {@link TableKeeper} renews; {@link Completions} writes how each
 * claimed job ended. Whenever jobs become ready (submitted, requeued, given back, returned from an expired lease, or
 * due for their retry), the {@link ReadyJobsNotifier} tells the pool's other instances, whose
 * {@link ReadyJobsListener} nudges their claimer.
 */
final class JdbcJobStore implements JobStore {

	private final String name;

	private final JobPoolSettings settings;

	private final JdbcOptions options;

	private final JobTable table;

	private final JobTypes types;

	private final String instance;

	private final String owner;

	private final Trouble trouble;

	private final PendingJobs pending;

	private final PendingJobs scheduled;

	private final SubmittedJobs submitted = new SubmittedJobs();

	private final ClaimedRuns runs;

	private final Claimer claimer;

	private final TableKeeper keeper;

	private final TableIntake intake;

	private final RecurringSlots slots;

	private final ReadyJobsNotifier notifier;

	private final ReadyJobsListener listener;

	private volatile @Nullable StoreContext context;

	JdbcJobStore(JobPoolSettings settings, JdbcOptions options) {
		this.name = settings.name();
		this.settings = settings;
		this.options = options;
		this.table = new JobTable(options.dataSource(), this.name, settings.clock());
		this.types = new JobTypes(settings.processors().keySet(), options.typeNames(), options.json());
		this.instance = UUID.randomUUID().toString().substring(0, 8);
		this.owner = this.name + "@" + ManagementFactory.getRuntimeMXBean().getName() + "/" + this.instance;
		this.trouble = new Trouble(this.name);
		this.pending = new PendingJobs(settings.queueSize());
		this.scheduled = new PendingJobs(settings.scheduleSize());
		this.notifier = new ReadyJobsNotifier(this.name, this.instance, options.dataSource(), this.trouble,
				this::nudgeClaimer);
		this.runs = new ClaimedRuns(this.name, this.table, this.types, settings.retry(), options.lease(),
				this.submitted, this.pending, this.trouble, options.pollInterval(), this::context, this::workerFreed,
				this.notifier);
		this.claimer = new Claimer(this, this.runs, this.trouble, options.pollInterval());
		this.keeper = new TableKeeper(this.name, this.table, options, this.types.names(), this.pending, this.scheduled,
				this.submitted, this.runs, this.trouble, this::jobsReady);
		this.intake = new TableIntake(this.name, options.dataSource(), this.table, this.types, this.pending,
				this.scheduled, this.submitted, this.trouble, this::context, this::jobsReady);
		this.slots = new RecurringSlots(this.name, options.dataSource(), this.table, this.intake);
		this.listener = new ReadyJobsListener(this.name, this.instance, options.dataSource(), this.trouble,
				this.claimer::nudge);
	}

	@Override
	public void open(StoreContext context) {
		new Schema(this.options.dataSource()).prepare(this.options.initializeSchema(),
				!this.settings.recurringJobs().isEmpty());
		this.keeper.recount();
		this.context = context;
		this.submitted.open(context.counters());
		String prefix = this.settings.threadNamePrefix();
		this.keeper.start(prefix + "table-keeper");
		this.runs.completions().start(prefix + "completer");
		this.claimer.start(prefix + "claimer");
		if (this.options.notifications()) {
			this.notifier.start(prefix + "notifier");
			this.listener.start(prefix + "notify-listener");
		}
	}

	// Submit

	@Override
	public JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
		return this.intake.submit(data, idempotencyKey, waitNanos);
	}

	@Override
	public JobFuture schedule(Object data, @Nullable String idempotencyKey, Instant at, long waitNanos) {
		return this.intake.schedule(data, idempotencyKey, at, waitNanos);
	}

	@Override
	public @Nullable Instant lastSlot(RecurringJob job) {
		return this.slots.lastSlot(job);
	}

	@Override
	public SlotSubmission recur(RecurringJob job, Instant slot) {
		return this.slots.recur(job, slot);
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

	private void workerFreed() {
		this.claimer.workerFreed();
	}

	private void nudgeClaimer() {
		this.claimer.nudge();
	}

	/** Jobs became ready: look for them here, and tell the other instances. */
	private void jobsReady() {
		this.claimer.nudge();
		this.notifier.jobsReady();
	}

	int claim(int max) {
		return this.runs.claim(this.owner, this.options.lease(), max);
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
			stopNotifications(within);
			this.intake.closed();
			try {
				this.keeper.syncSubmitted();
			}
			catch (RuntimeException ex) {
				this.trouble.failed("look up the jobs submitted here before closing", ex);
			}
			this.submitted.handBackAll();
		}
	}

	private void stopNotifications(Duration within) {
		if (this.listener.stopSoon()) {
			// Its own notification wakes the listener, waiting on its connection.
			this.notifier.jobsReady();
		}
		this.notifier.stop(within);
		this.listener.stop(within);
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
	public int scheduled() {
		return this.scheduled.estimate();
	}

	@Override
	public int scheduleCapacity() {
		return this.scheduled.capacity();
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
		jobsReady();
	}

	Map<String, Long> unknownTypes() {
		return this.table.unknownTypes(this.types.names());
	}

	String owner() {
		return this.owner;
	}

	@Override
	public String toString() {
		return "jdbc (table " + JobTable.TABLE + ")";
	}

	private StoreContext context() {
		StoreContext current = this.context;
		if (current == null) {
			throw new IllegalStateException("Durable pool '" + this.name + "' has not started");
		}
		return current;
	}

}
