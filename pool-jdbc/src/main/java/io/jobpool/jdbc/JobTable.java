package io.jobpool.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import io.jobpool.DeadJob;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the durable queue: one row per job in {@code jobpool_job}, in a {@link RowState}; a job that succeeds
 * is deleted. Every change to a claimed job is fenced by its id and attempt, so a worker that lost its lease changes
 * nothing.
 * <p>
 * A row's {@code run_at} is written and compared on the pool's clock, passed in as a parameter, never the
 * database's {@code now()}: a row is due when {@code run_at} is not after the instant of the clock of the instance
 * that looks. Leases are the database's own business and stay on {@code now()}. A ready row that never failed and
 * whose {@code run_at} is still to come waits for its time: it was submitted for later, and counts in the schedule
 * rather than the queue; a ready row that failed waits for its retry, and counts in the queue.
 */
final class JobTable {

	static final String TABLE = "jobpool_job";

	/** The most characters of a dead job's payload or error a listing shows. */
	static final int SHOWN_LENGTH = 2000;

	/** The most dead jobs a count counts. */
	static final int DEAD_COUNT_LIMIT = 100_000;

	/** How many of the due jobs that claims reach first are looked at for types no processor here takes. */
	static final int UNKNOWN_TYPES_AHEAD = 1000;

	private static final int ERROR_LENGTH = 4000;

	private static final String READY = RowState.READY.sql();

	private static final String RUNNING = RowState.RUNNING.sql();

	private static final String DEAD_STATE = RowState.DEAD.sql();

	// A ready row waits for its time while this holds, its run_at compared with the clock's instant.
	private static final String WAITS_FOR_ITS_TIME = "failures = 0 AND run_at > ?";

	// A row still running, tested as neither ready nor dead (the only other states), which matches no partial
	// index's predicate: so every plan finds the row by its id. Tested as running, a plan may read the whole index
	// of running rows instead, as the planner does when it holds few, and that index holds an entry for every job
	// claimed since the last vacuum.
	private static final String STILL_RUNNING = "state <> " + READY + " AND state <> " + DEAD_STATE;

	static final String INSERT = "INSERT INTO " + TABLE
			+ " (pool, type, payload, run_at) VALUES (?, ?, ?::jsonb, ?) RETURNING id";

	// Ids are drawn in the order of the rows given, so the k-th smallest id returned is the k-th row's.
	static final String INSERT_ALL = "INSERT INTO " + TABLE + " (pool, type, payload, run_at)"
			+ " SELECT ?, r.type, r.payload::jsonb, timestamptz 'epoch' + r.run_at * interval '1 microsecond'"
			+ " FROM unnest(?::text[], ?::text[], ?::bigint[]) WITH ORDINALITY AS r(type, payload, run_at, n)"
			+ " ORDER BY r.n RETURNING id";

	static final String INSERT_ONCE = "INSERT INTO " + TABLE
			+ " (pool, type, payload, run_at, idempotency_key) VALUES (?, ?, ?::jsonb, ?, ?)"
			+ " ON CONFLICT (pool, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id";

	static final String FIND_BY_KEY = "SELECT id FROM " + TABLE + " WHERE pool = ? AND idempotency_key = ?";

	// The ids to claim are taken as an array, so that every plan, cached generic ones included, updates them
	// through the primary key: as a join, a generic plan (its LIMIT unknown) hashes the whole table.
	static final String CLAIM = "UPDATE " + TABLE + " j SET state = " + RUNNING + ", attempt = j.attempt + 1,"
			+ " owner = ?, lease_until = now() + ? * interval '1 millisecond'"
			+ " WHERE j.id = ANY(ARRAY(SELECT id FROM " + TABLE + " WHERE pool = ? AND state = " + READY
			+ " AND run_at <= ? AND type = ANY(?) ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED))"
			+ " RETURNING j.id, j.type, j.payload::text, j.attempt, j.failures, j.created_at, j.run_at,"
			+ " (extract(epoch FROM (?::timestamptz - j.run_at)) * 1000000)::bigint";

	// "t.id = ANY" keeps every plan, cached ones included, on the primary key.
	static final String SUCCEED = "DELETE FROM " + TABLE + " t USING unnest(?::bigint[], ?::int[]) AS d(id, attempt)"
			+ " WHERE t.id = ANY(?::bigint[]) AND t.id = d.id AND t.attempt = d.attempt AND " + STILL_RUNNING
			+ " RETURNING t.id";

