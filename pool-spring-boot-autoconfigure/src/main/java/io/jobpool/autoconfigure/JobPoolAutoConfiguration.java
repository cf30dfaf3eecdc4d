package io.jobpool.autoconfigure;

import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.jobpool.spring.JobPools;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

/**
 * Auto-configuration of the {@link JobPool} fed by the {@code @JobHandler} beans, in memory or, when
 * {@code pool.store} is {@code jdbc}, durable; of a pool for each lane under {@code pool.pools}; and of the
 * {@link JobPools} that routes payloads to them.
 */
@AutoConfiguration
@ConditionalOnClass(JobPool.class)
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PoolProperties.class)
@Import(JobPoolLanesRegistrar.class)
public final class JobPoolAutoConfiguration {

	@Bean
	JobPoolFactory jobPoolFactory(PoolProperties properties, Environment environment,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<JobListener> listeners,
			ObjectProvider<JobDecorator> decorators, ObjectProvider<TaskDecorator> taskDecorators,
			ObjectProvider<JobPoolBuilderCustomizer> customizers, ObjectProvider<DurableJobPoolFactory> durable) {
		return new JobPoolFactory(properties, PoolLanes.bind(environment, properties.getName()), beanFactory,
				listeners, decorators, taskDecorators, customizers, durable);
	}

	@Bean
	@ConditionalOnMissingBean
	JobPool jobPool(JobPoolFactory jobPoolFactory) {
		return jobPoolFactory.createDefault();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(JobPool.class)
	JobPools jobPools(JobPool jobPool, JobPoolFactory jobPoolFactory, ConfigurableListableBeanFactory beanFactory) {
		return jobPoolFactory.pools(jobPool,
				(lane) -> beanFactory.getBean(JobPoolLanesRegistrar.beanName(lane), JobPool.class));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(JobPool.class)
	JobPoolLifecycle jobPoolLifecycle(JobPool jobPool, Environment environment) {
		return new JobPoolLifecycle(jobPool, JobPoolLanesRegistrar.timeoutPerShutdownPhase(environment));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.context.ContextSnapshotFactory")
	static class ContextPropagationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ContextPropagatingJobDecorator contextPropagatingJobDecorator() {
			return new ContextPropagatingJobDecorator();
		}

	}

}
