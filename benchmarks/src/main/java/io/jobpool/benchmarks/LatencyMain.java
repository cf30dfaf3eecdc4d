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
 * Usage: {@code LatencyMain <out.csv> <seconds> <target,...> <load,...>}, targets by their {@link Target} names;
 * appends one CSV line per run.
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
	record Stamped(ConcurrentHistogram histogram, long submitNanos) implements Runnable {

		@Override
		public void run() {
			this.histogram.recordValue(Math.max(0, System.nanoTime() - this.submitNanos));
			IoBenchmark.sleepOneMilli();
		}

	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args[0]);
		double seconds = Double.parseDouble(args[1]);
		List<Target> targets = Arrays.stream(args[2].split(",")).map(Target::valueOf).toList();
		String[] loads = args[3].split(",");
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
					String line = run(target, fraction, capacity, jobNanos, seconds);
					System.out.println(line);
					writer.println(line);
					writer.flush();
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

	static String run(Target target, double load, double capacity, double jobNanos, double seconds)
			throws InterruptedException {
		ConcurrentHistogram histogram = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
		try (Running running = target.start(WORKERS, QUEUE)) {
			long interval = (long) (1e9 / (capacity * load));
			// Warm up for a second at the same load, then measure.
			pace(running, histogram, interval, TimeUnit.SECONDS.toNanos(1));
			histogram.reset();
			long start = System.nanoTime();
			long submitted = pace(running, histogram, interval, (long) (seconds * 1e9));
			double elapsed = (System.nanoTime() - start) / 1e9;
			Thread.sleep(50);
			Histogram snapshot = histogram.copy();
			return String.format(Locale.ROOT, "%s,%.2f,%.3f,%.0f,%.0f,%d,%.1f,%.1f,%.1f,%.1f", target.name(), load,
					jobNanos / 1e6, capacity * load, submitted / elapsed, snapshot.getTotalCount(),
					snapshot.getValueAtPercentile(50) / 1e3, snapshot.getValueAtPercentile(99) / 1e3,
					snapshot.getValueAtPercentile(99.9) / 1e3, snapshot.getMaxValue() / 1e3);
		}
	}

	static long pace(Running running, ConcurrentHistogram histogram, long interval, long duration)
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
			running.submit(new Stamped(histogram, System.nanoTime()));
			submitted++;
			next += interval;
		}
		return submitted;
	}

}
