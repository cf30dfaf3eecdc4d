package io.jobpool.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.jobpool.JobPoolSettings;
import io.jobpool.JobTimes;

/**
 * The worker slots of a pool, grouped by dispatcher: dispatcher {@code d} owns slots {@code d × worker-num}
 * up to {@code (d + 1) × worker-num}. Resizing activates or retires whole dispatchers; the pool calls it under
 * its lifecycle lock.
 */
final class Dispatchers {

	private final Worker[] slots;

	private final int workerNum;

	private final WorkerThreads threads;

	// Threads started and not yet exited; a thread counts from just before it starts.
	private final AtomicInteger liveThreads = new AtomicInteger();

	private volatile int count;

	Dispatchers(WorkerPool pool, JobPoolSettings settings) {
		this.workerNum = settings.workerNum();
		this.slots = new Worker[settings.maxPoolNum() * this.workerNum];
		for (int i = 0; i < this.slots.length; i++) {
			this.slots[i] = new Worker(pool, i, this.workerNum);
		}
		this.threads = new WorkerThreads(settings.threadNamePrefix(), settings.virtualThreads());
	}

	Worker[] slots() {
		return this.slots;
	}

	/** The attempt times of every slot, summed. */
	JobTimes times() {
		AttemptTimes[] times = new AttemptTimes[this.slots.length];
		for (int i = 0; i < times.length; i++) {
			times[i] = this.slots[i].times;
		}
		return AttemptTimes.sum(times);
	}

	int count() {
		return this.count;
	}

	int liveThreads() {
		return this.liveThreads.get();
	}

	/**
	 * A worker thread has exited.
	 * @return how many are still live
	 */
	int threadExited() {
		return this.liveThreads.decrementAndGet();
	}

	void resize(int target) {
		for (int d = this.count; d < target; d++) {
			for (int i = d * this.workerNum; i < (d + 1) * this.workerNum; i++) {
				activate(this.slots[i]);
			}
			this.count = d + 1;
		}
		for (int d = this.count - 1; d >= target; d--) {
			for (int i = d * this.workerNum; i < (d + 1) * this.workerNum; i++) {
				this.slots[i].retire();
			}
			this.count = d;
		}
	}

	private void activate(Worker slot) {
		this.liveThreads.incrementAndGet();
		boolean started = false;
		try {
			started = slot.activate(this.threads);
		}
		finally {
			if (!started) {
				this.liveThreads.decrementAndGet();
			}
		}
	}

	void wakeAll(boolean interrupt) {
		for (Worker worker : this.slots) {
			if (worker.isLive()) {
				if (interrupt) {
					worker.interrupt();
				}
				worker.wake();
			}
		}
	}

	int busy() {
		int busy = 0;
		for (Worker worker : this.slots) {
			if (worker.isBusy()) {
				busy++;
			}
		}
		return busy;
	}

	/**
	 * Each live thread still running, with the job it runs (or {@code null} when unknown).
	 * @param action what to do with each
	 */
	void forEachStillRunning(BiConsumer<Thread, JobTask> action) {
		for (Worker worker : this.slots) {
			Thread thread = worker.thread;
			if (worker.isLive() && thread != null && thread.isAlive()) {
				action.accept(thread, worker.current());
			}
		}
	}

}
