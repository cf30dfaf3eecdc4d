package io.jobpool.jdbc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans of every statement a durable pool runs, on a table as deep as a busy queue's, in a schema of their own:
 * each must reach its rows through an index, never read {@code jobpool_job} whole, in the plan made for its
 * parameters and in the generic plan a server-side prepared statement may settle on (pgjdbc prepares a statement
 * on the server from its fifth run).
 */
class QueryPlanTests {

	private static final String SCHEMA = "query_plans_" + ProcessHandle.current().pid();

	private static final String POOL = "orders";

	private static final String[] TYPES = { "order-placed", "invoice-due" };

	private static final int QUEUE_SIZE = 1000;

	// A pool's ready, scheduled, retrying, running and dead rows, and the ready and dead rows of three more pools.
	// The running rows are as few as one instance's workers: the planner may then prefer to read their whole index.
	private static final List<String> FILL = List.of("""
			INSERT INTO jobpool_job (pool, type, payload, run_at, created_at, idempotency_key)
			SELECT 'orders', CASE WHEN g % 7 = 0 THEN 'invoice-due' ELSE 'order-placed' END,
				jsonb_build_object('order', g, 'customer', 'customer-' || g % 1000),
				now() - interval '1 hour' + g * interval '30 milliseconds', now() - interval '1 hour',
				CASE WHEN g % 10 = 0 THEN 'order-' || g END
			FROM generate_series(1, 100000) g
			""", """
			INSERT INTO jobpool_job (pool, type, payload, run_at)
			SELECT 'orders', 'retired-type', '{}', now() - interval '2 hours' FROM generate_series(1, 20) g
			""", """
			INSERT INTO jobpool_job (pool, type, payload, run_at)
			SELECT 'orders', 'order-placed', jsonb_build_object('order', g), now() + g * interval '1 second'
			FROM generate_series(1, 20000) g
			""", """
			INSERT INTO jobpool_job (pool, type, payload, run_at, attempt, failures, last_error)
			SELECT 'orders', 'order-placed', jsonb_build_object('order', g),
				now() - interval '5 minutes' + g * interval '300 milliseconds', 1 + g % 3, 1 + g % 3, 'timeout'
			FROM generate_series(1, 2000) g
			""", """
			INSERT INTO jobpool_job (pool, type, payload, state, attempt, owner, lease_until)
			SELECT 'orders', 'order-placed', jsonb_build_object('order', g), 'running', 1, 'orders@host-' || g % 4,
				now() + CASE WHEN g = 8 THEN interval '-10 seconds' ELSE interval '20 seconds' END
			FROM generate_series(1, 8) g
			""", """
			INSERT INTO jobpool_job (pool, type, payload, state, attempt, failures, failed_at, last_error)
			SELECT 'orders', 'order-placed', jsonb_build_object('order', g), 'dead', 3, 3,
				now() - g * interval '1 minute', 'java.lang.IllegalStateException: no stock'
			FROM generate_series(1, 10000) g
			""", """
			INSERT INTO jobpool_job (pool, type, payload, run_at)
			SELECT 'pool-' || g % 3, 'report', jsonb_build_object('report', g),
				now() - interval '1 hour' + g * interval '40 milliseconds'
			FROM generate_series(1, 80000) g
			""", """
			INSERT INTO jobpool_job (pool, type, payload, state, attempt, failures, failed_at)
			SELECT 'pool-' || g % 3, 'report', jsonb_build_object('report', g), 'dead', 3, 3,
				now() - g * interval '1 minute'
			FROM generate_series(1, 5000) g
			""", """
			INSERT INTO jobpool_recurring (pool, name, last_slot, last_job_id)
			SELECT 'pool-' || g % 50, 'job-' || g, now() - g * interval '1 minute', g FROM generate_series(1, 2000) g
			""", "ANALYZE jobpool_job", "ANALYZE jobpool_recurring");

	private static HikariDataSource dataSource;

	private static JdbcTemplate jdbc;

	@BeforeAll
	static void fillTheTable() {
		dataSource = TestDatabase.get().dataSource(2, SCHEMA);
		jdbc = new JdbcTemplate(dataSource);
		new ResourceDatabasePopulator(new ClassPathResource(Schema.SCRIPT)).execute(dataSource);
		FILL.forEach(jdbc::execute);
	}

