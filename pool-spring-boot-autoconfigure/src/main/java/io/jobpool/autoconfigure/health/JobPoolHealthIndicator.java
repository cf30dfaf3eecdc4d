package io.jobpool.autoconfigure.health;

import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a {@link JobPool}: {@code UP} while it accepts jobs, even with a full queue or with dead jobs,
 * {@code OUT_OF_SERVICE} before it starts, while it drains and once it is closed, and {@code DOWN} when one of its
 * own threads could not go on.
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
		JobPoolFigures figures = this.pool.figures();
		if (figures.failure() != null) {
			builder.down().withDetail("failure", figures.failure());
		}
		else if (figures.state() == JobPool.State.RUNNING) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
		builder.withDetail("state", figures.state().label())
			.withDetail("paused", figures.paused())
			.withDetail("queueDepth", figures.queueDepth())
			.withDetail("queueCapacity", figures.queueCapacity())
			.withDetail("activeWorkers", figures.activeWorkers())
			.withDetail("workers", figures.workers())
			.withDetail("dispatchers", figures.dispatchers())
			.withDetail("retrying", figures.retrying())
			.withDetail("scheduled", figures.scheduled())
			.withDetail("scheduleCapacity", figures.scheduleCapacity());
		if (figures.deadJobs() != null) {
			builder.withDetail("deadJobs", figures.deadJobs());
		}
	}

}
