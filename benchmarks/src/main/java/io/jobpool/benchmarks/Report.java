package io.jobpool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Reads the raw results the run script collected and writes {@code RESULTS.md}, {@code throughput.png} and
 * {@code flood.png}: the in-memory pool against the JDK's executors ({@link io.jobpool.benchmarks.jdbc.DurableReport}
 * reports the durable queue).
 * <p>
 * Usage: {@code Report <raw dir> <results dir> <smoke|full> <command>}
 */
public final class Report extends MarkdownReport {

	static final int[] PRODUCERS = { 2, 4 };

	private final Path raw;

	private final Path results;

	private Report(Path raw, Path results) {
		this.raw = raw;
		this.results = results;
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Report report = new Report(Path.of(args[0]), Path.of(args[1]));
		report.write(args[2], args[3]);
	}

	/** One JMH score. */
	record Score(double value, double error) {
	}

	void write(String kind, String command) throws IOException {
		Files.createDirectories(this.results);
		Map<Integer, Map<Target, Score>> throughput = new LinkedHashMap<>();
		for (int producers : PRODUCERS) {
			throughput.put(producers, readJmh(this.raw.resolve("throughput-t" + producers + ".csv")));
		}
		Map<Target, Score> io = readJmh(this.raw.resolve("io.csv"));
		List<String[]> latency = readCsv(this.raw.resolve("latency.csv"));
		String env = Files.exists(this.raw.resolve("env.txt")) ? Files.readString(this.raw.resolve("env.txt")).trim()
				: "";

		line("# Benchmark results");
		line("");
		line("Written by `" + command + "` (" + kind + " run" + (kind.equals("smoke")
				? ": 1 short iteration each, numbers are NOT meaningful" : "") + ").");
		line("");
		line("Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs; JVM: "
				+ System.getProperty("java.vm.name") + " " + Runtime.version() + ". " + env);
		line("");
		throughputSection(throughput);
		ioSection(io, latency);
		latencySection(latency);
		floodSection();
		targetsSection();
		line("## Notes");
		line("");
		line("- Throughput ops are submits; the queue is full (or the producers block) at both ends of every "
				+ "measured iteration, so submits/s equals completed jobs/s to within one queue per iteration.");
		line("- `ForkJoinPool` and the virtual-thread executor have no bounded queue: a `Semaphore` of 1028 "
				+ "permits (queue + workers), taken at submit and given back when the job ends, bounds them alike.");
		line("- On a 2-CPU machine, 2-4 producers plus 4 workers oversubscribe the CPUs: the errors are wide. "
				+ "The load averages in the header say whether anything else ran at the same time.");
		line("- Profile with `bash benchmarks/run.sh --profile` (JMH `-prof gc` and `-prof stack`, output in "
				+ "`results/raw/`).");
		line("");
		Files.writeString(this.results.resolve("RESULTS.md"), text());
		throughputChart(throughput);
		System.out.println(text());
	}

	void throughputSection(Map<Integer, Map<Target, Score>> throughput) {
		line("## 1. Throughput: no-op jobs, 4 workers, queue 1024");
		line("");
		line("Each op submits one job with a blocking submit; the producers are JMH threads. Score = jobs/s (JMH, "
				+ "mean ± 99.9% error). Ratio = score / `ThreadPoolExecutor.submit` score with the same producers, "
				+ "same run.");
		line("");
		line("| executor | 2 producers (jobs/s) | × TPE | 4 producers (jobs/s) | × TPE |");
		line("|---|---:|---:|---:|---:|");
		for (Target target : Target.values()) {
			StringBuilder row = new StringBuilder("| " + target.description() + " |");
			boolean any = false;
			for (int producers : PRODUCERS) {
				Map<Target, Score> scores = throughput.get(producers);
				Score score = scores.get(target);
				Score base = scores.get(Target.TPE);
				if (score == null) {
					row.append(" n/a | |");
					continue;
				}
				any = true;
				row.append(String.format(Locale.ROOT, " %,.0f ± %,.0f | %s |", score.value, score.error,
						(base != null) ? ratio(score.value / base.value) : "n/a"));
			}
			if (!any && target == Target.VIRTUAL) {
				line("| " + target.description() + " | skipped: needs Java 21+ | | | |");
				continue;
			}
			line(row.toString());
		}
		line("");
		line("![throughput](throughput.png)");
		line("");
		for (int producers : PRODUCERS) {
			Map<Target, Score> scores = throughput.get(producers);
			Score tpe = scores.get(Target.TPE);
			Score execute = scores.get(Target.TPE_EXECUTE);
			Score on = scores.get(Target.JOBPOOL_METRICS);
			Score off = scores.get(Target.JOBPOOL);
			if (tpe != null && on != null) {
				double r = on.value / tpe.value;
				target("No-op throughput, metrics on, " + producers + " producers: ≥ 1.0 × TPE.submit",
						ratio(r), r >= 1.0);
			}
			if (tpe != null && off != null) {
				double r = off.value / tpe.value;
				target("No-op throughput, metrics off, " + producers + " producers: aim 2.0 × TPE.submit", ratio(r),
						r >= 2.0);
			}
			if (execute != null && off != null) {
				double r = off.value / execute.value;
				target("No-op throughput, metrics off, " + producers + " producers: ≥ 1.0 × TPE.execute",
						ratio(r), r >= 1.0);
			}
		}
	}

