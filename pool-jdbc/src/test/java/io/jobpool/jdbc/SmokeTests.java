package io.jobpool.jdbc;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	record Greeting(String to) {
	}

	@Test
	void runsJobsThroughTheTable() throws Exception {
		Set<String> greeted = ConcurrentHashMap.newKeySet();
		JdbcJobPool pool = JdbcJobPool.builder(TestDatabase.get().dataSource())
			.build(JobPool.builder().name(TestDatabase.uniqueName("smoke")).workerNum(4)
				.processor(Greeting.class, () -> (job) -> greeted.add(job.data().to())));
		pool.start();
		for (int i = 0; i < 100; i++) {
			pool.submit(new Greeting("n" + i)).get(java.util.concurrent.TimeUnit.SECONDS.toMillis(30), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		assertThat(greeted).hasSize(100);
		pool.close(Duration.ofSeconds(10));
		assertThat(pool.isClosed()).isTrue();
		System.out.println(pool.stats());
	}

}
