package io.jobpool.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.jdbc.test.CrashingWorkerMain;
import io.jobpool.jdbc.test.CrashingWorkerMain.Run;
import io.jobpool.jdbc.test.CrashingWorkerMain.Task;
import io.jobpool.jdbc.test.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A pool killed with {@code kill -9} mid-run loses no job: another pool runs its jobs once their leases expire. */
class CrashRecoveryTests {

	private static final int JOBS = 40;

	private static final int CHILD_WORKERS = 8;

	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	private static final Duration BOUND = Duration.ofSeconds(60);

	/** How a JVM killed by SIGKILL exits. */
	private static final int KILLED = 128 + 9;

	private final TestDatabase database = TestDatabase.get();

	private final JdbcTemplate jdbc = this.database.jdbc();

	private final String name = TestDatabase.uniqueName("crash");

	private final String threadNamePrefix = this.name + "-survivor-";

	@TempDir
	private Path directory;

	private @Nullable Process child;

	private @Nullable JdbcJobPool survivor;

	@BeforeEach
	void createRunsTable() {
		CrashingWorkerMain.createRunsTable(this.jdbc);
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.child != null) {
			this.child.destroyForcibly();
			this.child.waitFor(30, TimeUnit.SECONDS);
		}
		if (this.survivor != null) {
			this.survivor.close(Duration.ofSeconds(10));
		}
	}

	@Test
	void jobsOfAPoolKilledMidRunRunElsewhereOnceTheirLeasesExpire() throws Exception {
		JdbcJobPool survivor = JdbcJobPool.builder(this.database.dataSource())
			.lease(LEASE)
			.pollInterval(POLL_INTERVAL)
			.build(JobPool.builder()
				.name(this.name)
				.workerNum(8)
				.threadNamePrefix(this.threadNamePrefix)
				.processor(Task.class, () -> this::runHere));
		this.survivor = survivor;
		// Paused, the survivor stores the jobs but leaves them for the child to claim first.
		survivor.pause();
		survivor.start();
		List<JobFuture> futures = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			futures.add(survivor.submit(new Task(i)));
		}
		Set<Long> submitted = futures.stream().map(JobFuture::jobId).collect(Collectors.toSet());
		Process child = startChild();

		// The child claims as many jobs as it has workers; each of them starts and blocks.
		await().atMost(BOUND)
			.failFast(() -> assertThat(child.isAlive()).as(this::childOutput).isTrue())
			.until(() -> runs().size() >= CHILD_WORKERS);
		List<Run> childRuns = runs();
		String childOwner = childRuns.get(0).owner();
		assertThat(childOwner).isNotEqualTo(survivor.owner());
		assertThat(childRuns).hasSize(CHILD_WORKERS).allSatisfy((run) -> {
			assertThat(run.owner()).isEqualTo(childOwner);
			assertThat(run.attempt()).isOne();
		});
		Set<Long> held = childRuns.stream().map(Run::jobId).collect(Collectors.toSet());
		assertThat(claims().keySet()).isEqualTo(held);

		child.destroyForcibly();
		assertThat(child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(child.exitValue()).as("exit value of a JVM killed by SIGKILL").isEqualTo(KILLED);

		// Killed, the child gave nothing back: its jobs stay claimed, under leases nobody renews.
		Map<Long, Claim> orphaned = claims();
		assertThat(orphaned.keySet()).isEqualTo(held);
		assertThat(orphaned.values()).allSatisfy((claim) -> {
			assertThat(claim.owner()).isEqualTo(childOwner);
			assertThat(claim.attempt()).isOne();
		});

		survivor.resume();
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(futures).allSatisfy((future) -> assertThat(future).isCompleted());
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM " + JobTable.TABLE + " WHERE pool = ?", Long.class,
				this.name))
			.isZero();

		List<Run> runs = runs();
		List<Run> survivorRuns = runs.stream().filter((run) -> run.owner().equals(survivor.owner())).toList();
		// At least once: the survivor ran every job once, and only the jobs the child held ran twice.
		assertThat(runs).hasSize(JOBS + CHILD_WORKERS);
		assertThat(runs.stream().filter((run) -> !run.owner().equals(survivor.owner())))
			.containsExactlyInAnyOrderElementsOf(childRuns);
		assertThat(survivorRuns).extracting(Run::jobId).doesNotHaveDuplicates().hasSameElementsAs(submitted);
		assertThat(survivorRuns).allSatisfy((run) -> {
			if (held.contains(run.jobId())) {
				assertThat(run.attempt()).as("attempt of job %d, held by the child", run.jobId()).isEqualTo(2);
				assertThat(run.startedAt()).as("rerun of job %d, whose lease ran out at %s", run.jobId(),
						orphaned.get(run.jobId()).leaseUntil())
					.isAfter(orphaned.get(run.jobId()).leaseUntil());
			}
			else {
				assertThat(run.attempt()).as("attempt of job %d", run.jobId()).isOne();
			}
		});

		assertThat(survivor.close(Duration.ofSeconds(10))).isEmpty();
		assertThat(survivor.isClosed()).isTrue();
		// Counted once stopped: every job submitted to the survivor succeeded once.
		assertThat(survivor.stats()).isEqualTo(new JobPoolStats(JOBS, 0, JOBS, 0, 0, 0, 0, 0));
		await().atMost(Duration.ofSeconds(10)).until(() -> threadsOf(this.threadNamePrefix).isEmpty());
		assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).doesNotContain(child.pid());
	}

	private void runHere(Job<Task> job) {
		CrashingWorkerMain.recordRun(this.jdbc, this.name, job, this.survivor.owner());
	}

	private Process startChild() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), CrashingWorkerMain.class.getName(), this.name,
				String.valueOf(CHILD_WORKERS), String.valueOf(LEASE.toMillis()),
				String.valueOf(POLL_INTERVAL.toMillis()));
		builder.environment().put(TestDatabase.URL_VARIABLE, this.database.url());
		builder.environment().put("JOBPOOL_TEST_DATABASE_USER", this.database.user());
		builder.environment().put("JOBPOOL_TEST_DATABASE_PASSWORD", this.database.password());
		builder.redirectErrorStream(true).redirectOutput(this.directory.resolve("child.log").toFile());
		this.child = builder.start();
		return this.child;
	}

	private String childOutput() {
		try {
			return "the child JVM exited; its output:%n%s".formatted(
					Files.readString(this.directory.resolve("child.log"), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return "the child JVM exited; its output is unreadable: " + ex;
		}
	}

	private List<Run> runs() {
		return CrashingWorkerMain.runs(this.jdbc, this.name);
	}

	/** The claimed jobs of the pool, by id. */
	private Map<Long, Claim> claims() {
		return this.jdbc
			.query("SELECT id, attempt, owner, lease_until FROM " + JobTable.TABLE
					+ " WHERE pool = ? AND state = 'running'", (row, index) -> new Claim(row.getLong(1),
							row.getInt(2), row.getString(3), row.getTimestamp(4).toInstant()), this.name)
			.stream()
			.collect(Collectors.toMap(Claim::id, (claim) -> claim));
	}

	private static List<Thread> threadsOf(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith(prefix))
			.toList();
	}

	/**
	 * A claimed job.
	 * @param id the job
	 * @param attempt its claim
	 * @param owner the pool instance that holds it
	 * @param leaseUntil when its lease runs out, unless renewed
	 */
	private record Claim(long id, int attempt, String owner, Instant leaseUntil) {
	}

}
