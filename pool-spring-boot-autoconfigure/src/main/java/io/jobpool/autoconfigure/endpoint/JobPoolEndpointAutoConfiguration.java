package io.jobpool.autoconfigure.endpoint;

import io.jobpool.JobPool;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link JobPoolEndpoint} of every {@code JobPool} bean, lanes included.
 */
@AutoConfiguration(afterName = "io.jobpool.autoconfigure.JobPoolAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(JobPool.class)
@ConditionalOnAvailableEndpoint(JobPoolEndpoint.class)
@EnableConfigurationProperties(JobPoolEndpointProperties.class)
public final class JobPoolEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobPoolEndpoint jobPoolEndpoint(ListableBeanFactory beanFactory, JobPoolEndpointProperties properties) {
		return new JobPoolEndpoint(beanFactory.getBeansOfType(JobPool.class).values(), properties.getShowPayloads(),
				properties.getRoles());
	}

}
