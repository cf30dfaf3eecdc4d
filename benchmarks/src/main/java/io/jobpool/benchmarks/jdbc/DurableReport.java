package io.jobpool.benchmarks.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jobpool.benchmarks.MarkdownReport;

/**
 * Reads the raw results {@code durable.sh} collected and writes {@code DURABLE.md}: the durable queue against
 * db-scheduler, pickup across instances, depth and churn, and the scale curve.
 * <p>
 * Usage: {@code DurableReport <raw dir> <results dir> <smoke|full> <command>}
 */
public final class DurableReport extends MarkdownReport {

	/** The worker counts the comparison with db-scheduler runs with, in the full run; the smoke run has the first. */
	static final int[] WORKERS = { 8, 32 };

	/** What {@code PickupLatencyMain} writes: one line per job, its mode and its latency in µs. */
	static final String PICKUP_CSV = "pickup.csv";

	/** What {@code DepthMain} writes: one line per condition and round. */
	static final String DEPTH_CSV = "depth.csv";

	private final Path raw;

	private DurableReport(Path raw) {
		this.raw = raw;
	}

	public static void main(String[] args) throws IOException {
		DurableReport report = new DurableReport(Path.of(args[0]));
		Path results = Path.of(args[1]);
		Files.createDirectories(results);
		String text = report.write(args[2], args[3]);
		Files.writeString(results.resolve("DURABLE.md"), text);
		System.out.println(text);
	}

	String write(String kind, String command) throws IOException {
		Path envFile = this.raw.resolve("env.txt");
		String env = Files.exists(envFile) ? Files.readString(envFile).trim() : "";
		line("# Durable queue benchmark results");
		line("");
		line("Written by `" + command + "` (" + kind + " run" + (kind.equals("smoke")
				? ": very short, numbers are NOT meaningful" : "") + "). Every figure runs on an embedded "
				+ "PostgreSQL (zonky) started by the benchmark itself, on the same machine as the JVMs.");
		line("");
		line("Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs; JVM: "
				+ System.getProperty("java.vm.name") + " " + Runtime.version() + ". " + env);
		line("");
		throughputSection();
		pickupSection();
		depthSection();
		scaleSection();
		targetsSection();
		return text();
	}

	void throughputSection() throws IOException {
		line("## 1. Throughput: JdbcJobPool vs db-scheduler");
		line("");
		line("Both run in one JVM, on the same embedded database and HikariCP pool, one after the other. In each "
				+ "round one queue is started, the producer threads submit the jobs (no-op handlers) while its "
				+ "workers run them, and the clock runs from the first submit until the last job has ended and its "
				+ "row is deleted: for JdbcJobPool, when the last submit future completes (after the batched delete); "
				+ "for db-scheduler, when its listener reports the last execution complete (after the row's delete). "
				+ "After the warm-up rounds the measured rounds take turns, the order shifting by one each round; both "
				+ "tables are truncated and the database checkpointed between rounds.");
		line("");
		line("Configuration: both poll every 100 ms (JdbcJobPool's default is 1 s, db-scheduler's 10 s) and have the "
				+ "same number of workers. JdbcJobPool: one dispatcher, queue-size = the round's jobs so its bound "
				+ "never blocks a submit (db-scheduler has none), lease 30 s. db-scheduler: one-time task scheduled "
				+ "for now, `enableImmediateExecution()`, either its default polling strategy or lock-and-fetch with "
				+ "the limits its documentation gives for high throughput.");
		line("");
		for (Durability durability : Durability.values()) {
			for (int workers : WORKERS) {
				throughputTable(workers, durability);
			}
		}
		line("- Each job costs JdbcJobPool an INSERT, a share of a claiming UPDATE and a share of a batched DELETE; "
				+ "db-scheduler an INSERT, a share of a fetch, and then per job an UPDATE to pick it (default "
				+ "strategy only) and a DELETE.");
		line("- Submits/s is measured while the queue runs the jobs; the producers and PostgreSQL share the CPUs "
				+ "with the workers.");
		line("");
	}

