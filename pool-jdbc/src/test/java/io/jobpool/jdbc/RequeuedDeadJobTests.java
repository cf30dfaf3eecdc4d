package io.jobpool.jdbc;

import java.time.Duration;
import java.util.Map;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A dead job requeued gets a fresh budget of failures and of lease expiries. */
class RequeuedDeadJobTests {

	private final String name = TestDatabase.uniqueName("requeued");

	private final JdbcTemplate jdbc = TestDatabase.get().jdbc();

	private final JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(),
			JobPool.builder().name(this.name).processor(Task.class, () -> (job) -> {
			}));

	record Task(int id) {
	}

	@AfterEach
	void close() {
		this.pool.close(Duration.ofSeconds(10));
	}

	@Test
	void aJobRequeuedAfterThreeLeaseExpiriesReturnsToTheQueueAtItsNextExpiry() {
		this.pool.pause();
		JobFuture future = this.pool.submit(new Task(1));
		long id = future.jobId();
		// As the reaper leaves a job whose lease expired three times, one of its runs having failed.
		this.jdbc.update("UPDATE jobpool_job SET state = 'dead', attempt = 3, failures = 1, expiries = 3,"
				+ " failed_at = now(), last_error = 'Its lease expired 3 times' WHERE id = ?", id);

		assertThat(this.pool.requeueDeadJob(id)).isTrue();
		assertThat(budget(id)).as("the requeued job's row").isEqualTo(Map.of("state", "ready", "failures", 0, "expiries", 0));

		// Claimed by a pool that then stopped: its lease runs out once more.
		this.jdbc.update("UPDATE jobpool_job SET state = 'running', attempt = attempt + 1, owner = 'a-pool-that-stopped',"
				+ " lease_until = now() - interval '1 second' WHERE id = ?", id);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(budget(id)).as("the row once its lease expired after the requeue")
				.isEqualTo(Map.of("state", "ready", "failures", 0, "expiries", 1)));
	}

	private Map<String, Object> budget(long id) {
		return this.jdbc.queryForMap("SELECT state, failures, expiries FROM jobpool_job WHERE id = ?", id);
	}

}
