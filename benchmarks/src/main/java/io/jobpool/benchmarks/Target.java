package io.jobpool.benchmarks;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.micrometer.JobPoolMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The executors under test. Each builds its executor, bounded to {@code workers} threads and {@code queueSize}
 * waiting jobs, behind a blocking submit. JMH's {@code impl} parameter, the latency driver and the raw results
 * name them by their constants' names; the report shows their descriptions.
 */
public enum Target {

	/** The job pool: one dispatcher; each job is its own payload, run by a processor for {@code Runnable}. */
	JOBPOOL("JobPool (metrics off)") {
		@Override
		public Running start(int workers, int queueSize) {
			return started(jobPool(workers, queueSize));
		}
	},

	/** The job pool with its Micrometer binder as a listener, recording into a {@link SimpleMeterRegistry}. */
	JOBPOOL_METRICS("JobPool (metrics on: JobPoolMetrics, SimpleMeterRegistry)") {
		@Override
		public Running start(int workers, int queueSize) {
			return started(jobPool(workers, queueSize)
				.listener(JobPoolMetrics.bindOnStart(new SimpleMeterRegistry(), Tags.empty())));
		}
	},

	TPE("ThreadPoolExecutor.submit, ArrayBlockingQueue + blocking put") {
		@Override
		public Running start(int workers, int queueSize) {
			return Running.submitting(threadPool(workers, queueSize));
		}
	},

	TPE_EXECUTE("ThreadPoolExecutor.execute (no future), ArrayBlockingQueue + blocking put") {
		@Override
		public Running start(int workers, int queueSize) {
			return Running.executing(threadPool(workers, queueSize));
		}
	},

	SPRING("Spring ThreadPoolTaskExecutor.submit, blocking put") {
		@Override
		public Running start(int workers, int queueSize) {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(workers);
			executor.setMaxPoolSize(workers);
			executor.setQueueCapacity(queueSize);
			executor.setThreadNamePrefix("spring-bench-");
			executor.setRejectedExecutionHandler(BLOCKING_PUT);
			executor.initialize();
			executor.getThreadPoolExecutor().prestartAllCoreThreads();
			return new Running(executor::submit, executor::shutdown);
		}
	},

	FORKJOIN("ForkJoinPool.submit, Semaphore-bounded") {
		@Override
		public Running start(int workers, int queueSize) {
			return semaphoreBounded(new ForkJoinPool(workers), queueSize + workers);
		}
	},

	/** Needs Java 21+: on an older JVM {@link #start} throws {@link UnsupportedOperationException}. */
	VIRTUAL("Virtual thread per task, Semaphore-bounded") {
		@Override
		public Running start(int workers, int queueSize) {
			return semaphoreBounded(Pools.newVirtualThreadPerTaskExecutor(), queueSize + workers);
		}
	};

	/** A blocking put for executors that refuse work when their queue is full. */
	private static final RejectedExecutionHandler BLOCKING_PUT = (task, executor) -> {
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

	private final String description;

	Target(String description) {
		this.description = description;
	}

	/** What this target is, as the report's rows name it. */
	public String description() {
		return this.description;
	}

	/**
	 * Build and start this executor.
	 * @param workers worker threads
	 * @param queueSize jobs that may wait; submits block beyond that
	 * @return the started executor
	 */
	public abstract Running start(int workers, int queueSize);

	private static JobPoolBuilder jobPool(int workers, int queueSize) {
		return Pools.jobPool("bench", workers, queueSize)
			.processor(Runnable.class, () -> (job) -> job.data().run());
	}

	private static Running started(JobPoolBuilder builder) {
		JobPool pool = builder.build();
		pool.start();
		return new Running(pool::submit, pool::close);
	}

	private static ThreadPoolExecutor threadPool(int workers, int queueSize) {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(queueSize), BLOCKING_PUT);
		executor.prestartAllCoreThreads();
		return executor;
	}

	/** An executor with no bound of its own, bounded by a semaphore taken at submit and given back at the end. */
	private static Running semaphoreBounded(ExecutorService executor, int bound) {
		Semaphore permits = new Semaphore(bound);
		return new Running((job) -> {
			permits.acquire();
			return executor.submit(() -> {
				try {
					job.run();
				}
				finally {
					permits.release();
				}
			});
		}, () -> Running.shutdown(executor));
	}

}
