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

	/**
	 * Decorate the execution of one job of a given pool; this is what the pool calls. By default the pool is not
	 * needed and {@link #decorate(Job, Runnable)} decides: a decorator shared by several pools overrides this to
	 * tell their jobs apart.
	 * @param pool the pool the job is submitted to
	 * @param job the job being submitted
	 * @param execution what runs the job on the worker; the returned runnable must call it
	 * @return the runnable a worker runs instead of {@code execution}
	 */
	default Runnable decorate(JobPool pool, Job<?> job, Runnable execution) {
		return decorate(job, execution);
	}

}
