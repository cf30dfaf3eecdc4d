package io.jobpool.engine;

import java.lang.System.Logger.Level;
import java.time.Duration;

import io.jobpool.Job;
import io.jobpool.spi.Ending;

/**
 * Writes a pool's failed, retried and handed-back jobs to the log {@value #NAME}, by id and type, never payload.
 */
final class JobEndLog {

	/** The name of the logger. */
	static final String NAME = "io.jobpool.jobs";

	/** How many WARN lines a pool writes a second at most; the next line written says how many were left out. */
	static final int LINES_PER_SECOND = 20;

	/** How many distinct failures a pool remembers having written a stack trace for. */
	static final int FAILURES_REMEMBERED = 256;

	/** The longest an exception's text is written. */
	static final int MAX_ERROR_TEXT = 500;

	private static final System.Logger logger = System.getLogger(NAME);

	private final String pool;

	private final LogBudget budget = new LogBudget(LINES_PER_SECOND);

	private final SeenFailures seen = new SeenFailures(FAILURES_REMEMBERED);

	/**
	 * Create the log of one pool.
	 * @param pool the pool's name
	 */
	JobEndLog(String pool) {
		this.pool = pool;
	}

	/**
	 * Write how an attempt ended, unless it succeeded.
	 * @param job the job
	 * @param ending how its attempt ended
	 */
	void ended(Job<?> job, Ending ending) {
		switch (ending.kind()) {
			case RETRY -> retrying(job, ending.error(), ending.backoff());
			case FAILED -> failed(job, ending.error());
			case HANDED_BACK -> handedBack(job);
			case SUCCEEDED -> {
			}
		}
	}

	/**
	 * A job was handed back, unrun or with its run cut short, as its pool stopped.
	 * @param job the job
	 */
	void handedBack(Job<?> job) {
		if (mayWrite()) {
			logger.log(Level.WARNING, describe(job) + " was handed back on attempt " + job.attempt()
					+ ": the pool stopped before the job could end");
		}
	}

	/** The pool stopped: write how many lines were left out since the last one written. */
	void stopped() {
		reportLeftOut(this.budget.takeLeftOut());
	}

	private void retrying(Job<?> job, Throwable error, Duration backoff) {
		if (logger.isLoggable(Level.DEBUG)) {
			logger.log(Level.DEBUG, describe(job) + " failed on attempt " + job.attempt() + ", next attempt in "
					+ backoff.toMillis() + " ms: " + text(error));
		}
	}

	private void failed(Job<?> job, Throwable error) {
		if (!mayWrite()) {
			return;
		}
		String line = describe(job) + " failed for good on attempt " + job.attempt() + ": " + text(error);
		if (this.seen.firstTime(error)) {
			logger.log(Level.WARNING, line, error);
		}
		else {
			logger.log(Level.WARNING, line + " (stack trace written before)");
		}
	}

	private boolean mayWrite() {
		if (!logger.isLoggable(Level.WARNING)) {
			return false;
		}
		long leftOut = this.budget.take(System.nanoTime());
		if (leftOut == LogBudget.REFUSED) {
			return false;
		}
		reportLeftOut(leftOut);
		return true;
	}

	private void reportLeftOut(long leftOut) {
		if (leftOut > 0) {
			logger.log(Level.WARNING, "Pool '" + this.pool + "': " + leftOut + " more lines about failed or "
					+ "handed-back jobs were left out; at most " + this.budget.perSecond() + " a second are written");
		}
	}

	private String describe(Job<?> job) {
		return "Pool '" + this.pool + "': job " + job.id() + " (" + job.typeName() + ")";
	}

	private static String text(Throwable error) {
		String text = String.valueOf(error);
		if (text.length() <= MAX_ERROR_TEXT) {
			return text;
		}
		return text.substring(0, MAX_ERROR_TEXT) + "... (cut, " + text.length() + " characters in all)";
	}

}
