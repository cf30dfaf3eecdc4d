package io.jobpool.benchmarks.jdbc;

import java.io.IOException;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded PostgreSQL both queues run on, behind one HikariCP pool, with commits made durable or not; it holds
 * db-scheduler's {@code scheduled_tasks} table (JdbcJobPool creates its own at start).
 */
final class Database implements AutoCloseable {

	/** db-scheduler's table for PostgreSQL, as its documentation gives it for version 16. */
	private static final String SCHEDULED_TASKS = """
			CREATE TABLE IF NOT EXISTS scheduled_tasks (
				task_name text NOT NULL,
				task_instance text NOT NULL,
				task_data bytea,
				execution_time timestamp with time zone NOT NULL,
				picked boolean NOT NULL,
				picked_by text,
				last_success timestamp with time zone,
				last_failure timestamp with time zone,
				consecutive_failures int,
				last_heartbeat timestamp with time zone,
				version bigint NOT NULL,
				priority smallint,
				PRIMARY KEY (task_name, task_instance)
			);
			CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
			CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
			CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
			""";

	private final EmbeddedPostgres postgres;

	private final HikariDataSource dataSource;

	private final JdbcTemplate jdbc;

	Database(int connections, Durability durability) throws IOException {
		this(connections, durability, Map.of());
	}

	/**
	 * Start PostgreSQL.
	 * @param connections the size of the connection pool
	 * @param durability whether commits are flushed to disk
	 * @param settings more server settings
	 */
	Database(int connections, Durability durability, Map<String, String> settings) throws IOException {
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
		durability.serverConfig().forEach(builder::setServerConfig);
		settings.forEach(builder::setServerConfig);
		this.postgres = builder.start();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(jdbcUrl());
		config.setMaximumPoolSize(connections);
		config.setPoolName("bench");
		this.dataSource = new HikariDataSource(config);
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute(SCHEDULED_TASKS);
	}

	/** The URL other JVMs connect with, as user {@code postgres}. */
	String jdbcUrl() {
		return this.postgres.getJdbcUrl("postgres", "postgres");
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	/** The server's version and the settings that decide what a commit costs. */
	String describe() {
		return this.jdbc.queryForObject("SELECT 'PostgreSQL ' || current_setting('server_version')"
				+ " || ' (embedded, zonky), fsync=' || current_setting('fsync')"
				+ " || ', synchronous_commit=' || current_setting('synchronous_commit')"
				+ " || ', full_page_writes=' || current_setting('full_page_writes')"
				+ " || ', shared_buffers=' || current_setting('shared_buffers')", String.class);
	}

	/** Empty these tables where they exist, and checkpoint, so that no round pays for the one before. */
	void clean(String... tables) {
		for (String table : tables) {
			if (Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
					table))) {
				this.jdbc.execute("TRUNCATE " + table);
			}
		}
		checkpoint();
	}

	void checkpoint() {
		this.jdbc.execute("CHECKPOINT");
	}

	long rows(String table) {
		Long rows = this.jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
		return (rows != null) ? rows : -1;
	}

	@Override
	public void close() throws IOException {
		this.dataSource.close();
		this.postgres.close();
	}

}
