package io.jobpool;

/**
 * Thrown by {@link JobPool#submit} and {@link JobPool#trySubmit} instead of accepting a job the pool cannot keep.
 */
public class JobRejectedException extends RuntimeException {

	private final Reason reason;

	/**
	 * Create an exception.
	 * @param reason why the job was rejected
	 * @param message a message naming what was rejected and why
	 */
	public JobRejectedException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Create an exception with its cause.
	 * @param reason why the job was rejected
	 * @param message a message naming what was rejected and why
	 * @param cause what made the pool reject it
	 */
	public JobRejectedException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/** Why the job was rejected. */
	public Reason reason() {
		return this.reason;
	}

	/** Why a pool rejects a job. */
	public enum Reason {

		/** The queue stayed full for as long as the caller was willing to wait. */
		QUEUE_FULL,

		/** The pool is not started, is closing or is closed. */
		NOT_RUNNING,

		/** No processor is registered for the payload's type. */
		NO_PROCESSOR,

		/** The submitting thread was interrupted while it waited for room. */
		INTERRUPTED,

		/** The store that keeps the pool's jobs (a database) failed or could not be reached; the cause says why. */
		STORE_UNAVAILABLE,

		/** The payload cannot be stored as it is, for example a string a database cannot hold; nothing was stored. */
		INVALID_PAYLOAD;

		/** The name used in metric tags: lower case, with dashes. */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}
