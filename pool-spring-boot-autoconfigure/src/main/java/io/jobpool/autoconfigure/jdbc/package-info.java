/**
 * Auto-configuration of the durable job pool, on PostgreSQL.
 */
@NullMarked
package io.jobpool.autoconfigure.jdbc;

import org.jspecify.annotations.NullMarked;
