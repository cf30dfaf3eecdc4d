package io.jobpool.jdbc;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs whose lease expired go back to the queue, until they have expired so often that they look like what kills
 * the pools running them.
 */
class ReaperTests {

	record Crash(String name) {
	}

	private final String name = TestDatabase.uniqueName("reaper");

	@Test
	void anExpiredLeaseReturnsTheJobToTheQueueUntilItHasExpiredThreeTimes() {
		long returned = insertRunning("returned", 0);
		long buried = insertRunning("buried", TableKeeper.MAX_LEASE_EXPIRIES - 1);
		CopyOnWriteArrayList<String> ran = new CopyOnWriteArrayList<>();
		JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(this.name)
			.processor(Crash.class, () -> (job) -> ran.add(job.id() + "@" + job.attempt())));
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains(returned + "@2"));
			await().atMost(Duration.ofSeconds(30)).until(() -> pool.deadJobCount() == 1);
			assertThat(ran).as("the job under its third expiry never runs again").containsExactly(returned + "@2");
			assertThat(pool.deadJobs(10)).singleElement().satisfies((dead) -> {
				assertThat(dead.id()).isEqualTo(buried);
				assertThat(dead.error()).contains("lease expired 3 times");
			});
		}
		finally {
			pool.close(Duration.ofSeconds(10));
		}
	}

	private long insertRunning(String job, int expiries) {
		return TestDatabase.get()
			.jdbc()
			.queryForObject("INSERT INTO jobpool_job (pool, type, payload, state, attempt, expiries, owner, lease_until)"
					+ " VALUES (?, 'Crash', ?::jsonb, 'running', 1, ?, 'gone', now() - interval '1 second') RETURNING id",
					Long.class, this.name, "{\"name\": \"" + job + "\"}", expiries);
	}

}
