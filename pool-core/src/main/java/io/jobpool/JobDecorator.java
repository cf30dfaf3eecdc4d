package io.jobpool;

/**
 * Wraps each job's execution, called on the submitting thread when the job is submitted, so that context
 * captured there (MDC, trace, security) can be restored on the worker. Spring's {@code TaskDecorator}, for jobs.
 */
@FunctionalInterface
public interface JobDecorator {

	/**
	 * Decorate the execution of one job.
	 * @param job the job being submitted
	 * @param execution what runs the job on the worker; the returned runnable must call it
	 * @return the runnable a worker runs instead of {@code execution}
	 */
	Runnable decorate(Job<?> job, Runnable execution);

}
