package io.jobpool.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import org.jspecify.annotations.Nullable;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.JobTimes;
import io.jobpool.JobTimes.Outcome;
import io.jobpool.JobTimeoutException;

/**
 * Binds the {@code jobpool.*} meters of one {@link JobPool}, tagged {@code pool} with its name.
 * <p>
 * Gauges and most counters read the pool when the registry asks; the timers and the per-reason rejection and
 * submission counters need this binder registered as a listener of the pool it measures:
 * <pre class="code">
 * JobPoolMetrics metrics = new JobPoolMetrics();
 * JobPool pool = JobPool.builder().listener(metrics).build();
 * metrics.monitor(pool).bindTo(registry);
 * ...
 * pool.close();
 * metrics.close();
 * </pre>
 * or, to bind when the pool starts, {@link #bindOnStart(MeterRegistry, Iterable)}:
 * <pre class="code">
 * JobPool pool = JobPool.builder().listener(JobPoolMetrics.bindOnStart(registry, Tags.empty())).build();
 * pool.start();
 * </pre>
 * The listener side only records into meters created at {@link #bindTo(MeterRegistry) binding}: no meter is
 * looked up or created per job. Timers count attempts: a retried attempt is timed with the outcome of that
 * attempt, and a job cancelled before it ran is not timed.
 * <p>
 * {@code jobpool.queue.wait} and {@code jobpool.job.duration} cost a job nothing but its clock reads: each worker
 * adds up its own attempts ({@link JobPool#jobTimes()}) and function timers publish the sums when the registry
 * reads them, so counts and totals are exact but there is no {@code max}. When the registry gives a timer a
 * distribution (Boot's {@code management.metrics.distribution.percentiles-histogram}, {@code percentiles} or
 * {@code slo} for that meter name, or any {@code MeterFilter} that configures one), that name's timers are
 * real {@link Timer}s instead, recorded at the end of each attempt, with their max, percentiles and buckets. {@link #close()} removes every meter this binder
 * registered; so does the pool's termination, when this binder was built into it as a listener.
 */
public final class JobPoolMetrics implements MeterBinder, JobListener, AutoCloseable {

	/** The tag naming the pool. */
	public static final String POOL_TAG = "pool";

	private static final String JOBS = "jobs";

	private static final String THREADS = "threads";

	private static final String OUTCOME_TAG = "outcome";

	private final Tags tags;

	private final @Nullable MeterRegistry registryOnStart;

	private @Nullable JobPool pool;

	private @Nullable MeterRegistry registry;

	private final List<Meter> meters = new ArrayList<>();

	// Published once by bindTo, read by listener callbacks on submitting and worker threads.
	private volatile @Nullable Recorders recorders;

	/**
	 * Create a binder with no extra tags.
	 */
	public JobPoolMetrics() {
		this(Tags.empty());
	}

	/**
	 * Create a binder.
	 * @param tags tags added to every meter, besides {@code pool}
	 */
	public JobPoolMetrics(Iterable<Tag> tags) {
		this(tags, null);
	}

	private JobPoolMetrics(Iterable<Tag> tags, @Nullable MeterRegistry registryOnStart) {
		this.tags = Tags.of(tags);
		this.registryOnStart = registryOnStart;
	}

	/**
	 * Create a binder to build into a pool as a listener: it measures that pool and binds to the registry when
	 * the pool starts, and removes its meters when the pool terminates. A job another thread submits while
	 * {@code start()} has not returned may be accepted before the binding, and then is not recorded.
	 * @param registry the registry
	 * @param tags tags added to every meter, besides {@code pool}
	 * @return a new binder
	 */
	public static JobPoolMetrics bindOnStart(MeterRegistry registry, Iterable<Tag> tags) {
		Objects.requireNonNull(registry, "registry must not be null");
		return new JobPoolMetrics(tags, registry);
	}

	/**
	 * Set the pool to measure: the one built with this binder as a listener, or any pool when only its gauges
	 * and stats-based counters are wanted.
	 * @param pool the pool
	 * @return this binder
	 * @throws IllegalStateException if another pool was set before
	 */
	public synchronized JobPoolMetrics monitor(JobPool pool) {
		Objects.requireNonNull(pool, "pool must not be null");
		if (this.pool != null && this.pool != pool) {
			throw new IllegalStateException("Already measuring " + this.pool + "; use one JobPoolMetrics per pool");
		}
		this.pool = pool;
		return this;
	}

	/** The pool measured, if {@link #monitor(JobPool)} was called. */
	public synchronized @Nullable JobPool pool() {
		return this.pool;
	}

