package io.jobpool.jdbc;

import java.sql.Connection;

import javax.sql.DataSource;

import io.jobpool.InvalidPoolConfigurationException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The tables of a durable pool, {@code jobpool_job} and {@code jobpool_recurring}: checks at start that the
 * database is PostgreSQL 14 or newer and that the tables the pool needs are there, and creates them when asked to.
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

	/**
	 * Check the database, and create the tables if asked to.
	 * @param initialize whether to run the schema script
	 * @param recurring whether the pool has recurring jobs, and needs {@code jobpool_recurring}
	 */
	void prepare(boolean initialize, boolean recurring) {
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
		requireTable(JobTable.TABLE);
		if (recurring) {
			requireTable(RecurringSlots.TABLE);
		}
	}

	private void requireTable(String name) {
		String table = this.jdbc.queryForObject("SELECT to_regclass(?)::text", String.class, name);
		if (table == null) {
			throw new InvalidPoolConfigurationException("jdbc.initializeSchema", false,
					"the table " + name + " does not exist in the database",
					"Let the pool create it (pool.jdbc.initialize-schema=always, or initializeSchema(true)), or run "
							+ "classpath:" + SCRIPT + " against the database.");
		}
	}

	private static InvalidPoolConfigurationException unsupported(String what) {
		return new InvalidPoolConfigurationException("store", "jdbc", "a durable pool needs PostgreSQL 14 or newer, and "
				+ what, "Point the DataSource at PostgreSQL 14 or newer, or keep jobs in memory (pool.store=memory).");
	}

}
