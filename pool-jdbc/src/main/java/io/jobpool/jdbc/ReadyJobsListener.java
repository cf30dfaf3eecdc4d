package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.util.ClassUtils;

/**
 * The thread that listens, on a connection of the pool's {@link DataSource} held for it, for the notifications of
 * the {@link ReadyJobsNotifier notifiers} of the pool's other instances, and nudges the claimer when one comes.
 * <p>
 * A connection that breaks (its backend ended, PostgreSQL restarted, the network failed, or it does not answer within
 * 5 s the {@code LISTEN} it repeats after every {@link #CHECK_MILLIS} ms of quiet) is told through {@link Trouble}
 * and opened again, after a wait that doubles from {@link #MIN_BACKOFF} up to {@link #MAX_BACKOFF}; once it listens
 * again, the claimer is nudged, for the notifications it missed. The connection never goes back to the pool still
 * listening: it stops listening when the thread stops, and is aborted when it broke. If the connections are not the
 * PostgreSQL driver's (nor wrap one), the thread says so once and ends: the pool finds the jobs submitted elsewhere
 * by polling.
 */
final class ReadyJobsListener implements Runnable {

	static final String ACTIVITY = "listen for jobs its other instances make ready";

	static final Duration MIN_BACKOFF = Duration.ofMillis(100);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	static final int CHECK_MILLIS = 5000;

	// How long the connection may take to answer a statement before it counts as broken.
	private static final int ANSWER_MILLIS = 5000;

	private static final String LISTEN = "LISTEN " + ReadyJobsNotifier.CHANNEL;

	private static final System.Logger logger = System.getLogger(ReadyJobsListener.class.getName());

	private static final boolean DRIVER_PRESENT = ClassUtils.isPresent("org.postgresql.PGConnection",
			ReadyJobsListener.class.getClassLoader());

	private final String pool;

	private final String instance;

	private final DataSource dataSource;

	private final Trouble trouble;

	private final Runnable jobsReady;

	private volatile boolean stopped;

	// Whether the thread waits for notifications, and needs one to notice that it is stopped.
	private volatile boolean listening;

	private volatile @Nullable Thread thread;

	// How long to wait before opening a connection again; touched by the thread only.
	private long backoff = MIN_BACKOFF.toNanos();

	/**
	 * Create a listener, not yet started.
	 * @param pool the pool's name
	 * @param instance the id of this instance, whose own notifications it ignores
	 * @param dataSource where to take the connection to listen on
	 * @param trouble where failures go
	 * @param jobsReady what to do when another instance made jobs ready: nudge the claimer
	 */
	ReadyJobsListener(String pool, String instance, DataSource dataSource, Trouble trouble, Runnable jobsReady) {
		this.pool = pool;
		this.instance = instance;
		this.dataSource = dataSource;
		this.trouble = trouble;
		this.jobsReady = jobsReady;
	}

	void start(String name) {
		Thread listener = new Thread(this, name);
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	/**
	 * Listen no more: the thread ends once it notices.
	 * @return whether it waits for a notification to notice
	 */
	boolean stopSoon() {
		this.stopped = true;
		Thread listener = this.thread;
		if (listener != null) {
			LockSupport.unpark(listener);
		}
		return this.listening;
	}

	/** Listen no more, and wait at most the given time for the thread to end. */
	void stop(Duration timeout) {
		stopSoon();
		Thread listener = this.thread;
		if (listener != null) {
			// Ends a wait for a connection; a wait for notifications ends with the notification that woke it.
			listener.interrupt();
			try {
				listener.join(Math.max(1, timeout.toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void run() {
		boolean reopened = false;
		while (!this.stopped) {
			try {
				if (!listen(reopened)) {
					return;
				}
			}
			catch (Throwable ex) {
				if (this.stopped) {
					return;
				}
				this.trouble.failed(ACTIVITY, ex);
				LockSupport.parkNanos(this, this.backoff);
				this.backoff = Math.min(2 * this.backoff, MAX_BACKOFF.toNanos());
				reopened = true;
			}
		}
	}

	/**
	 * Take a connection and listen on it until stopped.
	 * @param reopened whether an earlier connection broke
	 * @return whether it could listen: false if the connection is not a PostgreSQL one
	 */
	private boolean listen(boolean reopened) throws SQLException {
		Connection connection = this.dataSource.getConnection();
		boolean broken = true;
		try {
			PGConnection postgres = unwrap(connection);
			if (postgres == null) {
				logger.log(Level.INFO, () -> "Pool '" + this.pool + "' does not listen for the notifications of its "
						+ "other instances, as the connections of its DataSource are not the PostgreSQL JDBC driver's "
						+ "(org.postgresql.PGConnection), nor unwrap to it: it finds the jobs they submit by polling, "
						+ "every poll-interval");
				broken = false;
				return false;
			}
			connection.setAutoCommit(true);
			connection.setNetworkTimeout(Runnable::run, ANSWER_MILLIS);
			execute(connection, LISTEN);
			this.listening = true;
			this.backoff = MIN_BACKOFF.toNanos();
			this.trouble.worked(ACTIVITY);
			if (reopened) {
				this.jobsReady.run();
			}
			while (!this.stopped) {
				receive(postgres, connection);
			}
			execute(connection, "UNLISTEN " + ReadyJobsNotifier.CHANNEL);
			broken = false;
			return true;
		}
		finally {
			this.listening = false;
			if (broken) {
				discard(connection);
			}
			else {
				connection.close();
			}
		}
	}

	private void receive(PGConnection postgres, Connection connection) throws SQLException {
		PGNotification[] notifications = postgres.getNotifications(CHECK_MILLIS);
		if (notifications == null || notifications.length == 0) {
			if (!this.stopped) {
				// Listening again changes nothing, and fails unless the connection answers.
				execute(connection, LISTEN);
			}
			return;
		}
		for (PGNotification notification : notifications) {
			if (fromAnotherInstance(notification.getParameter())) {
				this.jobsReady.run();
				return;
			}
		}
	}

	private boolean fromAnotherInstance(String payload) {
		int space = payload.indexOf(' ');
		return space > 0 && payload.substring(space + 1).equals(this.pool)
				&& !payload.substring(0, space).equals(this.instance);
	}

	private static @Nullable PGConnection unwrap(Connection connection) {
		if (!DRIVER_PRESENT) {
			return null;
		}
		try {
			return connection.isWrapperFor(PGConnection.class) ? connection.unwrap(PGConnection.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	// Closed before it goes back, so that the pool drops it instead of lending it, broken or still listening.
	private static void discard(Connection connection) {
		try {
			connection.abort(Runnable::run);
		}
		catch (SQLException | RuntimeException ex) {
			// Closed as well below.
		}
		try {
			connection.close();
		}
		catch (SQLException | RuntimeException ex) {
			// The pool found it aborted, as meant.
		}
	}

}
