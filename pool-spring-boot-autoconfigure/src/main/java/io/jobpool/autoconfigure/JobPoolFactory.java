package io.jobpool.autoconfigure;

import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.RetryPolicy;
import io.jobpool.spring.JobPoolBuilderCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.TaskDecorator;

/**
 * Configures the builder of the auto-configured pool, in memory or durable: the {@code pool.*} properties, the
 * {@code @JobHandler} beans, the listener and decorator beans, then the customizers, in that order.
 */
public final class JobPoolFactory {

	private final PoolProperties properties;

	private final JobHandlers handlers;

	private final ObjectProvider<JobListener> listeners;

	private final ObjectProvider<JobDecorator> decorators;

	private final ObjectProvider<TaskDecorator> taskDecorators;

	private final ObjectProvider<JobPoolBuilderCustomizer> customizers;

	JobPoolFactory(PoolProperties properties, JobHandlers handlers, ObjectProvider<JobListener> listeners,
			ObjectProvider<JobDecorator> decorators, ObjectProvider<TaskDecorator> taskDecorators,
			ObjectProvider<JobPoolBuilderCustomizer> customizers) {
		this.properties = properties;
		this.handlers = handlers;
		this.listeners = listeners;
		this.decorators = decorators;
		this.taskDecorators = taskDecorators;
		this.customizers = customizers;
	}

	/**
	 * Create a builder configured as the auto-configured pool is; a durable pool is built from it.
	 * @return a new builder
	 * @throws JobHandlerException if the {@code @JobHandler} beans cannot be registered
	 */
	public JobPoolBuilder builder() {
		JobPoolBuilder builder = JobPool.builder();
		applyProperties(builder);
		this.handlers.registerWith(builder);
		this.listeners.orderedStream().forEach(builder::listener);
		this.taskDecorators.orderedStream().forEach((taskDecorator) -> builder.decorator(adapt(taskDecorator)));
		this.decorators.orderedStream().forEach(builder::decorator);
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
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
