package io.jobpool;

/**
 * Completes the future of a job that a forced stop handed back without running it.
 */
public class JobHandedBackException extends RuntimeException {

	private final transient Job<?> job;

	/**
	 * Create an exception.
	 * @param job the job handed back
	 */
	public JobHandedBackException(Job<?> job) {
		super(job + " was handed back unprocessed: the pool stopped before it ran", null, false, false);
		this.job = job;
	}

	/** The job handed back; its payload can be submitted elsewhere. */
	public Job<?> job() {
		return this.job;
	}

}
