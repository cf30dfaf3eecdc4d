package io.jobpool.jdbc;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.sql.DataSource;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.jdbc.test.FaultyDatabase;
import io.jobpool.jdbc.test.FaultyDatabase.TableLock;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Submits that arrive together are inserted in one statement and one commit: each accepted job is stored once and
 * runs, within the queue bound; a payload the database refuses refuses only itself; an interrupted submitter still
 * learns that its job is stored; a submit made while a statement is inserted, by the thread inserting it, does not
 * wait for itself; and when connections die or PostgreSQL stops, every submit either returns the future of a stored
 * job or is refused, and a refusal of a job that was stored says that it may be.
 */
class CombinedInsertTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final FaultyDatabase database = FaultyDatabase.get();

	private final String name = TestDatabase.uniqueName("combined");

	private final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final List<JdbcJobPool> pools = new ArrayList<>();

	record Item(long n) {
	}

	record Amount(BigDecimal value) {
	}

	@AfterEach
	void close() {
		database.start();
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
	}

	@Test
	void submitsThatArriveTogetherShareAStatementAndEachIsStoredOnceThenRuns() throws Exception {
		JdbcJobPool pool = pool(8, 10_000, Duration.ofSeconds(5));
		pool.pause();
		int threads = 12;
		int each = 50;
		Map<Long, JobFuture> futures = submitTogether(threads, (thread) -> () -> {
			Map<Long, JobFuture> submitted = new ConcurrentHashMap<>();
			for (int i = 0; i < each; i++) {
				long n = thread * 1000L + i;
				submitted.put(n, pool.submit(new Item(n)));
			}
			return submitted;
		});

		assertThat(futures).hasSize(threads * each);
		assertThat(futures.values().stream().map(JobFuture::jobId).distinct()).hasSize(threads * each);
		Map<Long, Long> stored = storedItems();
		assertThat(stored).as("payload -> id of each stored row").hasSize(threads * each);
		futures.forEach((n, future) -> assertThat(stored).containsEntry(n, future.jobId()));
		assertThat(largestTransaction()).as("rows inserted by one transaction, at most").isGreaterThan(1);

		pool.resume();
		CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
			.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.runs.keySet()).containsExactlyInAnyOrderElementsOf(futures.keySet());
		assertThat(this.runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		assertThat(database.rows(this.name)).isZero();
	}

	@RepeatedTest(3)
	void manySubmittersWhileJobsRunKeepTheQueueBoundAndEveryAcceptedJobRunsOnce() throws Exception {
		int queueSize = 20;
		JdbcJobPool pool = pool(4, queueSize, Duration.ofSeconds(5));
		AtomicBoolean producing = new AtomicBoolean(true);
		AtomicInteger mostReady = new AtomicInteger();
		Thread watcher = new Thread(() -> {
			while (producing.get()) {
				mostReady.accumulateAndGet(database.rows(this.name, "ready"), Math::max);
			}
		});
		watcher.start();
		int threads = 16;
		int each = 150;
		Map<Long, JobFuture> futures;
		try {
			futures = submitTogether(threads, (thread) -> () -> {
				Map<Long, JobFuture> submitted = new ConcurrentHashMap<>();
				for (int i = 0; i < each; i++) {
					long n = thread * 1000L + i;
					submitted.put(n, pool.submit(new Item(n)));
				}
				return submitted;
			});
		}
		finally {
			producing.set(false);
			watcher.join();
		}

		CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
			.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(futures).hasSize(threads * each);
		assertThat(futures.values().stream().map(JobFuture::jobId).distinct()).hasSize(threads * each);
		assertThat(this.runs.keySet()).containsExactlyInAnyOrderElementsOf(futures.keySet());
		assertThat(this.runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		assertThat(mostReady.get()).as("most ready rows seen at once").isBetween(1, queueSize);
		assertThat(database.rows(this.name)).isZero();
		assertThat(pool.stats().accepted()).isEqualTo(threads * each);
	}

	@Test
	void aPayloadTheDatabaseRefusesInAStatementWithOthersRefusesOnlyItself() throws Exception {
		JdbcJobPool pool = pool(4, 1000, Duration.ofSeconds(5));
		pool.pause();
		// The table locked, a first submit holds the lead at its insert; the others wait and go in one statement.
		TableLock lock = database.lockTable(BOUND);
		CompletableFuture<JobFuture> first = submitAsync(() -> pool.submit(new Item(0)));
		await().atMost(BOUND).until(() -> database.waitingForLock(applicationName(), "%INSERT%") == 1);
		List<Thread> waiting = new ArrayList<>();
		Map<Long, CompletableFuture<JobFuture>> good = new ConcurrentHashMap<>();
		for (long n = 1; n <= 6; n++) {
			long item = n;
			good.put(n, submitAsync(() -> pool.submit(new Item(item)), waiting));
		}
		CompletableFuture<JobFuture> bad = submitAsync(() -> pool.submit(new Amount(new BigDecimal("1E+200000"))),
				waiting);
		await().atMost(BOUND).until(() -> allWaiting(waiting));
		lock.release();

		assertThat(bad).failsWithin(BOUND)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(JobRejectedException.class,
					(rejected) -> assertThat(rejected.reason()).isEqualTo(Reason.INVALID_PAYLOAD))
			.withMessageContaining("refused its payload");
		assertThat(first).succeedsWithin(BOUND);
		good.values().forEach((future) -> assertThat(future).succeedsWithin(BOUND));
		Map<Long, Long> stored = storedItems();
		assertThat(stored).containsOnlyKeys(0L, 1L, 2L, 3L, 4L, 5L, 6L);
		good.forEach((n, future) -> assertThat(stored).containsEntry(n, future.join().jobId()));
		assertThat(pool.stats().rejected()).isOne();
	}

	@Test
	void interruptedSubmittersWhoseRowsAreInFlightOrWaitingLearnTheirJobsAreStored() throws Exception {
		JdbcJobPool pool = pool(4, 1000, Duration.ofSeconds(5));
		pool.pause();
		TableLock lock = database.lockTable(BOUND);
		List<Thread> submitters = new ArrayList<>();
		Map<Long, Boolean> interruptedAfter = new ConcurrentHashMap<>();
		Map<Long, CompletableFuture<JobFuture>> submits = new ConcurrentHashMap<>();
		for (long n = 0; n < 3; n++) {
			long item = n;
			submits.put(n, submitAsync(() -> {
				JobFuture future = pool.submit(new Item(item));
				interruptedAfter.put(item, Thread.currentThread().isInterrupted());
				return future;
			}, submitters));
			if (n == 0) {
				await().atMost(BOUND).until(() -> database.waitingForLock(applicationName(), "%INSERT%") == 1);
			}
		}
		await().atMost(BOUND).until(() -> allWaiting(submitters.subList(1, submitters.size())));
		// The first leads, its insert waiting for the lock; the others wait for their turn.
		submitters.forEach(Thread::interrupt);
		lock.release();

		submits.values().forEach((submit) -> assertThat(submit).succeedsWithin(BOUND));
		assertThat(interruptedAfter).containsOnlyKeys(0L, 1L, 2L).doesNotContainValue(false);
		Map<Long, Long> stored = storedItems();
		submits.forEach((n, submit) -> assertThat(stored).containsEntry(n, submit.join().jobId()));
		pool.resume();
		submits.values().forEach((submit) -> assertThat(submit.join()).succeedsWithin(BOUND));
	}

	@Test
	void aListenerThatSubmitsAJobWhenItHearsOneAcceptedHasItStored() throws Exception {
		Map<Long, JobFuture> followUps = new ConcurrentHashMap<>();
		AtomicReference<JdbcJobPool> submitTo = new AtomicReference<>();
		JdbcJobPool pool = pool(4, 10_000, Duration.ofSeconds(5), new JobListener() {

			@Override
			public void onAccepted(Job<?> job) {
				if (job.data() instanceof Item item && item.n() >= 0) {
					followUps.put(-item.n() - 1, submitTo.get().submit(new Item(-item.n() - 1)));
				}
			}

		});
		submitTo.set(pool);
		Map<Long, JobFuture> futures = submitTogether(8, (thread) -> () -> {
			Map<Long, JobFuture> submitted = new ConcurrentHashMap<>();
			for (int i = 0; i < 50; i++) {
				long n = thread * 1000L + i;
				submitted.put(n, pool.submit(new Item(n)));
			}
			return submitted;
		});

		assertThat(followUps).hasSameSizeAs(futures);
		futures.putAll(followUps);
		CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
			.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.runs.keySet()).containsExactlyInAnyOrderElementsOf(futures.keySet());
	}

	@Test
	void whenConnectionsDieAndPostgresStopsEverySubmitReturnsAStoredJobOrIsRefusedSayingItMayBeStored()
			throws Exception {
		JdbcJobPool pool = pool(4, 100_000, Duration.ofMillis(500));
		Map<Long, JobFuture> accepted = new ConcurrentHashMap<>();
		Map<Long, JobRejectedException> refused = new ConcurrentHashMap<>();
		Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
		AtomicBoolean producing = new AtomicBoolean(true);
		AtomicLong items = new AtomicLong();
		List<Thread> producers = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			Thread producer = new Thread(() -> {
				while (producing.get()) {
					long n = items.incrementAndGet();
					try {
						accepted.put(n, pool.trySubmit(new Item(n), Duration.ofMillis(200)));
					}
					catch (JobRejectedException ex) {
						refused.put(n, ex);
					}
					catch (Throwable ex) {
						escaped.add(ex);
					}
				}
			});
			producer.start();
			producers.add(producer);
		}
		for (int fault = 0; fault < 6; fault++) {
			long before = accepted.size() + refused.size();
			await().atMost(BOUND).until(() -> accepted.size() + refused.size() > before + 200);
			if (fault == 3) {
				database.stop();
				await().atMost(BOUND).until(() -> refused.size() > 20);
				database.start();
			}
			else {
				assertThat(database.terminateConnections(applicationName())).isPositive();
			}
		}
		await().atMost(BOUND).until(() -> accepted.size() > 2000);
		producing.set(false);
		for (Thread producer : producers) {
			producer.join(BOUND.toMillis());
		}

		assertThat(escaped).isEmpty();
		assertThat(refused.values()).extracting(JobRejectedException::reason).containsOnly(Reason.STORE_UNAVAILABLE);
		CompletableFuture.allOf(accepted.values().toArray(CompletableFuture[]::new))
			.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.runs.keySet()).containsAll(accepted.keySet());
		Set<Long> ranThoughRefused = ConcurrentHashMap.newKeySet();
		refused.forEach((n, rejection) -> {
			if (this.runs.containsKey(n)) {
				ranThoughRefused.add(n);
				assertThat(rejection.getMessage()).as("the refusal of item %d, which was stored and ran", n)
					.contains("stored all the same");
			}
		});
		System.out.printf("CombinedInsertTests: %d accepted, %d refused (%d of them stored all the same)%n",
				accepted.size(), refused.size(), ranThoughRefused.size());
		await().atMost(BOUND).until(() -> database.rows(this.name) == 0);
	}

	private JdbcJobPool pool(int workers, int queueSize, Duration connectionTimeout) {
		return pool(workers, queueSize, connectionTimeout, new JobListener() {
		});
	}

	private JdbcJobPool pool(int workers, int queueSize, Duration connectionTimeout, JobListener listener) {
		DataSource dataSource = database.dataSource(applicationName(), 20, connectionTimeout);
		JdbcJobPool pool = TestPools.builder(dataSource)
			.build(JobPool.builder()
				.name(this.name)
				.workerNum(workers)
				.queueSize(queueSize)
				.threadNamePrefix(this.name + "-")
				.listener(listener)
				.processor(Item.class, () -> (job) -> this.runs.computeIfAbsent(job.data().n(),
						(n) -> new AtomicInteger()).incrementAndGet())
				.processor(Amount.class, () -> (job) -> {
				}));
		this.pools.add(pool);
		pool.start();
		return pool;
	}

	private String applicationName() {
		return this.name + "-app";
	}

	/** Run each thread's submits at once, released together; their futures by item. */
	private Map<Long, JobFuture> submitTogether(int threads,
			Function<Integer, Callable<Map<Long, JobFuture>>> submits) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Map<Long, JobFuture>>> results = new ArrayList<>();
		for (int thread = 0; thread < threads; thread++) {
			Callable<Map<Long, JobFuture>> work = submits.apply(thread);
			CompletableFuture<Map<Long, JobFuture>> result = new CompletableFuture<>();
			new Thread(() -> {
				try {
					start.await();
					result.complete(work.call());
				}
				catch (Throwable ex) {
					result.completeExceptionally(ex);
				}
			}).start();
			results.add(result);
		}
		start.countDown();
		Map<Long, JobFuture> all = new ConcurrentHashMap<>();
		for (CompletableFuture<Map<Long, JobFuture>> result : results) {
			all.putAll(result.get(BOUND.toSeconds(), TimeUnit.SECONDS));
		}
		return all;
	}

	private CompletableFuture<JobFuture> submitAsync(Callable<JobFuture> submit) {
		return submitAsync(submit, new ArrayList<>());
	}

	private CompletableFuture<JobFuture> submitAsync(Callable<JobFuture> submit,
			List<Thread> threads) {
		CompletableFuture<JobFuture> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(submit.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		threads.add(thread);
		thread.start();
		return result;
	}

	private static boolean allWaiting(List<Thread> threads) {
		return threads.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING);
	}

	/** The id of each stored row, by its item's number. */
	private Map<Long, Long> storedItems() {
		Map<Long, Long> stored = new ConcurrentHashMap<>();
		database.jdbc()
			.query("SELECT (payload->>'n')::bigint, id FROM jobpool_job WHERE pool = ? AND payload->>'n' IS NOT NULL",
					(row) -> {
						assertThat(stored.put(row.getLong(1), row.getLong(2))).as("a second row of item %d",
								row.getLong(1)).isNull();
					}, this.name);
		return stored;
	}

	/** The most rows of the pool one transaction inserted. */
	private int largestTransaction() {
		return database.jdbc()
			.queryForObject("SELECT coalesce(max(rows), 0) FROM (SELECT count(*) AS rows FROM jobpool_job"
					+ " WHERE pool = ? GROUP BY xmin::text) t", Integer.class, this.name);
	}

}
