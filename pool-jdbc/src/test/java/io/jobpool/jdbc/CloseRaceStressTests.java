package io.jobpool.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Producers feed two pools of one name while one of them is closed after a random number of jobs, within a random
 * time, and some attempts fail and retry: no job is lost, every future ends once, and each pool's counts add up.
 */
class CloseRaceStressTests {

	private static final int PRODUCERS = 4;

	private static final int JOBS_PER_PRODUCER = 150;

	record Order(int number) {
	}

	@RepeatedTest(5)
	void closingOnePoolWhileTheOtherRunsLosesNoJob() throws Exception {
		String name = TestDatabase.uniqueName("race");
		Map<Long, AtomicInteger> succeeded = new ConcurrentHashMap<>();
		List<JobFuture> futures = new CopyOnWriteArrayList<>();
		AtomicInteger rejected = new AtomicInteger();
		try (HikariDataSource first = TestDatabase.get().dataSource(8);
				HikariDataSource second = TestDatabase.get().dataSource(8)) {
			JdbcJobPool closing = TestPools.start(first, builder(name, succeeded));
			JdbcJobPool staying = TestPools.start(second, builder(name, succeeded));
			CountDownLatch started = new CountDownLatch(PRODUCERS);
			CompletableFuture<?>[] producers = new CompletableFuture<?>[PRODUCERS];
			for (int p = 0; p < PRODUCERS; p++) {
				JdbcJobPool target = (p % 2 == 0) ? closing : staying;
				producers[p] = CompletableFuture.runAsync(() -> {
					started.countDown();
					for (int i = 0; i < JOBS_PER_PRODUCER; i++) {
						try {
							futures.add(target.submit(new Order(i)));
						}
						catch (JobRejectedException ex) {
							rejected.incrementAndGet();
						}
					}
				});
			}
			started.await();
			int closeAfter = ThreadLocalRandom.current().nextInt(10, 300);
			await().atMost(Duration.ofSeconds(60)).until(() -> succeeded.size() >= closeAfter);
			closing.close(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 300)));
			CompletableFuture.allOf(producers).get(60, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(60)).until(() -> TestPools.rows(name) == 0);
			staying.close(Duration.ofSeconds(10));
			assertThat(closing.isClosed()).isTrue();
			assertThat(staying.isClosed()).isTrue();
			assertThat(rejected.get() + futures.size()).isEqualTo(PRODUCERS * JOBS_PER_PRODUCER);
			Set<Long> handedBack = ConcurrentHashMap.newKeySet();
			for (JobFuture future : futures) {
				assertThat(future).as("every future ends").isDone();
				future.handle((ignored, error) -> {
					assertThat(error).as("no accepted job fails for good").satisfiesAnyOf(
							(e) -> assertThat(e).isNull(), (e) -> assertThat(e).isInstanceOf(JobHandedBackException.class));
					if (error != null) {
						handedBack.add(future.jobId());
					}
					return null;
				}).join();
				assertThat(succeeded).as("job %d ran to success", future.jobId()).containsKey(future.jobId());
			}
			balanced(closing.stats());
			balanced(staying.stats());
			assertThat(closing.stats().handedBack()).isEqualTo(handedBack.size());
			assertThat(staying.stats().handedBack()).isZero();
		}
	}

	private static void balanced(JobPoolStats stats) {
		assertThat(stats.accepted()).as(stats.toString())
			.isEqualTo(stats.succeeded() + stats.failed() + stats.handedBack());
	}

	private static io.jobpool.JobPoolBuilder builder(String name, Map<Long, AtomicInteger> succeeded) {
		return JobPool.builder()
			.name(name)
			.workerNum(3)
			.queueSize(100)
			.retry(RetryPolicy.maxAttempts(5).withBackoff(Duration.ofMillis(5), 1.0, Duration.ofMillis(5), 0.0))
			.processor(Order.class, () -> (job) -> {
				if (ThreadLocalRandom.current().nextInt(10) == 0) {
					throw new IllegalStateException("flaky");
				}
				Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // the work itself
				succeeded.computeIfAbsent(job.id(), (id) -> new AtomicInteger()).incrementAndGet();
			});
	}

}
