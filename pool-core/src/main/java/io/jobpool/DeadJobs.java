package io.jobpool;

import java.util.List;

/**
 * A pool that keeps its dead jobs (out of attempts, or unreadable) for people to look at and run again. Durable
 * pools implement it; the {@code jobpool} endpoint and the {@code jobpool.jobs.dead} gauge read it.
 */
public interface DeadJobs {

	/** How many dead jobs the pool keeps, as last counted. */
	long deadJobCount();

	/**
	 * List dead jobs, most recent first.
	 * @param limit the most to list
	 * @return the dead jobs
	 */
	List<DeadJob> deadJobs(int limit);

	/**
	 * Put a dead job back in the queue, with a fresh retry budget.
	 * @param id the job's id
	 * @return whether a dead job of that id was requeued
	 */
	boolean requeueDeadJob(long id);

	/**
	 * Put every dead job back in the queue, with a fresh retry budget.
	 * @return how many were requeued
	 */
	int requeueDeadJobs();

}