	@AfterAll
	static void dropTheTable() {
		if (dataSource != null) {
			dataSource.close();
			TestDatabase.get().jdbc().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
	}

	static Stream<Statement> statements() {
		OffsetDateTime now = JobTable.timestamp(Instant.now());
		long[] running = ids("state = 'running'");
		int[] attempts = new int[running.length];
		Arrays.fill(attempts, 1);
		long runningId = running[0];
		long readyId = ids("state = 'ready' AND failures = 0 LIMIT 1")[0];
		long deadId = ids("state = 'dead' LIMIT 1")[0];
		long[] submitted = LongStream.concat(Arrays.stream(running), Arrays.stream(ids("true LIMIT 1000")))
			.toArray();
		String lease = "30000";
		return Stream.of(
				new Statement("insert", JobTable.INSERT, POOL, TYPES[0], "{\"order\": 1}", now),
				new Statement("insert once", JobTable.INSERT_ONCE, POOL, TYPES[0], "{\"order\": 1}", now, "order-10"),
				new Statement("find by key", JobTable.FIND_BY_KEY, POOL, "order-10"),
				new Statement("claim", JobTable.CLAIM, "orders@here", Long.valueOf(lease), POOL, now, TYPES, 8, now),
				new Statement("succeed", JobTable.SUCCEED, running, attempts, running),
				new Statement("retry", JobTable.RETRY, now.plusSeconds(10), "timeout", runningId, 1),
				new Statement("bury", JobTable.BURY, 1, "no stock", runningId, 1),
				new Statement("release", JobTable.RELEASE, runningId, 1),
				new Statement("heartbeat", JobTable.HEARTBEAT, Long.valueOf(lease), running, attempts, running),
				new Statement("reap", JobTable.REAP, 3, 3, 3, POOL),
				new Statement("counts", JobTable.COUNTS, POOL, now, QUEUE_SIZE, POOL, now, QUEUE_SIZE, POOL, QUEUE_SIZE,
						POOL, JobTable.DEAD_COUNT_LIMIT, POOL, now, QUEUE_SIZE),
				new Statement("counts, the capacity beyond the depth", JobTable.COUNTS, POOL, now, 1_000_000, POOL,
						now, 1_000_000, POOL, 1_000_000, POOL, JobTable.DEAD_COUNT_LIMIT, POOL, now, 1_000_000),
				new Statement("pending", JobTable.PENDING, POOL, now, QUEUE_SIZE, POOL, now, QUEUE_SIZE),
				new Statement("scheduled", JobTable.SCHEDULED, POOL, now, QUEUE_SIZE),
				new Statement("unknown types", JobTable.UNKNOWN_TYPES, POOL, now, JobTable.UNKNOWN_TYPES_AHEAD, TYPES),
				new Statement("dead listing", JobTable.DEAD, JobTable.SHOWN_LENGTH, JobTable.SHOWN_LENGTH, POOL, 20),
				new Statement("requeue one", JobTable.REQUEUE + " AND id = ?", now, POOL, deadId),
				new Statement("requeue all", JobTable.REQUEUE, now, POOL),
				new Statement("states", JobTable.STATES, submitted),
				new Statement("unended", JobTable.UNENDED, runningId),
				new Statement("cancel", JobTable.CANCEL, readyId),
				new Statement("last slot", RecurringSlots.LAST_SLOT, "pool-7", "job-7"),
				new Statement("claim slot", RecurringSlots.CLAIM, "pool-7", "job-7", now),
				new Statement("slot ran as", RecurringSlots.RAN_AS, runningId, "pool-7", "job-7"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("statements")
	void eachStatementReachesItsRowsThroughAnIndex(Statement statement) {
		QueryPlan plan = new QueryPlan(jdbc.queryForObject("EXPLAIN (FORMAT JSON) " + statement.sql(), String.class,
				statement.parameters()));
		assertThat(plan.fullScans()).as("full scans in the plan of '%s' for its parameters:%n%s", statement, plan)
			.isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("statements")
	void eachStatementStaysOnAnIndexInAGenericPlan(Statement statement) {
		QueryPlan plan = genericPlan(statement);
		assertThat(plan.fullScans()).as("full scans in the generic plan of '%s':%n%s", statement, plan).isEmpty();
	}

	@Test
	void aSequentialScanIsCaught() {
		QueryPlan plan = new QueryPlan(jdbc.queryForObject(
				"EXPLAIN (FORMAT JSON) SELECT id FROM jobpool_job WHERE payload ->> 'customer' = ?", String.class,
				"customer-7"));
		assertThat(plan.fullScans()).containsExactly("a sequential scan of jobpool_job");
	}

	@Test
	void aScanOfAWholeIndexIsCaught() {
		QueryPlan plan = new QueryPlan(jdbc.queryForObject(
				"EXPLAIN (FORMAT JSON) SELECT id FROM jobpool_job WHERE state = 'running' AND owner = ?", String.class,
				"orders@host-1"));
		assertThat(plan.fullScans()).singleElement().asString().startsWith("a full scan of index jobpool_job_running");
	}

	@Test
	void theTableIsDeepEnoughForThePlannerToPreferIndexes() {
		assertThat(jdbc.queryForObject("SELECT count(*) FROM jobpool_job", Long.class)).isGreaterThan(200_000);
	}

	/** The generic plan of a statement, which a server-side prepared statement may use for any parameters. */
	private static QueryPlan genericPlan(Statement statement) {
		return new QueryPlan(jdbc.execute((ConnectionCallback<String>) (connection) -> {
			JdbcTemplate session = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
			session.execute("SET plan_cache_mode = force_generic_plan");
			try {
				session.execute("PREPARE checked (" + statement.parameterTypes() + ") AS " + statement.numbered());
				return session.queryForObject("EXPLAIN (FORMAT JSON) EXECUTE checked (" + statement.literals() + ")",
						String.class);
			}
			finally {
				session.execute("DEALLOCATE checked");
				session.execute("RESET plan_cache_mode");
			}
		}));
	}

	private static long[] ids(String condition) {
		return jdbc.queryForList("SELECT id FROM jobpool_job WHERE pool = '" + POOL + "' AND " + condition, Long.class)
			.stream()
			.mapToLong(Long::longValue)
			.toArray();
	}

	/**
	 * A statement of the pool with parameters such as it runs it with.
	 * @param name what it does
	 * @param sql its text, parameters as {@code ?}
	 * @param parameters its parameters, of the Java types the pool binds
	 */
	record Statement(String name, String sql, Object... parameters) {

		/** The text with its parameters numbered, {@code $1} on. */
		String numbered() {
			String[] parts = (this.sql + " ").split("\\?");
			StringBuilder numbered = new StringBuilder(parts[0]);
			for (int i = 1; i < parts.length; i++) {
				numbered.append('$').append(i).append(parts[i]);
			}
			return numbered.toString().trim();
		}

		/** The SQL types pgjdbc binds the parameters as. */
		String parameterTypes() {
			return Arrays.stream(this.parameters).map(Statement::sqlType).collect(Collectors.joining(", "));
		}

		/** The parameters as SQL literals. */
		String literals() {
			return Arrays.stream(this.parameters).map(Statement::literal).collect(Collectors.joining(", "));
		}

		private static String sqlType(Object parameter) {
			if (parameter instanceof String) {
				return "text";
			}
			if (parameter instanceof Integer) {
				return "integer";
			}
			if (parameter instanceof Long) {
				return "bigint";
			}
			if (parameter instanceof OffsetDateTime) {
				return "timestamptz";
			}
			if (parameter instanceof String[]) {
				return "text[]";
			}
			if (parameter instanceof long[]) {
				return "bigint[]";
			}
			if (parameter instanceof int[]) {
				return "integer[]";
			}
			throw new IllegalArgumentException("No SQL type for " + parameter.getClass());
		}

		private static String literal(Object parameter) {
			if (parameter instanceof Number) {
				return parameter.toString();
			}
			if (parameter instanceof String[] texts) {
				return quote(Arrays.stream(texts)
					.map((text) -> "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
					.collect(Collectors.joining(",", "{", "}")));
			}
			if (parameter instanceof long[] numbers) {
				return quote(Arrays.stream(numbers).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}")));
			}
			if (parameter instanceof int[] numbers) {
				return quote(Arrays.stream(numbers).mapToObj(Integer::toString).collect(Collectors.joining(",", "{", "}")));
			}
			return quote(parameter.toString());
		}

		private static String quote(String text) {
			return "'" + text.replace("'", "''") + "'";
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