	static final String RETRY = "UPDATE " + TABLE + " SET state = " + READY + ", owner = NULL,"
			+ " lease_until = NULL, failures = failures + 1, run_at = ?,"
			+ " last_error = ? WHERE id = ? AND attempt = ? AND " + STILL_RUNNING;

	static final String BURY = "UPDATE " + TABLE + " SET state = " + DEAD_STATE + ", owner = NULL,"
			+ " lease_until = NULL, failures = failures + ?, failed_at = now(), last_error = ?"
			+ " WHERE id = ? AND attempt = ? AND " + STILL_RUNNING;

	static final String RELEASE = "UPDATE " + TABLE + " SET state = " + READY + ", owner = NULL,"
			+ " lease_until = NULL WHERE id = ? AND attempt = ? AND " + STILL_RUNNING;

	// Renews only the claims given, and skips rows another statement holds (a job being completed right now), so
	// it never waits, nor deadlocks.
	static final String HEARTBEAT = "UPDATE " + TABLE + " SET lease_until = now() + ? * interval '1 millisecond'"
			+ " WHERE id IN (SELECT j.id FROM " + TABLE + " j JOIN unnest(?::bigint[], ?::int[]) AS h(id, attempt)"
			+ " ON j.id = h.id AND j.attempt = h.attempt WHERE j.id = ANY(?::bigint[]) AND " + STILL_RUNNING
			+ " FOR UPDATE OF j SKIP LOCKED) RETURNING id";

	static final String REAP = "UPDATE " + TABLE + " SET owner = NULL, lease_until = NULL,"
			+ " expiries = expiries + 1, state = CASE WHEN expiries + 1 >= ? THEN " + DEAD_STATE + " ELSE " + READY
			+ " END, failed_at = CASE WHEN expiries + 1 >= ? THEN now() ELSE failed_at END,"
			+ " last_error = CASE WHEN expiries + 1 >= ? THEN 'Its lease expired ' || (expiries + 1) || ' times:"
			+ " each pool that ran it stopped or stalled, so it may be what stops them' ELSE last_error END"
			+ " WHERE pool = ? AND state = " + RUNNING + " AND lease_until < now() RETURNING id, state";

	// Each count reads a partial index up to a limit, so that it reads no more at any depth: the queue's due rows
	// through the ready index, its retries still to come and all retries through the retrying index, jobs waiting
	// for their time through the ready index (stepping over the retries among them), dead jobs through the dead
	// index. Each is ordered as its index is, so that no plan reads the table instead until it has enough rows:
	// where the pool's rows are few, or at the end of the table, that would read the whole table.
	private static final String DUE_ROWS = "SELECT 1 FROM " + TABLE + " WHERE pool = ? AND state = " + READY
			+ " AND run_at <= ? ORDER BY run_at";

	private static final String RETRIES_TO_COME = "SELECT 1 FROM " + TABLE + " WHERE pool = ? AND state = " + READY
			+ " AND failures > 0 AND run_at > ? ORDER BY run_at";

	private static final String RETRIES = "SELECT 1 FROM " + TABLE + " WHERE pool = ? AND state = " + READY
			+ " AND failures > 0 ORDER BY run_at";

	private static final String WAITING_FOR_THEIR_TIME = "SELECT 1 FROM " + TABLE + " WHERE pool = ? AND state = "
			+ READY + " AND " + WAITS_FOR_ITS_TIME + " ORDER BY run_at";

	private static final String DEAD_ROWS = "SELECT 1 FROM " + TABLE + " WHERE pool = ? AND state = " + DEAD_STATE
			+ " ORDER BY failed_at";

	// The queue: due rows and retries to come, each counted up to the limit.
	private static final String QUEUE = limitedCount(DUE_ROWS) + " + " + limitedCount(RETRIES_TO_COME);

	static final String PENDING = "SELECT " + QUEUE;

	static final String SCHEDULED = "SELECT " + limitedCount(WAITING_FOR_THEIR_TIME);

