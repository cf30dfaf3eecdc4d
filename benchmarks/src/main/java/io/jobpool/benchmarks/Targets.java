package io.jobpool.benchmarks;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The executors under test, behind one small interface: submit a job that runs {@code work}, blocking while
 * the executor holds {@code queueSize} waiting jobs, and count each completion.
 */
final class Targets {

	private Targets() {
	}

	/** Every target's name, as used in JMH's {@code impl} parameter. */
	static final String JOBPOOL = "jobpool";

	static final String JOBPOOL_METRICS = "jobpool-metrics";

	static final String TPE = "tpe";

	static final String TPE_EXECUTE = "tpe-execute";

	static final String SPRING = "spring";

	static final String FORKJOIN = "forkjoin";

	static final String VIRTUAL = "virtual";

	/** One executor under test. */
	interface Target extends AutoCloseable {

		/**
		 * Submit one job, blocking while the executor is full.
		 * @return whatever the executor hands back (a future), for the blackhole
		 */
		Object submit() throws InterruptedException;

		/** Jobs completed so far. */
		long completed();

		@Override
		void close();

	}

	/** The payload the pool routes to the no-op processor. */
	static final class Payload {

		static final Payload INSTANCE = new Payload();

	}

	static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	static String describe(String impl) {
		return switch (impl) {
			case JOBPOOL -> "JobPool (metrics off)";
			case JOBPOOL_METRICS -> "JobPool (metrics on: " + (hasJobPoolMetrics() ? "JobPoolMetrics"
					: "Micrometer Timer listener") + ", SimpleMeterRegistry)";
			case TPE -> "ThreadPoolExecutor.submit, ArrayBlockingQueue + blocking put";
			case TPE_EXECUTE -> "ThreadPoolExecutor.execute (no future), ArrayBlockingQueue + blocking put";
			case SPRING -> "Spring ThreadPoolTaskExecutor.submit, blocking put";
			case FORKJOIN -> "ForkJoinPool.submit, Semaphore-bounded";
			case VIRTUAL -> "Virtual thread per task, Semaphore-bounded";
			default -> impl;
		};
	}

	/**
	 * Build a started target.
	 * @param impl which one
	 * @param workers worker threads
	 * @param queueSize jobs that may wait
	 * @param work what each job does
	 */
	static Target create(String impl, int workers, int queueSize, Runnable work) {
		return switch (impl) {
			case JOBPOOL -> new JobPoolTarget(workers, queueSize, work, false);
			case JOBPOOL_METRICS -> new JobPoolTarget(workers, queueSize, work, true);
			case TPE -> new TpeTarget(workers, queueSize, work, false);
			case TPE_EXECUTE -> new TpeTarget(workers, queueSize, work, true);
			case SPRING -> new SpringTarget(workers, queueSize, work);
			case FORKJOIN -> new SemaphoreTarget(new ForkJoinPool(workers), queueSize + workers, work);
			case VIRTUAL -> new SemaphoreTarget(newVirtualThreadPerTaskExecutor(), queueSize + workers, work);
			default -> throw new IllegalArgumentException("Unknown impl " + impl);
		};
	}

