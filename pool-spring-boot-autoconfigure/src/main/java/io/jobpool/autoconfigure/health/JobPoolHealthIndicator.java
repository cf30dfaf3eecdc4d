package io.jobpool.autoconfigure.health;

import io.jobpool.DeadJobs;
import io.jobpool.JobPool;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a {@link JobPool}: {@code UP} while it accepts jobs, even with a full queue or with dead jobs, and
 * {@code OUT_OF_SERVICE} before it starts, while it drains and once it is closed.
 */
public class JobPoolHealthIndicator extends AbstractHealthIndicator {

	private final JobPool pool;

	/**
	 * Create an indicator.
	 * @param pool the pool to report on
	 */
	public JobPoolHealthIndicator(JobPool pool) {
		super("Job pool health check failed");
		this.pool = pool;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		JobPool pool = this.pool;
		if (pool.isRunning()) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
		builder.withDetail("state", pool.state().label())
			.withDetail("paused", pool.isPaused())
			.withDetail("queueDepth", pool.queueDepth())
			.withDetail("queueCapacity", pool.queueCapacity())
			.withDetail("activeWorkers", pool.activeWorkers())
			.withDetail("workers", pool.workerCount())
			.withDetail("dispatchers", pool.dispatcherCount())
			.withDetail("retrying", pool.retryingJobs());
		if (pool instanceof DeadJobs dead) {
			builder.withDetail("deadJobs", dead.deadJobCount());
		}
	}

}
