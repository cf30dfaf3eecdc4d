package io.jobpool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.jobpool.engine.Engines;

import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link JobPool}: sizes, processors, and the options that shape how jobs run. Defaults are the Go
 * library's: 1 dispatcher of 50 workers and a queue of 1000.
 */
public final class JobPoolBuilder {

	private String name = "jobpool";

	private int initPoolNum = 1;

	private @Nullable Integer maxPoolNum;

	private int workerNum = 50;

	private int queueSize = 1000;

	private @Nullable Integer scheduleSize;

	private Clock clock = Clock.systemUTC();

	private final Map<String, RecurringJob> recurringJobs = new LinkedHashMap<>();

	private boolean autoscale;

	private double loadFactor = 0.75;

	private Duration resizePeriod = Duration.ofSeconds(30);

	private int resizeSuccessThreshold = 2;

	private RetryPolicy retry = RetryPolicy.NONE;

	private @Nullable Duration jobTimeout;

	private Duration drainPeriod = Duration.ofSeconds(30);

	private @Nullable String threadNamePrefix;

	private boolean virtualThreads;

	private final Map<Class<?>, Supplier<? extends JobProcessor<?>>> processors = new LinkedHashMap<>();

	private final List<JobDecorator> decorators = new ArrayList<>();

	private final List<JobListener> listeners = new ArrayList<>();

	JobPoolBuilder() {
	}

	/**
	 * Name the pool; it shows in thread names, logs and metric tags.
	 * @param name the name
	 * @return this builder
	 */
	public JobPoolBuilder name(String name) {
		this.name = name;
		return this;
	}

	/**
	 * Set the number of dispatchers to start with ({@code init-pool-num}).
	 * @param initPoolNum at least 1
	 * @return this builder
	 */
	public JobPoolBuilder initPoolNum(int initPoolNum) {
		this.initPoolNum = initPoolNum;
		return this;
	}

	/**
	 * Set the most dispatchers autoscaling or a resize may reach; defaults to {@code init-pool-num}.
	 * @param maxPoolNum at least {@code init-pool-num}
	 * @return this builder
	 */
	public JobPoolBuilder maxPoolNum(int maxPoolNum) {
		this.maxPoolNum = maxPoolNum;
		return this;
	}

	/**
	 * Set the number of workers each dispatcher runs ({@code worker-num}).
	 * @param workerNum at least 1
	 * @return this builder
	 */
	public JobPoolBuilder workerNum(int workerNum) {
		this.workerNum = workerNum;
		return this;
	}

	/**
	 * Set how many jobs may wait in the queue ({@code queue-size}); submit blocks beyond it.
	 * @param queueSize at least 1
	 * @return this builder
	 */
	public JobPoolBuilder queueSize(int queueSize) {
		this.queueSize = queueSize;
		return this;
	}

	/**
	 * Register the processor generator for payloads of a type (and its subtypes, where no more specific type
	 * is registered). The generator is asked once per worker.
	 * @param type the payload type
	 * @param generator makes a processor for one worker; may return a shared one
	 * @param <T> the payload type
	 * @return this builder
	 */
	public <T> JobPoolBuilder processor(Class<T> type, Supplier<? extends JobProcessor<T>> generator) {
		if (type == null || generator == null) {
			throw new InvalidPoolConfigurationException("processor", type, "type and generator must not be null",
					"Pass the payload class and a supplier of its processor.");
		}
		if (this.processors.putIfAbsent(type, generator) != null) {
			throw new InvalidPoolConfigurationException("processor", type.getName(),
					"a processor is already registered for this type", "Register one processor per payload type.");
		}
		return this;
	}

	/**
	 * Scale dispatchers between {@code init-pool-num} and {@code max-pool-num} by load.
	 * @param autoscale whether to autoscale
	 * @return this builder
	 */
	public JobPoolBuilder autoscale(boolean autoscale) {
		this.autoscale = autoscale;
		return this;
	}

	/**
	 * Set how full the queue must be, as a fraction of its size, to count as overloaded when autoscaling.
	 * @param loadFactor more than 0 and at most 1
	 * @return this builder
	 */
	public JobPoolBuilder loadFactor(double loadFactor) {
		this.loadFactor = loadFactor;
		return this;
	}

	/**
	 * Set how often autoscaling looks at the load.
	 * @param resizePeriod a positive duration
	 * @return this builder
	 */
	public JobPoolBuilder resizePeriod(Duration resizePeriod) {
		this.resizePeriod = resizePeriod;
		return this;
	}

	/**
	 * Set how many looks in a row must agree before autoscaling adds or removes a dispatcher.
	 * @param resizeSuccessThreshold at least 1
	 * @return this builder
	 */
	public JobPoolBuilder resizeSuccessThreshold(int resizeSuccessThreshold) {
		this.resizeSuccessThreshold = resizeSuccessThreshold;
		return this;
	}

