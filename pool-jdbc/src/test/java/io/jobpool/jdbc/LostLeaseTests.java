package io.jobpool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.jdbc.test.CrashingWorkerMain.Task;
import io.jobpool.jdbc.test.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pool cut off from the database loses the lease of the job it runs; once another pool claimed the job again,
 * the first run's outcome changes nothing: every change is fenced by the job's attempt.
 */
class LostLeaseTests {

	private static final Duration LEASE = Duration.ofSeconds(1);

	private static final Duration BOUND = Duration.ofSeconds(30);

	private final TestDatabase database = TestDatabase.get();

	private final JdbcTemplate jdbc = this.database.jdbc();

	private final String name = TestDatabase.uniqueName("lost-lease");

	private final PartitionedDataSource cutOff = new PartitionedDataSource(this.database.dataSource());

	private final Queue<Run> runs = new ConcurrentLinkedQueue<>();

	private final CountDownLatch firstRunMayEnd = new CountDownLatch(1);

	private final CountDownLatch secondRunMayEnd = new CountDownLatch(1);

	/** The durable pool's loggers' parent; held here, as the logging framework keeps its loggers only weakly. */
	private final Logger poolLogger = Logger.getLogger(JdbcJobPool.class.getPackageName());

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	private final Handler warningRecorder = new Handler() {

		@Override
		public void publish(LogRecord record) {
			// The pool cut off warns, with a stack trace, each time it cannot reach the database: expected here.
			if (!PartitionedDataSource.isCause(record.getThrown())) {
				LostLeaseTests.this.warnings.add(record.getMessage());
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private @Nullable JdbcJobPool first;

	private @Nullable JdbcJobPool second;

	@BeforeEach
	void recordWarnings() {
		this.poolLogger.addHandler(this.warningRecorder);
		this.poolLogger.setUseParentHandlers(false);
	}

	@AfterEach
	void stop() {
		this.firstRunMayEnd.countDown();
		this.secondRunMayEnd.countDown();
		this.cutOff.heal();
		if (this.first != null) {
			this.first.close(Duration.ofSeconds(10));
		}
		if (this.second != null) {
			this.second.close(Duration.ofSeconds(10));
		}
		this.poolLogger.removeHandler(this.warningRecorder);
		this.poolLogger.setUseParentHandlers(true);
	}

	@ParameterizedTest(name = "the late run {0}")
	@EnumSource
	void aRunThatLostItsLeaseChangesNothingOnceTheJobWasClaimedAgain(Outcome lateOutcome) throws Exception {
		JdbcJobPool first = pool("first", this.cutOff, Duration.ofMillis(500), (job) -> {
			this.firstRunMayEnd.await();
			if (lateOutcome == Outcome.FAILS) {
				throw new IllegalStateException("The late run failed");
			}
		});
		this.first = first;
		first.start();
		JobFuture future = first.submit(new Task(1));
		long id = future.jobId();
		await().atMost(BOUND).until(() -> this.runs.size() == 1);
		assertThat(this.runs).containsExactly(new Run(first.owner(), id, 1));
		assertThat(row(id)).isEqualTo(new Row("running", 1, first.owner()));

		// Cut off, the first pool cannot renew its lease; the second returns the job to the queue and claims it.
		this.cutOff.cut();
		JdbcJobPool second = pool("second", this.database.dataSource(), Duration.ofMillis(100),
				(job) -> this.secondRunMayEnd.await());
		this.second = second;
		second.start();
		await().atMost(BOUND).until(() -> this.runs.size() == 2);
		assertThat(this.runs).containsExactly(new Run(first.owner(), id, 1), new Run(second.owner(), id, 2));
		assertThat(row(id)).isEqualTo(new Row("running", 2, second.owner()));

		// Back in touch, the first run ends and the first pool tries to record it.
		this.cutOff.heal();
		this.firstRunMayEnd.countDown();
		String lostLease = "ran job " + id + " (attempt 1) after its lease was lost";
		Row secondClaim = new Row("running", 2, second.owner());
		await().atMost(BOUND)
			.until(() -> this.warnings.stream().anyMatch((warning) -> warning.contains(lostLease))
					|| !secondClaim.equals(rowOrNull(id)));
		assertThat(rowOrNull(id)).as("the job, once the late run of attempt 1 ended").isEqualTo(secondClaim);
		assertThat(this.warnings).anyMatch((warning) -> warning.contains(lostLease));
		assertThat(future).isNotDone();
		assertThat(first.stats()).isEqualTo(new JobPoolStats(1, 0, 0, 0, 0, 0, 0, 0));

		// The second run's success settles the job, and the future of the pool that submitted it.
		this.secondRunMayEnd.countDown();
		assertThat(future.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNull();
		assertThat(this.jdbc.queryForList("SELECT id FROM " + JobTable.TABLE + " WHERE pool = ?", this.name))
			.isEmpty();
		assertThat(this.runs).hasSize(2);

		assertThat(first.close(Duration.ofSeconds(10))).isEmpty();
		assertThat(second.close(Duration.ofSeconds(10))).isEmpty();
		// Counted once stopped: the job submitted to the first pool succeeded once, and failed never.
		assertThat(first.stats()).isEqualTo(new JobPoolStats(1, 0, 1, 0, 0, 0, 0, 0));
		assertThat(second.stats()).isEqualTo(new JobPoolStats(0, 0, 0, 0, 0, 0, 0, 0));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.isAlive() && thread.getName().startsWith(this.name + "-")));
	}

	private JdbcJobPool pool(String label, DataSource dataSource, Duration pollInterval, Blocking run) {
		return JdbcJobPool.builder(dataSource)
			.lease(LEASE)
			.pollInterval(pollInterval)
			.build(JobPool.builder()
				.name(this.name)
				.workerNum(1)
				.threadNamePrefix(this.name + "-" + label + "-")
				.processor(Task.class, () -> (job) -> {
					JdbcJobPool self = label.equals("first") ? this.first : this.second;
					this.runs.add(new Run(self.owner(), job.id(), job.attempt()));
					run.process(job);
				}));
	}

	private Row row(long id) {
		Row row = rowOrNull(id);
		assertThat(row).as("row of job %d", id).isNotNull();
		return row;
	}

	private @Nullable Row rowOrNull(long id) {
		List<Row> rows = this.jdbc.query("SELECT state, attempt, owner FROM " + JobTable.TABLE + " WHERE id = ?",
				(row, index) -> new Row(row.getString(1), row.getInt(2), row.getString(3)), id);
		return rows.isEmpty() ? null : rows.get(0);
	}

	/** How the run that lost its lease ends. */
	enum Outcome {

		SUCCEEDS, FAILS

	}

	/** What a processor does once it recorded its run. */
	@FunctionalInterface
	private interface Blocking {

		void process(Job<Task> job) throws Exception;

	}

	/**
	 * A run of a job.
	 * @param owner the pool instance that ran it
	 * @param id the job
	 * @param attempt the claim it ran under
	 */
	private record Run(String owner, long id, int attempt) {
	}

	/**
	 * A job's row.
	 * @param state ready, running or dead
	 * @param attempt its last claim
	 * @param owner who holds that claim
	 */
	private record Row(String state, int attempt, @Nullable String owner) {
	}

	/** A data source that can be cut off from the database, as by a network partition. */
	private static final class PartitionedDataSource extends DelegatingDataSource {

		private static final String CUT_OFF = "Cut off from the database by the test";

		private volatile boolean cut;

		PartitionedDataSource(DataSource dataSource) {
			super(dataSource);
		}

		void cut() {
			this.cut = true;
		}

		void heal() {
			this.cut = false;
		}

		@Override
		public Connection getConnection() throws SQLException {
			check();
			return super.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			check();
			return super.getConnection(username, password);
		}

		private void check() throws SQLException {
			if (this.cut) {
				throw new SQLTransientConnectionException(CUT_OFF);
			}
		}

		/** Whether an error comes from a cut. */
		static boolean isCause(@Nullable Throwable error) {
			for (Throwable cause = error; cause != null; cause = cause.getCause()) {
				if (cause instanceof SQLTransientConnectionException && CUT_OFF.equals(cause.getMessage())) {
					return true;
				}
			}
			return false;
		}

	}

}