	void ioSection(Map<Target, Score> io, List<String[]> latency) {
		line("## 2. I/O-like jobs: sleep 1 ms, 50 workers, queue 1024, 1 producer");
		line("");
		double jobMs = latency.isEmpty() ? Double.NaN : Double.parseDouble(latency.get(0)[2]);
		line(String.format(Locale.ROOT, "Ideal = workers / job time = 50 / 1 ms = 50,000 jobs/s. `Thread.sleep(1)` "
				+ "actually takes %.3f ms here (measured), which caps any pool at %,.0f jobs/s: the last column "
				+ "divides by that instead.", jobMs, 50_000 / jobMs));
		line("");
		line("| executor | jobs/s | of ideal (1 ms) | of ideal (measured sleep) |");
		line("|---|---:|---:|---:|");
		for (Map.Entry<Target, Score> entry : io.entrySet()) {
			double v = entry.getValue().value;
			line(String.format(Locale.ROOT, "| %s | %,.0f ± %,.0f | %.1f %% | %.1f %% |",
					entry.getKey().description(), v, entry.getValue().error, v / 500, v / (500 / jobMs)));
		}
		line("");
		Score pool = io.get(Target.JOBPOOL);
		if (pool != null) {
			target("I/O jobs: ≥ 95 % of ideal (workers ÷ 1 ms)", String.format(Locale.ROOT, "%.1f %% (%.1f %% of "
					+ "the measured-sleep ideal)", pool.value / 500, pool.value / (500 / jobMs)), pool.value / 500 >= 95);
		}
	}

