package io.jobpool.jdbc.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The PostgreSQL the tests run on: the one {@code JOBPOOL_TEST_DATABASE_URL} points at (with
 * {@code JOBPOOL_TEST_DATABASE_USER} and {@code JOBPOOL_TEST_DATABASE_PASSWORD}), or else an embedded one started
 * once per JVM and stopped when it exits. The schema is created once; tests keep apart by giving each pool its own
 * name.
 */
public final class TestDatabase {

	/** The environment variable that points the tests at an external database. */
	public static final String URL_VARIABLE = "JOBPOOL_TEST_DATABASE_URL";

	private static final AtomicInteger names = new AtomicInteger();

	private static TestDatabase instance;

	private final String url;

	private final String user;

	private final String password;

	private final HikariDataSource dataSource;

	private TestDatabase(String url, String user, String password) {
		this.url = url;
		this.user = user;
		this.password = password;
		this.dataSource = dataSource(20);
		new ResourceDatabasePopulator(new ClassPathResource("io/jobpool/jdbc/schema-postgresql.sql"))
			.execute(this.dataSource);
	}

	/** The test database, started on first use. */
	public static synchronized TestDatabase get() {
		if (instance == null) {
			String url = System.getenv(URL_VARIABLE);
			if (url != null && !url.isBlank()) {
				instance = new TestDatabase(url, env("JOBPOOL_TEST_DATABASE_USER", "postgres"),
						env("JOBPOOL_TEST_DATABASE_PASSWORD", ""));
			}
			else {
				instance = embedded();
			}
		}
		return instance;
	}

	private static TestDatabase embedded() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// The JVM is exiting; the data directory is temporary.
				}
			}));
			return new TestDatabase("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start an embedded PostgreSQL; set " + URL_VARIABLE
					+ " to run the tests on another one", ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	/** A pooled data source shared by the tests of this JVM. */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/** A new pooled data source of its own; close it when done. */
	public HikariDataSource dataSource(int connections) {
		return dataSource(connections, null);
	}

	/** A new pooled data source of its own whose connections use a schema (created if missing); close it when done. */
	public HikariDataSource dataSource(int connections, String schema) {
		HikariConfig config = new HikariConfig();
		if (schema != null) {
			jdbc().execute("CREATE SCHEMA IF NOT EXISTS " + schema);
			config.setSchema(schema);
		}
		config.setJdbcUrl(this.url);
		config.setUsername(this.user);
		config.setPassword(this.password);
		config.setMaximumPoolSize(connections);
		return new HikariDataSource(config);
	}

	/** A JDBC template on the shared data source. */
	public JdbcTemplate jdbc() {
		return new JdbcTemplate(this.dataSource);
	}

	/** The JDBC URL, for a child process. */
	public String url() {
		return this.url;
	}

	/** The user name. */
	public String user() {
		return this.user;
	}

	/** The password. */
	public String password() {
		return this.password;
	}

	/** A pool name no other test uses. */
	public static String uniqueName(String prefix) {
		return prefix + "-" + ProcessHandle.current().pid() + "-" + names.incrementAndGet();
	}

}
