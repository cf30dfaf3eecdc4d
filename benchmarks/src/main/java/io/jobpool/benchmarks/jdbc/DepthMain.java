package io.jobpool.benchmarks.jdbc;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.benchmarks.Pools;
import io.jobpool.benchmarks.jdbc.JobPoolQueue.Tick;
import io.jobpool.jdbc.JdbcJobPool;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Jobs/s of {@link JdbcJobPool} on a deep table and on a table that has churned, against a shallow one, on an
 * embedded PostgreSQL with the table settings the pool's schema ships. Each condition starts from the table emptied
 * and filled afresh in SQL ({@code INSERT ... SELECT generate_series}, with the pool's type name and payload JSON):
 * <ul>
 * <li><b>baseline</b>: 20,000 ready rows;</li>
 * <li><b>depth</b>: 1,000,000 ready rows;</li>
 * <li><b>churn</b>: 1,000,000 rows inserted, claimed and deleted in batches of 10,000, as a queue that has run a
 * million jobs leaves them, then 20,000 ready rows, measured once autovacuum has come by as it would have while a
 * pool ran those jobs (its next run that starts after the rows are loaded);</li>
 * <li><b>burst</b>: the same million rows, then at once the 20,000 ready rows: the pool starts with the dead row
 * versions of the million jobs still in the table, and autovacuum comes when it comes (it looks every
 * {@code autovacuum_naptime}, a minute by default).</li>
 * </ul>
 * A warm-up like the baseline comes first, unreported. Each other condition is measured right after a baseline of
 * its own and compared with it, so that a load that changes over the run weighs alike on both, and the pairs are
 * measured in rounds (3 by default); the summary gives each condition's median ratio to its baselines. Each
 * condition is measured the same way: the table is analysed, a pool of {@value #WORKERS} workers running no-op jobs starts on it (poll interval 1 s, the
 * default; a queue size no condition reaches), {@value #PRODUCERS} producer threads submit jobs as fast as they
 * can, and the clock runs from their release until the 20,000th of the loaded jobs starts: <b>jobs/s is 20,000
 * over that time</b>. The loaded rows are older than any job submitted, so they are claimed first while the
 * producers' rows pile up behind them; submits, claims and deletes all run meanwhile. Every claim and every
 * periodic count the pool runs is timed, and the table's dead row versions, its size and how much of the time
 * autovacuum worked on it are noted.
 * <p>
 * Usage: {@code DepthMain <out dir> [--smoke] [--rounds=3] [--autovacuum-naptime=10s] [depth,churn,burst]};
 * prints a table and writes {@code depth.csv} there; {@code --smoke} runs one round of a twentieth of the sizes;
 * {@code --autovacuum-naptime} sets the server's {@code autovacuum_naptime} (a minute by default); a list runs those
 * conditions only, each with its baseline. Exits with 1 if a condition did not run its loaded jobs.
 */
public final class DepthMain {

	static final int WORKERS = 8;

	static final int PRODUCERS = 4;

	static final int CONNECTIONS = 16;

	static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

	static final String POOL = "depth";

	static final int CHURN_BATCH = 10_000;

	static final Duration AUTOVACUUM_TIMEOUT = Duration.ofMinutes(3);

	static final String NAPTIME_OPTION = "--autovacuum-naptime=";

	static final String ROUNDS_OPTION = "--rounds=";

	static final String CSV_HEADER = "round,condition,ready_rows,jobs,seconds,jobs_per_s,ratio_to_baseline,"
			+ "claim_ms_median,claim_ms_p99,claims,count_ms_median,count_ms_max,counts,dead_row_versions_at_start,"
			+ "table_mb,ready_index_mb,autovacuum_share,status";

	private DepthMain() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		Path out = Path.of(args[0]);
		List<String> options = Arrays.asList(args).subList(1, args.length);
		int scale = options.contains("--smoke") ? 20 : 1;
		int rounds = options.stream()
			.filter((option) -> option.startsWith(ROUNDS_OPTION))
			.map((option) -> Integer.parseInt(option.substring(ROUNDS_OPTION.length())))
			.findFirst()
			.orElse((scale > 1) ? 1 : 3);
		List<String> chosen = options.stream()
			.filter((option) -> !option.startsWith("--"))
			.flatMap((option) -> Arrays.stream(option.split(",")))
			.toList();
		Condition baseline = new Condition("baseline", 20_000 / scale, 0, false);
		List<Condition> conditions = List
			.of(new Condition("depth", 1_000_000 / scale, 0, false),
					new Condition("churn", 20_000 / scale, 1_000_000 / scale, true),
					new Condition("burst", 20_000 / scale, 1_000_000 / scale, false))
			.stream()
			.filter((condition) -> chosen.isEmpty() || chosen.contains(condition.name()))
			.toList();
		int jobs = 20_000 / scale;
		int queueSize = 2_000_000 / scale;
		List<Result> results = new ArrayList<>();
		try (Database database = new Database(CONNECTIONS, Durability.FSYNC_OFF);
				PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("depth.csv")))) {
			options.stream()
				.filter((option) -> option.startsWith(NAPTIME_OPTION))
				.forEach((option) -> setAutovacuumNaptime(database, option.substring(NAPTIME_OPTION.length())));
			System.out.printf(Locale.ROOT, "%s, autovacuum_naptime=%s; %d workers, %d producers, poll interval %d ms,"
					+ " queue size %,d, %,d jobs measured a condition%n", database.describe(),
					new JdbcTemplate(database.dataSource()).queryForObject("SHOW autovacuum_naptime", String.class),
					WORKERS, PRODUCERS, POLL_INTERVAL.toMillis(), queueSize, jobs);
			csv.println(CSV_HEADER);
			System.out.println(run(database, new Condition("warm-up", jobs, 0, false), jobs, queueSize, 0).line());
			for (int round = 1; round <= rounds; round++) {
				for (Condition condition : conditions) {
					Result base = run(database, baseline, jobs, queueSize, 0);
					Result measured = run(database, condition, jobs, queueSize, base.jobsPerSecond());
					for (Result result : List.of(base, measured)) {
						System.out.println(result.line());
						csv.println(round + "," + result.csv());
						results.add(result);
					}
					csv.flush();
				}
			}
		}
		print(results, conditions);
		if (!results.stream().allMatch((result) -> result.status().equals("ok"))) {
			System.out.println("Some condition did not run the jobs it loaded: see the status column above.");
			System.exit(1);
		}
	}

	private static void setAutovacuumNaptime(Database database, String naptime) {
		if (!naptime.matches("[0-9]+(ms|s|min)?")) {
			throw new IllegalArgumentException("autovacuum_naptime " + naptime + " is not a time such as 10s");
		}
		JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
		jdbc.execute("ALTER SYSTEM SET autovacuum_naptime = '" + naptime + "'");
		jdbc.execute("SELECT pg_reload_conf()");
	}

	/**
	 * Prepare the table as a condition says, and measure the pool on it.
	 * @param baselineJobsPerSecond jobs/s of the baseline to compare with, or 0 to compare with itself
	 */
	static Result run(Database database, Condition condition, int jobs, int queueSize, double baselineJobsPerSecond)
			throws InterruptedException {
		database.clean(DepthTable.TABLE);
		DepthTable table = new DepthTable(database.dataSource(), POOL);
		long preparing = System.nanoTime();
		table.churn(condition.churnedRows(), CHURN_BATCH);
		table.loadReady(condition.readyRows());
		String vacuumed = "";
		if (condition.awaitAutovacuum()) {
			long loaded = System.nanoTime();
			vacuumed = table.awaitAutovacuum(AUTOVACUUM_TIMEOUT) ? String.format(Locale.ROOT,
					", autovacuum done %.1f s later", (System.nanoTime() - loaded) / 1e9)
					: ", autovacuum did not come within " + AUTOVACUUM_TIMEOUT;
		}
		table.settle();
		System.out.printf(Locale.ROOT, "%s: table ready in %.1f s%s%n", condition.name(),
				(System.nanoTime() - preparing) / 1e9, vacuumed);
		DepthTable.Statistics before = table.statistics();
		StatementTimer timer = new StatementTimer().watch("claim", (sql) -> sql.contains("FOR UPDATE SKIP LOCKED"))
			.watch("count", (sql) -> sql.contains("count(*)") && sql.contains("'dead'"));
		Measure measure = new Measure(jobs);
		JdbcJobPool pool = JdbcJobPool.builder(timer.wrap(database.dataSource()))
			.initializeSchema(true)
			.pollInterval(POLL_INTERVAL)
			.build(Pools.jobPool(POOL, WORKERS, queueSize).processor(Tick.class, () -> measure));
		pool.start();
		timer.clear();
		AtomicBoolean producing = new AtomicBoolean(true);
		AtomicReference<RuntimeException> submitError = new AtomicReference<>();
		List<Thread> producers = startProducers(pool, producing, submitError);
		VacuumWatch vacuum = new VacuumWatch(table, producing);
		long start = System.nanoTime();
		boolean ran = measure.await(Duration.ofSeconds(120 + jobs / 50));
		long end = ran ? measure.endNanos() : System.nanoTime();
		List<Double> claims = timer.times("claim");
		List<Double> counts = timer.times("count");
		producing.set(false);
		for (Thread producer : producers) {
			producer.join();
		}
		pool.close();
		String status = (submitError.get() != null) ? "submit failed: " + submitError.get()
				: !ran ? "only " + measure.loaded() + " of " + jobs + " loaded jobs ran" : "ok";
		double seconds = (end - start) / 1e9;
		return new Result(condition, jobs, seconds, (baselineJobsPerSecond > 0) ? baselineJobsPerSecond : jobs / seconds,
				claims, counts, before, vacuum.share(), status);
	}

	private static List<Thread> startProducers(JdbcJobPool pool, AtomicBoolean producing,
			AtomicReference<RuntimeException> submitError) {
		List<Thread> producers = new ArrayList<>();
		AtomicInteger seq = new AtomicInteger();
		for (int p = 0; p < PRODUCERS; p++) {
			Thread producer = new Thread(() -> {
				try {
					while (producing.get()) {
						pool.submit(new Tick(seq.incrementAndGet()));
					}
				}
				catch (RuntimeException ex) {
					submitError.compareAndSet(null, ex);
				}
			}, "producer-" + p);
			producer.start();
			producers.add(producer);
		}
		return producers;
	}

	static void print(List<Result> results, List<Condition> conditions) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%-9s %10s %7s %10s  %-22s %-21s %9s %12s %s%n", "condition", "ready rows",
				"jobs/s", "× baseline", "claim ms (median/p99)", "count ms (median/max)", "dead rows",
				"table/ready", "autovacuum");
		results.forEach((result) -> System.out.println(result.line()));
		System.out.println("(jobs/s: the loaded jobs measured over the time from the producers' release until the "
				+ "last of them started; × baseline: against the baseline measured just before. dead rows: dead "
				+ "row versions in the table as the pool started; table/ready: sizes of the table and of its index "
				+ "of ready rows, MB; autovacuum: share of the measured time it worked on the table)");
		System.out.println();
		for (Condition condition : conditions) {
			List<Result> measured = results.stream().filter((result) -> result.condition() == condition).toList();
			System.out.printf(Locale.ROOT, "%-9s %,10d rows: %.2f× its baselines (median of %s), %,.0f jobs/s%n",
					condition.name(), condition.readyRows(),
					Result.median(measured.stream().map(Result::ratio).toList()),
					measured.stream()
						.map((result) -> String.format(Locale.ROOT, "%.2f", result.ratio()))
						.collect(Collectors.joining(", ")),
					Result.median(measured.stream().map(Result::jobsPerSecond).toList()));
		}
	}

	/**
	 * One condition of the table.
	 * @param name what it is called
	 * @param readyRows ready rows as the pool starts
	 * @param churnedRows rows run through the table before those are loaded
	 * @param awaitAutovacuum whether autovacuum's next run on the table is awaited after the churn
	 */
	record Condition(String name, int readyRows, int churnedRows, boolean awaitAutovacuum) {
	}

	/**
	 * The no-op processor, shared by the pool's workers: counts the loaded jobs that started, and notes when enough
	 * had; the producers' jobs it only runs.
	 */
	private static final class Measure implements JobProcessor<Tick> {

		private final int jobs;

		private final AtomicInteger loaded = new AtomicInteger();

		private final CountDownLatch enough = new CountDownLatch(1);

		private volatile long endNanos;

		Measure(int jobs) {
			this.jobs = jobs;
		}

		@Override
		public void process(Job<Tick> job) {
			if (job.data().seq() < 0 && this.loaded.incrementAndGet() == this.jobs) {
				this.endNanos = System.nanoTime();
				this.enough.countDown();
			}
		}

		boolean await(Duration timeout) throws InterruptedException {
			return this.enough.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}

		long endNanos() {
			return this.endNanos;
		}

		int loaded() {
			return this.loaded.get();
		}

	}

	/** Looks four times a second, while a flag holds, whether autovacuum works on the table. */
	private static final class VacuumWatch {

		private static final long INTERVAL_MILLIS = 250;

		private final AtomicInteger looks = new AtomicInteger();

		private final AtomicInteger vacuuming = new AtomicInteger();

		VacuumWatch(DepthTable table, AtomicBoolean watching) {
			Thread watch = new Thread(() -> {
				try {
					while (watching.get()) {
						this.looks.incrementAndGet();
						if (table.vacuumUnderWay()) {
							this.vacuuming.incrementAndGet();
						}
						Thread.sleep(INTERVAL_MILLIS);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "vacuum-watch");
			watch.setDaemon(true);
			watch.start();
		}

		/** The share of the looks so far that found autovacuum at work. */
		double share() {
			int looks = this.looks.get();
			return (looks > 0) ? (double) this.vacuuming.get() / looks : 0;
		}

	}

	/**
	 * What one condition measured.
	 * @param condition the condition
	 * @param jobs jobs measured
	 * @param seconds from the producers' release until the last job measured started
	 * @param baselineJobsPerSecond jobs/s of the baseline measured just before (its own, for a baseline)
	 * @param claimMillis the time of each claim the pool ran meanwhile
	 * @param countMillis the time of each periodic count the pool ran meanwhile
	 * @param atStart the table as the pool started
	 * @param autovacuumShare the share of the time autovacuum worked on the table meanwhile
	 * @param status {@code ok}, or what went wrong
	 */
	record Result(Condition condition, int jobs, double seconds, double baselineJobsPerSecond, List<Double> claimMillis,
			List<Double> countMillis, DepthTable.Statistics atStart, double autovacuumShare, String status) {

		double jobsPerSecond() {
			return this.jobs / this.seconds;
		}

		double ratio() {
			return jobsPerSecond() / this.baselineJobsPerSecond;
		}

		String line() {
			return String.format(Locale.ROOT, "%-9s %,10d %,7.0f %9.2f×  %-22s %-21s %,9d %12s %9.0f %%%s",
					this.condition.name(), this.condition.readyRows(), jobsPerSecond(), ratio(),
					String.format(Locale.ROOT, "%.2f / %.2f (%,d)", percentile(this.claimMillis, 0.5),
							percentile(this.claimMillis, 0.99), this.claimMillis.size()),
					String.format(Locale.ROOT, "%.1f / %.1f (%d)", percentile(this.countMillis, 0.5),
							percentile(this.countMillis, 1), this.countMillis.size()),
					this.atStart.deadRows(), String.format(Locale.ROOT, "%.0f / %.1f", megabytes(this.atStart.tableBytes()),
							megabytes(this.atStart.readyIndexBytes())),
					this.autovacuumShare * 100, this.status.equals("ok") ? "" : "  " + this.status);
		}

		String csv() {
			return String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.0f,%.3f,%.3f,%.3f,%d,%.3f,%.3f,%d,%d,%.1f,%.1f,%.2f,%s",
					this.condition.name(), this.condition.readyRows(), this.jobs, this.seconds, jobsPerSecond(),
					ratio(), percentile(this.claimMillis, 0.5), percentile(this.claimMillis, 0.99),
					this.claimMillis.size(), percentile(this.countMillis, 0.5), percentile(this.countMillis, 1),
					this.countMillis.size(), this.atStart.deadRows(), megabytes(this.atStart.tableBytes()),
					megabytes(this.atStart.readyIndexBytes()), this.autovacuumShare, this.status.replace(',', ';'));
		}

		private static double megabytes(long bytes) {
			return bytes / 1048576.0;
		}

		static double median(List<Double> values) {
			return percentile(values, 0.5);
		}

		private static double percentile(List<Double> millis, double fraction) {
			if (millis.isEmpty()) {
				return Double.NaN;
			}
			List<Double> sorted = millis.stream().sorted().toList();
			return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(fraction * sorted.size()) - 1));
		}

	}

}