	static final String COUNTS = "SELECT " + QUEUE + ", " + limitedCount(RETRIES) + ", " + limitedCount(DEAD_ROWS)
			+ ", " + limitedCount(WAITING_FOR_THEIR_TIME);

	// The due rows the claims reach first, as far as the ready index takes them in the claims' order.
	static final String UNKNOWN_TYPES = "SELECT type, count(*) FROM (SELECT type FROM " + TABLE
			+ " WHERE pool = ? AND state = " + READY + " AND run_at <= ? ORDER BY run_at, id LIMIT ?) ahead"
			+ " WHERE NOT (type = ANY(?)) GROUP BY type ORDER BY type";

	// Cut in the database: a listing never carries more than SHOWN_LENGTH characters of a payload or an error.
	static final String DEAD = "SELECT id, type, left(payload::text, ?), length(payload::text), attempt,"
			+ " failed_at, left(last_error, ?), length(last_error) FROM " + TABLE + " WHERE pool = ? AND state = "
			+ DEAD_STATE + " ORDER BY failed_at DESC, id DESC LIMIT ?";

	// A requeued job starts afresh: no failure and no lease expiry count against it. Its attempt, the fencing
	// token, only ever grows.
	static final String REQUEUE = "UPDATE " + TABLE + " SET state = " + READY + ", failures = 0,"
			+ " expiries = 0, run_at = ?, failed_at = NULL, last_error = NULL WHERE pool = ? AND state = "
			+ DEAD_STATE;

	static final String STATES = "SELECT id, state, last_error FROM " + TABLE + " WHERE id = ANY(?)";

	static final String UNENDED = "SELECT EXISTS (SELECT 1 FROM " + TABLE + " WHERE id = ? AND state <> "
			+ DEAD_STATE + ")";

	static final String CANCEL = "DELETE FROM " + TABLE + " WHERE id = ? AND state = " + READY;

	private final JdbcTemplate jdbc;

	private final String pool;

	private final Clock clock;

	JobTable(DataSource dataSource, String pool, Clock clock) {
		this.jdbc = new PlannedPerRunJdbcTemplate(dataSource);
		this.pool = pool;
		this.clock = clock;
	}

	/** The instant of the pool's clock, as a parameter. */
	OffsetDateTime now() {
		return timestamp(this.clock.instant());
	}

	/** An instant as a {@code timestamptz} parameter. */
	static OffsetDateTime timestamp(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * Insert a job due at a time, in the caller's transaction if there is one.
	 * @return the new job's id
	 */
	long insert(String type, String payload, Instant runAt) {
		Long id = this.jdbc.queryForObject(INSERT, Long.class, this.pool, type, payload, timestamp(runAt));
		return (id != null) ? id : -1;
	}

	/**
	 * Insert jobs, each due at a time, in one statement: all of them or none.
	 * @param types their type names
	 * @param payloads their JSON, in the same order
	 * @param runAts when each is due, in the same order
	 * @return their ids, in the same order
	 */
	long[] insertAll(String[] types, String[] payloads, Instant[] runAts) {
		long[] micros = new long[runAts.length];
		for (int i = 0; i < micros.length; i++) {
			micros[i] = ChronoUnit.MICROS.between(Instant.EPOCH, runAts[i]);
		}
		long[] ids = this.jdbc.queryForList(INSERT_ALL, Long.class, this.pool, types, payloads, micros)
			.stream()
			.mapToLong(Long::longValue)
			.sorted()
			.toArray();
		if (ids.length != types.length) {
			throw new IllegalStateException("Inserting " + types.length + " jobs returned " + ids.length + " ids");
		}
		return ids;
	}

	/**
	 * Insert a job due at a time unless one with the same key is stored, in the caller's transaction if there is
	 * one.
	 * @return the new job's id, or {@code null} if a job with that key is stored
	 */
	@Nullable Long insertOnce(String type, String payload, String key, Instant runAt) {
		List<Long> inserted = this.jdbc.queryForList(INSERT_ONCE, Long.class, this.pool, type, payload,
				timestamp(runAt), key);
		return inserted.isEmpty() ? null : inserted.get(0);
	}

	/** The id of the stored job with this key, or {@code null}. */
	@Nullable Long findByKey(String key) {
		List<Long> stored = this.jdbc.queryForList(FIND_BY_KEY, Long.class, this.pool, key);
		return stored.isEmpty() ? null : stored.get(0);
	}

	/**
	 * Claim up to {@code max} jobs of the given types that are due, oldest first, under a lease.
	 * @return the jobs claimed, in the order they became due
	 */
	List<StoredJob> claim(String owner, Duration lease, String[] types, int max) {
		OffsetDateTime now = now();
		List<StoredJob> claimed = this.jdbc.query(CLAIM, JobTable::storedJob, owner, lease.toMillis(), this.pool, now,
				types, max, now);
		claimed.sort(Comparator.comparing(StoredJob::readyAt).thenComparingLong(StoredJob::id));
		return claimed;
	}

	private static StoredJob storedJob(ResultSet row, int index) throws SQLException {
		return new StoredJob(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4), row.getInt(5),
				row.getTimestamp(6).getTime(), row.getTimestamp(7).toInstant(), Math.max(0, row.getLong(8)) * 1000);
	}

