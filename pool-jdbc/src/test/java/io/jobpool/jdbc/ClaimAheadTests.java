package io.jobpool.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pool claims a few jobs ahead of its free workers only while its jobs end quickly, and gives back the jobs it
 * claimed ahead and could not start: no pool holds work another could run.
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

	private JdbcJobPool pool(String label, int workers) {
		JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(this.name)
			.workerNum(workers)
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
