/**
 * The durable job queue: {@link io.jobpool.jdbc.JdbcJobPool}, a job pool whose queue is a PostgreSQL table shared
 * by every instance, with leases, fenced completions, retries and dead jobs in the table.
 */
@NullMarked
package io.jobpool.jdbc;

import org.jspecify.annotations.NullMarked;
