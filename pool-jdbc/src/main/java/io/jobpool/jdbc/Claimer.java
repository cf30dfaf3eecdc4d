package io.jobpool.jdbc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The thread that claims jobs from the table for the workers: as many as are ready, never more than the
 * {@link ClaimedRuns#room() room} for them (the free workers, and a few ahead while jobs are short), and gives back
 * the jobs claimed ahead that no worker took in time. It waits for a worker to free up, for a job submitted here,
 * for the next job claimed ahead to go stale, or for the poll interval, whichever comes first; while jobs wait in
 * the table and less than half the room is free, it gives the workers up to 200 µs to free more, so that one round
 * trip claims for several. A failure is told through {@link Trouble} and tried again after the poll interval;
 * nothing it meets stops it but the pool's close.
 */
final class Claimer implements Runnable {

	static final String ACTIVITY = "claim jobs";

	private static final int MAX_BATCH = 256;

	// The longest a claim waits for more workers to free up while jobs wait in the table.
	private static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	private final JdbcJobStore store;

	private final ClaimedRuns runs;

	private final Trouble trouble;

	private final long pollNanos;

	private final AtomicBoolean nudged = new AtomicBoolean();

	private volatile boolean waitingForWorkers;

	private volatile boolean stopped;

	// Whether the last claim took all it asked for: more jobs are likely ready.
	private boolean backlog;

	private volatile @Nullable Thread thread;

	Claimer(JdbcJobStore store, ClaimedRuns runs, Trouble trouble, Duration pollInterval) {
		this.store = store;
		this.runs = runs;
		this.trouble = trouble;
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

	/** A worker finished a job, or the end of a job was written. */
	void workerFreed() {
		if (this.waitingForWorkers) {
			nudge();
		}
	}

	/** Claim no more: the thread ends once a claim under way is done. */
	void stopSoon() {
		this.stopped = true;
		nudge();
	}

	/** Claim no more, and wait at most the given time for a claim under way. */
	void stop(Duration timeout) throws InterruptedException {
		stopSoon();
		Thread claimer = this.thread;
		if (claimer != null) {
			claimer.join(Math.max(1, timeout.toMillis()));
		}
	}

	@Override
	public void run() {
		try {
			while (!this.stopped) {
				try {
					step();
				}
				catch (Throwable ex) {
					this.backlog = false;
					this.trouble.failed(ACTIVITY, ex);
					pause();
				}
			}
		}
		catch (Throwable ex) {
			this.runs.threadFailed("Its claimer stopped", ex);
		}
	}

	private void step() {
		if (!this.store.mayClaim()) {
			if (this.store.isPaused()) {
				this.runs.releaseReady();
			}
			pause();
			return;
		}
		this.runs.releaseStale(System.nanoTime());
		int free = this.runs.room();
		if (free <= 0) {
			this.waitingForWorkers = true;
			if (this.runs.room() <= 0) {
				pause();
			}
			this.waitingForWorkers = false;
			return;
		}
		if (this.backlog && free < this.runs.capacity() / 2) {
			free = gather();
		}
		int wanted = Math.min(free, MAX_BATCH);
		int claimed = this.store.claim(wanted);
		this.trouble.worked(ACTIVITY);
		this.backlog = claimed == wanted;
		if (!this.backlog) {
			pause();
		}
	}

	/**
	 * While jobs wait in the table and little room is free, give the workers a moment to free more, so that one
	 * round trip claims for several.
	 * @return the room free now
	 */
	private int gather() {
		long deadline = System.nanoTime() + GATHER_NANOS;
		int half = this.runs.capacity() / 2;
		int free = this.runs.room();
		this.waitingForWorkers = true;
		while (free < half && System.nanoTime() < deadline) {
			LockSupport.parkNanos(this, deadline - System.nanoTime());
			free = this.runs.room();
		}
		this.waitingForWorkers = false;
		return free;
	}

	private void pause() {
		if (!this.nudged.getAndSet(false)) {
			LockSupport.parkNanos(this, Math.min(this.pollNanos, this.runs.untilStale(System.nanoTime())));
			this.nudged.set(false);
		}
	}

}