	static ExecutorService newVirtualThreadPerTaskExecutor() {
		if (!virtualThreadsAvailable()) {
			throw new UnsupportedOperationException(
					"Virtual threads need Java 21+; this JVM is " + Runtime.version());
		}
		try {
			Method factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
			return (ExecutorService) factory.invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A blocking put for executors that refuse work when their queue is full. */
	static final RejectedExecutionHandler BLOCKING_PUT = (task, executor) -> {
		if (executor.isShutdown()) {
			throw new RejectedExecutionException("Executor shut down");
		}
		try {
			executor.getQueue().put(task);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RejectedExecutionException("Interrupted", ex);
		}
	};

	/**
	 * A listener that records what a Micrometer binder would: queue wait and run time into timers on a
	 * {@link SimpleMeterRegistry}, plus accepted jobs.
	 */
	static final class MicrometerListener implements JobListener {

		private final Timer queueWait;

		private final Timer duration;

		MicrometerListener(MeterRegistry registry) {
			this.queueWait = Timer.builder("jobpool.queue.wait").tag("pool", "bench").register(registry);
			this.duration = Timer.builder("jobpool.job.duration")
				.tag("pool", "bench")
				.tag("outcome", "success")
				.register(registry);
		}

		@Override
		public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
			this.queueWait.record(queueWaitNanos, TimeUnit.NANOSECONDS);
			this.duration.record(runNanos, TimeUnit.NANOSECONDS);
		}

	}

	static final String JOB_POOL_METRICS = "io.jobpool.micrometer.JobPoolMetrics";

	/** Whether pool-core has its own Micrometer binder, which "metrics on" then uses. */
	static boolean hasJobPoolMetrics() {
		try {
			Class.forName(JOB_POOL_METRICS);
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/** A new {@code JobPoolMetrics} (reached reflectively: older pool-core builds lack it), or null. */
	static Object jobPoolMetrics() {
		if (!hasJobPoolMetrics()) {
			return null;
		}
		try {
			return Class.forName(JOB_POOL_METRICS).getConstructor().newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static void bind(Object binder, JobPool pool, MeterRegistry registry) {
		try {
			Object monitoring = binder.getClass().getMethod("monitor", JobPool.class).invoke(binder, pool);
			monitoring.getClass().getMethod("bindTo", MeterRegistry.class).invoke(monitoring, registry);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not bind " + binder, ex);
		}
	}

	static final class JobPoolTarget implements Target {

		private final JobPool pool;

		private final LongAdder completed = new LongAdder();

		JobPoolTarget(int workers, int queueSize, Runnable work, boolean metrics) {
			var builder = JobPool.builder()
				.name("bench")
				.initPoolNum(1)
				.workerNum(workers)
				.queueSize(queueSize)
				.drainPeriod(Duration.ofSeconds(30))
				.processor(Payload.class, () -> (job) -> {
					work.run();
					this.completed.increment();
				});
			Object binder = null;
			if (metrics) {
				binder = jobPoolMetrics();
				builder.listener((binder != null) ? (JobListener) binder
						: new MicrometerListener(new SimpleMeterRegistry()));
			}
			this.pool = builder.build();
			if (binder != null) {
				bind(binder, this.pool, new SimpleMeterRegistry());
			}
			this.pool.start();
		}

		@Override
		public Object submit() {
			return this.pool.submit(Payload.INSTANCE);
		}

		@Override
		public long completed() {
			return this.completed.sum();
		}

		@Override
		public void close() {
			this.pool.close();
		}

	}

	static final class TpeTarget implements Target {

		private final ThreadPoolExecutor executor;

		private final LongAdder completed = new LongAdder();

		private final Runnable task;

		private final boolean execute;

		TpeTarget(int workers, int queueSize, Runnable work, boolean execute) {
			this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
					new ArrayBlockingQueue<>(queueSize), BLOCKING_PUT);
			this.executor.prestartAllCoreThreads();
			this.task = () -> {
				work.run();
				this.completed.increment();
			};
			this.execute = execute;
		}

		@Override
		public Object submit() {
			if (this.execute) {
				this.executor.execute(this.task);
				return null;
			}
			return this.executor.submit(this.task);
		}

		@Override
		public long completed() {
			return this.completed.sum();
		}

		@Override
		public void close() {
			shutdown(this.executor);
		}

	}

	static final class SpringTarget implements Target {

		private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

		private final LongAdder completed = new LongAdder();

		private final Runnable task;

		SpringTarget(int workers, int queueSize, Runnable work) {
			this.executor.setCorePoolSize(workers);
			this.executor.setMaxPoolSize(workers);
			this.executor.setQueueCapacity(queueSize);
			this.executor.setThreadNamePrefix("spring-bench-");
			this.executor.setRejectedExecutionHandler(BLOCKING_PUT);
			this.executor.initialize();
			this.executor.getThreadPoolExecutor().prestartAllCoreThreads();
			this.task = () -> {
				work.run();
				this.completed.increment();
			};
		}

		@Override
		public Future<?> submit() {
			return this.executor.submit(this.task);
		}

		@Override
		public long completed() {
			return this.completed.sum();
		}

		@Override
		public void close() {
			this.executor.shutdown();
		}

	}

	/** An executor with no bound of its own, bounded by a semaphore taken at submit, given back at the end. */
	static final class SemaphoreTarget implements Target {

		private final ExecutorService executor;

		private final Semaphore permits;

		private final LongAdder completed = new LongAdder();

		private final Runnable task;

		SemaphoreTarget(ExecutorService executor, int bound, Runnable work) {
			this.executor = executor;
			this.permits = new Semaphore(bound);
			this.task = () -> {
				try {
					work.run();
				}
				finally {
					this.completed.increment();
					this.permits.release();
				}
			};
		}

		@Override
		public Future<?> submit() throws InterruptedException {
			this.permits.acquire();
			return this.executor.submit(this.task);
		}

		@Override
		public long completed() {
			return this.completed.sum();
		}

		@Override
		public void close() {
			shutdown(this.executor);
		}

	}

	static void shutdown(ExecutorService executor) {
		executor.shutdown();
		try {
			executor.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
