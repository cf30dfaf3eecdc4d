package io.jobpool.autoconfigure.dashboard;

import io.jobpool.JobPool;
import io.jobpool.spring.JobPoolBuilderCustomizer;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link JobPoolDashboardEndpoint}, when {@code pool.dashboard.enabled} is {@code true} and
 * the endpoint is exposed: the page, the sampler that keeps each pool's history, and the job times of every
 * auto-configured pool. Nothing of it exists otherwise.
 */
@AutoConfiguration(afterName = "io.jobpool.autoconfigure.JobPoolAutoConfiguration")
@ConditionalOnClass({ WebEndpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty("pool.dashboard.enabled")
@ConditionalOnBean(JobPool.class)
@ConditionalOnAvailableEndpoint(JobPoolDashboardEndpoint.class)
@EnableConfigurationProperties(DashboardProperties.class)
public final class JobPoolDashboardAutoConfiguration {

	@Bean
	JobTimesByPool jobPoolDashboardJobTimes() {
		return new JobTimesByPool();
	}

	@Bean
	JobPoolBuilderCustomizer jobPoolDashboardCustomizer(JobTimesByPool jobPoolDashboardJobTimes) {
		return jobPoolDashboardJobTimes::install;
	}

	@Bean
	DashboardSampler jobPoolDashboardSampler(ListableBeanFactory beanFactory, JobTimesByPool jobPoolDashboardJobTimes,
			DashboardProperties properties) {
		return new DashboardSampler(() -> beanFactory.getBeansOfType(JobPool.class).values(),
				jobPoolDashboardJobTimes, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	JobPoolDashboardEndpoint jobPoolDashboardEndpoint(DashboardSampler jobPoolDashboardSampler,
			ObjectProvider<WebEndpointsSupplier> webEndpoints) {
		return new JobPoolDashboardEndpoint(jobPoolDashboardSampler, new DashboardPage(webEndpoints));
	}

}
