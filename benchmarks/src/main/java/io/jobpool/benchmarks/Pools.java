package io.jobpool.benchmarks;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;

/** The executors more than one benchmark builds: the job pool's shape, and a virtual thread per task. */
public final class Pools {

	private Pools() {
	}

	/**
	 * A job pool of one dispatcher, to which the caller adds its processor.
	 * @param name the pool's name, for its threads
	 * @param workers worker threads
	 * @param queueSize jobs that may wait
	 * @return a builder to finish and build
	 */
	public static JobPoolBuilder jobPool(String name, int workers, int queueSize) {
		return JobPool.builder()
			.name(name)
			.initPoolNum(1)
			.workerNum(workers)
			.queueSize(queueSize)
			.drainPeriod(Duration.ofSeconds(30));
	}

	/** Whether this JVM has virtual threads (Java 21+). */
	static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	/**
	 * {@code Executors.newVirtualThreadPerTaskExecutor()}, the one method the benchmarks reach reflectively: the
	 * module compiles for Java 17 and runs on 17 or 25, and the method exists from Java 21.
	 * @return a new executor that starts a virtual thread per task
	 * @throws UnsupportedOperationException on a JVM older than Java 21
	 */
	static ExecutorService newVirtualThreadPerTaskExecutor() {
		if (!virtualThreadsAvailable()) {
			throw new UnsupportedOperationException("Virtual threads need Java 21+; this JVM is " + Runtime.version());
		}
		try {
			Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
			return (ExecutorService) factory.invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
