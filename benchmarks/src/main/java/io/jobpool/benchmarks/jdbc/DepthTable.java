package io.jobpool.benchmarks.jdbc;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The {@code jobpool_job} table of {@link DepthMain}, filled in SQL, many rows a statement: ready rows of a pool as
 * it would have stored them, and the traces a million jobs leave once they have run. Its rows' payloads are those
 * of {@link JobPoolQueue.Tick}, stored under its type name, with negative numbers, so that a job shows whether it
 * was loaded here or submitted.
 */
final class DepthTable {

	static final String TABLE = "jobpool_job";

	private static final String SCHEMA_SCRIPT = "io/jobpool/jdbc/schema-postgresql.sql";

	private static final String TYPE = JobPoolQueue.Tick.class.getSimpleName();

	// Due rows, oldest first from three hours back plus a millisecond a row: older than any job submitted later.
	private static final String READY = "WITH inserted AS (INSERT INTO " + TABLE + " (pool, type, payload, run_at)"
			+ " SELECT ?, '" + TYPE + "', jsonb_build_object('seq', -g),"
			+ " now() - interval '3 hours' + (? + g) * interval '1 millisecond' FROM generate_series(1, ?) g"
			+ " RETURNING id) SELECT min(id), max(id) FROM inserted";

	// As a claim leaves rows: running, under a lease, their attempt raised.
	private static final String CLAIMED = "UPDATE " + TABLE + " SET state = 'running', attempt = attempt + 1,"
			+ " owner = 'churn', lease_until = now() + interval '30 seconds' WHERE id BETWEEN ? AND ?";

	// As the deletes of jobs that succeeded leave them.
	private static final String SUCCEEDED = "DELETE FROM " + TABLE + " WHERE id BETWEEN ? AND ?";

	private static final String STATISTICS = "SELECT n_dead_tup, autovacuum_count, pg_relation_size(relid),"
			+ " pg_relation_size('jobpool_job_ready') FROM pg_stat_user_tables WHERE relname = '" + TABLE + "'";

	// How often PostgreSQL 14's statistics collector writes what it gathered, at most.
	private static final long STATISTICS_INTERVAL_MILLIS = 500;

	private final JdbcTemplate jdbc;

	private final String pool;

	// How many rows were loaded, so that each load's rows come after the last one's.
	private long loaded;

	DepthTable(DataSource dataSource, String pool) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.pool = pool;
		new ResourceDatabasePopulator(new ClassPathResource(SCHEMA_SCRIPT)).execute(dataSource);
	}

	/** Load this many due rows, each after the rows loaded before; the first and last ids. */
	long[] loadReady(int rows) {
		Map<String, Object> ids = this.jdbc.queryForMap(READY, this.pool, this.loaded, rows);
		this.loaded += rows;
		return new long[] { ((Number) ids.get("min")).longValue(), ((Number) ids.get("max")).longValue() };
	}

	/**
	 * Run this many jobs through the table as the pool would, a batch at a time: insert the batch's rows, claim
	 * them, delete them. Autovacuum does meanwhile what it would.
	 */
	void churn(int rows, int batch) {
		for (int done = 0; done < rows; done += batch) {
			long[] ids = loadReady(Math.min(batch, rows - done));
			this.jdbc.update(CLAIMED, ids[0], ids[1]);
			this.jdbc.update(SUCCEEDED, ids[0], ids[1]);
		}
	}

	/**
	 * Wait for a run of autovacuum on the table that starts from now, one under way being too early, to end.
	 * @param timeout the longest to wait
	 * @return whether one ended in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean awaitAutovacuum(Duration timeout) throws InterruptedException {
		long runs = statistics().autovacuums() + (vacuumUnderWay() ? 2 : 1);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (statistics().autovacuums() < runs) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			Thread.sleep(STATISTICS_INTERVAL_MILLIS);
		}
		return true;
	}

	/** Whether a vacuum of the table is under way. */
	boolean vacuumUnderWay() {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pg_stat_progress_vacuum"
				+ " WHERE relid = '" + TABLE + "'::regclass)", Boolean.class));
	}

	/** Update the planner's statistics, as autovacuum's analyse would, and write the buffers out. */
	void settle() {
		this.jdbc.execute("ANALYZE " + TABLE);
		this.jdbc.execute("CHECKPOINT");
	}

	/** What the statistics collector says of the table now. */
	Statistics statistics() {
		return this.jdbc.queryForObject(STATISTICS, (row, index) -> new Statistics(row.getLong(1), row.getLong(2),
				row.getLong(3), row.getLong(4)));
	}

	/**
	 * The table as the statistics collector sees it.
	 * @param deadRows estimated dead row versions not yet vacuumed
	 * @param autovacuums autovacuum runs since the server started
	 * @param tableBytes the size of the table
	 * @param readyIndexBytes the size of the index of ready rows
	 */
	record Statistics(long deadRows, long autovacuums, long tableBytes, long readyIndexBytes) {
	}

}
