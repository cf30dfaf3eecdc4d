package io.jobpool.benchmarks;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Submit-to-start latency at a given load, with a paced producer: jobs that sleep 1 ms on 4 workers, one
 * producer submitting at a fixed interval so that the offered load is a fraction of the measured capacity
 * (workers / mean job time). Latency runs from just before {@code submit} to the first line of the job.
 * <p>
 * Each sample is also put in one of two classes, by whether the worker that ran the job was still running its
 * previous job when the job was submitted ({@code busy}: the job waited for that worker to finish) or had
 * finished it before ({@code idle}: the job waited only for an idle worker to be woken or to find it). The profile
 * line after each run says which class the slowest 1 % and 0.1 % of samples came from.
 * <p>
 * Usage: {@code LatencyMain <out.csv> <seconds> <target,...> <load,...> [profile.csv]}, targets by their
 * {@link Target} names; appends one CSV line per run to each file.
 */
public final class LatencyMain {

	static final int WORKERS = 4;

	static final int QUEUE = 1024;

	private LatencyMain() {
	}

	/**
	 * A job that records the time from its submit to its first line, then sleeps 1 ms.
	 * @param histogram where the latency goes
	 * @param submitNanos when the job was submitted
	 */
	record Stamped(Samples samples, long submitNanos) implements Runnable {

		// When the current worker thread ended its last job.
		private static final ThreadLocal<long[]> lastEnd = ThreadLocal.withInitial(() -> new long[] { Long.MIN_VALUE });

		@Override
		public void run() {
			long start = System.nanoTime();
			long[] end = lastEnd.get();
			this.samples.record(Math.max(0, start - this.submitNanos), end[0] > this.submitNanos);
			IoBenchmark.sleepOneMilli();
			end[0] = System.nanoTime();
		}

	}

	/** The latencies of a run: all of them, and those of each class. */
	static final class Samples {

		final ConcurrentHistogram all = newHistogram();

		final ConcurrentHistogram idle = newHistogram();

		final ConcurrentHistogram busy = newHistogram();

		void record(long nanos, boolean workerWasBusy) {
			this.all.recordValue(nanos);
			(workerWasBusy ? this.busy : this.idle).recordValue(nanos);
		}

		void reset() {
			this.all.reset();
			this.idle.reset();
			this.busy.reset();
		}

		private static ConcurrentHistogram newHistogram() {
			return new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
		}

	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args[0]);
		double seconds = Double.parseDouble(args[1]);
		List<Target> targets = Arrays.stream(args[2].split(",")).map(Target::valueOf).toList();
		String[] loads = args[3].split(",");
		Path profile = (args.length > 4) ? Path.of(args[4]) : null;
		double jobNanos = calibrateSleep();
		double capacity = WORKERS * 1e9 / jobNanos;
		System.out.printf(Locale.ROOT, "Mean job time %.3f ms, capacity %.0f jobs/s%n", jobNanos / 1e6, capacity);
		boolean header = !Files.exists(out);
		try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
			if (header) {
				writer.println("impl,load,job_ms,target_rate,achieved_rate,count,p50_us,p99_us,p999_us,max_us");
			}
			for (String load : loads) {
				for (Target target : targets) {
					double fraction = Double.parseDouble(load);
					Samples samples = new Samples();
					String line = run(target, fraction, capacity, jobNanos, seconds, samples);
					System.out.println(line);
					writer.println(line);
					writer.flush();
					String attribution = attribution(target, fraction, samples);
					System.out.println("  " + attribution);
					if (profile != null) {
						append(profile, "impl,load,idle_count,idle_p99_us,idle_p999_us,busy_count,busy_p99_us,"
								+ "busy_p999_us,idle_above_p99,busy_above_p99,idle_above_p999,busy_above_p999",
								attribution);
					}
				}
			}
		}
	}

	static double calibrateSleep() {
		for (int i = 0; i < 50; i++) {
			IoBenchmark.sleepOneMilli();
		}
		long start = System.nanoTime();
		int n = 300;
		for (int i = 0; i < n; i++) {
			IoBenchmark.sleepOneMilli();
		}
		return (System.nanoTime() - start) / (double) n;
	}

	static String run(Target target, double load, double capacity, double jobNanos, double seconds, Samples samples)
			throws InterruptedException {
		try (Running running = target.start(WORKERS, QUEUE)) {
			long interval = (long) (1e9 / (capacity * load));
			// Warm up for a second at the same load, then measure.
			pace(running, samples, interval, TimeUnit.SECONDS.toNanos(1));
			samples.reset();
			long start = System.nanoTime();
			long submitted = pace(running, samples, interval, (long) (seconds * 1e9));
			double elapsed = (System.nanoTime() - start) / 1e9;
			Thread.sleep(50);
			Histogram snapshot = samples.all.copy();
			return String.format(Locale.ROOT, "%s,%.2f,%.3f,%.0f,%.0f,%d,%.1f,%.1f,%.1f,%.1f", target.name(), load,
					jobNanos / 1e6, capacity * load, submitted / elapsed, snapshot.getTotalCount(),
					snapshot.getValueAtPercentile(50) / 1e3, snapshot.getValueAtPercentile(99) / 1e3,
					snapshot.getValueAtPercentile(99.9) / 1e3, snapshot.getMaxValue() / 1e3);
		}
	}

	// Which class the samples above the run's p99 and p99.9 came from.
	static String attribution(Target target, double load, Samples samples) {
		Histogram all = samples.all.copy();
		Histogram idle = samples.idle.copy();
		Histogram busy = samples.busy.copy();
		long p99 = all.getValueAtPercentile(99);
		long p999 = all.getValueAtPercentile(99.9);
		return String.format(Locale.ROOT, "%s,%.2f,%d,%.1f,%.1f,%d,%.1f,%.1f,%d,%d,%d,%d", target.name(), load,
				idle.getTotalCount(), idle.getValueAtPercentile(99) / 1e3, idle.getValueAtPercentile(99.9) / 1e3,
				busy.getTotalCount(), busy.getValueAtPercentile(99) / 1e3, busy.getValueAtPercentile(99.9) / 1e3,
				above(idle, p99), above(busy, p99), above(idle, p999), above(busy, p999));
	}

	private static long above(Histogram histogram, long value) {
		return histogram.getTotalCount() - histogram.getCountBetweenValues(0, value);
	}

	private static void append(Path file, String header, String line) throws java.io.IOException {
		boolean first = !Files.exists(file);
		try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(file, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND))) {
			if (first) {
				writer.println(header);
			}
			writer.println(line);
		}
	}

	static long pace(Running running, Samples samples, long interval, long duration)
			throws InterruptedException {
		long start = System.nanoTime();
		long end = start + duration;
		long next = start;
		long submitted = 0;
		while (next < end) {
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
				continue;
			}
			running.submit(new Stamped(samples, System.nanoTime()));
			submitted++;
			next += interval;
		}
		return submitted;
	}

}
