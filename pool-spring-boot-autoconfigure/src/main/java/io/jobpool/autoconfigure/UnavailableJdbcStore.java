package io.jobpool.autoconfigure;

import java.util.Arrays;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.jobpool.InvalidPoolConfigurationException;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Says why there is no durable pool although {@code pool.store} is {@code jdbc}: what is missing, and the fix.
 */
final class UnavailableJdbcStore {

	private static final String JDBC_JOB_POOL = "io.jobpool.jdbc.JdbcJobPool";

	private UnavailableJdbcStore() {
	}

	static InvalidPoolConfigurationException explain(ConfigurableListableBeanFactory beanFactory) {
		if (!ClassUtils.isPresent(JDBC_JOB_POOL, beanFactory.getBeanClassLoader())) {
			return unavailable("the durable store needs io.jobpool:pool-jdbc, which is not on the class path",
					"Add the io.jobpool:pool-jdbc dependency");
		}
		String[] dataSources = beanFactory.getBeanNamesForType(DataSource.class);
		if (dataSources.length == 0) {
			return unavailable("the durable store needs a DataSource, and the application has none",
					"Configure one with the spring.datasource.* properties (with spring-boot-starter-jdbc and the "
							+ "PostgreSQL driver), or define a DataSource bean");
		}
		if (dataSources.length > 1 && Arrays.stream(dataSources).noneMatch((name) -> isPrimary(beanFactory, name))) {
			return unavailable("the durable store needs a single DataSource, and the application has "
					+ dataSources.length + " with none of them primary: " + Arrays.stream(dataSources)
						.map((name) -> "'" + name + "'")
						.collect(Collectors.joining(", ")),
					"Mark the DataSource of the pool @Primary, or define the JobPool bean yourself with "
							+ "JdbcJobPool.builder(..)");
		}
		return unavailable("JdbcJobPoolAutoConfiguration did not configure the durable pool",
				"See why in the conditions evaluation report (run with --debug), or define the JobPool bean "
						+ "yourself with JdbcJobPool.builder(..)");
	}

	private static boolean isPrimary(ConfigurableListableBeanFactory beanFactory, String name) {
		return beanFactory.containsBeanDefinition(name) && beanFactory.getMergedBeanDefinition(name).isPrimary();
	}

	private static InvalidPoolConfigurationException unavailable(String reason, String fix) {
		return new InvalidPoolConfigurationException("store", "jdbc", reason,
				fix + ", or set 'pool.store' to 'memory' to keep jobs in memory.");
	}

}
