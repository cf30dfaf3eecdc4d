package io.jobpool.jdbc;

import java.util.Locale;

/**
 * Where a job's row stands in {@code jobpool_job}; a job that succeeded has no row.
 */
enum RowState {

	/** Waiting to be claimed once its {@code run_at} has come: new, retrying after a backoff, or given back. */
	READY,

	/** Claimed by the pool in {@code owner}, under a lease until {@code lease_until}; {@code attempt} fences it. */
	RUNNING,

	/** Set aside: out of attempts, unreadable, or its lease expired too often. Kept until requeued. */
	DEAD;

	/** The value stored in the {@code state} column. */
	String column() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The value as an SQL literal. */
	String sql() {
		return "'" + column() + "'";
	}

	static RowState of(String column) {
		return valueOf(column.toUpperCase(Locale.ROOT));
	}

}