	private void throughputTable(int workers, Durability durability) throws IOException {
		String csv = DurableQueueMain.csvName(workers, durability);
		Path setup = this.raw.resolve(DurableQueueMain.setupName(workers, durability));
		List<Round> rounds = new ArrayList<>();
		for (String[] row : readCsv(this.raw.resolve(csv))) {
			rounds.add(Round.parse(row));
		}
		if (!Files.exists(setup) || rounds.isEmpty()) {
			return;
		}
		line("### " + workers + " workers each, " + durability.label());
		line("");
		line(Files.readString(setup).trim() + ".");
		line("");
		Map<DurableQueue, Round.Summary> summaries = Round.summarize(rounds);
		Round.Summary pool = summaries.get(DurableQueue.JOBPOOL);
		line("| queue | jobs/s (median) | each round, jobs/s | submits/s (median) | longest drain after last submit "
				+ "| JdbcJobPool ÷ this | every job ran, no row left |");
		line("|---|---:|---|---:|---:|---:|---|");
		Round.Summary best = null;
		for (Round.Summary summary : summaries.values()) {
			boolean other = summary.queue() != DurableQueue.JOBPOOL;
			if (other && (best == null || summary.medianJobsPerSecond() > best.medianJobsPerSecond())) {
				best = summary;
			}
			line(String.format(Locale.ROOT, "| %s | %,.0f | %s | %,.0f | %.2f s | %s | %s |",
					summary.queue().description(), summary.medianJobsPerSecond(),
					summary.eachJobsPerSecond(), summary.medianSubmitsPerSecond(), summary.maxDrainSeconds(),
					(pool != null && other) ? ratio(pool.medianJobsPerSecond() / summary.medianJobsPerSecond()) : "",
					summary.clean() ? "yes" : "**no** (see raw-durable/" + csv + ")"));
		}
		line("");
		if (pool != null && best != null) {
			double r = pool.medianJobsPerSecond() / best.medianJobsPerSecond();
			target("Durable queue, " + workers + " workers, " + durability.label() + ": JdbcJobPool jobs/s, aim 2.0 × "
					+ "db-scheduler's best "
					+ "configuration (" + best.queue().description() + ")", ratio(r), r >= 2.0);
		}
	}

