package io.jobpool.benchmarks.jdbc;

import java.time.Duration;
import java.util.Locale;

import javax.sql.DataSource;

import io.jobpool.benchmarks.Tally;

/**
 * The durable queues under test, each run on the shared database with the same workers and poll interval. The
 * command line and the raw results name them by their constants' names; the report shows their descriptions.
 */
public enum DurableQueue {

	/** {@link io.jobpool.jdbc.JdbcJobPool}. */
	JOBPOOL("JdbcJobPool (SKIP LOCKED claims, batched deletes)", JobPoolQueue.TABLE) {
		@Override
		Running open(DataSource dataSource, int workers, int jobs, Duration pollInterval, Tally tally) {
			return new JobPoolQueue(dataSource, workers, jobs, pollInterval, tally);
		}
	},

	/** db-scheduler with its default polling. */
	DB_SCHEDULER_FETCH("db-scheduler, fetch-and-lock-on-execute (its default)", DbSchedulerQueue.TABLE) {
		@Override
		Running open(DataSource dataSource, int workers, int jobs, Duration pollInterval, Tally tally) {
			return new DbSchedulerQueue(dataSource, workers, pollInterval, false, tally);
		}
	},

	/** db-scheduler polling with lock-and-fetch, as its documentation advises for high throughput. */
	DB_SCHEDULER_LOCK_AND_FETCH(String.format(Locale.ROOT, "db-scheduler, lock-and-fetch (SKIP LOCKED, %.1f / %.1f)",
			DbSchedulerQueue.LOWER_LIMIT, DbSchedulerQueue.UPPER_LIMIT), DbSchedulerQueue.TABLE) {
		@Override
		Running open(DataSource dataSource, int workers, int jobs, Duration pollInterval, Tally tally) {
			return new DbSchedulerQueue(dataSource, workers, pollInterval, true, tally);
		}
	};

	private final String description;

	private final String table;

	DurableQueue(String description, String table) {
		this.description = description;
		this.table = table;
	}

	/** What this queue is, for tables. */
	public String description() {
		return this.description;
	}

	/** The table that holds this queue's jobs. */
	String table() {
		return this.table;
	}

	/**
	 * Start this queue.
	 * @param dataSource the database
	 * @param workers threads that run jobs
	 * @param jobs jobs a round submits
	 * @param pollInterval how often it looks for due jobs
	 * @param tally where each job that ended is counted
	 * @return the started queue
	 */
	abstract Running open(DataSource dataSource, int workers, int jobs, Duration pollInterval, Tally tally);

	/** One durable queue, started: submit a no-op job, and count each job that ended in the {@link Tally}. */
	interface Running extends AutoCloseable {

		/**
		 * Store one job; it runs on the queue's workers.
		 * @param seq the job's number in this round, unique within it
		 */
		void submit(int seq);

		/** Stop the queue, letting the jobs it runs end. */
		@Override
		void close();

	}

}
