package io.jobpool.jdbc;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

/**
 * How a durable pool uses its database, validated by {@link JdbcJobPoolBuilder}.
 *
 * @param dataSource the database
 * @param json writes and reads payloads
 * @param typeNames payload type names given in code
 * @param lease how long a claim holds without a heartbeat
 * @param pollInterval how often to look for jobs when idle, and to look after the table
 * @param initializeSchema whether to create the table when it is missing
 * @param notifications whether to notify other instances of ready jobs, and listen for theirs
 */
record JdbcOptions(DataSource dataSource, JsonMapper json, Map<Class<?>, String> typeNames, Duration lease,
		Duration pollInterval, boolean initializeSchema, boolean notifications) {
}