	/**
	 * Set how failed jobs are retried.
	 * @param retry the policy; {@link RetryPolicy#NONE} by default
	 * @return this builder
	 */
	public JobPoolBuilder retry(RetryPolicy retry) {
		this.retry = retry;
		return this;
	}

	/**
	 * Set the longest a job may run before its worker is interrupted and the job fails with a
	 * {@link JobTimeoutException}.
	 * @param jobTimeout a positive duration, or {@code null} for no timeout
	 * @return this builder
	 */
	public JobPoolBuilder jobTimeout(@Nullable Duration jobTimeout) {
		this.jobTimeout = jobTimeout;
		return this;
	}

	/**
	 * Set how long {@link JobPool#close()} lets jobs finish before it forces a stop.
	 * @param drainPeriod a positive duration
	 * @return this builder
	 */
	public JobPoolBuilder drainPeriod(Duration drainPeriod) {
		this.drainPeriod = drainPeriod;
		return this;
	}

	/**
	 * Set the prefix of worker thread names; defaults to the pool's name and a dash.
	 * @param threadNamePrefix the prefix
	 * @return this builder
	 */
	public JobPoolBuilder threadNamePrefix(String threadNamePrefix) {
		this.threadNamePrefix = threadNamePrefix;
		return this;
	}

	/**
	 * Run workers on virtual threads (Java 21 and newer).
	 * @param virtualThreads whether to use virtual threads
	 * @return this builder
	 */
	public JobPoolBuilder virtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
		return this;
	}

	/**
	 * Set how many jobs submitted for later may wait for their time at once; defaults to the queue size.
	 * @param scheduleSize 1 or more
	 * @return this builder
	 */
	public JobPoolBuilder scheduleSize(int scheduleSize) {
		this.scheduleSize = scheduleSize;
		return this;
	}

	/**
	 * Set the clock that says when scheduled jobs and recurring slots are due; defaults to the system clock.
	 * @param clock the clock
	 * @return this builder
	 */
	public JobPoolBuilder clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	/**
	 * Add a recurring job, which submits its payload at each of its slots.
	 * @param recurringJob the recurring job
	 * @return this builder
	 * @throws InvalidPoolConfigurationException if the pool has a recurring job of that name already
	 */
	public JobPoolBuilder recurring(RecurringJob recurringJob) {
		if (this.recurringJobs.putIfAbsent(recurringJob.name(), recurringJob) != null) {
			throw new InvalidPoolConfigurationException("recurring", recurringJob.name(),
					"the pool has a recurring job of that name already", "Give each recurring job its own name.");
		}
		return this;
	}

	/**
	 * Add a recurring job that runs the latest missed slot once and lets slots overlap.
	 * @param name the name of the recurring job, unique in the pool
	 * @param nextSlot the first slot strictly after a given time, or {@code null} when there are no more
	 * @param payload the payload of a slot, given the slot's time
	 * @return this builder
	 * @see RecurringJob#of
	 */
	public JobPoolBuilder recurring(String name, UnaryOperator<@Nullable Instant> nextSlot,
			Function<Instant, ?> payload) {
		return recurring(RecurringJob.of(name, nextSlot, payload));
	}

	/**
	 * Add a decorator, applied to each job on the submitting thread; decorators added later wrap earlier ones.
	 * @param decorator the decorator
	 * @return this builder
	 */
	public JobPoolBuilder decorator(JobDecorator decorator) {
		this.decorators.add(decorator);
		return this;
	}

	/**
	 * Add a listener.
	 * @param listener the listener
	 * @return this builder
	 */
	public JobPoolBuilder listener(JobListener listener) {
		this.listeners.add(listener);
		return this;
	}

	/**
	 * Build the pool, not yet started.
	 * @return a new pool
	 * @throws InvalidPoolConfigurationException naming the option, the value and the fix, for a bad option
	 */
	public JobPool build() {
		return Engines.inMemory(settings());
	}

	/**
	 * The validated settings a pool would be built from, for pools whose jobs wait in a store of their own, such as
	 * a durable one.
	 * @return the settings
	 * @throws InvalidPoolConfigurationException naming the option, the value and the fix, for a bad option
	 */
	public JobPoolSettings settings() {
		int max = (this.maxPoolNum != null) ? this.maxPoolNum : this.initPoolNum;
		int schedule = (this.scheduleSize != null) ? this.scheduleSize : this.queueSize;
		return new JobPoolSettings(this.name, this.initPoolNum, max, this.workerNum, this.queueSize, schedule,
				this.autoscale, this.loadFactor, this.resizePeriod, this.resizeSuccessThreshold, this.retry,
				this.jobTimeout, this.drainPeriod,
				(this.threadNamePrefix != null) ? this.threadNamePrefix : this.name + "-", this.virtualThreads,
				this.processors, this.decorators, this.listeners, this.recurringJobs, this.clock);
	}

}
