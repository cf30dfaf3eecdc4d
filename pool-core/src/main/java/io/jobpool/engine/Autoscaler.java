package io.jobpool.engine;

import io.jobpool.JobPoolSettings;

/**
 * Ticks on the housekeeper and scales dispatchers by load: one more after {@code threshold} looks in a row at
 * a queue fuller than the load factor, one fewer after as many looks at an empty queue with a dispatcher's
 * worth of idle workers. Stays between {@code init-pool-num} and {@code max-pool-num}.
 */
final class Autoscaler implements Runnable {

	private final WorkerPool pool;

	private final JobPoolSettings settings;

	// Touched by the housekeeper thread only.
	private int overloaded;

	private int underloaded;

	Autoscaler(WorkerPool pool, JobPoolSettings settings) {
		this.pool = pool;
		this.settings = settings;
	}

	@Override
	public void run() {
		if (!this.pool.isRunning()) {
			return;
		}
		int dispatchers = this.pool.dispatcherCount();
		int depth = this.pool.queueDepth();
		if (depth >= this.settings.loadFactor() * this.settings.queueSize()) {
			this.underloaded = 0;
			if (++this.overloaded >= this.settings.resizeSuccessThreshold()
					&& dispatchers < this.settings.maxPoolNum()) {
				this.overloaded = 0;
				this.pool.resizeIfRunning(dispatchers + 1);
			}
		}
		else if (depth == 0
				&& this.pool.activeWorkers() <= (dispatchers - 1) * this.settings.workerNum()) {
			this.overloaded = 0;
			if (++this.underloaded >= this.settings.resizeSuccessThreshold()
					&& dispatchers > this.settings.initPoolNum()) {
				this.underloaded = 0;
				this.pool.resizeIfRunning(dispatchers - 1);
			}
		}
		else {
			this.overloaded = 0;
			this.underloaded = 0;
		}
	}

}
