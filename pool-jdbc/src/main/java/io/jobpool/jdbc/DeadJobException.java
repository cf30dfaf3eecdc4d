package io.jobpool.jdbc;

/**
 * The job was set aside as dead: its last attempt failed on another instance, or its payload could not be read.
 * The message is the error stored with it.
 */
public class DeadJobException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final long jobId;

	/**
	 * Create an exception.
	 * @param jobId the dead job's id
	 * @param error the error stored with it
	 */
	public DeadJobException(long jobId, String error) {
		super("Job " + jobId + " is dead: " + error);
		this.jobId = jobId;
	}

	/** The dead job's id. */
	public long jobId() {
		return this.jobId;
	}

}
