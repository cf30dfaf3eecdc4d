package io.jobpool;

import java.time.Duration;

/**
 * Fails a job that ran longer than the pool's job timeout. Its worker was interrupted; the job may be retried.
 */
public class JobTimeoutException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param job the job that timed out
	 * @param timeout the timeout it exceeded
	 */
	public JobTimeoutException(Job<?> job, Duration timeout) {
		super(job + " did not finish within its timeout of " + timeout);
	}

}
