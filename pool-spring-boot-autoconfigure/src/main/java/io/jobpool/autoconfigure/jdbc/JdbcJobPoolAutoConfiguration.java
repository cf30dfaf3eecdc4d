package io.jobpool.autoconfigure.jdbc;

import javax.sql.DataSource;

import io.jobpool.JobPool;
import io.jobpool.autoconfigure.DurableJobPoolFactory;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the durable store: the pools whose {@code pool.store} is {@code jdbc} are
 * {@link JdbcJobPool JdbcJobPools} on the application's {@link DataSource}, configured as an in-memory pool would
 * be, and writing payloads with the application's {@link JsonMapper}. Each pool has its own rows, by name, in
 * the one table.
 */
@AutoConfiguration(before = JobPoolAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JobPool.class, JdbcJobPool.class })
@ConditionalOnBooleanProperty(name = "pool.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(DataSource.class)
public final class JdbcJobPoolAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DurableJobPoolFactory durableJobPoolFactory(DataSource dataSource, ObjectProvider<JsonMapper> jsonMapper) {
		return (properties, configured) -> {
			PoolProperties.Jdbc jdbc = properties.getJdbc();
			JdbcJobPoolBuilder builder = JdbcJobPool.builder(dataSource)
				.lease(jdbc.getLease())
				.pollInterval(jdbc.getPollInterval())
				.notifications(jdbc.isNotifications())
				.initializeSchema(jdbc.getInitializeSchema() == SchemaInitialization.ALWAYS);
			jsonMapper.ifUnique(builder::jsonMapper);
			return builder.build(configured);
		};
	}

}
