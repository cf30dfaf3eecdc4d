package io.jobpool.engine;

import java.lang.System.Logger.Level;
import java.util.Locale;

import io.jobpool.JobPoolSettings;
import io.jobpool.JobPoolStats;
import io.jobpool.spi.JobStore;

/**
 * Writes a pool's start and its stop, with how long stopping took and how its jobs ended, to the log {@value #NAME}.
 */
final class LifecycleLog {

	/** The name of the logger. */
	static final String NAME = "io.jobpool.lifecycle";

	private static final System.Logger logger = System.getLogger(NAME);

	private final JobPoolSettings settings;

	// Guarded by this: written when the pool is asked to stop, read when it has stopped, on other threads.
	private boolean stopping;

	private boolean forced;

	private long stopStartNanos;

	/**
	 * Create the log of one pool.
	 * @param settings the pool's settings
	 */
	LifecycleLog(JobPoolSettings settings) {
		this.settings = settings;
	}

	/**
	 * The pool started.
	 * @param store where its jobs wait
	 */
	void started(JobStore store) {
		if (!logger.isLoggable(Level.INFO)) {
			return;
		}
		JobPoolSettings settings = this.settings;
		boolean autoscale = settings.autoscale() && settings.maxPoolNum() > settings.initPoolNum();
		logger.log(Level.INFO, "Pool '" + settings.name() + "' started with " + settings.initPoolNum() + " x "
				+ settings.workerNum() + " workers (dispatchers x workers each"
				+ (autoscale ? ", autoscaled up to " + settings.maxPoolNum() + " dispatchers" : "") + "), queue-size "
				+ settings.queueSize() + ", store " + store);
	}

	/**
	 * The pool was asked to stop: to drain, or at once. The time of the first request counts.
	 * @param now whether it stops at once, handing back what is queued
	 */
	synchronized void stopping(boolean now) {
		if (!this.stopping) {
			this.stopping = true;
			this.stopStartNanos = System.nanoTime();
		}
		this.forced |= now;
	}

	/**
	 * The pool stopped.
	 * @param stats its counters, once every job has ended
	 */
	synchronized void stopped(JobPoolStats stats) {
		if (!logger.isLoggable(Level.INFO)) {
			return;
		}
		double seconds = (System.nanoTime() - this.stopStartNanos) / 1e9;
		logger.log(Level.INFO, "Pool '" + this.settings.name() + "' stopped in "
				+ String.format(Locale.ROOT, "%.3f", seconds) + " s (" + (this.forced ? "forced" : "drained") + "): "
				+ stats.succeeded() + " jobs succeeded, " + stats.failed() + " failed, " + stats.handedBack()
				+ " handed back, of " + stats.accepted() + " accepted");
	}

}
