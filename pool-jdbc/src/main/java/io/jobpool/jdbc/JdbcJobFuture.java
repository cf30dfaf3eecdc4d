package io.jobpool.jdbc;

import java.util.concurrent.atomic.AtomicBoolean;

import io.jobpool.Job;
import io.jobpool.JobFuture;

/**
 * The future of a job submitted to a durable pool. Cancelling it deletes the job if no worker has claimed it.
 */
final class JdbcJobFuture extends JobFuture {

	private final TableIntake intake;

	final Job<?> job;

	private final AtomicBoolean ended = new AtomicBoolean();

	JdbcJobFuture(TableIntake intake, Job<?> job) {
		this.intake = intake;
		this.job = job;
	}

	/** Take the right to end this future: true for the one caller that ends it, so it can count before it does. */
	boolean end() {
		return this.ended.compareAndSet(false, true);
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
		return this.intake.cancel(this) && super.cancel(mayInterruptIfRunning);
	}

}
