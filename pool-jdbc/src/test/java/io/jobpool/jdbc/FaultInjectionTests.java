package io.jobpool.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.test.FaultyDatabase;
import io.jobpool.jdbc.test.TestDatabase;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.DataAccessException;

import static org.awaitility.Awaitility.await;

/**
 * Two pools share a queue while connections die, the table locks, PostgreSQL stops and processors fail: every
 * accepted job runs and ends, and only an expired lease runs a job more often than its failures ask.
 */
// Bounded by its own waits; the module's default timeout would cut a long run short.
@Timeout(value = 3, unit = TimeUnit.HOURS)
class FaultInjectionTests {

	static final String SHORT_RUN = "PT35S";

	private static final Duration LEASE = Duration.ofSeconds(2);

	private static final Duration POLL = Duration.ofMillis(100);

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration SUBMIT_WAIT = Duration.ofMillis(200);

	/** How long, once the faults stop, every job has to end. */
	private static final Duration SETTLE = Duration.ofSeconds(30);

	private static final int PRODUCERS_PER_POOL = 2;

	private static final int FIRST_ATTEMPT_FAILURES_IN_TEN = 1;

	@RegisterExtension
	static final FaultyDatabase database = FaultyDatabase.get();

	private final String name = TestDatabase.uniqueName("faults");

	/** Draws the faults and the failing first runs; {@code -Djobpool.faults.seed} replays a run. */
	private final long seed = Long.getLong("jobpool.faults.seed", System.nanoTime());

	/** How long faults are injected; {@code -Djobpool.faults.duration=PT10M} (ISO-8601) for a long run. */
	private final Duration duration = Duration.parse(System.getProperty("jobpool.faults.duration", SHORT_RUN));

	private final AtomicLong payloadIds = new AtomicLong();

	private final Map<Long, Queue<Run>> runs = new ConcurrentHashMap<>();

	private final Map<Long, Integer> injectedFailures = new ConcurrentHashMap<>();

	private final Map<Long, Accepted> accepted = new ConcurrentHashMap<>();

	private final Map<String, Map<Reason, Long>> refused = new ConcurrentHashMap<>();

	/** Payloads whose submit failed with the store: their row may have been committed all the same. */
	private final Set<Long> outcomeUnknown = ConcurrentHashMap.newKeySet();

	private final Map<String, Long> escaped = new ConcurrentHashMap<>();

	private final Queue<String> escapedExamples = new ConcurrentLinkedQueue<>();

	private final AtomicLong escapedAsDataAccess = new AtomicLong();

