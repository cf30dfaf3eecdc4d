package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The thread that claims jobs from the table for the local workers: never more than are free, as many as are
 * ready. It waits for a worker to free up, for a job submitted here, or for the poll interval, whichever comes
 * first.
 */
final class Claimer implements Runnable {

	private static final System.Logger logger = System.getLogger(Claimer.class.getName());

	private static final int MAX_BATCH = 256;

	private final JdbcJobPool pool;

	private final long pollNanos;

	private final AtomicBoolean nudged = new AtomicBoolean();

	private volatile boolean waitingForWorkers;

	private volatile @Nullable Thread thread;

	Claimer(JdbcJobPool pool, Duration pollInterval) {
		this.pool = pool;
		this.pollNanos = pollInterval.toNanos();
	}

	void start(String name) {
		Thread claimer = new Thread(this, name);
		claimer.setDaemon(true);
		this.thread = claimer;
		claimer.start();
	}

	/** Look at the table now. */
	void nudge() {
		this.nudged.set(true);
		Thread claimer = this.thread;
		if (claimer != null) {
			LockSupport.unpark(claimer);
		}
	}

	/** A worker finished a job. */
	void workerFreed() {
		if (this.waitingForWorkers) {
			nudge();
		}
	}

	void join(Duration timeout) throws InterruptedException {
		Thread claimer = this.thread;
		if (claimer != null) {
			nudge();
			claimer.join(Math.max(1, timeout.toMillis()));
		}
	}

	@Override
	public void run() {
		while (this.pool.isClaiming()) {
			if (this.pool.isPaused()) {
				pause();
				continue;
			}
			int free = this.pool.freeWorkers();
			if (free <= 0) {
				this.waitingForWorkers = true;
				if (this.pool.freeWorkers() <= 0) {
					pause();
				}
				this.waitingForWorkers = false;
				continue;
			}
			int wanted = Math.min(free, MAX_BATCH);
			int claimed;
			try {
				claimed = this.pool.claim(wanted);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, () -> "Pool '" + this.pool.name() + "' could not claim jobs; trying again in "
						+ Duration.ofNanos(this.pollNanos), ex);
				claimed = 0;
			}
			if (claimed < wanted) {
				pause();
			}
		}
	}

	private void pause() {
		if (!this.nudged.getAndSet(false)) {
			LockSupport.parkNanos(this, this.pollNanos);
			this.nudged.set(false);
		}
	}

}
