package io.jobpool.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.jdbc.JobTable.StoredJob;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue table fills from nearly empty to deep within seconds. The statements a durable pool runs over and over
 * (claims, deletes) are planned for the table as it is when they run, not once while it was small: such a plan
 * reads the whole table with a sequential scan once it is deep. Each test runs on one connection, in one
 * transaction, in a schema of its own, and reads that transaction's scans of the table.
 */
class PlannedPerRunTests {

	private static final String SCHEMA = "planned_per_run_" + ProcessHandle.current().pid();

	private static final String POOL = "orders";

	private static final String[] TYPES = { "order-placed" };

	private static final String OWNER = "orders@test";

	// More than the runs after which the PostgreSQL driver prepares a statement on the server (5).
	private static final int RUNS_WHILE_SMALL = 10;

	private static final int DEEP = 50_000;

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	private TransactionTemplate transaction;

	@BeforeEach
	void createTheTable() {
		this.dataSource = TestDatabase.get().dataSource(1, SCHEMA);
		this.jdbc = new JdbcTemplate(this.dataSource);
		new ResourceDatabasePopulator(new ClassPathResource(Schema.SCRIPT)).execute(this.dataSource);
		this.transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
	}

	@AfterEach
	void dropTheTable() {
		this.dataSource.close();
		TestDatabase.get().jdbc().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
	}

	@Test
	void claimsAndDeletesRunWhileTheTableWasSmallStayOnTheirIndexesOnceItIsDeep() {
		JobTable table = new JobTable(this.dataSource, POOL, Clock.systemUTC());
		this.transaction.executeWithoutResult((status) -> {
			fill(RUNS_WHILE_SMALL);
			for (int run = 0; run < RUNS_WHILE_SMALL; run++) {
				table.succeed(claimed(table.claim(OWNER, Duration.ofMinutes(1), TYPES, 1)));
			}
			fill(DEEP);
			long before = sequentialScans();
			for (int run = 0; run < RUNS_WHILE_SMALL; run++) {
				List<ClaimedRun> runs = claimed(table.claim(OWNER, Duration.ofMinutes(1), TYPES, 8));
				assertThat(runs).hasSize(8);
				assertThat(table.succeed(runs)).hasSize(8);
			}
			assertThat(sequentialScans() - before).as("sequential scans of the deep table").isZero();
		});
	}

	@Test
	void aClaimPreparedOnTheServerWhileTheTableWasSmallReadsItWholeOnceItIsDeep() {
		this.transaction.executeWithoutResult((status) -> {
			fill(RUNS_WHILE_SMALL);
			for (int run = 0; run < RUNS_WHILE_SMALL; run++) {
				claimWithAPlainTemplate(1);
			}
			fill(DEEP);
			long before = sequentialScans();
			claimWithAPlainTemplate(8);
			assertThat(sequentialScans() - before).as("sequential scans of the deep table, by a plan kept from "
					+ "when it was small: what the pool's statements must not do").isPositive();
		});
	}

	private void claimWithAPlainTemplate(int max) {
		var now = JobTable.timestamp(Clock.systemUTC().instant());
		this.jdbc.queryForList(JobTable.CLAIM, OWNER, 60_000L, POOL, now, TYPES, max, now);
	}

	private void fill(int jobs) {
		this.jdbc.update("INSERT INTO jobpool_job (pool, type, payload) SELECT ?, ?, jsonb_build_object('order', g)"
				+ " FROM generate_series(1, ?) g", POOL, TYPES[0], jobs);
	}

	private long sequentialScans() {
		return this.jdbc.queryForObject("SELECT seq_scan FROM pg_stat_xact_user_tables"
				+ " WHERE schemaname = ? AND relname = 'jobpool_job'", Long.class, SCHEMA);
	}

	private static List<ClaimedRun> claimed(List<StoredJob> rows) {
		return rows.stream().map((row) -> new ClaimedRun(row.id(), row.attempt(), row.failures(), 0, 0)).toList();
	}

}
