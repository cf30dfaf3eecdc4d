package io.jobpool.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException;
import io.jobpool.jdbc.test.TestDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Closing a durable pool leaves every job it did not finish in the table, and every future says so.
 */
class LifecycleTests {

	record Task(int n) {
	}

	private final String name = TestDatabase.uniqueName("life");

	@Test
	void closeHandsBackTheFuturesOfJobsStillStoredAndLeavesTheJobsInTheTable() throws Exception {
		JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(this.name)
			.processor(Task.class, () -> (job) -> {
			}));
		pool.pause();
		JobFuture one = pool.submit(new Task(1));
		JobFuture two = pool.submit(new Task(2));
		assertThat(pool.close(Duration.ofSeconds(10))).isEmpty();
		assertThat(pool.state()).isEqualTo(JobPool.State.CLOSED);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> one.get(1, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(JobHandedBackException.class);
		assertThat(two).isCompletedExceptionally();
		assertThat(TestPools.rows(this.name, "ready")).isEqualTo(2);
		assertThat(pool.stats()).isEqualTo(new JobPoolStats(2, 0, 0, 0, 0, 2, 0, 0));
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit(new Task(3)))
			.withMessageContaining("closed");
	}

	@Test
	void aForcedStopGivesClaimedJobsBackToTheTableForAnotherPool() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		JdbcJobPool stuck = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(this.name)
			.workerNum(1)
			.processor(Task.class, () -> (job) -> {
				running.countDown();
				never.await();
			}));
		JobFuture blocked = stuck.submit(new Task(1));
		JobFuture queued = stuck.submit(new Task(2));
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		List<Job<?>> handedBack = stuck.close(Duration.ofMillis(500));
		assertThat(handedBack).isEmpty();
		assertThat(stuck.awaitTermination(Duration.ofSeconds(10))).isTrue();
		assertThat(TestPools.rows(this.name, "ready")).as("both back in the queue").isEqualTo(2);
		assertThat(blocked).isCompletedExceptionally();
		assertThat(queued).isCompletedExceptionally();
		JdbcJobPool next = TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(this.name)
			.processor(Task.class, () -> (job) -> {
			}));
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> TestPools.rows(this.name) == 0);
		}
		finally {
			next.close(Duration.ofSeconds(10));
		}
	}

	@Test
	void startFailsNamingTheFixWhenTheTableIsMissing() {
		try (HikariDataSource empty = TestDatabase.get().dataSource(2, "empty_schema")) {
			JdbcJobPool pool = TestPools.builder(empty).build(JobPool.builder()
				.name(this.name)
				.processor(Task.class, () -> (job) -> {
				}));
			assertThatExceptionOfType(InvalidPoolConfigurationException.class).isThrownBy(pool::start)
				.withMessageContaining("jobpool_job does not exist")
				.withMessageContaining("pool.jdbc.initialize-schema=always")
				.withMessageContaining("schema-postgresql.sql");
		}
	}

	@Test
	void startFailsNamingTheFixWhenTheDatabaseIsNotPostgresql() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:not-postgresql");
		JdbcJobPool pool = TestPools.builder(h2).initializeSchema(true).build(JobPool.builder()
			.name(this.name)
			.processor(Task.class, () -> (job) -> {
			}));
		assertThatExceptionOfType(InvalidPoolConfigurationException.class).isThrownBy(pool::start)
			.withMessageContaining("needs PostgreSQL 14 or newer")
			.withMessageContaining("is H2")
			.withMessageContaining("pool.store=memory");
		assertThat(pool.state()).isEqualTo(JobPool.State.NOT_STARTED);
	}

	@Test
	void initializeSchemaCreatesTheTablesAndCanRunAgain() throws Exception {
		try (HikariDataSource fresh = TestDatabase.get().dataSource(4, "fresh_schema")) {
			for (int start = 1; start <= 2; start++) {
				JdbcJobPool pool = TestPools.builder(fresh).initializeSchema(true).build(JobPool.builder()
					.name(this.name)
					.processor(Task.class, () -> (job) -> {
					}));
				pool.start();
				try {
					pool.submit(new Task(start)).get(30, TimeUnit.SECONDS);
				}
				finally {
					pool.close(Duration.ofSeconds(10));
				}
			}
			assertThat(new JdbcTemplate(fresh).queryForList(
					"SELECT to_regclass(t)::text FROM unnest(ARRAY['jobpool_job', 'jobpool_recurring']) AS t",
					String.class))
				.containsExactly("jobpool_job", "jobpool_recurring");
			assertThat(new JdbcTemplate(fresh).queryForList(
					"SELECT unnest(reloptions) FROM pg_class WHERE oid = 'jobpool_job'::regclass", String.class))
				.as("the vacuum settings of a queue table")
				.contains("autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=10000",
						"autovacuum_vacuum_cost_delay=0", "vacuum_index_cleanup=on");
		}
		finally {
			TestDatabase.get().jdbc().execute("DROP SCHEMA fresh_schema CASCADE");
		}
	}

	@Test
	void startFailsNamingTheFixWhenAPoolWithRecurringJobsFindsNoTableForThem() throws Exception {
		try (HikariDataSource older = TestDatabase.get().dataSource(4, "older_schema")) {
			new ResourceDatabasePopulator(new ClassPathResource(Schema.SCRIPT)).execute(older);
			new JdbcTemplate(older).execute("DROP TABLE jobpool_recurring");
			JdbcJobPool recurring = TestPools.builder(older).build(JobPool.builder()
				.name(this.name)
				.recurring("nightly", (after) -> after.plus(Duration.ofDays(1)), (slot) -> new Task(1))
				.processor(Task.class, () -> (job) -> {
				}));
			assertThatExceptionOfType(InvalidPoolConfigurationException.class).isThrownBy(recurring::start)
				.withMessageContaining("jobpool_recurring does not exist")
				.withMessageContaining("schema-postgresql.sql");
			JdbcJobPool plain = TestPools.start(older, JobPool.builder().name(this.name).processor(Task.class,
					() -> (job) -> {
					}));
			plain.close(Duration.ofSeconds(10));
		}
		finally {
			TestDatabase.get().jdbc().execute("DROP SCHEMA older_schema CASCADE");
		}
	}

	@Test
	void badOptionsFailTheBuildNamingTheOption() {
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> JdbcJobPool.builder(TestDatabase.get().dataSource())
				.lease(Duration.ZERO)
				.build(JobPool.builder().processor(Task.class, () -> (job) -> {
				})))
			.withMessageContaining("jdbc.lease");
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> JdbcJobPool.builder(TestDatabase.get().dataSource())
				.lease(Duration.ofSeconds(1))
				.pollInterval(Duration.ofSeconds(2))
				.build(JobPool.builder().processor(Task.class, () -> (job) -> {
				})))
			.withMessageContaining("jdbc.pollInterval")
			.withMessageContaining("shorter than the lease");
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> JdbcJobPool.builder(TestDatabase.get().dataSource())
				.build(JobPool.builder().autoscale(true).maxPoolNum(2).processor(Task.class, () -> (job) -> {
				})))
			.withMessageContaining("autoscale");
	}

}
