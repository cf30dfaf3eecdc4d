package io.jobpool;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one submitted job; completes when the job has run. It is a {@link CompletableFuture}, with
 * the job's id. Cancelling it before a worker takes the job means the job never runs (it then counts as
 * failed); once the job runs, cancelling has no effect on it.
 */
public abstract class JobFuture extends CompletableFuture<Void> {

	/** Create a future. */
	protected JobFuture() {
	}

	/** The id of the job, unique within its pool. */
	public abstract long jobId();

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new CompletableFuture<>();
	}

}
