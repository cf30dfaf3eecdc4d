package io.jobpool.autoconfigure.endpoint;

import io.jobpool.JobPool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link JobPoolEndpoint}.
 */
@AutoConfiguration(afterName = "io.jobpool.autoconfigure.JobPoolAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(JobPool.class)
@ConditionalOnAvailableEndpoint(JobPoolEndpoint.class)
@EnableConfigurationProperties(JobPoolEndpointProperties.class)
public final class JobPoolEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobPoolEndpoint jobPoolEndpoint(ObjectProvider<JobPool> pools, JobPoolEndpointProperties properties) {
		return new JobPoolEndpoint(pools.orderedStream().toList(), properties.getShowPayloads(),
				properties.getRoles());
	}

}