	void pickupSection() throws IOException {
		List<String[]> rows = readCsv(this.raw.resolve(PICKUP_CSV));
		if (rows.isEmpty()) {
			return;
		}
		Map<String, List<Double>> byMode = new LinkedHashMap<>();
		for (String[] row : rows) {
			byMode.computeIfAbsent(row[0], (mode) -> new ArrayList<>()).add(Double.parseDouble(row[1]));
		}
		line("## 2. Pickup across instances");
		line("");
		line("From the return of `submit` on instance A (paused, so it runs nothing) to the start of the job on "
				+ "instance B, idle, both of one pool in one JVM on one database (`PickupLatencyMain`). A submits one "
				+ "job at a time, 5–25 ms apart at random, so each falls at a random phase of B's poll. `notify`: "
				+ "instances notify each other (`LISTEN/NOTIFY`), polling every second behind it; `poll-1s` and "
				+ "`poll-100ms`: notifications off, polling only.");
		line("");
		line("| mode | jobs | p50 ms | p90 ms | p99 ms | max ms |");
		line("|---|---:|---:|---:|---:|---:|");
		byMode.forEach((mode, latencies) -> {
			double[] sorted = latencies.stream().mapToDouble((micros) -> micros / 1000).sorted().toArray();
			line(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |", mode, sorted.length,
					percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99),
					sorted[sorted.length - 1]));
		});
		line("");
	}

	void depthSection() throws IOException {
		List<String[]> rows = readCsv(this.raw.resolve(DEPTH_CSV));
		if (rows.isEmpty()) {
			return;
		}
		line("## 3. Depth and churn");
		line("");
		line("`DepthMain`: a `JdbcJobPool` of 8 workers running no-op jobs while 4 producers submit, on a table filled "
				+ "in SQL beforehand, with the settings the schema ships. Jobs/s = 20,000 over the time from the "
				+ "producers' release until the 20,000th of the loaded jobs starts. *baseline*: 20,000 ready rows; "
				+ "*depth*: 1,000,000 ready rows; *churn*: a million jobs inserted, claimed and deleted in batches, "
				+ "autovacuum's next pass, then 20,000 ready rows; *burst*: the same million at once, then the 20,000 "
				+ "ready rows, measured with the million dead row versions still there. Each condition is measured "
				+ "right after a baseline of its own, in each round; × baseline is the median of the rounds' ratios. "
				+ "Claim: the claiming statement, as timed by the pool's connection; count: the pool's periodic "
				+ "count of its rows (none made: the last count, at the pool's start, took so long that the next was "
				+ "not due before the round ended).");
		line("");
		line("| condition | ready rows | × baseline (median) | each round | jobs/s (median) | claim ms median / p99 "
				+ "| count ms (max) | dead row versions at start | table MB | all loaded jobs ran |");
		line("|---|---:|---:|---|---:|---:|---:|---:|---:|---|");
		Map<String, List<String[]>> byCondition = new LinkedHashMap<>();
		for (String[] row : rows) {
			byCondition.computeIfAbsent(row[1], (condition) -> new ArrayList<>()).add(row);
		}
		byCondition.forEach((condition, measured) -> {
			double ratio = median(measured, 6);
			boolean clean = measured.stream().allMatch((r) -> r[17].equals("ok"));
			String[] last = measured.get(measured.size() - 1);
			double longestCount = measured.stream()
				.mapToDouble((r) -> Double.parseDouble(r[11]))
				.filter((millis) -> !Double.isNaN(millis))
				.max()
				.orElse(Double.NaN);
			line(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %,.0f | %.2f / %.2f | %s | %,.0f | %s | %s |",
					condition, Long.parseLong(last[2]), ratio(ratio),
					String.join(" / ", measured.stream().map((r) -> String.format(Locale.ROOT, "%.2f",
							Double.parseDouble(r[6]))).toList()),
					median(measured, 5), median(measured, 7), median(measured, 8),
					Double.isNaN(longestCount) ? "none made" : String.format(Locale.ROOT, "%,.0f", longestCount),
					median(measured, 13), last[14], clean ? "yes" : "**no** (see raw-durable/" + DEPTH_CSV + ")"));
			if (!condition.equals("baseline")) {
				target("Depth and churn: " + condition + " within 20 % of its 20,000-row baseline", ratio(ratio),
						ratio >= 0.8);
			}
		});
		line("");
	}

	/** The median of one column of these rows. */
	private static double median(List<String[]> rows, int column) {
		double[] sorted = rows.stream().mapToDouble((r) -> Double.parseDouble(r[column])).sorted().toArray();
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/** The value at a quantile of sorted values, the nearest rank. */
	static double percentile(double[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	void scaleSection() throws IOException {
		List<String[]> rows = readCsv(this.raw.resolve(ScaleMain.CSV));
		Path setup = this.raw.resolve(ScaleMain.SETUP);
		if (rows.isEmpty() || !Files.exists(setup)) {
			return;
		}
		line("## 4. Scale curve: instances in JVMs of their own, one database");
		line("");
		line("Each instance is a `JdbcJobPool` of the same pool in a JVM of its own (`ScaleInstanceMain`), all on one "
				+ "embedded PostgreSQL. The instances share out the round's jobs and the producer threads, so the "
				+ "offered load is the same at every size; each also runs jobs, whoever submitted them. The clock "
				+ "runs from the start signal to the last job's end on any instance. CPU: the machine's busy share "
				+ "while the round ran, and the CPU time of the instances' JVMs and of PostgreSQL's processes, per "
				+ "job.");
		line("");
		line(Files.readString(setup).trim() + ".");
		line("");
		line("| instances | jobs/s (median) | each round, jobs/s | × 1 instance | jobs run on each (median round) "
				+ "| CPUs busy | JVMs' CPU µs/job | PostgreSQL CPU µs/job | every job ran, no row left |");
		line("|---:|---:|---|---:|---|---:|---:|---:|---|");
		Map<Integer, List<String[]>> bySize = new LinkedHashMap<>();
		for (String[] row : rows) {
			bySize.computeIfAbsent(Integer.parseInt(row[0]), (size) -> new ArrayList<>()).add(row);
		}
		double single = Double.NaN;
		for (Map.Entry<Integer, List<String[]>> size : bySize.entrySet()) {
			List<String[]> sized = new ArrayList<>(size.getValue());
			String each = String.join(" / ", sized.stream().map((r) -> String.format(Locale.ROOT, "%,.0f",
					Double.parseDouble(r[4]))).toList());
			sized.sort((a, b) -> Double.compare(Double.parseDouble(a[4]), Double.parseDouble(b[4])));
			String[] median = sized.get(sized.size() / 2);
			double jobsPerSecond = Double.parseDouble(median[4]);
			if (size.getKey() == 1) {
				single = jobsPerSecond;
			}
			double jobs = Double.parseDouble(median[2]);
			boolean clean = sized.stream().allMatch((r) -> r[10].equals("ok"));
			line(String.format(Locale.ROOT, "| %d | %,.0f | %s | %s | %s | %s %% | %,.0f | %,.0f | %s |", size.getKey(),
					jobsPerSecond, each, Double.isNaN(single) ? "" : ratio(jobsPerSecond / single),
					median[5].replace("/", " / "), median[6], Double.parseDouble(median[7]) * 1e6 / jobs,
					Double.parseDouble(median[8]) * 1e6 / jobs, clean ? "yes" : "**no** (see raw-durable/scale.csv)"));
		}
		line("");
	}

}
