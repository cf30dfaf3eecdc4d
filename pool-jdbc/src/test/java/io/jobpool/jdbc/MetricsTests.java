package io.jobpool.jdbc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.micrometer.JobPoolMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable pool has the in-memory pool's meters, read from the table, plus the count of dead jobs.
 */
class MetricsTests {

	record Work(boolean fail) {
	}

	@Test
	void theJobpoolMetersDescribeTheTableAndTheRunsHere() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		String name = TestDatabase.uniqueName("metrics");
		JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(name)
			.workerNum(3)
			.listener(JobPoolMetrics.bindOnStart(registry, Tags.empty()))
			.processor(Work.class, () -> (job) -> {
				if (job.data().fail()) {
					throw new IllegalArgumentException("bad work");
				}
			}));
		try {
			pool.submit(new Work(false)).get(30, TimeUnit.SECONDS);
			pool.submit(new Work(true)).handle((ignored, error) -> null).get(30, TimeUnit.SECONDS);
			pool.pause();
			for (int i = 0; i < 3; i++) {
				pool.submit(new Work(false));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> gauge(registry, "jobpool.queue.depth", name) == 3);
			assertThat(gauge(registry, "jobpool.workers", name)).isEqualTo(3);
			await().atMost(Duration.ofSeconds(10)).until(() -> gauge(registry, "jobpool.jobs.dead", name) == 1);
			assertThat(registry.get("jobpool.jobs.submitted").tag("pool", name).counter().count()).isEqualTo(5);
			assertThat(registry.get("jobpool.jobs.completed").tags("pool", name, "outcome", "success")
				.functionCounter()
				.count()).isOne();
			assertThat(registry.get("jobpool.jobs.completed").tags("pool", name, "outcome", "failure")
				.functionCounter()
				.count()).isOne();
			assertThat(registry.get("jobpool.job.duration").tags("pool", name, "outcome", "failure")
				.functionTimer()
				.count()).isOne();
			assertThat(registry.get("jobpool.queue.wait").tags("pool", name, "outcome", "success")
				.functionTimer()
				.count()).isOne();
		}
		finally {
			pool.close(Duration.ofSeconds(10));
		}
		assertThat(registry.find("jobpool.queue.depth").tag("pool", name).gauge()).as("removed at close").isNull();
	}

	private static double gauge(SimpleMeterRegistry registry, String meter, String pool) {
		return registry.get(meter).tag("pool", pool).gauge().value();
	}

}
