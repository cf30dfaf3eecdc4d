package io.jobpool.autoconfigure.jdbc;

import javax.sql.DataSource;

import io.jobpool.JobPool;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.autoconfigure.JobPoolFactory;
import io.jobpool.autoconfigure.PoolProperties;
import io.jobpool.autoconfigure.PoolProperties.SchemaInitialization;
import io.jobpool.jdbc.JdbcJobPool;
import io.jobpool.jdbc.JdbcJobPoolBuilder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of a durable {@link JdbcJobPool} on the application's {@link DataSource} when
 * {@code pool.store} is {@code jdbc}, configured as the in-memory pool would be, and writing payloads with the
 * application's {@link JsonMapper}.
 */
@AutoConfiguration(before = JobPoolAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JobPool.class, JdbcJobPool.class })
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "pool.store", havingValue = "jdbc")
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(PoolProperties.class)
public final class JdbcJobPoolAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(JobPool.class)
	JdbcJobPool jobPool(JobPoolFactory jobPoolFactory, PoolProperties properties, DataSource dataSource,
			ObjectProvider<JsonMapper> jsonMapper) {
		PoolProperties.Jdbc jdbc = properties.getJdbc();
		JdbcJobPoolBuilder builder = JdbcJobPool.builder(dataSource)
			.lease(jdbc.getLease())
			.pollInterval(jdbc.getPollInterval())
			.initializeSchema(jdbc.getInitializeSchema() == SchemaInitialization.ALWAYS);
		jsonMapper.ifUnique(builder::jsonMapper);
		return builder.build(jobPoolFactory.builder());
	}

}