	/**
	 * Register the meters with a registry; one registry per binder (use a composite registry for several).
	 * @param registry the registry
	 * @throws IllegalStateException if no pool was set or the binder is already bound
	 */
	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		JobPool pool = this.pool;
		if (pool == null) {
			throw new IllegalStateException("Call monitor(pool) before binding");
		}
		if (this.registry != null) {
			throw new IllegalStateException("Already bound to " + this.registry);
		}
		this.registry = registry;
		Tags tags = this.tags.and(POOL_TAG, pool.name());
		gauge(registry, "jobpool.queue.depth", "Jobs waiting in the queue", JOBS, tags, pool, JobPool::queueDepth);
		gauge(registry, "jobpool.queue.capacity", "Jobs the queue holds at most", JOBS, tags, pool,
				(p) -> p.figures().queueCapacity());
		gauge(registry, "jobpool.jobs.retrying", "Jobs waiting for a retry after a backoff", JOBS, tags, pool,
				(p) -> p.figures().retrying());
		gauge(registry, "jobpool.schedule.depth", "Jobs waiting for their time", JOBS, tags, pool,
				(p) -> p.figures().scheduled());
		gauge(registry, "jobpool.schedule.capacity", "Jobs that may wait for their time at most", JOBS, tags, pool,
				(p) -> p.figures().scheduleCapacity());
		gauge(registry, "jobpool.workers.active", "Workers running a job", THREADS, tags, pool,
				JobPool::activeWorkers);
		gauge(registry, "jobpool.workers", "Live workers", THREADS, tags, pool, (p) -> p.figures().workers());
		gauge(registry, "jobpool.dispatchers", "Dispatchers", "dispatchers", tags, pool,
				(p) -> p.figures().dispatchers());
		if (pool.figures().deadJobs() != null) {
			gauge(registry, "jobpool.jobs.dead", "Jobs set aside after their last attempt, or unreadable, kept for a "
					+ "requeue", JOBS, tags, pool, JobPoolMetrics::deadJobs);
		}
		counter(registry, "jobpool.jobs.retried", "Attempts that failed and were retried", tags, pool,
				(p) -> p.stats().retried());
		counter(registry, "jobpool.jobs.scheduled", "Jobs accepted to run later", tags, pool,
				(p) -> p.stats().scheduled());
		counter(registry, "jobpool.jobs.recurring", "Jobs of recurring slots this instance submitted", tags, pool,
				(p) -> p.stats().recurring());
		counter(registry, "jobpool.jobs.handed.back", "Jobs a forced stop handed back without running them", tags,
				pool, (p) -> p.stats().handedBack());
		counter(registry, "jobpool.jobs.completed", "Jobs that ended after running", tags.and(OUTCOME_TAG, "success"),
				pool, (p) -> p.stats().succeeded());
		counter(registry, "jobpool.jobs.completed", "Jobs that ended after running", tags.and(OUTCOME_TAG, "failure"),
				pool, (p) -> p.stats().failed());
		Counter submitted = register(Counter.builder("jobpool.jobs.submitted")
			.description("Jobs accepted by submit")
			.baseUnit(JOBS)
			.tags(tags)
			.register(registry));
		Reason[] reasons = Reason.values();
		Counter[] rejected = new Counter[reasons.length];
		for (Reason reason : reasons) {
			rejected[reason.ordinal()] = register(Counter.builder("jobpool.jobs.rejected")
				.description("Submits refused")
				.baseUnit(JOBS)
				.tags(tags)
				.tag("reason", reason.tagValue())
				.register(registry));
		}
		Timer @Nullable [] queueWait = timers(registry, "jobpool.queue.wait",
				"Time jobs waited in the queue before a worker took them, per attempt", tags, pool,
				JobTimes.Totals::queueWaitNanos);
		Timer @Nullable [] duration = timers(registry, "jobpool.job.duration", "Time a processor ran, per attempt",
				tags, pool, JobTimes.Totals::runNanos);
		this.recorders = new Recorders(submitted, rejected, queueWait, duration);
	}

	// The timers of one name, one per outcome. When the registry gives them a distribution (percentiles, a
	// histogram or SLOs, as Boot's management.metrics.distribution.* properties do), each attempt is recorded in
	// them and they are returned. Otherwise function timers read the totals each worker keeps, and null is returned.
	private Timer @Nullable [] timers(MeterRegistry registry, String name, String description, Tags tags,
			JobPool pool, ToLongFunction<JobTimes.Totals> time) {
		Outcome[] outcomes = Outcome.values();
		if (registry.find(name).tags(tags).functionTimer() != null) {
			return functionTimers(registry, name, description, tags, pool, time);
		}
		Timer[] timers = new Timer[outcomes.length];
		boolean distributed = false;
		for (Outcome outcome : outcomes) {
			Timer timer = Timer.builder(name)
				.description(description)
				.tags(tags)
				.tag(OUTCOME_TAG, outcome.tagValue())
				.register(registry);
			timers[outcome.ordinal()] = timer;
			distributed |= hasDistribution(timer);
		}
		if (distributed) {
			Arrays.stream(timers).forEach(this::register);
			return timers;
		}
		Arrays.stream(timers).forEach(registry::remove);
		return functionTimers(registry, name, description, tags, pool, time);
	}

	// A pool of the same name bound to the registry before this one may have registered them already: then they
	// are shared, as timers of the same name and tags are.
	private Timer @Nullable [] functionTimers(MeterRegistry registry, String name, String description,
			Tags tags, JobPool pool, ToLongFunction<JobTimes.Totals> time) {
		for (Outcome outcome : Outcome.values()) {
			register(FunctionTimer
				.builder(name, pool, (p) -> p.jobTimes().of(outcome).count(),
						(p) -> time.applyAsLong(p.jobTimes().of(outcome)), TimeUnit.NANOSECONDS)
				.description(description)
				.tags(tags)
				.tag(OUTCOME_TAG, outcome.tagValue())
				.register(registry));
		}
		return null;
	}

	private static boolean hasDistribution(Timer timer) {
		HistogramSnapshot snapshot = timer.takeSnapshot();
		return snapshot.percentileValues().length > 0 || snapshot.histogramCounts().length > 0;
	}

	private static double deadJobs(JobPool pool) {
		Long dead = pool.figures().deadJobs();
		return (dead != null) ? dead : 0;
	}

	private void gauge(MeterRegistry registry, String name, String description, String unit, Tags tags,
			JobPool pool, ToDoubleFunction<JobPool> value) {
		register(Gauge.builder(name, pool, value)
			.description(description)
			.baseUnit(unit)
			.tags(tags)
			.register(registry));
	}

	private void counter(MeterRegistry registry, String name, String description, Tags tags, JobPool pool,
			ToDoubleFunction<JobPool> value) {
		register(FunctionCounter.builder(name, pool, value)
			.description(description)
			.baseUnit(JOBS)
			.tags(tags)
			.register(registry));
	}

	private <M extends Meter> M register(M meter) {
		this.meters.add(meter);
		return meter;
	}

	/**
	 * Remove every meter this binder registered; the binder records nothing more. Call it when the pool has
	 * closed. Calling it again has no effect.
	 */
	@Override
	public synchronized void close() {
		this.recorders = null;
		MeterRegistry registry = this.registry;
		if (registry != null) {
			this.meters.forEach(registry::remove);
		}
		this.meters.clear();
	}

	@Override
	public void onAccepted(Job<?> job) {
		Recorders recorders = this.recorders;
		if (recorders != null) {
			recorders.submitted.increment();
		}
	}

	@Override
	public void onRejected(Object data, JobRejectedException exception) {
		Recorders recorders = this.recorders;
		if (recorders != null) {
			recorders.rejected[exception.reason().ordinal()].increment();
		}
	}

	@Override
	public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
		Recorders recorders = this.recorders;
		if (recorders != null && recorders.perAttempt) {
			recorders.record(Outcome.SUCCESS, queueWaitNanos, runNanos);
		}
	}

	@Override
	public void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
		recordFailure(error, queueWaitNanos, runNanos);
	}

	@Override
	public void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
		recordFailure(error, queueWaitNanos, runNanos);
	}

	/** The pool this binder was built into has started: a binder made by {@code bindOnStart} binds to it. */
	@Override
	public void onPoolStarted(JobPool pool) {
		MeterRegistry registry = this.registryOnStart;
		if (registry != null) {
			monitor(pool).bindTo(registry);
		}
	}

	/** The pool this binder was built into has stopped: its meters go. */
	@Override
	public void onPoolTerminated(JobPool pool) {
		close();
	}

	private void recordFailure(Throwable error, long queueWaitNanos, long runNanos) {
		Recorders recorders = this.recorders;
		if (recorders != null && recorders.perAttempt && !(error instanceof CancellationException)) {
			recorders.record((error instanceof JobTimeoutException) ? Outcome.TIMEOUT : Outcome.FAILURE,
					queueWaitNanos, runNanos);
		}
	}

	@Override
	public String toString() {
		return "JobPoolMetrics[" + this.pool + "]";
	}

	// The timers of a name are null when function timers publish the pool's totals instead.
	private record Recorders(Counter submitted, Counter[] rejected, Timer @Nullable [] queueWait,
			Timer @Nullable [] duration, boolean perAttempt) {

		Recorders(Counter submitted, Counter[] rejected, Timer @Nullable [] queueWait, Timer @Nullable [] duration) {
			this(submitted, rejected, queueWait, duration, queueWait != null || duration != null);
		}

		void record(Outcome outcome, long queueWaitNanos, long runNanos) {
			if (this.queueWait != null) {
				this.queueWait[outcome.ordinal()].record(queueWaitNanos, TimeUnit.NANOSECONDS);
			}
			if (this.duration != null) {
				this.duration[outcome.ordinal()].record(runNanos, TimeUnit.NANOSECONDS);
			}
		}

	}

}
