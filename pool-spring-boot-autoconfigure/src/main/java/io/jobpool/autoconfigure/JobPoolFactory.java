package io.jobpool.autoconfigure;

import java.util.stream.Stream;

import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.RetryPolicy;
import io.jobpool.spring.JobPoolBuilderCustomizer;

import org.springframework.core.task.TaskDecorator;

/**
 * Builds the auto-configured pool: the {@code pool.*} properties, the {@code @JobHandler} beans, the listener and
 * decorator beans, then the customizers, in that order.
 */
final class JobPoolFactory {

	private final PoolProperties properties;

	private final JobHandlers handlers;

	private final Stream<JobListener> listeners;

	private final Stream<JobDecorator> decorators;

	private final Stream<TaskDecorator> taskDecorators;

	private final Stream<JobPoolBuilderCustomizer> customizers;

	JobPoolFactory(PoolProperties properties, JobHandlers handlers, Stream<JobListener> listeners,
			Stream<JobDecorator> decorators, Stream<TaskDecorator> taskDecorators,
			Stream<JobPoolBuilderCustomizer> customizers) {
		this.properties = properties;
		this.handlers = handlers;
		this.listeners = listeners;
		this.decorators = decorators;
		this.taskDecorators = taskDecorators;
		this.customizers = customizers;
	}

	JobPool create() {
		JobPoolBuilder builder = JobPool.builder();
		applyProperties(builder);
		this.handlers.registerWith(builder);
		this.listeners.forEach(builder::listener);
		this.taskDecorators.forEach((taskDecorator) -> builder.decorator(adapt(taskDecorator)));
		this.decorators.forEach(builder::decorator);
		this.customizers.forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	private void applyProperties(JobPoolBuilder builder) {
		PoolProperties properties = this.properties;
		builder.name(properties.getName())
			.initPoolNum(properties.getInitPoolNum())
			.workerNum(properties.getWorkerNum())
			.queueSize(properties.getQueueSize())
			.jobTimeout(properties.getJobTimeout())
			.virtualThreads(properties.isVirtualThreads())
			.drainPeriod(properties.getShutdown().getDrainPeriod());
		if (properties.getMaxPoolNum() != null) {
			builder.maxPoolNum(properties.getMaxPoolNum());
		}
		if (properties.getThreadNamePrefix() != null) {
			builder.threadNamePrefix(properties.getThreadNamePrefix());
		}
		PoolProperties.Autoscale autoscale = properties.getAutoscale();
		builder.autoscale(autoscale.isEnabled())
			.loadFactor(autoscale.getLoadFactor())
			.resizePeriod(autoscale.getPeriod())
			.resizeSuccessThreshold(autoscale.getSuccessThreshold());
		PoolProperties.Retry retry = properties.getRetry();
		builder.retry(RetryPolicy.NONE.withBackoff(retry.getInitialBackoff(), retry.getMultiplier(),
				retry.getMaxBackoff(), retry.getJitter())
			.withMaxAttempts(retry.getMaxAttempts()));
	}

	private static JobDecorator adapt(TaskDecorator taskDecorator) {
		return (job, execution) -> taskDecorator.decorate(execution);
	}

}
