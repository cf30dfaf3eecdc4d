package io.jobpool.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.jobpool.Job;
import io.jobpool.JobPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts a {@link JobPool} when the application context starts and drains it when the context stops, in a phase
 * before the embedded web server starts and after it stops, so that no request reaches a pool that is not running.
 * <p>
 * Stopping drains within the pool's drain period and within the context's timeout per shutdown phase, whichever
 * is shorter; jobs still queued then are handed back (their futures fail with a
 * {@link io.jobpool.JobHandedBackException}) and counted in the log.
 */
public final class JobPoolLifecycle implements SmartLifecycle {

	/**
	 * The phase of the pool: 1024 below the phase in which Spring Boot starts and stops the embedded web server
	 * ({@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

	private static final Duration MAX_FORCED_STOP = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(JobPoolLifecycle.class);

	private final JobPool pool;

	private final Duration drainWithin;

	/**
	 * Create a lifecycle that drains the pool within its {@link JobPool#drainPeriod() drain period}.
	 * @param pool the pool
	 * @param timeoutPerShutdownPhase how long the context waits for each shutdown phase
	 */
	public JobPoolLifecycle(JobPool pool, Duration timeoutPerShutdownPhase) {
		this.pool = pool;
		Duration forcedStop = min(timeoutPerShutdownPhase.dividedBy(10), MAX_FORCED_STOP);
		this.drainWithin = min(pool.drainPeriod(), timeoutPerShutdownPhase.minus(forcedStop));
	}

	@Override
	public void start() {
		this.pool.start();
	}

	@Override
	public void stop() {
		drain();
	}

	@Override
	public void stop(Runnable callback) {
		Thread stopper = new Thread(() -> {
			try {
				drain();
			}
			finally {
				callback.run();
			}
		}, this.pool.name() + "-stop");
		stopper.setDaemon(true);
		stopper.start();
	}

	private void drain() {
		List<Job<?>> handedBack = this.pool.close(this.drainWithin);
		if (!handedBack.isEmpty()) {
			logger.warn("Job pool '" + this.pool.name() + "' did not drain within " + this.drainWithin
					+ "; handed back " + handedBack.size() + " unprocessed job(s) and interrupted running ones");
		}
	}

	@Override
	public boolean isRunning() {
		return this.pool.isRunning();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

	/** How long stopping lets jobs finish before it hands the rest back. */
	Duration getDrainWithin() {
		return this.drainWithin;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
