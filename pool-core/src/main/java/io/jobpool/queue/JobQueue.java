package io.jobpool.queue;

import org.jspecify.annotations.Nullable;

/**
 * Where accepted jobs wait for a worker. The pool decides when to wait and whom to wake; a queue only
 * stores, in FIFO order, and never blocks. Implementations must be safe for many producers and consumers.
 *
 * @param <E> the element type
 */
public interface JobQueue<E> {

	/**
	 * Add a new job at the tail, if there is room.
	 * @param element the job
	 * @return whether it was added; {@code false} when the queue holds {@link #capacity()} jobs
	 */
	boolean offer(E element);

	/**
	 * Put back a job for another attempt. It goes ahead of new jobs and is never refused: the pool bounds how
	 * many jobs are retrying.
	 * @param element the job
	 */
	void requeue(E element);

	/**
	 * Take the next job: put-back jobs first, then the oldest new one.
	 * @return the job, or {@code null} when none waits
	 */
	@Nullable E poll();

	/** Jobs waiting now. */
	int size();

	/** How many new jobs the queue holds at most. */
	int capacity();

}