	private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);

	private final Map<Level, Long> logRecords = new ConcurrentHashMap<>();

	private final Logger poolLogger = Logger.getLogger(JdbcJobPool.class.getPackageName());

	private final Handler logCounter = new Handler() {

		@Override
		public void publish(LogRecord record) {
			FaultInjectionTests.this.logRecords.merge(record.getLevel(), 1L, Long::sum);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private volatile boolean producing = true;

	private volatile long burstUntil = System.nanoTime();

	private final List<JdbcJobPool> pools = new ArrayList<>();

	@AfterEach
	void stop() {
		this.producing = false;
		database.start();
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
		this.poolLogger.removeHandler(this.logCounter);
		this.poolLogger.setUseParentHandlers(true);
	}

	@Test
	void everyAcceptedJobRunsAndEndsWhileConnectionsDieTheTableLocksPostgresStopsAndProcessorsFail() throws Exception {
		System.out.printf("FaultInjectionTests: seed %d (-Djobpool.faults.seed=%d), faults for %s%n", this.seed, this.seed,
				this.duration);
		this.poolLogger.addHandler(this.logCounter);
		this.poolLogger.setUseParentHandlers(false);
		JdbcJobPool a = pool("a");
		JdbcJobPool b = pool("b");
		long started = System.nanoTime();
		List<Thread> producers = new ArrayList<>();
		for (JdbcJobPool pool : this.pools) {
			for (int i = 0; i < PRODUCERS_PER_POOL; i++) {
				Thread producer = new Thread(() -> produce(pool), this.name + "-producer-" + label(pool) + i);
				producer.start();
				producers.add(producer);
			}
		}
		CompletableFuture<Void> injector = CompletableFuture.runAsync(() -> injectFaults(started + this.duration.toNanos()));
		try {
			injector.get(this.duration.toSeconds() + 120, TimeUnit.SECONDS);
		}
		finally {
			this.producing = false;
			database.start();
		}
		for (Thread producer : producers) {
			producer.join(TimeUnit.SECONDS.toMillis(30));
		}

		long settleBy = System.nanoTime() + SETTLE.toNanos();
		List<Long> unfinished = awaitFutures(settleBy);
		boolean allEnded = awaitQuietly(settleBy,
				() -> database.jdbc()
					.queryForObject("SELECT count(*) FROM jobpool_job WHERE pool = ? AND state IN ('ready', 'running')",
							Integer.class, this.name) == 0);
		Map<Long, String> leftOver = rowStates("state IN ('ready', 'running')");
		for (JdbcJobPool pool : this.pools) {
			pool.close(Duration.ofSeconds(10));
		}
		Map<Long, Integer> expiries = expiries();
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		summarize(expiries, seconds);

		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(unfinished)
			.as("accepted jobs (payload ids) whose future did not complete within %s after the faults stopped", SETTLE)
			.isEmpty();
		softly.assertThat(allEnded)
			.as("every stored job ended (none ready or running) within %s after the faults stopped; left: %s", SETTLE,
					leftOver)
			.isTrue();
		softly.assertThat(rowStates("state = 'running'"))
			.as("rows left running once both pools closed (job id -> payload)")
			.isEmpty();
		softly.assertThat(neverRan(expiries)).as("accepted jobs (payload ids) that never ran").isEmpty();
		softly.assertThat(storedThoughRefused())
			.as("payloads that ran or are stored although their submit was refused for another reason than"
					+ " STORE_UNAVAILABLE")
			.isEmpty();
		softly.assertThat(unexplainedDuplicates(expiries))
			.as("jobs that ran more often than 1 + their injected failures without as many lease expiries"
					+ " (payload id -> runs, injected failures, expiries)")
			.isEmpty();
		softly.assertThat(unexpectedOutcomes())
			.as("futures that completed otherwise than with success, the processor's error, DeadJobException or"
					+ " JobHandedBackException")
			.isEmpty();
		for (JdbcJobPool pool : List.of(a, b)) {
			String label = label(pool);
			JobPoolStats stats = pool.stats();
			long acceptedHere = this.accepted.values().stream().filter((job) -> job.pool().equals(label)).count();
			long refusedHere = this.refused.getOrDefault(label, Map.of()).values().stream().mapToLong(Long::longValue).sum();
			softly.assertThat(stats.accepted()).as("pool %s: accepted, against the futures its submits returned", label)
				.isEqualTo(acceptedHere);
			softly.assertThat(stats.succeeded() + stats.failed() + stats.handedBack())
				.as("pool %s: succeeded + failed + handed back, against accepted (%s)", label, stats)
				.isEqualTo(stats.accepted());
			softly.assertThat(stats.rejected())
				.as("pool %s: rejected, against the JobRejectedExceptions its submits threw", label)
				.isEqualTo(refusedHere);
		}
		softly.assertThat(this.refused.values().stream().flatMap((reasons) -> reasons.keySet().stream()))
			.as("reasons of refused submits")
			.allMatch((reason) -> reason == Reason.QUEUE_FULL || reason == Reason.NOT_RUNNING
					|| reason == Reason.STORE_UNAVAILABLE);
		softly.assertThat(this.escaped)
			.as("submits that threw something other than JobRejectedException, by class (first: %s)",
					this.escapedExamples.peek())
			.isEmpty();
		softly.assertThat(this.escapedAsDataAccess.get())
			.as("submit failures that escaped as Spring's DataAccessException (first: %s)", this.escapedExamples.peek())
			.isZero();
		softly.assertAll();
	}

	private JdbcJobPool pool(String label) {
		DataSource dataSource = database.dataSource(this.name + "-" + label, 10, CONNECTION_TIMEOUT);
		JdbcJobPool pool = JdbcJobPool.builder(dataSource)
			.lease(LEASE)
			.pollInterval(POLL)
			.build(JobPool.builder()
				.name(this.name)
				.workerNum(4)
				.queueSize(500)
				.threadNamePrefix(this.name + "-" + label + "-")
				.retry(RetryPolicy.maxAttempts(4).withBackoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.0))
				.processor(Work.class, () -> (job) -> process(label, job)));
		this.pools.add(pool);
		pool.start();
		return pool;
	}

	private String label(JdbcJobPool pool) {
		return (this.pools.indexOf(pool) == 0) ? "a" : "b";
	}

	private void process(String pool, Job<Work> job) {
		long id = job.data().id();
		Queue<Run> ofJob = this.runs.computeIfAbsent(id, (key) -> new ConcurrentLinkedQueue<>());
		ofJob.add(new Run(job.id(), job.attempt(), pool));
		boolean first = ofJob.size() == 1;
		if ((first && new SplittableRandom(this.seed + id).nextInt(10) < FIRST_ATTEMPT_FAILURES_IN_TEN)
				|| System.nanoTime() - this.burstUntil < 0) {
			this.injectedFailures.merge(id, 1, Integer::sum);
			throw new InjectedFailure(id);
		}
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(id % 41));
	}

	private void produce(JdbcJobPool pool) {
		String label = label(pool);
		while (this.producing) {
			long id = this.payloadIds.incrementAndGet();
			try {
				JobFuture future = pool.trySubmit(new Work(id), SUBMIT_WAIT);
				this.accepted.put(id, new Accepted(label, future));
			}
			catch (JobRejectedException ex) {
				this.refused.computeIfAbsent(label, (key) -> new ConcurrentHashMap<>()).merge(ex.reason(), 1L, Long::sum);
				if (ex.reason() == Reason.STORE_UNAVAILABLE) {
					this.outcomeUnknown.add(id);
				}
			}
			catch (RuntimeException ex) {
				this.outcomeUnknown.add(id);
				this.escaped.merge(ex.getClass().getName(), 1L, Long::sum);
				if (ex instanceof DataAccessException) {
					this.escapedAsDataAccess.incrementAndGet();
				}
				if (this.escapedExamples.isEmpty()) {
					this.escapedExamples.add(ex.toString());
				}
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
	}

	private void injectFaults(long endNanos) {
		Random random = new Random(this.seed);
		List<Fault> firstOfEachKind = new ArrayList<>(List.of(Fault.values()));
		Collections.shuffle(firstOfEachKind, random);
		Iterator<Fault> first = firstOfEachKind.iterator();
		while (pause(Duration.ofMillis(500 + random.nextInt(2500))) && System.nanoTime() < endNanos) {
			Fault fault = first.hasNext() ? first.next() : Fault.values()[random.nextInt(Fault.values().length)];
			switch (fault) {
				case KILL_CONNECTIONS -> {
					int which = random.nextInt(3);
					if (which != 1) {
						database.terminateConnections(this.name + "-a");
					}
					if (which != 0) {
						database.terminateConnections(this.name + "-b");
					}
				}
				case LOCK_TABLE -> database.lockTable(Duration.ofMillis(1000 + random.nextInt(2001)))
					.awaitReleased(Duration.ofSeconds(30));
				case STOP_POSTGRES -> {
					database.stop();
					pause(Duration.ofMillis(2000 + random.nextInt(3001)));
					database.start();
				}
				case FAILING_PROCESSORS -> this.burstUntil = System.nanoTime()
						+ TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(601));
			}
			this.faults.merge(fault, 1, Integer::sum);
		}
	}

	/** Hold a fault (or the calm between two) for a while; false if interrupted. */
	private static boolean pause(Duration time) {
		LockSupport.parkNanos(time.toNanos());
		return !Thread.currentThread().isInterrupted();
	}

	private List<Long> awaitFutures(long byNanos) throws InterruptedException {
		CompletableFuture<?>[] futures = this.accepted.values()
			.stream()
			.map(Accepted::future)
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(futures).get(Math.max(0, byNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			// Listed below.
		}
		return this.accepted.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().future().isDone())
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	private static boolean awaitQuietly(long byNanos, Callable<Boolean> condition) {
		try {
			await().atMost(Duration.ofNanos(Math.max(TimeUnit.SECONDS.toNanos(1), byNanos - System.nanoTime())))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(200))
				.dontCatchUncaughtExceptions()
				.ignoreExceptions()
				.until(condition);
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	/** Rows of this pool matching a condition: job id to payload. */
	private Map<Long, String> rowStates(String condition) {
		Map<Long, String> rows = new TreeMap<>();
		database.jdbc()
			.query("SELECT id, state || ' ' || payload::text FROM jobpool_job WHERE pool = ? AND " + condition
					+ " ORDER BY id LIMIT 50", (row) -> {
						rows.put(row.getLong(1), row.getString(2));
					}, this.name);
		return rows;
	}

	/** Lease expiries by job id, as the audit trigger recorded them. */
	private Map<Long, Integer> expiries() {
		Set<Long> jobIds = ConcurrentHashMap.newKeySet();
		this.runs.values().forEach((ofJob) -> ofJob.forEach((run) -> jobIds.add(run.jobId())));
		this.accepted.values().forEach((job) -> jobIds.add(job.future().jobId()));
		Map<Long, Integer> expiries = new ConcurrentHashMap<>();
		database.jdbc()
			.query("SELECT id, count(*) FROM jobpool_audit_expiry WHERE id = ANY(?) GROUP BY id", (row) -> {
				expiries.put(row.getLong(1), row.getInt(2));
			}, (Object) jobIds.stream().mapToLong(Long::longValue).toArray());
		return expiries;
	}

	private List<Long> neverRan(Map<Long, Integer> expiries) {
		// A job whose three claims were all lost with their connections is set aside unrun, after three expiries.
		return this.accepted.entrySet()
			.stream()
			.filter((entry) -> !this.runs.containsKey(entry.getKey())
					&& expiries.getOrDefault(entry.getValue().future().jobId(), 0) < 3)
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	private List<Long> storedThoughRefused() {
		Set<Long> seen = new TreeSet<>(this.runs.keySet());
		seen.addAll(database.jdbc()
			.queryForList("SELECT (payload->>'id')::bigint FROM jobpool_job WHERE pool = ?", Long.class, this.name));
		seen.removeIf((id) -> this.accepted.containsKey(id) || this.outcomeUnknown.contains(id));
		return List.copyOf(seen);
	}

	private Map<Long, String> unexplainedDuplicates(Map<Long, Integer> expiries) {
		Map<Long, String> unexplained = new TreeMap<>();
		this.runs.forEach((id, ofJob) -> {
			int extra = ofJob.size() - 1 - this.injectedFailures.getOrDefault(id, 0);
			int expired = ofJob.stream().mapToLong(Run::jobId).distinct().mapToInt((jobId) -> expiries.getOrDefault(jobId, 0)).sum();
			if (extra > expired) {
				unexplained.put(id, ofJob.size() + " runs " + ofJob + ", " + this.injectedFailures.getOrDefault(id, 0)
						+ " injected failures, " + expired + " expiries");
			}
		});
		return unexplained;
	}

	private Map<Long, String> unexpectedOutcomes() {
		Map<Long, String> unexpected = new TreeMap<>();
		this.accepted.forEach((id, job) -> {
			if (job.future().isCompletedExceptionally()) {
				Throwable cause = failureOf(job.future());
				if (!(cause instanceof InjectedFailure || cause instanceof DeadJobException
						|| cause instanceof JobHandedBackException)) {
					unexpected.put(id, String.valueOf(cause));
				}
			}
		});
		return unexpected;
	}

	private static Throwable failureOf(CompletableFuture<?> future) {
		try {
			future.join();
			return null;
		}
		catch (CompletionException ex) {
			return ex.getCause();
		}
		catch (CancellationException ex) {
			return ex;
		}
	}

	private void summarize(Map<Long, Integer> expiries, long seconds) {
		long runCount = this.runs.values().stream().mapToLong(Queue::size).sum();
		long duplicates = this.runs.entrySet()
			.stream()
			.mapToLong((entry) -> Math.max(0, entry.getValue().size() - 1 - this.injectedFailures.getOrDefault(entry.getKey(), 0)))
			.sum();
		Map<Reason, Long> refusedByReason = new TreeMap<>();
		this.refused.values().forEach((reasons) -> reasons.forEach((reason, count) -> refusedByReason.merge(reason, count, Long::sum)));
		System.out.printf(
				"FaultInjectionTests: seed %d; faults %s; jobs accepted %d; runs %d; duplicate runs %d (%d jobs had a"
						+ " lease expire); injected failures %d; refused submits %s; escaped submit failures %s;"
						+ " pool log records %s; %d s%n",
				this.seed, this.faults, this.accepted.size(), runCount, duplicates, expiries.size(),
				this.injectedFailures.values().stream().mapToInt(Integer::intValue).sum(), refusedByReason, this.escaped,
				this.logRecords, seconds);
	}

	/** A payload, unique by id. */
	record Work(long id) {
	}

	/**
	 * A run of a job.
	 * @param jobId the row it ran from
	 * @param attempt its claim
	 * @param pool the pool that ran it, a or b
	 */
	record Run(long jobId, int attempt, String pool) {
	}

	/**
	 * A job a submit accepted.
	 * @param pool the pool it was submitted to, a or b
	 * @param future its future
	 */
	record Accepted(String pool, JobFuture future) {
	}

	/** What the injector does. */
	enum Fault {

		KILL_CONNECTIONS, LOCK_TABLE, STOP_POSTGRES, FAILING_PROCESSORS

	}

	/** A failure the test makes a processor throw. */
	static final class InjectedFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		InjectedFailure(long id) {
			super("Injected failure of payload " + id, null, false, false);
		}

	}

}
