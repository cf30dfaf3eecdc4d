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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The flood: one producer submits {@code payloads} 1 KB payloads as fast as it can to slow workers (each job
 * checksums its payload and then busies its worker for {@code workMicros}). Run it in a JVM of its own with
 * a small heap ({@code -Xmx64m}). It samples the used heap every 100 ms into a CSV file and ends with one
 * line: {@code RESULT,mode,outcome,seconds,submitted,completed,max_heap_mb,max_live_mb}, where outcome is
 * FINISHED, OOM or TIMEOUT.
 * <p>
 * Usage: {@code FloodMain <mode> <samples.csv> <payloads> <workMicros> <timeoutSeconds>}, the mode being the name
 * of a {@link Mode}.
 */
public final class FloodMain {

	static final int WORKERS = 4;

	static final int QUEUE = 1024;

	static final int PAYLOAD_BYTES = 1024;

	/** How the flood is taken in. */
	enum Mode {

		/** The job pool ({@link Target#JOBPOOL}): 4 workers, queue 1024, blocking submit. */
		JOBPOOL {
			@Override
			Running start() {
				return Target.JOBPOOL.start(WORKERS, QUEUE);
			}
		},

		/** A virtual thread per job on Java 21+, else a platform thread per job. */
		THREAD_PER_JOB {
			@Override
			Running start() {
				if (Pools.virtualThreadsAvailable()) {
					return Running.executing(Pools.newVirtualThreadPerTaskExecutor());
				}
				return new Running((job) -> {
					new Thread(job).start();
					return null;
				}, () -> {
				});
			}
		},

		/** {@code Executors.newFixedThreadPool(4)}: an unbounded LinkedBlockingQueue. */
		UNBOUNDED_TPE {
			@Override
			Running start() {
				return Running.executing(Executors.newFixedThreadPool(WORKERS));
			}
		};

		abstract Running start();

	}

	// Given back on OutOfMemoryError so that the report can still be written.
	private static byte[] reserve = new byte[8 * 1024 * 1024];

	private static volatile long submitted;

	private static volatile long maxHeap;

	private static volatile long maxLive;

	private static long startNanos;

	private static Mode mode;

	private static Tally tally;

	private static volatile boolean done;

	private static final PrintStream out = System.out;

	private FloodMain() {
	}

	public static void main(String[] args) throws Exception {
		mode = Mode.valueOf(args[0]);
		Path samples = Path.of(args[1]);
		long payloads = Long.parseLong(args[2]);
		tally = new Tally(payloads);
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
		Running running = mode.start();
		try {
			for (long i = 0; i < payloads; i++) {
				byte[] payload = new byte[PAYLOAD_BYTES];
				payload[0] = (byte) i;
				running.submit(() -> process(payload, workNanos));
				submitted = i + 1;
			}
		}
		catch (OutOfMemoryError error) {
			reserve = null;
			finish("OOM", "producer: " + error);
		}
		if (!tally.await(Duration.ofNanos(timeoutNanos))) {
			timedOut(timeoutNanos);
		}
		running.close();
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
		tally.succeeded();
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
							live / 1048576.0, submitted, tally.ended());
					if (elapsed > timeoutNanos) {
						timedOut(timeoutNanos);
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

	static void timedOut(long timeoutNanos) {
		finish("TIMEOUT", "gave up after " + Duration.ofNanos(timeoutNanos));
	}

	static synchronized void finish(String outcome, String detail) {
		reserve = null;
		done = true;
		double seconds = (System.nanoTime() - startNanos) / 1e9;
		out.printf(Locale.ROOT, "RESULT,%s,%s,%.1f,%d,%d,%.1f,%.1f,%s%n", mode, outcome, seconds, submitted,
				tally.ended(), maxHeap / 1048576.0, maxLive / 1048576.0, detail.replace(',', ';'));
		out.flush();
		Runtime.getRuntime().halt(outcome.equals("FINISHED") ? 0 : 3);
	}

}
