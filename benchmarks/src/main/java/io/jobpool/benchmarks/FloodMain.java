package io.jobpool.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.jobpool.JobPool;

/**
 * The flood: one producer submits {@code payloads} 1 KB payloads as fast as it can to slow workers (each job
 * checksums its payload and then busies its worker for {@code workMicros}). Run it in a JVM of its own with
 * a small heap ({@code -Xmx64m}). It samples the used heap every 100 ms into a CSV file and ends with one
 * line: {@code RESULT,mode,outcome,seconds,submitted,completed,max_heap_mb,max_live_mb}, where outcome is
 * FINISHED, OOM or TIMEOUT.
 * <p>
 * Modes: {@code jobpool} (4 workers, queue 1024, blocking submit), {@code thread-per-job} (a virtual thread
 * per job on Java 21+, else a platform thread per job) and {@code unbounded-tpe}
 * ({@code Executors.newFixedThreadPool(4)}: an unbounded LinkedBlockingQueue).
 * <p>
 * Usage: {@code FloodMain <mode> <samples.csv> <payloads> <workMicros> <timeoutSeconds>}
 */
public final class FloodMain {

	static final int WORKERS = 4;

	static final int QUEUE = 1024;

	static final int PAYLOAD_BYTES = 1024;

	// Given back on OutOfMemoryError so that the report can still be written.
	private static byte[] reserve = new byte[8 * 1024 * 1024];

	private static final LongAdder completed = new LongAdder();

	private static volatile long submitted;

	private static volatile long maxHeap;

	private static volatile long maxLive;

	private static long startNanos;

	private static String mode;

	private static volatile boolean done;

	private static final PrintStream out = System.out;

	private FloodMain() {
	}

	public static void main(String[] args) throws Exception {
		mode = args[0];
		Path samples = Path.of(args[1]);
		long payloads = Long.parseLong(args[2]);
		long workNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[3]));
		long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
		Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
			if (error instanceof OutOfMemoryError) {
				reserve = null;
				finish("OOM", thread.getName() + ": " + error);
			}
			else {
				error.printStackTrace();
			}
		});
		startNanos = System.nanoTime();
		startSampler(samples, timeoutNanos);
		Runnable work = () -> {
		};
		try {
			switch (mode) {
				case "jobpool" -> floodJobPool(payloads, workNanos);
				case "thread-per-job" -> floodThreadPerJob(payloads, workNanos);
				case "unbounded-tpe" -> floodExecutor(Executors.newFixedThreadPool(WORKERS), payloads, workNanos);
				default -> throw new IllegalArgumentException("Unknown mode " + mode);
			}
		}
		catch (OutOfMemoryError error) {
			reserve = null;
			finish("OOM", "producer: " + error);
		}
		work.run();
		finish("FINISHED", "");
	}

	static void process(byte[] payload, long workNanos) {
		long deadline = System.nanoTime() + workNanos;
		int sum = 0;
		for (byte b : payload) {
			sum += b;
		}
		while (System.nanoTime() < deadline) {
			sum = sum * 31 + 1;
		}
		if (sum == 42) {
			System.out.print("");
		}
		completed.increment();
	}

	static void floodJobPool(long payloads, long workNanos) {
		JobPool pool = JobPool.builder()
			.name("flood")
			.initPoolNum(1)
			.workerNum(WORKERS)
			.queueSize(QUEUE)
			.drainPeriod(Duration.ofMinutes(10))
			.processor(byte[].class, () -> (job) -> process(job.data(), workNanos))
			.build();
		pool.start();
		for (long i = 0; i < payloads; i++) {
			byte[] payload = new byte[PAYLOAD_BYTES];
			payload[0] = (byte) i;
			pool.submit(payload);
			submitted = i + 1;
		}
		pool.close();
	}

	static void floodThreadPerJob(long payloads, long workNanos) throws InterruptedException {
		if (Pools.virtualThreadsAvailable()) {
			floodExecutor(Pools.newVirtualThreadPerTaskExecutor(), payloads, workNanos);
			return;
		}
		for (long i = 0; i < payloads; i++) {
			byte[] payload = new byte[PAYLOAD_BYTES];
			payload[0] = (byte) i;
			new Thread(() -> process(payload, workNanos)).start();
			submitted = i + 1;
		}
		while (completed.sum() < payloads) {
			Thread.sleep(10);
		}
	}

	static void floodExecutor(ExecutorService executor, long payloads, long workNanos) throws InterruptedException {
		for (long i = 0; i < payloads; i++) {
			byte[] payload = new byte[PAYLOAD_BYTES];
			payload[0] = (byte) i;
			executor.execute(() -> process(payload, workNanos));
			submitted = i + 1;
		}
		executor.shutdown();
		executor.awaitTermination(1, TimeUnit.HOURS);
	}

	static void startSampler(Path samples, long timeoutNanos) throws Exception {
		List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.toList();
		PrintStream csv = new PrintStream(Files.newOutputStream(samples), true);
		csv.println("t_ms,used_mb,live_mb,submitted,completed");
		Thread sampler = new Thread(() -> {
			try {
				while (!done) {
					long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
					long live = 0;
					for (MemoryPoolMXBean pool : heapPools) {
						var usage = pool.getCollectionUsage();
						if (usage != null) {
							live += usage.getUsed();
						}
					}
					maxHeap = Math.max(maxHeap, used);
					maxLive = Math.max(maxLive, live);
					long elapsed = System.nanoTime() - startNanos;
					csv.printf(Locale.ROOT, "%d,%.1f,%.1f,%d,%d%n", elapsed / 1_000_000, used / 1048576.0,
							live / 1048576.0, submitted, completed.sum());
					if (elapsed > timeoutNanos) {
						finish("TIMEOUT", "gave up after " + Duration.ofNanos(timeoutNanos));
					}
					Thread.sleep(100);
				}
			}
			catch (OutOfMemoryError error) {
				reserve = null;
				finish("OOM", "sampler: " + error);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "heap-sampler");
		sampler.setDaemon(true);
		sampler.setPriority(Thread.MAX_PRIORITY);
		sampler.start();
	}

	static synchronized void finish(String outcome, String detail) {
		reserve = null;
		done = true;
		double seconds = (System.nanoTime() - startNanos) / 1e9;
		out.printf(Locale.ROOT, "RESULT,%s,%s,%.1f,%d,%d,%.1f,%.1f,%s%n", mode, outcome, seconds, submitted,
				completed.sum(), maxHeap / 1048576.0, maxLive / 1048576.0, detail.replace(',', ';'));
		out.flush();
		Runtime.getRuntime().halt(outcome.equals("FINISHED") ? 0 : 3);
	}

}
