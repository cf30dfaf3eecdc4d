package io.jobpool.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.test.FaultyDatabase;
import io.jobpool.jdbc.test.FaultyDatabase.TableLock;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * A pool outlives PostgreSQL stopping and its table being locked: every job ends, submits are refused cleanly,
 * {@code pause()} does not wait for the database, and an outage is logged a few times, not once per attempt.
 */
class DatabaseFaultTests {

	private static final Duration LEASE = Duration.ofSeconds(2);

	private static final Duration POLL = Duration.ofMillis(100);

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	private static final int JOBS = 3000;

	@RegisterExtension
	static final FaultyDatabase database = FaultyDatabase.get();

	private final String name = TestDatabase.uniqueName("db-fault");

	private final Map<Long, Integer> runs = new ConcurrentHashMap<>();

	private final List<JdbcJobPool> pools = new ArrayList<>();

	private final Set<Long> held = ConcurrentHashMap.newKeySet();

	private final CountDownLatch heldRunsMayEnd = new CountDownLatch(1);

	private volatile boolean holdFirstRuns;

	/** The durable pool's loggers' parent; held here, as the logging framework keeps its loggers only weakly. */
	private final Logger poolLogger = Logger.getLogger(JdbcJobPool.class.getPackageName());

	private final List<LogRecord> logRecords = new CopyOnWriteArrayList<>();

	private final Handler logRecorder = new Handler() {

		@Override
		public void publish(LogRecord record) {
			DatabaseFaultTests.this.logRecords.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	record Work(long id, int millis) {
	}

	@AfterEach
	void stop() {
		this.heldRunsMayEnd.countDown();
		database.start();
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
		this.poolLogger.removeHandler(this.logRecorder);
		this.poolLogger.setUseParentHandlers(true);
	}

	@Test
	void postgresOutagesLongerThanTheLeaseLeaveNoRowRunningAndEveryJobEnds() throws Exception {
		JdbcJobPool a = pool("a", 4);
		JdbcJobPool b = pool("b", 4);
		List<JobFuture> futures = new ArrayList<>();
		for (long id = 0; id < JOBS; id++) {
			futures.add(((id % 2 == 0) ? a : b).submit(new Work(id, 10 + (int) (id % 40))));
		}
		// Each outage may end with a pool renewing leases before any pool returns the expired ones: two of them.
		for (int outage = 0; outage < 2; outage++) {
			int ran = ranSoFar();
			await("the pools running jobs before outage " + (outage + 1)).atMost(Duration.ofSeconds(30))
				.until(() -> ranSoFar() >= ran + 100);
			database.stop();
			LockSupport.parkNanos(LEASE.multipliedBy(2).toNanos());
			database.start();
		}

		await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			assertThat(rowsOf("state = 'running'"))
				.as("rows still running after the outages (id, attempt, owner, lease until, now)")
				.isEmpty();
			assertThat(futures.stream().filter((future) -> !future.isDone()).map(JobFuture::jobId))
				.as("jobs whose future has not completed after the outages")
				.isEmpty();
		});
		assertThat(rowsOf("state = 'ready'")).as("rows still ready once every future completed").isEmpty();
		assertThat(LongStream.range(0, JOBS).filter((id) -> !this.runs.containsKey(id)).boxed())
			.as("payloads that never ran")
			.isEmpty();
	}

	@Test
	void runsThatEndWhilePostgresIsDownAreNoLongerRenewedOnceItIsBack() throws Exception {
		Duration lease = Duration.ofSeconds(8);
		this.holdFirstRuns = true;
		JdbcJobPool pool = pool("a", 2, lease);
		List<JobFuture> futures = List.of(pool.submit(new Work(1, 0)), pool.submit(new Work(2, 0)));
		await("both jobs running").atMost(Duration.ofSeconds(10)).until(() -> this.held.size() == 2);
		// Stopped just after a heartbeat, PostgreSQL is back long before these leases would lapse.
		await("a heartbeat renewing both leases").atMost(lease)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> database.jdbc()
				.queryForObject("SELECT min(lease_until - clock_timestamp()) > ? * interval '1 millisecond'"
						+ " FROM jobpool_job WHERE id = ANY(?)", Boolean.class, lease.toMillis() - 500,
						this.held.stream().mapToLong(Long::longValue).toArray()));
		database.stop();
		this.heldRunsMayEnd.countDown();
		LockSupport.parkNanos(CONNECTION_TIMEOUT.plusMillis(500).toNanos());
		database.start();

