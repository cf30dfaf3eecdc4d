package io.jobpool.autoconfigure;

import java.time.Duration;

import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.spring.JobPoolBuilderCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

/**
 * Auto-configuration for a {@link JobPool} fed by the {@code @JobHandler} beans: in memory, or else, when
 * {@code pool.store} is {@code jdbc}, a start-up failure that says why the durable pool could not be configured.
 */
@AutoConfiguration
@ConditionalOnClass(JobPool.class)
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PoolProperties.class)
public final class JobPoolAutoConfiguration {

	private static final Duration DEFAULT_TIMEOUT_PER_SHUTDOWN_PHASE = Duration.ofSeconds(30);

	@Bean
	JobPoolFactory jobPoolFactory(PoolProperties properties, ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<JobListener> listeners, ObjectProvider<JobDecorator> decorators,
			ObjectProvider<TaskDecorator> taskDecorators, ObjectProvider<JobPoolBuilderCustomizer> customizers) {
		return new JobPoolFactory(properties, new JobHandlers(beanFactory), listeners, decorators, taskDecorators,
				customizers);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "pool.store", havingValue = "memory", matchIfMissing = true)
	JobPool jobPool(JobPoolFactory jobPoolFactory) {
		return jobPoolFactory.builder().build();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "pool.store", havingValue = "jdbc")
	JobPool unavailableJdbcJobPool(ConfigurableListableBeanFactory beanFactory) {
		throw UnavailableJdbcStore.explain(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(JobPool.class)
	JobPoolLifecycle jobPoolLifecycle(JobPool jobPool, Environment environment) {
		Duration timeoutPerShutdownPhase = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_TIMEOUT_PER_SHUTDOWN_PHASE);
		return new JobPoolLifecycle(jobPool, timeoutPerShutdownPhase);
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
