package io.jobpool;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Everything a pool is built from, validated on construction; {@link JobPoolBuilder#settings()} makes one.
 *
 * @param name the pool's name
 * @param initPoolNum dispatchers at start
 * @param maxPoolNum the most dispatchers
 * @param workerNum workers per dispatcher
 * @param queueSize queue capacity
 * @param scheduleSize how many jobs may wait for their time at once
 * @param autoscale whether to scale dispatchers by load
 * @param loadFactor the fraction of the queue that counts as overload
 * @param resizePeriod how often autoscaling looks
 * @param resizeSuccessThreshold looks in a row before a resize
 * @param retry the retry policy
 * @param jobTimeout the longest a job may run, or {@code null}
 * @param drainPeriod how long close lets jobs finish
 * @param threadNamePrefix the prefix of worker thread names
 * @param virtualThreads whether workers are virtual threads
 * @param processors processor generators by payload type
 * @param decorators decorators in order
 * @param listeners listeners
 * @param recurringJobs recurring jobs, by name, in the order they were added
 * @param clock the clock that says when scheduled jobs and recurring slots are due
 */
public record JobPoolSettings(String name, int initPoolNum, int maxPoolNum, int workerNum, int queueSize,
		int scheduleSize, boolean autoscale, double loadFactor, Duration resizePeriod, int resizeSuccessThreshold, RetryPolicy retry,
		@Nullable Duration jobTimeout, Duration drainPeriod, String threadNamePrefix, boolean virtualThreads,
		Map<Class<?>, Supplier<? extends JobProcessor<?>>> processors, List<JobDecorator> decorators,
		List<JobListener> listeners, Map<String, RecurringJob> recurringJobs, Clock clock) {

	/** The largest queue a pool holds: its slots are allocated when it is built. */
	public static final int MAX_QUEUE_SIZE = 1 << 30;

	/** Validate the settings. */
	public JobPoolSettings {
		if (name == null || name.isBlank()) {
			throw invalid("name", name, "a pool needs a name", "Set a non-empty name, for example 'jobpool'.");
		}
		atLeastOne("initPoolNum", initPoolNum, "Set the number of dispatchers to start with to 1 or more.");
		atLeastOne("workerNum", workerNum, "Set the number of workers per dispatcher to 1 or more.");
		atLeastOne("queueSize", queueSize, "Set the queue size to 1 or more.");
		if (queueSize > MAX_QUEUE_SIZE) {
			throw invalid("queueSize", queueSize, "a queue holds at most " + MAX_QUEUE_SIZE + " jobs",
					"Set a queue size of at most " + MAX_QUEUE_SIZE + "; a queue this large rarely helps, as the "
							+ "slots take memory from the start.");
		}
		atLeastOne("scheduleSize", scheduleSize, "Set the schedule size to 1 or more.");
		if (scheduleSize > MAX_QUEUE_SIZE) {
			throw invalid("scheduleSize", scheduleSize, "a schedule holds at most " + MAX_QUEUE_SIZE + " jobs",
					"Set a schedule size of at most " + MAX_QUEUE_SIZE + ".");
		}
		if (maxPoolNum < initPoolNum) {
			throw invalid("maxPoolNum", maxPoolNum, "it is below initPoolNum (" + initPoolNum + ")",
					"Set maxPoolNum to at least " + initPoolNum + ", or leave it unset to use initPoolNum.");
		}
		if ((long) maxPoolNum * workerNum > 1_000_000) {
			throw invalid("maxPoolNum", maxPoolNum, "maxPoolNum x workerNum exceeds 1,000,000 workers",
					"Lower maxPoolNum or workerNum.");
		}
		if (!(loadFactor > 0.0 && loadFactor <= 1.0)) {
			throw invalid("loadFactor", loadFactor, "it is a fraction of the queue size",
					"Set a value above 0.0 and at most 1.0, for example 0.75.");
		}
		positive("resizePeriod", resizePeriod, "Set a positive duration, for example 30s.");
		atLeastOne("resizeSuccessThreshold", resizeSuccessThreshold, "Set it to 1 or more.");
		if (retry == null) {
			throw invalid("retry", null, "it must not be null", "Use RetryPolicy.NONE for no retry.");
		}
		if (jobTimeout != null) {
			positive("jobTimeout", jobTimeout, "Set a positive duration, or leave it unset for no timeout.");
		}
		positive("drainPeriod", drainPeriod, "Set a positive duration, for example 30s.");
		if (threadNamePrefix == null) {
			throw invalid("threadNamePrefix", null, "it must not be null", "Set a prefix such as 'jobpool-'.");
		}
		if (virtualThreads && Runtime.version().feature() < 21) {
			throw invalid("virtualThreads", true,
					"virtual threads need Java 21 or newer and this is Java " + Runtime.version().feature(),
					"Run on Java 21 or newer, or set virtualThreads to false.");
		}
		if (processors.isEmpty()) {
			throw invalid("processor", "none", "a pool needs at least one processor",
					"Register one with processor(PayloadType.class, generator).");
		}
		processors = Map.copyOf(processors);
		decorators = List.copyOf(decorators);
		listeners = List.copyOf(listeners);
		recurringJobs = Collections.unmodifiableMap(new LinkedHashMap<>(recurringJobs));
		if (clock == null) {
			throw invalid("clock", null, "it must not be null", "Leave it unset for the system clock.");
		}
	}

	/** The workers of the pool at most: {@code maxPoolNum × workerNum}. */
	public int maxWorkers() {
		return this.maxPoolNum * this.workerNum;
	}

	private static void atLeastOne(String option, int value, String fix) {
		if (value < 1) {
			throw invalid(option, value, "it must be at least 1", fix);
		}
	}

	private static void positive(String option, @Nullable Duration value, String fix) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(option, value, "it must be a positive duration", fix);
		}
	}

	private static InvalidPoolConfigurationException invalid(String option, @Nullable Object value, String reason,
			String fix) {
		return new InvalidPoolConfigurationException(option, value, reason, fix);
	}

}
