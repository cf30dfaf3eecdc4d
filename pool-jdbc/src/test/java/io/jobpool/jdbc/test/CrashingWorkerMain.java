package io.jobpool.jdbc.test;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.jdbc.JdbcJobPool;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A worker JVM for the crash-recovery tests: runs a durable pool on the test database that records each job it
 * starts in {@value #RUNS_TABLE} and then blocks, so its jobs are mid-run when the test kills it.
 * <p>
 * Arguments: the pool's name, its number of workers, its lease and its poll interval in milliseconds. The
 * database is the one {@link TestDatabase#URL_VARIABLE} and its companions point at.
 */
public final class CrashingWorkerMain {

	/** Where each run of a job is recorded: by pool, job, attempt, owner and when it started. */
	public static final String RUNS_TABLE = "crash_test_runs";

	private CrashingWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		String name = args[0];
		int workers = Integer.parseInt(args[1]);
		Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
		Duration pollInterval = Duration.ofMillis(Long.parseLong(args[3]));
		TestDatabase database = TestDatabase.get();
		JdbcTemplate jdbc = database.jdbc();
		AtomicReference<JdbcJobPool> self = new AtomicReference<>();
		JdbcJobPool pool = JdbcJobPool.builder(database.dataSource())
			.lease(lease)
			.pollInterval(pollInterval)
			.build(JobPool.builder().name(name).workerNum(workers).processor(Task.class, () -> (job) -> {
				recordRun(jdbc, name, job, self.get().owner());
				new CountDownLatch(1).await();
			}));
		self.set(pool);
		pool.start();
		System.out.println("Pool '" + name + "' claims jobs as " + pool.owner());
		Thread.currentThread().join();
	}

	/** Create the table of runs unless it exists. */
	public static void createRunsTable(JdbcTemplate jdbc) {
		jdbc.execute("CREATE TABLE IF NOT EXISTS " + RUNS_TABLE + " (pool text NOT NULL, job_id bigint NOT NULL,"
				+ " attempt integer NOT NULL, owner text NOT NULL,"
				+ " started_at timestamptz NOT NULL DEFAULT clock_timestamp())");
	}

	/** Record that a job started, committed before the processor goes on. */
	public static void recordRun(JdbcTemplate jdbc, String pool, Job<?> job, String owner) {
		jdbc.update("INSERT INTO " + RUNS_TABLE + " (pool, job_id, attempt, owner) VALUES (?, ?, ?, ?)", pool,
				job.id(), job.attempt(), owner);
	}

	/** The runs recorded for a pool, in the order they started. */
	public static List<Run> runs(JdbcTemplate jdbc, String pool) {
		return jdbc.query("SELECT job_id, attempt, owner, started_at FROM " + RUNS_TABLE
				+ " WHERE pool = ? ORDER BY started_at, job_id", CrashingWorkerMain::run, pool);
	}

	private static Run run(ResultSet row, int index) throws SQLException {
		return new Run(row.getLong(1), row.getInt(2), row.getString(3), row.getTimestamp(4).toInstant());
	}

	/**
	 * The payload of the jobs.
	 * @param number which job it is
	 */
	public record Task(int number) {
	}

	/**
	 * A run of a job, as its processor recorded it.
	 * @param jobId the job
	 * @param attempt the claim it ran under
	 * @param owner the pool instance that ran it
	 * @param startedAt when it started, by the database's clock
	 */
	public record Run(long jobId, int attempt, String owner, Instant startedAt) {
	}

}
