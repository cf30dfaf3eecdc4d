package io.jobpool.jdbc;

import java.sql.Connection;

import javax.sql.DataSource;

import io.jobpool.InvalidPoolConfigurationException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The {@code jobpool_job} table: checks at start that the database is PostgreSQL 14 or newer and that the table
 * is there, and creates it when asked to.
 */
final class Schema {

	/** Where the schema script is on the class path. */
	static final String SCRIPT = "io/jobpool/jdbc/schema-postgresql.sql";

	private static final int MINIMUM_VERSION = 140000;

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	Schema(DataSource dataSource) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
	}

	void prepare(boolean initialize) {
		String product = this.jdbc.execute((Connection connection) -> connection.getMetaData()
			.getDatabaseProductName());
		if (!"PostgreSQL".equals(product)) {
			throw unsupported("the database of its DataSource is " + product);
		}
		Integer version = this.jdbc.queryForObject("SELECT current_setting('server_version_num')::int",
				Integer.class);
		if (version == null || version < MINIMUM_VERSION) {
			throw unsupported("the database of its DataSource is PostgreSQL " + version + " (server_version_num)");
		}
		if (initialize) {
			new ResourceDatabasePopulator(new ClassPathResource(SCRIPT)).execute(this.dataSource);
		}
		String table = this.jdbc.queryForObject("SELECT to_regclass(?)::text", String.class, JobTable.TABLE);
		if (table == null) {
			throw new InvalidPoolConfigurationException("jdbc.initializeSchema", false,
					"the table " + JobTable.TABLE + " does not exist in the database",
					"Let the pool create it (pool.jdbc.initialize-schema=always, or initializeSchema(true)), or run "
							+ "classpath:" + SCRIPT + " against the database.");
		}
	}

	private static InvalidPoolConfigurationException unsupported(String what) {
		return new InvalidPoolConfigurationException("store", "jdbc", "a durable pool needs PostgreSQL 14 or newer, and "
				+ what, "Point the DataSource at PostgreSQL 14 or newer, or keep jobs in memory (pool.store=memory).");
	}

}
