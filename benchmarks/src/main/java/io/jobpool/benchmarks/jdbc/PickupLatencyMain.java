package io.jobpool.benchmarks.jdbc;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.jdbc.JdbcJobPool;

/**
 * How long a job submitted on one instance of a durable pool waits before it starts on another, idle instance: from
 * the return of {@code submit} on instance A (paused, so it runs nothing) to the start of the job's processor on
 * instance B, both in this JVM on one embedded PostgreSQL, timed with {@link System#nanoTime()}. A submits one job
 * at a time, {@value #MIN_GAP_MILLIS}–{@value #MAX_GAP_MILLIS} ms apart at random, so that each falls at a random
 * phase of B's poll. Each mode runs {@value #WARM_UP} jobs unmeasured, then the measured ones: notifications on
 * (the default 1 s poll behind them), notifications off with the default 1 s poll, and off with a 100 ms poll.
 * <p>
 * Usage: {@code PickupLatencyMain <raw dir> [<jobs per mode> | --smoke]} (300 jobs per mode by default, 30 with
 * {@code --smoke}); prints p50, p90, p99 and max per mode, and writes {@code pickup.csv} (one line per measured
 * job: mode, latency in µs) there. Fails if a job did not start.
 */
public final class PickupLatencyMain {

	static final int MIN_GAP_MILLIS = 5;

	static final int MAX_GAP_MILLIS = 25;

	static final int WARM_UP = 20;

	private static final int DEFAULT_JOBS = 300;

	private static final int SMOKE_JOBS = 30;

	private static final int CONNECTIONS = 16;

	/** The payload: the job's number. */
	record Ping(int seq) {
	}

	/**
	 * How the instances find each other's jobs.
	 * @param label its name in the table and the CSV
	 * @param notifications whether they notify and listen
	 * @param pollInterval how often they poll
	 */
	record Mode(String label, boolean notifications, Duration pollInterval) {
	}

	static final Mode[] MODES = { new Mode("notify", true, Duration.ofSeconds(1)),
			new Mode("poll-1s", false, Duration.ofSeconds(1)), new Mode("poll-100ms", false, Duration.ofMillis(100)) };

	private PickupLatencyMain() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		Path raw = Path.of(args[0]);
		int jobs = (args.length < 2) ? DEFAULT_JOBS : "--smoke".equals(args[1]) ? SMOKE_JOBS : Integer.parseInt(args[1]);
		Random gaps = new Random(15);
		Map<Mode, long[]> latencies = new LinkedHashMap<>();
		try (Database database = new Database(CONNECTIONS, Durability.FSYNC_OFF);
				PrintWriter csv = new PrintWriter(Files.newBufferedWriter(raw.resolve("pickup.csv")))) {
			System.out.printf(Locale.ROOT, "%s; instance A submits %d jobs a mode (after %d unmeasured), %d–%d ms "
					+ "apart; instance B idle; HikariCP pool of %d%n", database.describe(), jobs, WARM_UP,
					MIN_GAP_MILLIS, MAX_GAP_MILLIS, CONNECTIONS);
			csv.println("mode,latency_us");
			for (Mode mode : MODES) {
				database.clean(JobPoolQueue.TABLE);
				long[] measured = measure(database, mode, jobs, gaps);
				for (long nanos : measured) {
					csv.println(mode.label() + "," + TimeUnit.NANOSECONDS.toMicros(nanos));
				}
				latencies.put(mode, measured);
			}
		}
		print(latencies);
	}

	/**
	 * Run a mode's jobs from A to B.
	 * @return each measured job's latency in nanoseconds
	 * @throws IllegalStateException if a job did not start in time
	 */
	private static long[] measure(Database database, Mode mode, int jobs, Random gaps) throws InterruptedException {
		int total = WARM_UP + jobs;
		AtomicLongArray started = new AtomicLongArray(total);
		CountDownLatch allStarted = new CountDownLatch(total);
		long[] submitted = new long[total];
		String name = "pickup-" + mode.label();
		JdbcJobPool b = instance(database, mode, JobPool.builder().name(name).workerNum(4).queueSize(total)
			.processor(Ping.class, () -> (job) -> {
				started.set(job.data().seq(), System.nanoTime());
				allStarted.countDown();
			}));
		JdbcJobPool a = instance(database, mode, JobPool.builder().name(name).workerNum(1).queueSize(total)
			.processor(Ping.class, () -> (job) -> {
				throw new IllegalStateException("Instance A is paused and runs nothing");
			}));
		try {
			a.pause();
			for (int seq = 0; seq < total; seq++) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS
					.toNanos(MIN_GAP_MILLIS + gaps.nextInt(MAX_GAP_MILLIS - MIN_GAP_MILLIS + 1)));
				a.submit(new Ping(seq));
				submitted[seq] = System.nanoTime();
			}
			if (!allStarted.await(mode.pollInterval().toSeconds() + 30, TimeUnit.SECONDS)) {
				throw new IllegalStateException(mode.label() + ": " + allStarted.getCount() + " jobs did not start on "
						+ "instance B");
			}
		}
		finally {
			a.close();
			b.close();
		}
		long[] latencies = new long[jobs];
		for (int i = 0; i < jobs; i++) {
			latencies[i] = started.get(WARM_UP + i) - submitted[WARM_UP + i];
		}
		return latencies;
	}

	private static JdbcJobPool instance(Database database, Mode mode, JobPoolBuilder pool) {
		JdbcJobPool instance = JdbcJobPool.builder(database.dataSource())
			.initializeSchema(true)
			.pollInterval(mode.pollInterval())
			.notifications(mode.notifications())
			.build(pool);
		instance.start();
		return instance;
	}

	private static void print(Map<Mode, long[]> latencies) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%-12s %6s %10s %10s %10s %10s%n", "mode", "jobs", "p50 ms", "p90 ms", "p99 ms",
				"max ms");
		latencies.forEach((mode, nanos) -> {
			long[] sorted = nanos.clone();
			Arrays.sort(sorted);
			System.out.printf(Locale.ROOT, "%-12s %6d %10.2f %10.2f %10.2f %10.2f%n", mode.label(), sorted.length,
					millis(percentile(sorted, 50)), millis(percentile(sorted, 90)), millis(percentile(sorted, 99)),
					millis(sorted[sorted.length - 1]));
		});
		System.out.println("(from the return of submit on instance A to the start of the job on instance B)");
	}

	/** The nearest-rank percentile of sorted values. */
	private static long percentile(long[] sorted, int percent) {
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

}
