package io.jobpool.jdbc.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * An embedded PostgreSQL of its own that tests can stop and start again (same data directory, same port), whose
 * connections they can kill and whose job table they can lock; an audit trigger records every lease expiry in
 * {@code jobpool_audit_expiry}. One per JVM, stopped when it exits; register it with
 * {@code @RegisterExtension static final FaultyDatabase database = FaultyDatabase.get();} so that each test class
 * finds it running, and each test leaves no data source or table lock behind.
 */
public final class FaultyDatabase implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

	private static final String USER = "postgres";

	private static final String ADMIN = "jobpool-faulty-admin";

	private static final String[] AUDIT = {
			"CREATE TABLE IF NOT EXISTS jobpool_audit_expiry (id bigint NOT NULL, expiries integer NOT NULL,"
					+ " at timestamptz NOT NULL DEFAULT clock_timestamp())",
			"CREATE INDEX IF NOT EXISTS jobpool_audit_expiry_id ON jobpool_audit_expiry (id)",
			"CREATE OR REPLACE FUNCTION jobpool_audit_expiry() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
					+ " INSERT INTO jobpool_audit_expiry (id, expiries, at) VALUES (NEW.id, NEW.expiries, clock_timestamp());"
					+ " RETURN NEW; END $$",
			"DROP TRIGGER IF EXISTS jobpool_audit_expiry ON jobpool_job",
			"CREATE TRIGGER jobpool_audit_expiry AFTER UPDATE ON jobpool_job FOR EACH ROW"
					+ " WHEN (NEW.expiries > OLD.expiries) EXECUTE FUNCTION jobpool_audit_expiry()" };

	private static @Nullable FaultyDatabase instance;

	private final Path dataDirectory;

	private final int port;

	private final List<HikariDataSource> dataSources = new CopyOnWriteArrayList<>();

	private final List<TableLock> locks = new CopyOnWriteArrayList<>();

	private final HikariDataSource admin;

	private @Nullable EmbeddedPostgres postgres;

	private FaultyDatabase() throws IOException {
		this.dataDirectory = Files.createTempDirectory("jobpool-faulty-pg");
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		start();
		this.admin = newDataSource(ADMIN, 4, Duration.ofSeconds(5));
		JdbcTemplate jdbc = new JdbcTemplate(this.admin);
		new ResourceDatabasePopulator(new ClassPathResource("io/jobpool/jdbc/schema-postgresql.sql")).execute(this.admin);
		for (String statement : AUDIT) {
			jdbc.execute(statement);
		}
	}

	/** The faulty database of this JVM, started on first use and stopped when the JVM exits. */
	public static synchronized FaultyDatabase get() {
		if (instance == null) {
			try {
				FaultyDatabase database = new FaultyDatabase();
				Runtime.getRuntime().addShutdownHook(new Thread(database::destroy, "faulty-database-destroyer"));
				instance = database;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the embedded PostgreSQL of the fault tests", ex);
			}
		}
		return instance;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.locks.forEach(TableLock::release);
		this.locks.clear();
		this.dataSources.forEach(HikariDataSource::close);
		this.dataSources.clear();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		afterEach(context);
		start();
	}

	/** Stop PostgreSQL ("fast": every session is ended); the data stays. Does nothing if it is stopped. */
	public synchronized void stop() {
		EmbeddedPostgres running = this.postgres;
		if (running == null) {
			return;
		}
		this.postgres = null;
		try {
			running.close();
			this.admin.getHikariPoolMXBean().softEvictConnections();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not stop the faulty PostgreSQL", ex);
		}
	}

	/** Start PostgreSQL again on the same data directory and port. Does nothing if it runs. */
	public synchronized void start() {
		if (this.postgres != null) {
			return;
		}
		try {
			this.postgres = EmbeddedPostgres.builder()
				.setDataDirectory(this.dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(this.port)
				.setPGStartupWait(Duration.ofSeconds(30))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the faulty PostgreSQL on port " + this.port, ex);
		}
	}

	/** Whether PostgreSQL runs. */
	public synchronized boolean isRunning() {
		return this.postgres != null;
	}

	/**
	 * End every session whose {@code application_name} is this one, as {@code pg_terminate_backend} does.
	 * @return how many were ended
	 */
	public int terminateConnections(String applicationName) {
		Integer ended = jdbc().queryForObject(
				"SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
						+ " WHERE application_name = ? AND pid <> pg_backend_pid()",
				Integer.class, applicationName);
		return (ended != null) ? ended : 0;
	}

	/**
	 * Lock {@code jobpool_job} in {@code ACCESS EXCLUSIVE} mode, in a transaction on a connection of its own, for at
	 * most {@code hold}; returns once the lock is held.
	 * @param hold how long to hold it unless released before
	 * @param statements run in the locking transaction once the lock is held; what they change shows when the lock
	 * goes
	 * @return the lock, to release early or wait for
	 */
	public TableLock lockTable(Duration hold, String... statements) {
		TableLock lock = new TableLock(hold, statements);
		this.locks.add(lock);
		lock.awaitHeld();
		return lock;
	}

	/**
	 * A new HikariCP pool whose connections carry this {@code application_name}; closed when the test ends.
	 * @param applicationName what {@code pg_stat_activity} shows for its sessions
	 * @param maxConnections its size
	 * @param connectionTimeout how long a borrower waits for a connection
	 */
	public HikariDataSource dataSource(String applicationName, int maxConnections, Duration connectionTimeout) {
		HikariDataSource dataSource = newDataSource(applicationName, maxConnections, connectionTimeout);
		this.dataSources.add(dataSource);
		return dataSource;
	}

	private HikariDataSource newDataSource(String applicationName, int maxConnections, Duration connectionTimeout) {
		HikariConfig config = new HikariConfig();
		config.setPoolName(applicationName);
		config.setJdbcUrl(url());
		config.setUsername(USER);
		config.addDataSourceProperty("ApplicationName", applicationName);
		config.setMaximumPoolSize(maxConnections);
		config.setConnectionTimeout(connectionTimeout.toMillis());
		config.setValidationTimeout(Math.max(250, connectionTimeout.toMillis() / 2));
		config.setInitializationFailTimeout(-1);
		return new HikariDataSource(config);
	}

	/** A JDBC template on a pool of its own, which survives restarts. */
	public JdbcTemplate jdbc() {
		return new JdbcTemplate(this.admin);
	}

	/** The JDBC URL. */
	public String url() {
		return "jdbc:postgresql://localhost:" + this.port + "/postgres";
	}

	/** Rows of a pool in {@code jobpool_job}. */
	public int rows(String pool) {
		return jdbc().queryForObject("SELECT count(*) FROM jobpool_job WHERE pool = ?", Integer.class, pool);
	}

	/** Rows of a pool in a state. */
	public int rows(String pool, String state) {
		return jdbc().queryForObject("SELECT count(*) FROM jobpool_job WHERE pool = ? AND state = ?", Integer.class,
				pool, state);
	}

	/** Sessions of this application name waiting for a lock, whose query is like every one of these patterns. */
	public int waitingForLock(String applicationName, String... queryPatterns) {
		return jdbc().queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
				+ " AND wait_event_type = 'Lock' AND query ILIKE ALL (?)", Integer.class, applicationName,
				queryPatterns);
	}

	private void destroy() {
		this.locks.forEach(TableLock::release);
		this.dataSources.forEach(HikariDataSource::close);
		this.admin.close();
		stop();
		try (Stream<Path> files = Files.walk(this.dataDirectory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// The JVM is exiting; the directory is a temporary one.
		}
	}

	/** A lock on {@code jobpool_job} held by a thread of its own until released or its time is up. */
	public final class TableLock {

		private final CountDownLatch held = new CountDownLatch(1);

		private final CountDownLatch release = new CountDownLatch(1);

		private final CompletableFuture<Void> released = new CompletableFuture<>();

		private TableLock(Duration hold, String[] statements) {
			Thread holder = new Thread(() -> hold(hold, statements), "faulty-database-table-lock");
			holder.setDaemon(true);
			holder.start();
		}

		private void hold(Duration hold, String[] statements) {
			try (Connection connection = DriverManager.getConnection(url() + "?ApplicationName=" + ADMIN, USER, "")) {
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					statement.execute("SET LOCAL lock_timeout = '30s'");
					statement.execute("LOCK TABLE jobpool_job IN ACCESS EXCLUSIVE MODE");
					for (String sql : statements) {
						statement.execute(sql);
					}
				}
				this.held.countDown();
				this.release.await(hold.toNanos(), TimeUnit.NANOSECONDS);
				connection.commit();
				this.released.complete(null);
			}
			catch (SQLException | RuntimeException ex) {
				this.released.completeExceptionally(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.released.completeExceptionally(ex);
			}
			finally {
				this.held.countDown();
			}
		}

		private void awaitHeld() {
			try {
				if (!this.held.await(60, TimeUnit.SECONDS)) {
					throw new IllegalStateException("Could not lock jobpool_job within 60s");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while locking jobpool_job", ex);
			}
			if (this.released.isCompletedExceptionally()) {
				this.released.join();
			}
		}

		/** Commit the locking transaction now, if it is still open. */
		public void release() {
			this.release.countDown();
		}

		/** Whether the lock was released (or could not be taken). */
		public boolean isReleased() {
			return this.released.isDone();
		}

		/** Wait, at most {@code timeout}, until the lock is released. */
		public void awaitReleased(Duration timeout) {
			try {
				this.released.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("The table lock failed", ex.getCause());
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException("The table lock was not released within " + timeout, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the table lock to go", ex);
			}
		}

	}

}