	/**
	 * Delete jobs that succeeded, each only if its claim still stands.
	 * @return the ids deleted; the others had lost their lease
	 */
	Set<Long> succeed(List<ClaimedRun> runs) {
		long[] ids = ids(runs);
		return new HashSet<>(this.jdbc.queryForList(SUCCEED, Long.class, ids, attempts(runs), ids));
	}

	/**
	 * Write how a claimed job ended, other than success.
	 * @return whether its claim still stood
	 */
	boolean write(PendingEnd end) {
		ClaimedRun run = end.run();
		String error = (end.error() != null) ? clip(end.error()) : "";
		int changed = switch (end.kind()) {
			case RETRY -> this.jdbc.update(RETRY, timestamp(this.clock.instant().plus(end.backoff())), error, run.id,
					run.attempt);
			case FAILED -> this.jdbc.update(BURY, 1, error, run.id, run.attempt);
			case UNREADABLE -> this.jdbc.update(BURY, 0, error, run.id, run.attempt);
			case RELEASED -> this.jdbc.update(RELEASE, run.id, run.attempt);
			case SUCCEEDED -> succeed(List.of(run)).size();
		};
		return changed == 1;
	}

	/**
	 * Extend the leases of these claims, where they still stand.
	 * @return the ids renewed
	 */
	Set<Long> heartbeat(List<ClaimedRun> runs, Duration lease) {
		long[] ids = ids(runs);
		return new HashSet<>(this.jdbc.queryForList(HEARTBEAT, Long.class, lease.toMillis(), ids, attempts(runs), ids));
	}