		await().atMost(lease.multipliedBy(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			assertThat(rowsOf("true")).as("rows of the two jobs whose runs ended with PostgreSQL down (id, attempt,"
					+ " owner, lease until, now)").isEmpty();
			assertThat(futures).as("their futures").allMatch(JobFuture::isDone);
		});
		assertThat(this.runs).as("runs by payload: the first ended unrecorded, so the job ran again")
			.isEqualTo(Map.of(1L, 2, 2L, 2));
	}

	@Test
	void aSubmitWhilePostgresIsDownIsRejectedAsStoreUnavailableWithItsCause() {
		JdbcJobPool pool = pool("a", 1);
		database.stop();
		Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> catchThrowable(() -> pool.submit(new Work(1, 0))));
		assertThat(thrown).as("what submit threw with PostgreSQL down")
			.isNotInstanceOf(DataAccessException.class)
			.isInstanceOfSatisfying(JobRejectedException.class, (rejected) -> {
				assertThat(rejected.reason()).isEqualTo(JobRejectedException.Reason.STORE_UNAVAILABLE);
				assertThat(rejected.getCause()).as("the cause of the rejection").isNotNull();
			});
		assertThat(pool.stats().rejected()).isOne();
		assertThat(pool.stats().accepted()).isZero();
	}

	@Test
	void pauseReturnsAtOnceWhileTheTableIsLockedAndNothingIsClaimedOnceTheLockGoes() throws Exception {
		JdbcJobPool pool = pool("a", 4);
		String application = this.name + "-a";
		// Rows inserted by the locking transaction: they appear, ready to claim, the moment the lock goes.
		TableLock lock = database.lockTable(Duration.ofSeconds(60),
				"INSERT INTO jobpool_job (pool, type, payload) SELECT '" + this.name
						+ "', 'Work', jsonb_build_object('id', i, 'millis', 0) FROM generate_series(1, 3) i");
		try {
			// A claim raises the attempt of the rows it takes, which it selects FOR UPDATE SKIP LOCKED.
			await("the pool's claim waiting for the table lock").atMost(Duration.ofSeconds(10))
				.until(() -> database.waitingForLock(application, "%skip locked%", "%attempt%") > 0);
			CompletableFuture<Void> pausing = CompletableFuture.runAsync(pool::pause);
			assertThat(pausing).as("pause() with the table locked by another transaction")
				.succeedsWithin(Duration.ofSeconds(3));
			assertThat(lock.isReleased()).as("whether the table lock went before pause() returned").isFalse();
		}
		finally {
			lock.release();
		}
		lock.awaitReleased(Duration.ofSeconds(10));
		// Queued behind the claim that waited for the first lock, a second one is granted once that claim ended.
		database.lockTable(Duration.ZERO).awaitReleased(Duration.ofSeconds(30));
		// The claim under way when the pool paused committed; the paused pool gives what it took back.
		await("the rows given back by the paused pool").atMost(Duration.ofSeconds(10))
			.until(() -> database.jdbc()
				.queryForList("SELECT state FROM jobpool_job WHERE pool = ? ORDER BY id", String.class, this.name),
					(states) -> states.equals(List.of("ready", "ready", "ready")));
		assertThat(this.runs).as("jobs run while paused").isEmpty();
		pool.resume();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.size() == 3);
	}

	@Test
	void anOutageIsLoggedAFewTimesAndThatTheDatabaseWorksAgainOnce() throws Exception {
		this.poolLogger.addHandler(this.logRecorder);
		this.poolLogger.setUseParentHandlers(false);
		JdbcJobPool pool = pool("a", 2);
		pool.submit(new Work(1, 0)).get(10, TimeUnit.SECONDS);
		Instant stopped = Instant.now();
		database.stop();
		LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
		Instant restarted = Instant.now();
		database.start();

		database.jdbc()
			.update("INSERT INTO jobpool_job (pool, type, payload) VALUES (?, 'Work', '{\"id\": 2, \"millis\": 0}')",
					this.name);
		await("the pool running a job again").atMost(Duration.ofSeconds(30)).until(() -> this.runs.containsKey(2L));
		List<LogRecord> warnings = this.logRecords.stream()
			.filter((record) -> !record.getInstant().isBefore(stopped) && record.getLevel().intValue() >= Level.WARNING.intValue())
			.toList();
		Map<String, Long> byKind = warnings.stream()
			.collect(Collectors.groupingBy(DatabaseFaultTests::kind, Collectors.counting()));
		assertThat(moreThan(3, byKind)).as("WARNING records logged more than 3 times during a 10 s outage, by logger"
				+ " and message (digits as #), with how many")
			.isEmpty();
		Map<String, Long> stackTraces = warnings.stream()
			.filter((record) -> record.getThrown() != null)
			.collect(Collectors.groupingBy(LogRecord::getLoggerName, Collectors.counting()));
		assertThat(moreThan(3, stackTraces)).as("loggers that logged more than 3 stack traces during a 10 s outage,"
				+ " with how many")
			.isEmpty();
		await("a record, once PostgreSQL is back, saying the pool works again")
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.logRecords.stream().anyMatch((record) -> isWorksAgain(record, restarted)));
	}

	private int ranSoFar() {
		return this.runs.values().stream().mapToInt(Integer::intValue).sum();
	}

	private List<String> rowsOf(String condition) {
		return database.jdbc()
			.queryForList("SELECT concat_ws(', ', id, attempt, owner, lease_until, now()) FROM jobpool_job"
					+ " WHERE pool = ? AND " + condition + " ORDER BY id LIMIT 20", String.class, this.name);
	}

	private static boolean isWorksAgain(LogRecord record, Instant restarted) {
		String message = String.valueOf(record.getMessage());
		return !record.getInstant().isBefore(restarted) && record.getLevel().intValue() >= Level.INFO.intValue()
				&& record.getThrown() == null && message.contains("again") && !message.contains("could not");
	}

	private static Map<String, Long> moreThan(long most, Map<String, Long> counts) {
		return counts.entrySet()
			.stream()
			.filter((count) -> count.getValue() > most)
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private static String kind(LogRecord record) {
		return record.getLoggerName() + ": " + String.valueOf(record.getMessage()).replaceAll("\\d+", "#");
	}

	private JdbcJobPool pool(String label, int workers) {
		return pool(label, workers, LEASE);
	}

	private JdbcJobPool pool(String label, int workers, Duration lease) {
		JdbcJobPool pool = JdbcJobPool.builder(database.dataSource(this.name + "-" + label, 10, CONNECTION_TIMEOUT))
			.lease(lease)
			.pollInterval(POLL)
			.build(JobPool.builder()
				.name(this.name)
				.workerNum(workers)
				.queueSize(5000)
				.threadNamePrefix(this.name + "-" + label + "-")
				.retry(RetryPolicy.maxAttempts(3).withBackoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.0))
				.processor(Work.class, () -> (job) -> {
					Work work = job.data();
					int run = this.runs.merge(work.id(), 1, Integer::sum);
					if (run == 1 && this.holdFirstRuns) {
						this.held.add(job.id());
						this.heldRunsMayEnd.await(30, TimeUnit.SECONDS);
						throw new IllegalStateException("First run of " + work.id() + " ends with PostgreSQL down");
					}
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(work.millis()));
					if (run == 1 && work.id() % 10 == 3) {
						throw new IllegalStateException("First run of " + work.id() + " fails");
					}
				}));
		this.pools.add(pool);
		pool.start();
		return pool;
	}

}
