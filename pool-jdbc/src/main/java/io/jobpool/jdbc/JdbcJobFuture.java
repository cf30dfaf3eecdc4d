package io.jobpool.jdbc;

import io.jobpool.Job;
import io.jobpool.JobFuture;

/**
 * The future of a job submitted to a durable pool. Cancelling it deletes the job if no worker has claimed it.
 */
final class JdbcJobFuture extends JobFuture {

	private final JdbcJobPool pool;

	final Job<?> job;

	JdbcJobFuture(JdbcJobPool pool, Job<?> job) {
		this.pool = pool;
		this.job = job;
	}

	@Override
	public long jobId() {
		return this.job.id();
	}

	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		if (isDone()) {
			return isCancelled();
		}
		return this.pool.cancel(this) && super.cancel(mayInterruptIfRunning);
	}

}
