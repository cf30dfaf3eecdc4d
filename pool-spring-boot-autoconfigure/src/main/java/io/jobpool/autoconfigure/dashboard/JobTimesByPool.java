package io.jobpool.autoconfigure.dashboard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jobpool.JobPoolBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobTimes} of every pool built with the dashboard's customizer, by pool name, known once the pool has
 * started.
 */
final class JobTimesByPool {

	private final Map<String, JobTimes> byPool = new ConcurrentHashMap<>();

	/**
	 * Give the pool that a builder builds times of its own.
	 * @param builder the builder
	 */
	void install(JobPoolBuilder builder) {
		builder.listener(new JobTimes(this.byPool::put));
	}

	/**
	 * The times of a pool.
	 * @param pool the pool's name
	 * @return its times, or {@code null} if it was not built with the customizer or has not started
	 */
	@Nullable JobTimes get(String pool) {
		return this.byPool.get(pool);
	}

}
