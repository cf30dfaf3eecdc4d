package io.jobpool.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pools of one name, each on its own connection pool as separate instances would be, share one table.
 */
class SharedQueueTests {

	record Parcel(int number) {
	}

	@Test
	void aJobRunsThroughTheTableAndItsFutureCompletesOnceItsRowIsGone() throws Exception {
		String name = TestDatabase.uniqueName("shared");
		AtomicInteger ran = new AtomicInteger();
		JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(),
				JobPool.builder().name(name).processor(Parcel.class, () -> (job) -> ran.incrementAndGet()));
		try {
			assertThat(pool.submit(new Parcel(1)).get(30, TimeUnit.SECONDS)).isNull();
			assertThat(ran).hasValue(1);
			assertThat(TestPools.rows(name)).isZero();
		}
		finally {
			pool.close(Duration.ofSeconds(10));
		}
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(1, 0, 1, 0, 0, 0, 0, 0));
	}

	@RepeatedTest(3)
	void twoPoolsShareTheWorkAndNoJobRunsTwice() throws Exception {
		String name = TestDatabase.uniqueName("shared");
		Map<Integer, String> ranBy = new ConcurrentHashMap<>();
		List<Integer> twice = java.util.Collections.synchronizedList(new ArrayList<>());
		try (HikariDataSource first = TestDatabase.get().dataSource(8);
				HikariDataSource second = TestDatabase.get().dataSource(8)) {
			JdbcJobPool one = TestPools.start(first, builder(name, "one", ranBy, twice));
			JdbcJobPool two = TestPools.start(second, builder(name, "two", ranBy, twice));
			int jobs = 2000;
			List<CompletableFuture<Void>> futures = new ArrayList<>();
			ExecutorService producers = Executors.newFixedThreadPool(4);
			try {
				List<java.util.concurrent.Future<List<CompletableFuture<Void>>>> batches = new ArrayList<>();
				for (int p = 0; p < 4; p++) {
					JdbcJobPool target = (p % 2 == 0) ? one : two;
					int from = p * (jobs / 4);
					batches.add(producers.submit(() -> {
						List<CompletableFuture<Void>> mine = new ArrayList<>();
						for (int i = from; i < from + jobs / 4; i++) {
							mine.add(target.submit(new Parcel(i)));
						}
						return mine;
					}));
				}
				for (var batch : batches) {
					futures.addAll(batch.get(60, TimeUnit.SECONDS));
				}
				CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
			}
			finally {
				producers.shutdownNow();
				one.close(Duration.ofSeconds(10));
				two.close(Duration.ofSeconds(10));
			}
			assertThat(twice).isEmpty();
			assertThat(ranBy).hasSize(jobs);
			assertThat(ranBy.values()).contains("one", "two");
			assertThat(TestPools.rows(name)).isZero();
			JobPoolStats a = one.stats();
			JobPoolStats b = two.stats();
			assertThat(a.accepted() + b.accepted()).isEqualTo(jobs);
			assertThat(a.succeeded() + b.succeeded()).isEqualTo(jobs);
			assertThat(a.pending()).isZero();
			assertThat(b.pending()).isZero();
		}
	}

	private static io.jobpool.JobPoolBuilder builder(String name, String instance, Map<Integer, String> ranBy,
			List<Integer> twice) {
		return JobPool.builder().name(name).workerNum(4).processor(Parcel.class, () -> (job) -> {
			if (ranBy.putIfAbsent(job.data().number(), instance) != null) {
				twice.add(job.data().number());
			}
		});
	}

}
