package io.jobpool.engine;

import java.time.Duration;

import io.jobpool.JobListener;

/**
 * Ticks on the housekeeper and times out jobs that run past the pool's job timeout.
 */
final class TimeoutWatchdog implements Runnable {

	private final Worker[] slots;

	private final long timeoutNanos;

	private final JobListener listener;

	TimeoutWatchdog(Worker[] slots, Duration timeout, JobListener listener) {
		this.slots = slots;
		this.timeoutNanos = timeout.toNanos();
		this.listener = listener;
	}

	/** How often to tick: a tenth of the timeout, from 1 ms to 1 s. */
	Duration tick() {
		return Duration.ofNanos(Math.max(1_000_000L, Math.min(1_000_000_000L, this.timeoutNanos / 10)));
	}

	@Override
	public void run() {
		long now = System.nanoTime();
		for (Worker worker : this.slots) {
			Thread thread = worker.thread;
			if (thread != null && worker.isLive()) {
				worker.running.check(now, this.timeoutNanos, thread, this.listener);
			}
		}
	}

}
