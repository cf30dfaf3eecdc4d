package io.jobpool.benchmarks.jdbc;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.jobpool.benchmarks.Tally;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a durable queue's time goes: one round of each queue, as {@link DurableQueueMain} runs it, on a PostgreSQL
 * that tracks its statements ({@code pg_stat_statements}); for each queue it prints the jobs/s, the transactions
 * committed and the WAL written per job, the buffers each table and index was read for, each statement's calls,
 * rows, time and buffers, and the CPU spent by each kind of PostgreSQL process and each group of the JVM's threads
 * (compilers and garbage collectors included), all per job.
 * <p>
 * Usage: {@code DurableQueueProfileMain <raw dir> <jobs> <workers> <fsync-off|fsync-on> [queue...]} (every queue by
 * default; a queue named twice runs twice; one warm-up round of each named first); writes
 * {@code profile-<workers>-<fsync-off|fsync-on>.txt} there. Linux only (it reads CPU times from {@code /proc}).
 */
public final class DurableQueueProfileMain {

	private static final Map<String, String> TRACK_STATEMENTS = Map.of("shared_preload_libraries",
			"pg_stat_statements", "pg_stat_statements.track", "all", "track_io_timing", "off");

	private static final int SHOWN_STATEMENTS = 12;

	private static final long CLOCK_TICKS_PER_SECOND = 100;

	private static final long STATISTICS_DELAY_MILLIS = 1000;

