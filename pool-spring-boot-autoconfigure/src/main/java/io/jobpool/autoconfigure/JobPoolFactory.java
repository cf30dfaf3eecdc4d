package io.jobpool.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.RetryPolicy;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.jobpool.spring.JobPools;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.task.TaskDecorator;

/**
 * Builds the auto-configured pools, the default one and each lane, in memory or durable: the {@code pool.*}
 * properties, the {@code @JobHandler} beans and {@code @Recurring} methods of the pool, the listener and decorator
 * beans, then the customizers, in that order.
 */
final class JobPoolFactory {

	private final PoolProperties properties;

	private final PoolLanes lanes;

	private final JobHandlers handlers;

	private final RecurringMethods recurringMethods;

	private final ConfigurableListableBeanFactory beanFactory;

	private final ObjectProvider<JobListener> listeners;

	private final ObjectProvider<JobDecorator> decorators;

	private final ObjectProvider<TaskDecorator> taskDecorators;

	private final ObjectProvider<JobPoolBuilderCustomizer> customizers;

	private final ObjectProvider<DurableJobPoolFactory> durable;

	JobPoolFactory(PoolProperties properties, PoolLanes lanes, ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<JobListener> listeners, ObjectProvider<JobDecorator> decorators,
			ObjectProvider<TaskDecorator> taskDecorators, ObjectProvider<JobPoolBuilderCustomizer> customizers,
			ObjectProvider<DurableJobPoolFactory> durable) {
		this.properties = properties;
		this.lanes = lanes;
		this.handlers = new JobHandlers(beanFactory);
		this.recurringMethods = new RecurringMethods(beanFactory, properties, this.handlers, lanes.names());
		this.beanFactory = beanFactory;
		this.listeners = listeners;
		this.decorators = decorators;
		this.taskDecorators = taskDecorators;
		this.customizers = customizers;
		this.durable = durable;
	}

	/**
	 * Build the default pool.
	 * @return the pool, not started
	 * @throws JobHandlerException if the {@code @JobHandler} beans or {@code @Recurring} methods cannot be
	 * registered
	 */
	JobPool createDefault() {
		return create(this.properties, JobHandlers.DEFAULT_POOL);
	}

	/**
	 * Build a lane.
	 * @param lane the lane's name
	 * @return the pool, not started
	 * @throws LaneConfigurationException if the lane's options are refused
	 */
	JobPool createLane(String lane) {
		checkBeans();
		try {
			return create(this.lanes.get(lane), lane);
		}
		catch (InvalidPoolConfigurationException ex) {
			throw new LaneConfigurationException(lane, ex);
		}
	}

	/**
	 * Route payloads to the pools of their handlers.
	 * @param defaultPool the default pool
	 * @param lanes the lane of each name
	 * @return the pools
	 */
	JobPools pools(JobPool defaultPool, Function<String, JobPool> lanes) {
		Map<Class<?>, JobPool> lanesByType = new LinkedHashMap<>();
		List<JobPool> all = new ArrayList<>();
		for (String name : this.lanes.names()) {
			JobPool lane = lanes.apply(name);
			all.add(lane);
			this.handlers.typesOf(name).forEach((type) -> lanesByType.put(type, lane));
		}
		return new JobPools(defaultPool, lanesByType, all);
	}

	private void checkBeans() {
		this.handlers.check(this.lanes.names(), this.properties.getName());
		this.recurringMethods.check();
	}

	private JobPool create(PoolProperties properties, String handlersOf) {
		checkBeans();
		JobPoolBuilder builder = JobPool.builder();
		applyProperties(properties, builder);
		this.handlers.registerWith(builder, handlersOf);
		this.recurringMethods.registerWith(builder, handlersOf);
		this.listeners.orderedStream().forEach(builder::listener);
		this.taskDecorators.orderedStream().forEach((taskDecorator) -> builder.decorator(adapt(taskDecorator)));
		this.decorators.orderedStream().forEach(builder::decorator);
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		if (properties.getStore() == PoolProperties.Store.JDBC) {
			DurableJobPoolFactory durable = this.durable.getIfAvailable();
			if (durable == null) {
				throw UnavailableJdbcStore.explain(this.beanFactory);
			}
			return durable.create(properties, builder);
		}
		return builder.build();
	}

	private static void applyProperties(PoolProperties properties, JobPoolBuilder builder) {
		builder.name(properties.getName())
			.initPoolNum(properties.getInitPoolNum())
			.workerNum(properties.getWorkerNum())
			.queueSize(properties.getQueueSize())
			.jobTimeout(properties.getJobTimeout())
			.virtualThreads(properties.isVirtualThreads())
			.drainPeriod(properties.getShutdown().getDrainPeriod());
		if (properties.getScheduleSize() != null) {
			builder.scheduleSize(properties.getScheduleSize());
		}
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
