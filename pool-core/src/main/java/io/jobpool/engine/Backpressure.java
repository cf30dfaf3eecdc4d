package io.jobpool.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where submitters wait while the queue is full. Only the slow path takes the lock: a worker that frees a
 * slot signals only when someone waits.
 */
final class Backpressure {

	// Submitters re-check the queue at least this often, so no wake-up can be missed for long.
	private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition room = this.lock.newCondition();

	private volatile int waiting;

	boolean hasWaiters() {
		return this.waiting != 0;
	}

	void signal(int submitters) {
		this.lock.lock();
		try {
			for (int i = Math.min(submitters, this.waiting); i > 0; i--) {
				this.room.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	void signalAll() {
		this.lock.lock();
		try {
			this.room.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait for room and offer.
	 * @param offer tries to add the job
	 * @param accepting whether the pool still accepts jobs
	 * @param nanos how long to wait at most, negative for as long as it takes
	 * @return {@link Outcome} of the wait
	 * @throws InterruptedException if the submitter is interrupted
	 */
	Outcome await(BooleanSupplier offer, BooleanSupplier accepting, long nanos) throws InterruptedException {
		long deadline = System.nanoTime() + nanos;
		this.lock.lockInterruptibly();
		try {
			this.waiting++;
			for (;;) {
				if (!accepting.getAsBoolean()) {
					return Outcome.CLOSED;
				}
				if (offer.getAsBoolean()) {
					return Outcome.OFFERED;
				}
				long remaining = (nanos < 0) ? RECHECK_NANOS : deadline - System.nanoTime();
				if (remaining <= 0) {
					return Outcome.TIMED_OUT;
				}
				this.room.awaitNanos(Math.min(remaining, RECHECK_NANOS));
			}
		}
		finally {
			this.waiting--;
			this.lock.unlock();
		}
	}

	enum Outcome {

		OFFERED, TIMED_OUT, CLOSED

	}

}
