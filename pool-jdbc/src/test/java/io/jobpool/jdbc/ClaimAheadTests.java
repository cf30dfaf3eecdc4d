package io.jobpool.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pool claims a few jobs ahead of its free workers only while its jobs end quickly, and gives back the jobs it
 * claimed ahead and could not start: no pool holds work another could run. Jobs claimed ahead keep their places in
 * the queue, also when they go back to the table.
 */
class ClaimAheadTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private final String name = TestDatabase.uniqueName("claim-ahead");

	private final CountDownLatch longJobsMayEnd = new CountDownLatch(1);

	private final AtomicInteger shortRuns = new AtomicInteger();

	private final Queue<Run> longRuns = new ConcurrentLinkedQueue<>();

	private final List<JdbcJobPool> pools = new ArrayList<>();

	record Quick(int n) {
	}

	record Slow(int n) {
	}

	record Mixed(int n) {
	}

	record Run(String pool, long id, int attempt) {
	}

	@AfterEach
	void close() {
		this.longJobsMayEnd.countDown();
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
	}

	@Test
	void jobsClaimedAheadThatNoWorkerCouldStartGoBackAndASecondPoolRunsThem() throws Exception {
		JdbcJobPool first = pool("first", 2);
		List<JobFuture> futures = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			futures.add(first.submit(new Quick(i)));
		}
		for (int i = 0; i < 4; i++) {
			futures.add(first.submit(new Slow(i)));
		}
		// Busy with quick jobs, the first pool claimed ahead: two slow jobs run there, and the two it claimed ahead
		// wait for its workers until it gives them back.
		await().atMost(BOUND).until(() -> this.shortRuns.get() == 200 && this.longRuns.size() == 2);

		pool("second", 4);
		await().atMost(BOUND).until(() -> this.longRuns.size() == 4);
		assertThat(this.longRuns).filteredOn((run) -> run.pool().equals("first"))
			.hasSize(2)
			.allSatisfy((run) -> assertThat(run.attempt()).isOne());
		assertThat(this.longRuns).filteredOn((run) -> run.pool().equals("second"))
			.as("slow jobs the second pool ran: each claimed by the first pool before, which gave it back unstarted")
			.hasSize(2)
			.allSatisfy((run) -> assertThat(run.attempt()).isEqualTo(2));
		this.longJobsMayEnd.countDown();
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
	}

	@Test
	void aPoolWhoseJobsRunLongClaimsNoMoreThanItsWorkersAndASecondPoolGetsTheRest() throws Exception {
		JdbcJobPool first = pool("first", 2);
		List<JobFuture> futures = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			futures.add(first.submit(new Slow(i)));
		}
		await().atMost(BOUND).until(() -> this.longRuns.size() == 2);
		await().during(ClaimedRuns.PREFETCH_HORIZON.multipliedBy(3))
			.atMost(BOUND)
			.until(() -> TestPools.rows(this.name, "running") == 2 && TestPools.rows(this.name, "ready") == 4);

		pool("second", 4);
		await().atMost(BOUND).until(() -> this.longRuns.size() == 6);
		assertThat(this.longRuns).filteredOn((run) -> run.pool().equals("second")).hasSize(4);
		assertThat(this.longRuns).allSatisfy((run) -> assertThat(run.attempt()).isOne());
		this.longJobsMayEnd.countDown();
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
	}

	@Test
	void jobsClaimedAheadAndGivenBackKeepTheQueueBound() throws Exception {
		int queueSize = 10;
		Map<Integer, Integer> lastAttempts = new ConcurrentHashMap<>();
		JdbcJobPool pool = pool("bounded", 2, queueSize, (job) -> {
			// Every fifth job keeps both workers busy longer than a job claimed ahead may wait.
			if (job.data().n() % 5 == 0) {
				Thread.sleep(ClaimedRuns.PREFETCH_HORIZON.multipliedBy(3).toMillis() / 2);
			}
			lastAttempts.merge(job.data().n(), job.attempt(), Math::max);
		});
		AtomicBoolean producing = new AtomicBoolean(true);
		AtomicInteger mostReady = new AtomicInteger();
		Thread watcher = new Thread(() -> {
			while (producing.get()) {
				mostReady.accumulateAndGet(TestPools.rows(this.name, "ready"), Math::max);
			}
		}, this.name + "-watcher");
		watcher.start();
		int submitters = 8;
		int each = 40;
		List<JobFuture> futures = new CopyOnWriteArrayList<>();
		try {
			ExecutorService threads = Executors.newFixedThreadPool(submitters);
			try {
				List<Future<?>> submitting = new ArrayList<>();
				for (int t = 0; t < submitters; t++) {
					int thread = t;
					submitting.add(threads.submit(() -> {
						for (int i = 0; i < each; i++) {
							futures.add(pool.submit(new Mixed(thread * each + i)));
						}
					}));
				}
				for (Future<?> submitter : submitting) {
					submitter.get(BOUND.toSeconds(), TimeUnit.SECONDS);
				}
			}
			finally {
				threads.shutdownNow();
			}
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			producing.set(false);
			watcher.join();
		}
		assertThat(lastAttempts).hasSize(submitters * each);
		assertThat(lastAttempts.values()).as("attempts of the jobs: some claimed ahead and given back")
			.anySatisfy((attempt) -> assertThat(attempt).isGreaterThan(1));
		assertThat(mostReady.get()).as("most ready rows seen at once").isBetween(1, queueSize);
	}

	private JdbcJobPool pool(String label, int workers) {
		return pool(label, workers, 1000, (job) -> {
		});
	}

	private JdbcJobPool pool(String label, int workers, int queueSize, JobProcessor<Mixed> mixed) {
		JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(this.name)
			.workerNum(workers)
			.queueSize(queueSize)
			.processor(Mixed.class, () -> mixed)
			.threadNamePrefix(this.name + "-" + label + "-")
			.processor(Quick.class, () -> (job) -> this.shortRuns.incrementAndGet())
			.processor(Slow.class, () -> (job) -> runLong(label, job)));
		this.pools.add(pool);
		return pool;
	}

	private void runLong(String pool, Job<Slow> job) throws InterruptedException {
		this.longRuns.add(new Run(pool, job.id(), job.attempt()));
		assertThat(this.longJobsMayEnd.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

}
