package io.jobpool.engine;

import io.jobpool.JobPool;
import io.jobpool.JobPoolSettings;
import io.jobpool.spi.JobStore;
import io.jobpool.spi.PoolEngine;

/**
 * Where pools get their engine; everything else in this package is the engine's own.
 */
public final class Engines {

	private Engines() {
	}

	/**
	 * An engine whose jobs wait in memory.
	 * @param settings validated settings
	 * @return a pool, not yet started
	 */
	public static JobPool inMemory(JobPoolSettings settings) {
		return new WorkerPool(settings);
	}

	/**
	 * An engine whose jobs wait in a store.
	 * @param store where jobs wait
	 * @param settings validated settings
	 * @param face the pool the engine runs for: what listeners hear
	 * @return the engine, not yet started
	 */
	public static PoolEngine over(JobStore store, JobPoolSettings settings, JobPool face) {
		return new WorkerPool(settings, store, face);
	}

}