	private static long[] ids(List<ClaimedRun> runs) {
		long[] ids = new long[runs.size()];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = runs.get(i).id;
		}
		return ids;
	}

	private static int[] attempts(List<ClaimedRun> runs) {
		int[] attempts = new int[runs.size()];
		for (int i = 0; i < attempts.length; i++) {
			attempts[i] = runs.get(i).attempt;
		}
		return attempts;
	}

	/**
	 * Return jobs whose lease expired to the queue, or set them aside as dead once their lease has expired
	 * {@code maxExpiries} times.
	 * @return the state each such job is in now, by id
	 */
	Map<Long, RowState> reap(int maxExpiries) {
		Map<Long, RowState> reaped = new LinkedHashMap<>();
		this.jdbc.query(REAP, (row) -> {
			reaped.put(row.getLong(1), RowState.of(row.getString(2)));
		}, maxExpiries, maxExpiries, maxExpiries, this.pool);
		return reaped;
	}

	/**
	 * Count ready, retrying, dead and scheduled jobs, each up to a limit: a count that reaches its limit means at
	 * least that many.
	 * @param queueLimit the most ready jobs, and retrying jobs, to count
	 * @param scheduleLimit the most jobs waiting for their time to count
	 */
	Counts counts(int queueLimit, int scheduleLimit) {
		OffsetDateTime now = now();
		Counts counts = this.jdbc.queryForObject(COUNTS, (row, index) -> new Counts(
				Math.min(queueLimit, row.getLong(1)), row.getLong(2), row.getLong(3), row.getLong(4)), this.pool, now,
				queueLimit, this.pool, now, queueLimit, this.pool, queueLimit, this.pool, DEAD_COUNT_LIMIT, this.pool,
				now, scheduleLimit);
		return (counts != null) ? counts : Counts.NONE;
	}

	/** Count ready jobs, other than those waiting for their time, up to {@code limit}. */
	int pending(int limit) {
		OffsetDateTime now = now();
		Long count = this.jdbc.queryForObject(PENDING, Long.class, this.pool, now, limit, this.pool, now, limit);
		return (count != null) ? (int) Math.min(limit, count) : 0;
	}

	/** Count jobs waiting for their time, up to {@code limit}. */
	int scheduled(int limit) {
		Integer count = this.jdbc.queryForObject(SCHEDULED, Integer.class, this.pool, now(), limit);
		return (count != null) ? count : 0;
	}

	/**
	 * Ready jobs of types other than these, by type, among the {@value #UNKNOWN_TYPES_AHEAD} due jobs that claims
	 * reach first: a job no pool takes stays there.
	 */
	Map<String, Long> unknownTypes(String[] known) {
		Map<String, Long> unknown = new LinkedHashMap<>();
		this.jdbc.query(UNKNOWN_TYPES, (row) -> {
			unknown.put(row.getString(1), row.getLong(2));
		}, this.pool, now(), UNKNOWN_TYPES_AHEAD, known);
		return unknown;
	}

	/** Dead jobs, most recent first, with at most {@link #SHOWN_LENGTH} characters of their payloads and errors. */
	List<DeadJob> dead(int limit) {
		return this.jdbc.query(DEAD, (row, index) -> new DeadJob(row.getLong(1), row.getString(2),
				String.valueOf(row.getString(3)), row.getInt(5), instant(row.getTimestamp(6)),
				Objects.toString(row.getString(7), ""), row.getLong(4), row.getLong(8)), SHOWN_LENGTH, SHOWN_LENGTH,
				this.pool, limit);
	}

	boolean requeue(long id) {
		return this.jdbc.update(REQUEUE + " AND id = ?", now(), this.pool, id) == 1;
	}

	int requeueAll() {
		return this.jdbc.update(REQUEUE, now(), this.pool);
	}

	/** The state and last error of each of these jobs still stored, by id. */
	Map<Long, StoredState> states(long[] ids) {
		Map<Long, StoredState> states = new LinkedHashMap<>();
		this.jdbc.query(STATES, (row) -> {
			states.put(row.getLong(1), new StoredState(RowState.of(row.getString(2)), row.getString(3)));
		}, (Object) ids);
		return states;
	}

	/** Whether a job has not ended: it is still stored, and not dead. */
	boolean unended(long id) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject(UNENDED, Boolean.class, id));
	}

	/** Delete a job no worker has claimed; whether it was. */
	boolean cancel(long id) {
		return this.jdbc.update(CANCEL, id) == 1;
	}

	private static String limitedCount(String rows) {
		return "(SELECT count(*) FROM (" + rows + " LIMIT ?) counted)";
	}

	private static Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : Instant.EPOCH;
	}

	private static String clip(String error) {
		String clean = PostgresText.clean(error);
		return (clean.length() <= ERROR_LENGTH) ? clean : clean.substring(0, ERROR_LENGTH);
	}

	/**
	 * A pool's rows, as counted, each up to its limit.
	 * @param ready ready jobs, other than those waiting for their time: the queue, retries included
	 * @param retrying ready jobs waiting for a retry
	 * @param dead dead jobs
	 * @param scheduled ready jobs waiting for their time
	 */
	record Counts(long ready, long retrying, long dead, long scheduled) {

		static final Counts NONE = new Counts(0, 0, 0, 0);

	}

	/**
	 * Where a stored job stands.
	 * @param state its row's state
	 * @param error its last error, if any
	 */
	record StoredState(RowState state, @Nullable String error) {
	}

	/**
	 * A claimed row.
	 * @param id the job's id
	 * @param type its logical type name
	 * @param payload its JSON
	 * @param attempt the claim this is: the fencing token
	 * @param failures attempts that failed so far
	 * @param createdAtMillis when it was submitted
	 * @param readyAt when it became due
	 * @param waitedNanos how long it had been ready when claimed
	 */
	record StoredJob(long id, String type, String payload, int attempt, int failures, long createdAtMillis,
			Instant readyAt, long waitedNanos) {
	}

}