	void latencySection(List<String[]> latency) throws IOException {
		line("## 3. Latency: submit-to-start, paced producer");
		line("");
		line("4 workers, jobs sleep 1 ms, one producer submitting at a fixed interval; load = offered rate / "
				+ "capacity (4 / measured job time). Latency from just before `submit` to the job's first line "
				+ "(HdrHistogram, µs).");
		line("");
		line("| executor | load | offered jobs/s | achieved jobs/s | samples | p50 µs | p99 µs | p99.9 µs | max µs |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		Map<String, String[]> tpe = new LinkedHashMap<>();
		for (String[] r : latency) {
			Target target = Target.valueOf(r[0]);
			line(String.format(Locale.ROOT, "| %s | %.0f %% | %s | %s | %s | %s | %s | %s | %s |",
					target.description(), Double.parseDouble(r[1]) * 100, r[3], r[4], r[5], r[6], r[7], r[8], r[9]));
			if (target == Target.TPE) {
				tpe.put(r[1], r);
			}
		}
		line("");
		for (String[] r : latency) {
			Target target = Target.valueOf(r[0]);
			String[] base = tpe.get(r[1]);
			if (base == null || (target != Target.JOBPOOL && target != Target.JOBPOOL_METRICS)) {
				continue;
			}
			String what = (target == Target.JOBPOOL) ? "metrics off" : "metrics on";
			String load = String.format(Locale.ROOT, "%.0f %%", Double.parseDouble(r[1]) * 100);
			for (int column : new int[] { 7, 8 }) {
				String percentile = (column == 7) ? "p99" : "p99.9";
				double ours = Double.parseDouble(r[column]);
				double theirs = Double.parseDouble(base[column]);
				target(percentile + " submit-to-start at " + load + " load, " + what + ": ≤ TPE.submit's",
						String.format(Locale.ROOT, "%.1f µs (TPE %.1f µs)", ours, theirs), ours <= theirs);
			}
		}
		attributionSection();
	}

	// Where the slowest samples of each run came from (see LatencyMain): waiting for a busy worker, or for an idle one.
	void attributionSection() throws IOException {
		List<String[]> rows = readCsv(this.raw.resolve("latency-profile.csv"));
		if (rows.isEmpty()) {
			return;
		}
		line("Where the slowest samples came from: a job whose worker was still running its previous job when the "
				+ "job was submitted waited for that worker (busy); any other waited for an idle worker to be woken "
				+ "or to find it (idle).");
		line("");
		line("| executor | load | idle samples | idle p99 µs | idle p99.9 µs | busy samples | busy p99 µs "
				+ "| above the p99: idle / busy | above the p99.9: idle / busy |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (String[] r : rows) {
			line(String.format(Locale.ROOT, "| %s | %.0f %% | %s | %s | %s | %s | %s | %s / %s | %s / %s |",
					Target.valueOf(r[0]).description(), Double.parseDouble(r[1]) * 100, r[2], r[3], r[4], r[5], r[6],
					r[8], r[9], r[10], r[11]));
		}
		line("");
	}

	void floodSection() throws IOException {
		line("## 4. Flood: 5 million 1 KB payloads, -Xmx64m, slow workers");
		line("");
		line("One producer, 4 workers; each job checksums its payload then keeps its worker busy (see "
				+ "`FloodMain`). Each mode runs in a JVM of its own with `-Xmx64m`. Heap sampled every 100 ms: "
				+ "max used, and max live (used after the last GC).");
		line("");
		line("| mode | outcome | seconds | submitted | completed | max heap used MB | max live MB | detail |");
		line("|---|---|---:|---:|---:|---:|---:|---|");
		XYChart chart = new XYChartBuilder().width(900)
			.height(450)
			.title("Flood: used heap (-Xmx64m)")
			.xAxisTitle("seconds")
			.yAxisTitle("heap used MB")
			.build();
		chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
		chart.getStyler().setMarkerSize(0);
		Map<FloodMain.Mode, String[]> outcomes = new EnumMap<>(FloodMain.Mode.class);
		for (FloodMain.Mode mode : FloodMain.Mode.values()) {
			String label = label(mode);
			Path out = this.raw.resolve("flood-" + mode.name() + ".out");
			String[] result = null;
			if (Files.exists(out)) {
				for (String l : Files.readAllLines(out)) {
					if (l.startsWith("RESULT,")) {
						result = l.split(",", -1);
					}
				}
			}
			if (result == null) {
				line("| " + label + " | no result (see raw/flood-" + mode.name() + ".out) | | | | | | |");
				continue;
			}
			outcomes.put(mode, result);
			line(String.format(Locale.ROOT, "| %s | **%s** | %s | %,d | %,d | %s | %s | %s |", label, result[2],
					result[3], Long.parseLong(result[4]), Long.parseLong(result[5]), result[6], result[7],
					result.length > 8 ? result[8] : ""));
			List<String[]> samples = readCsv(this.raw.resolve("flood-" + mode.name() + ".csv"));
			if (!samples.isEmpty()) {
				List<Double> xs = new ArrayList<>();
				List<Double> ys = new ArrayList<>();
				for (String[] s : samples) {
					xs.add(Double.parseDouble(s[0]) / 1000);
					ys.add(Double.parseDouble(s[1]));
				}
				chart.addSeries(label + " (" + result[2] + ")", xs, ys);
			}
		}
		line("");
		line("![flood](flood.png)");
		line("");
		if (!chart.getSeriesMap().isEmpty()) {
			BitmapEncoder.saveBitmap(chart, this.results.resolve("flood.png").toString(), BitmapFormat.PNG);
		}
		outcomes.forEach((mode, r) -> {
			if (mode == FloodMain.Mode.JOBPOOL) {
				target("Flood: JobPool finishes 5 M payloads in 64 MB", r[2] + ", max live " + r[7] + " MB",
						r[2].equals("FINISHED"));
			}
			else {
				target("Flood: " + label(mode) + " ends in OutOfMemoryError (shown, not claimed)",
						r[2] + " after " + r[3] + " s, " + r[4] + " submitted", r[2].equals("OOM"));
			}
		});
	}

	void throughputChart(Map<Integer, Map<Target, Score>> throughput) throws IOException {
		CategoryChart chart = new CategoryChartBuilder().width(1000)
			.height(500)
			.title("No-op throughput, 4 workers, queue 1024 (jobs/s)")
			.yAxisTitle("jobs/s")
			.build();
		chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
		chart.getStyler().setXAxisLabelRotation(20);
		for (int producers : PRODUCERS) {
			Map<Target, Score> scores = throughput.get(producers);
			List<String> names = new ArrayList<>();
			List<Double> values = new ArrayList<>();
			for (Target target : Target.values()) {
				if (scores.containsKey(target)) {
					names.add(label(target));
					values.add(scores.get(target).value);
				}
			}
			if (!names.isEmpty()) {
				chart.addSeries(producers + " producers", names, values);
			}
		}
		if (!chart.getSeriesMap().isEmpty()) {
			BitmapEncoder.saveBitmap(chart, this.results.resolve("throughput.png").toString(), BitmapFormat.PNG);
		}
	}

	/** A constant as the charts and the flood's rows name it: lower case, with dashes. */
	static String label(Enum<?> constant) {
		return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	static Map<Target, Score> readJmh(Path file) throws IOException {
		Map<Target, Score> scores = new LinkedHashMap<>();
		List<String[]> rows = readCsv(file);
		for (String[] row : rows) {
			// Benchmark, Mode, Threads, Samples, Score, Score Error (99.9%), Unit, Param: impl
			double error = row[5].isEmpty() ? 0 : Double.parseDouble(row[5]);
			Target target = Target.valueOf(row[7]);
			scores.put(target, new Score(Double.parseDouble(row[4]), Double.isNaN(error) ? 0 : error));
		}
		return scores;
	}

}
