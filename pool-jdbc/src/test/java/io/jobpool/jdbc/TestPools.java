package io.jobpool.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import io.jobpool.JobPoolBuilder;
import io.jobpool.jdbc.test.TestDatabase;

/**
 * Durable pools for tests: short leases and polls, so that what waits for them takes moments.
 */
final class TestPools {

	static final Duration LEASE = Duration.ofSeconds(2);

	static final Duration POLL = Duration.ofMillis(50);

	private TestPools() {
	}

	static JdbcJobPoolBuilder builder(DataSource dataSource) {
		return JdbcJobPool.builder(dataSource).lease(LEASE).pollInterval(POLL);
	}

	static JdbcJobPool start(DataSource dataSource, JobPoolBuilder pool) {
		JdbcJobPool started = builder(dataSource).build(pool);
		started.start();
		return started;
	}

	/** Rows of a pool in the table. */
	static int rows(String pool) {
		return TestDatabase.get().jdbc().queryForObject("SELECT count(*) FROM jobpool_job WHERE pool = ?",
				Integer.class, pool);
	}

	/** Rows of a pool in a state. */
	static int rows(String pool, String state) {
		return TestDatabase.get().jdbc().queryForObject(
				"SELECT count(*) FROM jobpool_job WHERE pool = ? AND state = ?", Integer.class, pool, state);
	}

}
