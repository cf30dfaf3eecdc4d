package io.jobpool.autoconfigure;

import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;

/**
 * Builds the pools whose {@code pool.store} is {@code jdbc}; given by the auto-configuration of the durable store.
 */
@FunctionalInterface
public interface DurableJobPoolFactory {

	/**
	 * Build a durable pool.
	 * @param properties the pool's properties
	 * @param builder a builder configured as an in-memory pool of those properties would be
	 * @return the durable pool, not started
	 */
	JobPool create(PoolProperties properties, JobPoolBuilder builder);

}
