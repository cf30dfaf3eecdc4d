package io.jobpool.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The workers parked for want of jobs, as a lock-free stack, so that a submitter wakes exactly one. The top
 * packs a version with the slot index to rule out ABA; a worker is on the stack at most once (its
 * {@code listed} flag), and a popped worker that is no longer idle is skipped.
 */
final class IdleWorkers {

	private static final long EMPTY = 0L;

	private final AtomicLong top = new AtomicLong(EMPTY);

	private final Worker[] slots;

	IdleWorkers(Worker[] slots) {
		this.slots = slots;
	}

	boolean any() {
		return (int) this.top.get() != 0;
	}

	void push(Worker worker) {
		for (;;) {
			long current = this.top.get();
			worker.nextIdle = (int) current;
			if (this.top.compareAndSet(current, next(current, worker.index + 1))) {
				return;
			}
		}
	}

	/** Wake one idle worker, if there is one. */
	void wakeOne() {
		Worker worker;
		while ((worker = pop()) != null) {
			worker.listed = false;
			if (worker.signal()) {
				return;
			}
		}
	}

	private Worker pop() {
		for (;;) {
			long current = this.top.get();
			int slot = (int) current;
			if (slot == 0) {
				return null;
			}
			Worker worker = this.slots[slot - 1];
			if (this.top.compareAndSet(current, next(current, worker.nextIdle))) {
				return worker;
			}
		}
	}

	private static long next(long current, int slot) {
		return (((current >>> 32) + 1) << 32) | (slot & 0xFFFFFFFFL);
	}

}
