package io.jobpool.benchmarks.jdbc;

/** One durable queue under test, started: submit a no-op job, and report each job that ended to a {@link Tally}. */
interface DurableQueue extends AutoCloseable {

	/**
	 * Store one job; it runs on the queue's workers.
	 * @param seq the job's number in this round, unique within it
	 */
	void submit(int seq);

	/** Stop the queue, letting the jobs it runs end. */
	@Override
	void close();

}