	private DurableQueueProfileMain() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		Path raw = Path.of(args[0]);
		int jobs = Integer.parseInt(args[1]);
		int workers = Integer.parseInt(args[2]);
		Durability durability = Durability.of(args[3]);
		List<DurableQueue> queues = (args.length > 4)
				? Stream.of(args).skip(4).map(DurableQueue::valueOf).toList() : DurableQueueMain.QUEUES;
		StringBuilder report = new StringBuilder();
		try (Database database = new Database(DurableQueueMain.CONNECTIONS, durability, TRACK_STATEMENTS)) {
			JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
			jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			line(report, "%s; %,d jobs, %d workers, load average at start %s", database.describe(), jobs, workers,
					Files.readString(Path.of("/proc/loadavg")).trim());
			for (DurableQueue queue : queues) {
				DurableQueueMain.run(database, queue, 0, jobs, workers);
			}
			System.out.print(report);
			for (DurableQueue queue : queues) {
				int from = report.length();
				profile(database, jdbc, queue, jobs, workers, report);
				System.out.print(report.substring(from));
			}
		}
		try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(
				raw.resolve("profile-" + workers + "-" + durability.label() + ".txt")))) {
			out.print(report);
		}
	}

	private static void profile(Database database, JdbcTemplate jdbc, DurableQueue queue, int jobs, int workers,
			StringBuilder report) throws Exception {
		database.clean(DurableQueueMain.TABLES);
		jdbc.execute("SELECT pg_stat_statements_reset()");
		jdbc.execute("SELECT pg_stat_reset()");
		jdbc.execute("SELECT pg_stat_reset_shared('wal')");
		long postmaster = Long.parseLong(Files.readAllLines(Path.of(jdbc.queryForObject(
				"SELECT current_setting('data_directory')", String.class), "postmaster.pid")).get(0).trim());
		Map<String, Long> serverBefore = serverTicks(postmaster);
		ThreadCpu threads = new ThreadCpu();
		long jvmBefore = processCpuNanos();
		long start = System.nanoTime();
		Tally tally = new Tally(jobs);
		AtomicReference<RuntimeException> submitError = new AtomicReference<>();
		try (DurableQueue.Running running = queue.open(database.dataSource(), workers, jobs,
				DurableQueueMain.POLL_INTERVAL, tally)) {
			DurableQueueMain.produce(running, jobs, submitError);
			if (submitError.get() != null || !tally.await(Duration.ofSeconds(60 + jobs / 50))) {
				throw new IllegalStateException(queue + ": only " + tally.ended() + " jobs ended", submitError.get());
			}
		}
		double seconds = (tally.lastEndNanos() - start) / 1e9;
		double jvmSeconds = (processCpuNanos() - jvmBefore) / 1e9;
		Map<String, Long> server = serverTicks(postmaster);
		server.replaceAll((role, ticks) -> ticks - serverBefore.getOrDefault(role, 0L));
		double pgSeconds = server.values().stream().mapToLong(Long::longValue).sum() / (double) CLOCK_TICKS_PER_SECOND;
		Map<String, Long> groups = threads.stop();
		// Backends report their counts to the statistics collector at most every 500 ms.
		Thread.sleep(STATISTICS_DELAY_MILLIS);
		line(report, "");
		line(report, "== %s: %,.0f jobs/s (%.2f s incl. start and stop), CPU: PostgreSQL %.2f s, JVM %.2f s "
				+ "(%.0f µs + %.0f µs a job)", queue.name(), jobs / seconds, seconds, pgSeconds, jvmSeconds,
				pgSeconds * 1e6 / jobs, jvmSeconds * 1e6 / jobs);
		Map<String, Object> counts = jdbc.queryForMap("SELECT xact_commit, xact_rollback, tup_inserted, "
				+ "tup_updated, tup_deleted, tup_returned, tup_fetched FROM pg_stat_database "
				+ "WHERE datname = current_database()");
		Map<String, Object> wal = jdbc.queryForMap("SELECT wal_records, wal_bytes, wal_write, wal_sync FROM pg_stat_wal");
		line(report, "   per job: %.2f commits, %.2f rollbacks; WAL %.1f records, %.0f bytes, %.3f writes, %.3f syncs "
				+ "(stats lag up to 0.5 s)", per(counts.get("xact_commit"), jobs),
				per(counts.get("xact_rollback"), jobs), per(wal.get("wal_records"), jobs),
				per(wal.get("wal_bytes"), jobs), per(wal.get("wal_write"), jobs), per(wal.get("wal_sync"), jobs));
		StringBuilder byRelation = new StringBuilder("   buffers a job, by relation:");
		jdbc.queryForList("SELECT relname AS name, heap_blks_hit + heap_blks_read AS blocks FROM pg_statio_user_tables"
				+ " UNION ALL SELECT indexrelname, idx_blks_hit + idx_blks_read FROM pg_statio_user_indexes"
				+ " ORDER BY 2 DESC LIMIT 8")
			.forEach((relation) -> byRelation.append(String.format(Locale.ROOT, " %s %.1f;", relation.get("name"),
					per(relation.get("blocks"), jobs))));
		line(report, "%s", byRelation);
		List<Map<String, Object>> statements = jdbc.queryForList("SELECT calls, rows, total_exec_time + "
				+ "total_plan_time AS ms, shared_blks_hit + shared_blks_read AS blocks, query FROM pg_stat_statements"
				+ " WHERE query NOT ILIKE '%pg_stat%' ORDER BY calls DESC");
		long calls = statements.stream().mapToLong((s) -> ((Number) s.get("calls")).longValue()).sum();
		double ms = statements.stream().mapToDouble((s) -> ((Number) s.get("ms")).doubleValue()).sum();
		line(report, "   statements: %.2f a job, server time %.1f µs a job", calls / (double) jobs, ms * 1e3 / jobs);
		for (Map<String, Object> statement : statements.subList(0, Math.min(SHOWN_STATEMENTS, statements.size()))) {
			String query = String.valueOf(statement.get("query")).replaceAll("\\s+", " ");
			double calledTimes = ((Number) statement.get("calls")).doubleValue();
			line(report, "   %7.3f calls/job %8.2f rows/call %7.1f µs/call %8.1f blocks/call %6.1f blocks/job  %s",
					calledTimes / jobs, ((Number) statement.get("rows")).doubleValue() / calledTimes,
					((Number) statement.get("ms")).doubleValue() * 1e3 / calledTimes,
					((Number) statement.get("blocks")).doubleValue() / calledTimes,
					per(statement.get("blocks"), jobs), query.substring(0, Math.min(100, query.length())));
		}
		StringBuilder byGroup = new StringBuilder("   JVM threads, CPU µs a job:");
		groups.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 10_000_000L)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> byGroup.append(String.format(Locale.ROOT, " %s %.0f;", entry.getKey(),
					entry.getValue() / 1e3 / jobs)));
		line(report, "%s", byGroup);
		StringBuilder byRole = new StringBuilder("   PostgreSQL processes, CPU µs a job:");
		server.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 0)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> byRole.append(String.format(Locale.ROOT, " %s %.0f;", entry.getKey(),
					entry.getValue() * 1e6 / CLOCK_TICKS_PER_SECOND / jobs)));
		line(report, "%s", byRole);
	}

	private static double per(Object count, int jobs) {
		return ((Number) count).doubleValue() / jobs;
	}

	/**
	 * The CPU time of the JVM's threads while a round runs (from {@code /proc/self/task}, so the JVM's own threads,
	 * compilers and garbage collectors, count too), by group of threads: their names without numbers. Read every
	 * few milliseconds, as threads end with the round.
	 */
	private static final class ThreadCpu {

		private static final long SAMPLE_MILLIS = 100;

		private final Map<String, Long> before = new HashMap<>();

		private final Map<String, Long> last = new HashMap<>();

		private final Map<String, String> names = new HashMap<>();

		private final Thread sampler;

		private volatile boolean running = true;

		ThreadCpu() throws IOException {
			sample(this.before);
			this.sampler = new Thread(() -> {
				while (this.running) {
					try {
						sample(this.last);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS));
				}
			}, "profile-sampler");
			this.sampler.setDaemon(true);
			this.sampler.start();
		}

		private void sample(Map<String, Long> into) throws IOException {
			try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
				for (Path task : tasks.toList()) {
					String comm = readQuietly(task.resolve("comm"));
					String[] stat = stat(task);
					if (comm != null && stat != null) {
						String id = task.getFileName().toString();
						into.put(id, Long.parseLong(stat[11]) + Long.parseLong(stat[12]));
						this.names.put(id, comm.trim());
					}
				}
			}
		}

		/** Stop sampling; the CPU nanoseconds each group of threads spent since the start. */
		Map<String, Long> stop() throws InterruptedException {
			this.running = false;
			this.sampler.join();
			Map<String, Long> groups = new TreeMap<>();
			this.last.forEach((id, ticks) -> groups.merge(
					this.names.get(id).replaceAll("[-#_ ]?\\d+$", "").replaceAll("\\d+", "N"),
					(ticks - this.before.getOrDefault(id, 0L)) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND),
					Long::sum));
			return groups;
		}

	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** CPU ticks of PostgreSQL's processes by role: the postmaster, its children alive, and those that exited. */
	private static Map<String, Long> serverTicks(long postmaster) throws IOException {
		Map<String, Long> ticks = new TreeMap<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : processes.filter((p) -> p.getFileName().toString().matches("\\d+")).toList()) {
				String[] stat = stat(process);
				String command = readQuietly(process.resolve("cmdline"));
				if (stat == null || command == null) {
					continue;
				}
				long own = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
				if (Long.parseLong(process.getFileName().toString()) == postmaster) {
					ticks.merge("postmaster", own, Long::sum);
					ticks.merge("exited", Long.parseLong(stat[13]) + Long.parseLong(stat[14]), Long::sum);
				}
				else if (Long.parseLong(stat[1]) == postmaster) {
					ticks.merge(role(command), own, Long::sum);
				}
			}
		}
		return ticks;
	}

	/** What a child of the postmaster does, from its title ("postgres: walwriter", "postgres: user db host idle"). */
	private static String role(String command) {
		String title = command.replace('\0', ' ').replaceFirst("^postgres: ", "").trim();
		if (title.startsWith("autovacuum worker")) {
			return "autovacuum worker";
		}
		return title.matches("\\S+ \\S+ \\S+\\(\\d+\\).*") ? "backends" : title;
	}

	/** The fields of /proc/pid/stat after the command, from the state on (index 1 is the parent). */
	private static String[] stat(Path process) {
		String stat = readQuietly(process.resolve("stat"));
		return (stat != null) ? stat.substring(stat.lastIndexOf(')') + 2).split(" ") : null;
	}

	/** A file of a process that may have ended, or {@code null}. */
	private static String readQuietly(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void line(StringBuilder report, String format, Object... args) {
		report.append(String.format(Locale.ROOT, format, args)).append('\n');
	}

}
