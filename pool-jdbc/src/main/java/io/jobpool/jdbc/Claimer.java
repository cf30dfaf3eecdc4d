package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The thread that claims jobs from the table for the local workers: never more than are free, as many as are
 * ready. It waits for a worker to free up, for a job submitted here, or for the poll interval, whichever comes
 * first; while jobs wait in the table and fewer than half the workers are free, it gives the others up to
 * 200 µs to finish, so that one round trip claims for several.
 */
final class Claimer implements Runnable {

	private static final System.Logger logger = System.getLogger(Claimer.class.getName());

	private static final int MAX_BATCH = 256;

	// The longest a claim waits for more workers to free up while jobs wait in the table.
	private static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	private final JdbcJobPool pool;

	private final long pollNanos;

	private final AtomicBoolean nudged = new AtomicBoolean();

	private volatile boolean waitingForWorkers;

	// Whether the last claim took all it asked for: more jobs are likely ready.
	private boolean backlog;

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
			if (this.backlog && free < this.pool.workers() / 2) {
				free = gather();
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
			this.backlog = claimed == wanted;
			if (!this.backlog) {
				pause();
			}
		}
	}

	/**
	 * While jobs wait in the table and few workers are free, give others a moment to finish, so that one round
	 * trip claims for several.
	 * @return the workers free now
	 */
	private int gather() {
		long deadline = System.nanoTime() + GATHER_NANOS;
		int half = this.pool.workers() / 2;
		int free = this.pool.freeWorkers();
		this.waitingForWorkers = true;
		while (free < half && System.nanoTime() < deadline) {
			LockSupport.parkNanos(this, deadline - System.nanoTime());
			free = this.pool.freeWorkers();
		}
		this.waitingForWorkers = false;
		return free;
	}

	private void pause() {
		if (!this.nudged.getAndSet(false)) {
			LockSupport.parkNanos(this, this.pollNanos);
			this.nudged.set(false);
		}
	}

}
