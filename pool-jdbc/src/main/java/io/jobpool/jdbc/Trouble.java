package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * What goes wrong between a durable pool and its database, told without flooding the log: the first failure of
 * each activity at WARNING, then at most one line per {@link #REPEAT} with the count, and one line when the activity
 * works again. It also knows when the pool's own threads could not get a connection, so that submitters waiting in
 * a transaction, each holding one, can let go.
 */
final class Trouble {

	/** How often a failing activity is reported again while it keeps failing. */
	static final Duration REPEAT = Duration.ofSeconds(30);

	private static final System.Logger logger = System.getLogger(Trouble.class.getName());

	private static final int MESSAGE_LENGTH = 300;

	private final String pool;

	private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

	Trouble(String pool) {
		this.pool = pool;
	}

	/**
	 * An activity failed.
	 * @param activity what the pool could not do, as in "could not claim jobs"
	 * @param error why
	 */
	void failed(String activity, Throwable error) {
		this.streaks.computeIfAbsent(activity, (key) -> new Streak()).failed(activity, error);
	}

	/**
	 * An activity worked: if it had failed, say that it works again.
	 * @param activity what the pool did
	 */
	void worked(String activity) {
		Streak streak = this.streaks.get(activity);
		if (streak != null) {
			streak.worked(activity);
		}
	}

	/** Whether one of the pool's own activities could not get a connection the last time it tried. */
	boolean starved() {
		for (Streak streak : this.streaks.values()) {
			if (streak.starved) {
				return true;
			}
		}
		return false;
	}

	private static boolean isStarvation(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof SQLTransientConnectionException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	static String describe(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = root.toString();
		return (text.length() <= MESSAGE_LENGTH) ? text : text.substring(0, MESSAGE_LENGTH) + "…";
	}

	/** The failures of one activity since it last worked. */
	private final class Streak {

		private long failures;

		private long since;

		private long reportedAt;

		private long unreported;

		private volatile boolean starved;

		synchronized void failed(String activity, Throwable error) {
			this.starved = isStarvation(error);
			long now = System.nanoTime();
			if (this.failures++ == 0) {
				this.since = now;
				this.reportedAt = now;
				logger.log(Level.WARNING, () -> "Pool '" + Trouble.this.pool + "' could not " + activity + ": "
						+ describe(error) + "; it keeps trying, and says so here again at most every " + REPEAT);
				logger.log(Level.DEBUG, () -> "Pool '" + Trouble.this.pool + "' could not " + activity, error);
				return;
			}
			this.unreported++;
			if (now - this.reportedAt >= REPEAT.toNanos()) {
				long count = this.unreported;
				long seconds = TimeUnit.NANOSECONDS.toSeconds(now - this.since);
				logger.log(Level.WARNING, () -> "Pool '" + Trouble.this.pool + "' still could not " + activity
						+ ": " + count + " more failures, " + seconds + " s since the first; the last: "
						+ describe(error));
				this.reportedAt = now;
				this.unreported = 0;
			}
		}

		synchronized void worked(String activity) {
			this.starved = false;
			if (this.failures == 0) {
				return;
			}
			long count = this.failures;
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.since);
			logger.log(Level.INFO, () -> "Pool '" + Trouble.this.pool + "' can " + activity + " again, after " + count
					+ " failures over " + Duration.ofMillis(millis));
			this.failures = 0;
			this.unreported = 0;
		}

	}

}
