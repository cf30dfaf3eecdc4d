package io.jobpool.benchmarks.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import io.jobpool.benchmarks.Pools;
import io.jobpool.benchmarks.Tally;
import io.jobpool.jdbc.JdbcJobPool;

/**
 * {@link JdbcJobPool}: one dispatcher of {@code workers} workers, a queue bound no round reaches (db-scheduler
 * has none), and the same poll interval as db-scheduler's. A job has ended when its future completes, which is
 * after its row is deleted.
 */
final class JobPoolQueue implements DurableQueue.Running {

	/** The pool's table, emptied between rounds. */
	static final String TABLE = "jobpool_job";

	/** The payload: the job's number, as JSON. */
	record Tick(int seq) {
	}

	private final JdbcJobPool pool;

	private final Tally tally;

	JobPoolQueue(DataSource dataSource, int workers, int jobs, Duration pollInterval, Tally tally) {
		this.tally = tally;
		this.pool = JdbcJobPool.builder(dataSource)
			.initializeSchema(true)
			.pollInterval(pollInterval)
			.build(Pools.jobPool("bench", workers, jobs).processor(Tick.class, () -> (job) -> {
			}));
		this.pool.start();
	}

	@Override
	public void submit(int seq) {
		this.pool.submit(new Tick(seq)).whenComplete((ignored, error) -> {
			if (error == null) {
				this.tally.succeeded();
			}
			else {
				this.tally.failed(error);
			}
		});
	}

	@Override
	public void close() {
		this.pool.close();
	}

}
