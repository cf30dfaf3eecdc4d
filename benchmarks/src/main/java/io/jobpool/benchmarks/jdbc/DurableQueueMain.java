package io.jobpool.benchmarks.jdbc;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.jobpool.benchmarks.Tally;

/**
 * Jobs/s through PostgreSQL: {@link io.jobpool.jdbc.JdbcJobPool} against db-scheduler, in one JVM, on one embedded
 * PostgreSQL and one HikariCP pool. In each round a queue is started, {@value #PRODUCERS} producer threads submit
 * {@code jobs} no-op jobs between them while its workers run them, and the clock runs from the
 * first submit until the last job has ended and its row is gone. Warm-up rounds run every queue once each; the
 * measured rounds then take turns, the order shifting by one each round. The tables are emptied between rounds.
 * <p>
 * Usage: {@code DurableQueueMain <raw dir> <jobs> <rounds> <warm-up rounds> <workers> [fsync-off|fsync-on]}
 * (fsync-off by default: see {@link Durability}); writes {@code durable-<workers>-<fsync-off|fsync-on>.csv} (one line
 * per measured round) and {@code durable-<workers>-<fsync-off|fsync-on>-setup.txt} there. Exits with 1 if a round
 * did not run all its jobs.
 */
public final class DurableQueueMain {

	static final int PRODUCERS = 4;

	static final int CONNECTIONS = 16;

	static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	static final List<DurableQueue> QUEUES = List.of(DurableQueue.values());

	/** Every queue's table, emptied before each round. */
	static final String[] TABLES = QUEUES.stream().map(DurableQueue::table).distinct().toArray(String[]::new);

	private DurableQueueMain() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		Path raw = Path.of(args[0]);
		int jobs = Integer.parseInt(args[1]);
		int rounds = Integer.parseInt(args[2]);
		int warmUps = Integer.parseInt(args[3]);
		int workers = Integer.parseInt(args[4]);
		Durability durability = (args.length > 5) ? Durability.of(args[5]) : Durability.FSYNC_OFF;
		List<Round> measured = new ArrayList<>();
		try (Database database = new Database(CONNECTIONS, durability);
				PrintWriter csv = new PrintWriter(Files.newBufferedWriter(raw.resolve(csvName(workers, durability))))) {
			String setup = String.format(Locale.ROOT, "%s; %,d jobs a round, %d producers, %d workers each, "
					+ "HikariCP pool of %d, poll interval %d ms for both; %d warm-up round(s) each, then %d measured",
					database.describe(), jobs, PRODUCERS, workers, CONNECTIONS, POLL_INTERVAL.toMillis(), warmUps,
					rounds);
			Files.writeString(raw.resolve(setupName(workers, durability)), setup + "\n");
			System.out.println(setup);
			csv.println(Round.CSV_HEADER);
			for (int warmUp = 1; warmUp <= warmUps; warmUp++) {
				for (DurableQueue queue : QUEUES) {
					System.out.println("warm-up " + run(database, queue, 0, jobs, workers).csv());
				}
			}
			for (int round = 1; round <= rounds; round++) {
				for (int turn = 0; turn < QUEUES.size(); turn++) {
					Round result = run(database, QUEUES.get((round - 1 + turn) % QUEUES.size()), round, jobs,
							workers);
					System.out.println(result.csv());
					csv.println(result.csv());
					csv.flush();
					measured.add(result);
				}
			}
		}
		Map<DurableQueue, Round.Summary> summaries = Round.summarize(measured);
		print(summaries);
		if (!summaries.values().stream().allMatch(Round.Summary::clean)) {
			System.out.println("Some round did not run all its jobs: see the status column above.");
			System.exit(1);
		}
	}

	/** The file of measured rounds with this many workers, on a database of this durability. */
	public static String csvName(int workers, Durability durability) {
		return baseName(workers, durability) + ".csv";
	}

	/** The file describing the set-up of the rounds with this many workers, on a database of this durability. */
	public static String setupName(int workers, Durability durability) {
		return baseName(workers, durability) + "-setup.txt";
	}

	private static String baseName(int workers, Durability durability) {
		return "durable-" + workers + "-" + durability.label();
	}

	static Round run(Database database, DurableQueue queue, int round, int jobs, int workers)
			throws InterruptedException {
		database.clean(TABLES);
		Tally tally = new Tally(jobs);
		AtomicReference<RuntimeException> submitError = new AtomicReference<>();
		try (DurableQueue.Running running = queue.open(database.dataSource(), workers, jobs, POLL_INTERVAL, tally)) {
			long[] times = produce(running, jobs, submitError);
			long start = times[0];
			Duration timeout = Duration.ofSeconds(60 + jobs / 50);
			boolean all = submitError.get() == null && tally.await(timeout);
			long end = all ? tally.lastEndNanos() : System.nanoTime();
			String status = (submitError.get() != null) ? "submit failed: " + submitError.get()
					: !all ? "only " + tally.ended() + " of " + jobs + " jobs ended within " + timeout
					: (tally.failed() > 0) ? "failed jobs, the first: " + tally.firstFailure() : "ok";
			long rowsLeft = database.rows(queue.table());
			return new Round(queue, round, jobs, (times[1] - start) / 1e9, (end - start) / 1e9, tally.failed(),
					rowsLeft, status);
		}
	}

	/**
	 * Submit the jobs from the producer threads, released together; the first submit error stops its producer.
	 * @return when the producers were released and when the last of them returned, in nanoseconds
	 */
	static long[] produce(DurableQueue.Running queue, int jobs, AtomicReference<RuntimeException> submitError)
			throws InterruptedException {
		CountDownLatch gate = new CountDownLatch(1);
		long[] submitEnds = new long[PRODUCERS];
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			int first = p;
			Thread producer = new Thread(() -> {
				try {
					gate.await();
					for (int seq = first; seq < jobs; seq += PRODUCERS) {
						queue.submit(seq);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (RuntimeException ex) {
					submitError.compareAndSet(null, ex);
				}
				submitEnds[first] = System.nanoTime();
			}, "producer-" + p);
			producer.start();
			producers.add(producer);
		}
		long start = System.nanoTime();
		gate.countDown();
		long lastEnd = start;
		for (int p = 0; p < PRODUCERS; p++) {
			producers.get(p).join();
			lastEnd = Math.max(lastEnd, submitEnds[p]);
		}
		return new long[] { start, lastEnd };
	}

	static void print(Map<DurableQueue, Round.Summary> summaries) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%-64s %9s  %-26s %10s %9s %s%n", "queue", "jobs/s", "each round", "submits/s",
				"drain s", "all ran");
		summaries.values()
			.forEach((s) -> System.out.printf(Locale.ROOT, "%-64s %,9.0f  %-26s %,10.0f %9.2f %s%n",
					s.queue().description(), s.medianJobsPerSecond(), s.eachJobsPerSecond(), s.medianSubmitsPerSecond(),
					s.maxDrainSeconds(), s.clean() ? "yes" : "NO"));
		System.out.println("(jobs/s and submits/s: medians; drain: the longest wait after a round's last submit)");
		Round.Summary pool = summaries.get(DurableQueue.JOBPOOL);
		for (Round.Summary them : summaries.values()) {
			if (pool != null && them != pool) {
				System.out.printf(Locale.ROOT, "JdbcJobPool / %s: %.2f ×%n", them.queue().description(),
						pool.medianJobsPerSecond() / them.medianJobsPerSecond());
			}
		}
	}

}
