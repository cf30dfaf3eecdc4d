package io.jobpool.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The workers parked for want of jobs, as a lock-free stack, so that a submitter wakes exactly one. The top
 * packs a version with the slot index to rule out ABA; a worker is on the stack at most once (its
 * {@code listed} flag), and a popped worker that is no longer idle is skipped. The stack sees the workers
 * through {@link Slots}, by slot index, so that it can be tested on its own.
 */
final class IdleWorkers {

	private static final long EMPTY = 0L;

	private final AtomicLong top = new AtomicLong(EMPTY);

	private final Slots slots;

	IdleWorkers(Worker[] workers) {
		this(new WorkerSlots(workers));
	}

	IdleWorkers(Slots slots) {
		this.slots = slots;
	}

	boolean any() {
		return (int) this.top.get() != 0;
	}

	void push(Worker worker) {
		push(worker.index);
	}

	void push(int slot) {
		for (;;) {
			long current = this.top.get();
			this.slots.link(slot, (int) current);
			if (this.top.compareAndSet(current, next(current, slot + 1))) {
				return;
			}
		}
	}

	/** Wake one idle worker, if there is one. */
	void wakeOne() {
		int slot;
		while ((slot = pop()) >= 0) {
			if (this.slots.wake(slot)) {
				return;
			}
		}
	}

	private int pop() {
		for (;;) {
			long current = this.top.get();
			int slot = (int) current - 1;
			if (slot < 0) {
				return -1;
			}
			if (this.top.compareAndSet(current, next(current, this.slots.link(slot)))) {
				return slot;
			}
		}
	}

	private static long next(long current, int slot) {
		return (((current >>> 32) + 1) << 32) | (slot & 0xFFFFFFFFL);
	}

	/**
	 * The slots the stack lists, by index: the link from each to the one below it on the stack (that slot's
	 * index plus one, 0 for none), and how to wake one taken off.
	 */
	interface Slots {

		int link(int slot);

		void link(int slot, int below);

		/** Unlist the worker of a slot taken off the stack and wake it: whether it was idle. */
		boolean wake(int slot);

	}

	private static final class WorkerSlots implements Slots {

		private final Worker[] workers;

		WorkerSlots(Worker[] workers) {
			this.workers = workers;
		}

		@Override
		public int link(int slot) {
			return this.workers[slot].nextIdle;
		}

		@Override
		public void link(int slot, int below) {
			this.workers[slot].nextIdle = below;
		}

		@Override
		public boolean wake(int slot) {
			Worker worker = this.workers[slot];
			worker.listed = false;
			return worker.signal();
		}

	}

}
