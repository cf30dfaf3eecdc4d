package io.jobpool.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers looking for a job without parking. A few spin before they park, so that a job submitted a
 * moment later needs no wake-up; more would take the CPUs the submitters need. While one spins, a submitter
 * wakes nobody: the spinner takes the job, and wakes a parked worker if more are queued.
 */
final class Spinners {

	private final AtomicInteger count = new AtomicInteger();

	private final int limit;

	Spinners(int limit) {
		this.limit = limit;
	}

	boolean tryStart() {
		for (;;) {
			int current = this.count.get();
			if (current >= this.limit) {
				return false;
			}
			if (this.count.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	void stop() {
		this.count.decrementAndGet();
	}

	boolean any() {
		return this.count.get() != 0;
	}

}
