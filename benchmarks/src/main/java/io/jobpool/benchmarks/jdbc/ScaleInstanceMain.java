package io.jobpool.benchmarks.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.benchmarks.Pools;
import io.jobpool.jdbc.JdbcJobPool;

/**
 * One instance of the scale curve, in a JVM of its own: a {@link JdbcJobPool} named {@value #POOL} that runs no-op
 * jobs, driven by {@link ScaleMain} through standard input and output.
 * <p>
 * Usage: {@code ScaleInstanceMain <jdbc url> <workers> <producers> <connections>}. It prints {@code READY} once
 * started; then {@code COUNT <round>} zeroes its counts and prints {@code COUNTING <round>}, {@code GO <round> <jobs>}
 * makes its producers submit that many jobs (shared out among them), and {@code STOP} closes the pool and ends the
 * JVM. Every instance is told to count before any submits, since an instance runs jobs submitted through others. Every 10 ms in which its counts changed it
 * prints {@code RAN <round> <jobs run here> <wall-clock µs of the last end>}, and once its producers are done
 * {@code SUBMITTED <round>}; a failed submit prints {@code FAILED <error>}.
 */
public final class ScaleInstanceMain {

	static final String POOL = "scale";

	private final JdbcJobPool pool;

	private final int producers;

	private final AtomicLong ran = new AtomicLong();

	private volatile long lastEndMicros;

	private volatile int round;

	private ScaleInstanceMain(HikariDataSource dataSource, int workers, int producers) {
		this.producers = producers;
		this.pool = JdbcJobPool.builder(dataSource)
			.initializeSchema(true)
			.pollInterval(DurableQueueMain.POLL_INTERVAL)
			.build(Pools.jobPool(POOL, workers, 1_000_000).processor(JobPoolQueue.Tick.class, () -> (job) -> {
				this.ran.incrementAndGet();
				this.lastEndMicros = wallMicros();
			}));
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(args[0]);
		config.setUsername("postgres");
		config.setMaximumPoolSize(Integer.parseInt(args[3]));
		config.setPoolName("scale");
		try (HikariDataSource dataSource = new HikariDataSource(config)) {
			ScaleInstanceMain instance = new ScaleInstanceMain(dataSource, Integer.parseInt(args[1]),
					Integer.parseInt(args[2]));
			instance.serve();
		}
	}

	private void serve() throws Exception {
		this.pool.start();
		Thread reporter = new Thread(this::report, "reporter");
		reporter.setDaemon(true);
		reporter.start();
		say("READY");
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String command;
		while ((command = commands.readLine()) != null && !command.equals("STOP")) {
			String[] words = command.split(" ");
			if (words[0].equals("COUNT")) {
				this.ran.set(0);
				this.lastEndMicros = 0;
				this.round = Integer.parseInt(words[1]);
				say("COUNTING " + this.round);
			}
			else if (words[0].equals("GO")) {
				submit(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
			}
		}
		this.pool.close();
	}

	private void submit(int round, int jobs) {
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < this.producers; p++) {
			int first = p;
			Thread producer = new Thread(() -> {
				try {
					for (int seq = first; seq < jobs; seq += this.producers) {
						this.pool.submit(new JobPoolQueue.Tick(seq));
					}
				}
				catch (RuntimeException ex) {
					say("FAILED " + ex.toString().replace('\n', ' '));
				}
			}, "producer-" + p);
			producer.start();
			threads.add(producer);
		}
		Thread waiter = new Thread(() -> {
			for (Thread thread : threads) {
				try {
					thread.join();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			say("SUBMITTED " + round);
		}, "submitted");
		waiter.start();
	}

	private void report() {
		String told = "";
		while (true) {
			// The round first: once it is read, the counts are those of that round or later.
			int current = this.round;
			String now = "RAN " + current + " " + this.ran.get() + " " + this.lastEndMicros;
			if (!now.equals(told)) {
				told = now;
				say(now);
			}
			try {
				Thread.sleep(Duration.ofMillis(10).toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private static synchronized void say(String line) {
		System.out.println(line);
		System.out.flush();
	}

	static long wallMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
	}

}
