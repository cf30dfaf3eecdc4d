package io.jobpool.benchmarks.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scale curve of the durable queue: 1, 2, 4… instances of one pool, each a {@link ScaleInstanceMain} in a JVM
 * of its own, on one embedded PostgreSQL. In each round the instances share out {@code jobs} no-op jobs and
 * {@value #PRODUCERS} producer threads between them (so the offered load is the same at every size), submit at
 * once, and the clock runs from the start signal to the last job's end on any instance. Between rounds the database
 * is checkpointed. While a round runs, the CPU time of the machine, of the instances' JVMs and of PostgreSQL's
 * processes is sampled, to say where the curve bends and why.
 * <p>
 * Usage: {@code ScaleMain <raw dir> <jobs> <rounds> <warm-up rounds> <workers each> <instances, e.g. 1,2,4>};
 * writes {@value #CSV} (one line per measured round) and {@value #SETUP} there. Exits with 1 if a round did not run
 * all its jobs.
 */
public final class ScaleMain {

	static final String CSV = "scale.csv";

	static final String SETUP = "scale-setup.txt";

	static final int PRODUCERS = 4;

	/** Connections each instance may hold: its producers, its own threads and one to spare. */
	static final int CONNECTIONS = PRODUCERS + 5;

	/** The header of {@value #CSV}. */
	public static final String CSV_HEADER = "instances,round,jobs,seconds,jobs_per_s,ran_each,cpu_busy_pct,"
			+ "jvm_cpu_s,postgres_cpu_s,rows_left,status";

	private ScaleMain() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		Path raw = Path.of(args[0]);
		int jobs = Integer.parseInt(args[1]);
		int rounds = Integer.parseInt(args[2]);
		int warmUps = Integer.parseInt(args[3]);
		int workers = Integer.parseInt(args[4]);
		int[] sizes = Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray();
		boolean clean = true;
		try (Database database = new Database(4, Durability.FSYNC_OFF);
				PrintWriter csv = new PrintWriter(Files.newBufferedWriter(raw.resolve(CSV)))) {
			String setup = String.format(Locale.ROOT, "%s; %,d jobs a round, %d producers and %d connections "
					+ "shared out among the instances, %d workers each, poll interval %d ms; %d warm-up round(s), "
					+ "then %d measured, for each number of instances", database.describe(), jobs, PRODUCERS,
					CONNECTIONS, workers, DurableQueueMain.POLL_INTERVAL.toMillis(), warmUps, rounds);
			Files.writeString(raw.resolve(SETUP), setup + "\n");
			System.out.println(setup);
			System.out.println(CSV_HEADER);
			csv.println(CSV_HEADER);
			for (int size : sizes) {
				List<Instance> instances = start(database, size, workers, raw);
				try {
					for (int round = 1 - warmUps; round <= rounds; round++) {
						String line = round(database, instances, round, jobs).csv();
						System.out.println((round < 1) ? "warm-up " + line : line);
						if (round >= 1) {
							csv.println(line);
							csv.flush();
							clean &= line.endsWith(",ok");
						}
					}
				}
				finally {
					stop(instances);
				}
			}
		}
		if (!clean) {
			System.out.println("Some round did not run all its jobs: see the status column above.");
			System.exit(1);
		}
	}

	private static List<Instance> start(Database database, int size, int workers, Path raw) throws IOException {
		List<Instance> instances = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			int producers = PRODUCERS / size + ((i < PRODUCERS % size) ? 1 : 0);
			instances.add(new Instance(database.jdbcUrl(), workers, Math.max(1, producers),
					raw.resolve("scale-" + size + "-" + i + ".err")));
		}
		for (Instance instance : instances) {
			instance.await("READY", Duration.ofSeconds(60));
		}
		return instances;
	}

	private static void stop(List<Instance> instances) throws InterruptedException {
		for (Instance instance : instances) {
			instance.send("STOP");
		}
		for (Instance instance : instances) {
			instance.end();
		}
	}

	static ScaleRound round(Database database, List<Instance> instances, int round, int jobs)
			throws InterruptedException {
		database.checkpoint();
		for (Instance instance : instances) {
			instance.count(round);
		}
		CpuTimes before = CpuTimes.sample(instances);
		long start = ScaleInstanceMain.wallMicros();
		int left = jobs;
		for (int i = 0; i < instances.size(); i++) {
			int share = left / (instances.size() - i);
			left -= share;
			instances.get(i).go(round, share);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + jobs / 50);
		String status = "ok";
		while (ran(instances) < jobs) {
			String failure = instances.stream().map(Instance::failure).filter((f) -> f != null).findFirst().orElse(null);
			if (failure != null || System.nanoTime() > deadline) {
				status = (failure != null) ? "submit failed: " + failure
						: "only " + ran(instances) + " of " + jobs + " jobs ran in time";
				break;
			}
			Thread.sleep(5);
		}
		CpuTimes after = CpuTimes.sample(instances);
		long end = instances.stream().mapToLong(Instance::lastEndMicros).max().orElse(start);
		long rowsLeft = rowsLeft(database);
		if (status.equals("ok") && rowsLeft != 0) {
			status = rowsLeft + " rows left";
		}
		long[] each = instances.stream().mapToLong(Instance::ran).toArray();
		return new ScaleRound(instances.size(), round, jobs, (end - start) / 1e6, each, after.minus(before), rowsLeft,
				status);
	}

	/** The rows left once every job ran: a succeeded job's row is deleted in a batch, a moment after its end. */
	private static long rowsLeft(Database database) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long rows = database.rows(JobPoolQueue.TABLE);
		while (rows != 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
			rows = database.rows(JobPoolQueue.TABLE);
		}
		return rows;
	}

	private static long ran(List<Instance> instances) {
		return instances.stream().mapToLong(Instance::ran).sum();
	}

	/**
	 * One round of the scale curve, as a line of {@value #CSV}.
	 * @param instances how many instances ran
	 * @param round the round's number (below 1: a warm-up)
	 * @param jobs jobs submitted
	 * @param seconds from the start signal to the last job's end
	 * @param ranEach jobs run on each instance
	 * @param cpu CPU time spent while the round ran
	 * @param rowsLeft rows left in the table once every job had run (0 expected)
	 * @param status {@code ok}, or what went wrong
	 */
	record ScaleRound(int instances, int round, int jobs, double seconds, long[] ranEach, CpuTimes cpu,
			long rowsLeft, String status) {

		String csv() {
			return String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.0f,%s,%.0f,%.2f,%.2f,%d,%s", this.instances,
					this.round, this.jobs, this.seconds, this.jobs / this.seconds,
					String.join("/", Arrays.stream(this.ranEach).mapToObj(Long::toString).toList()),
					this.cpu.busyPercent(), this.cpu.jvmSeconds(), this.cpu.postgresSeconds(), this.rowsLeft,
					this.status.replace(',', ';'));
		}

	}

	/**
	 * CPU time: of the whole machine from {@code /proc/stat}, of the instances' JVMs and of PostgreSQL's processes.
	 * @param busyTicks ticks the CPUs were busy
	 * @param allTicks all ticks
	 * @param jvmNanos the instances' JVMs
	 * @param postgresNanos every process named postgres, by pid (a backend that ended between two samples is not
	 * counted)
	 */
	record CpuTimes(long busyTicks, long allTicks, long jvmNanos, Map<Long, Long> postgresNanos) {

		static CpuTimes sample(List<Instance> instances) {
			long busy = 0;
			long all = 0;
			try {
				String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
				for (int i = 1; i < cpu.length && i <= 8; i++) {
					long ticks = Long.parseLong(cpu[i]);
					all += ticks;
					busy += (i == 4 || i == 5) ? 0 : ticks;
				}
			}
			catch (IOException | RuntimeException ex) {
				// not Linux: the machine's share stays unknown
			}
			long jvm = instances.stream().mapToLong(Instance::cpuNanos).sum();
			Map<Long, Long> postgres = new HashMap<>();
			ProcessHandle.allProcesses()
				.filter((p) -> p.info().command().map((c) -> c.endsWith("/postgres")).orElse(false))
				.forEach((p) -> postgres.put(p.pid(),
						p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)));
			return new CpuTimes(busy, all, jvm, postgres);
		}

		CpuTimes minus(CpuTimes earlier) {
			Map<Long, Long> postgres = new HashMap<>();
			this.postgresNanos.forEach((pid, nanos) -> postgres.put(pid,
					nanos - earlier.postgresNanos.getOrDefault(pid, 0L)));
			return new CpuTimes(this.busyTicks - earlier.busyTicks, this.allTicks - earlier.allTicks,
					this.jvmNanos - earlier.jvmNanos, postgres);
		}

		double busyPercent() {
			return (this.allTicks > 0) ? 100.0 * this.busyTicks / this.allTicks : Double.NaN;
		}

		double jvmSeconds() {
			return this.jvmNanos / 1e9;
		}

		double postgresSeconds() {
			return this.postgresNanos.values().stream().mapToLong(Long::longValue).sum() / 1e9;
		}

	}

	/** A running {@link ScaleInstanceMain}, and what it last said. */
	static final class Instance {

		private final Process process;

		private final PrintWriter commands;

		private final List<String> said = new ArrayList<>();

		private volatile int round = Integer.MIN_VALUE;

		private volatile long ran;

		private volatile long lastEndMicros;

		private volatile String failure;

		Instance(String jdbcUrl, int workers, int producers, Path errors) throws IOException {
			String java = ProcessHandle.current().info().command().orElse("java");
			this.process = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-cp",
					System.getProperty("java.class.path"), ScaleInstanceMain.class.getName(), jdbcUrl,
					Integer.toString(workers), Integer.toString(producers), Integer.toString(CONNECTIONS))
				.redirectError(errors.toFile())
				.start();
			this.commands = new PrintWriter(this.process.getOutputStream(), true, StandardCharsets.UTF_8);
			Thread reader = new Thread(this::read, "instance-" + this.process.pid());
			reader.setDaemon(true);
			reader.start();
		}

		private void read() {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					if (line.startsWith("RAN ")) {
						String[] parts = line.split(" ");
						if (Integer.parseInt(parts[1]) == this.round) {
							this.lastEndMicros = Long.parseLong(parts[3]);
							this.ran = Long.parseLong(parts[2]);
						}
					}
					else if (line.startsWith("FAILED ")) {
						this.failure = line.substring(7);
					}
					synchronized (this.said) {
						this.said.add(line);
						this.said.notifyAll();
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		void await(String line, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			synchronized (this.said) {
				while (!this.said.contains(line)) {
					long left = deadline - System.nanoTime();
					if (left <= 0 || !this.process.isAlive()) {
						throw new IllegalStateException("An instance did not say " + line + " (pid "
								+ this.process.pid() + ", alive " + this.process.isAlive() + "); see its .err file");
					}
					try {
						this.said.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
				}
			}
		}

		/** Count the jobs of a round from now: its own, and those submitted through the other instances. */
		void count(int round) {
			this.ran = 0;
			this.lastEndMicros = 0;
			this.failure = null;
			this.round = round;
			send("COUNT " + round);
			await("COUNTING " + round, Duration.ofSeconds(60));
		}

		/** Start a round: this instance submits its share of the jobs. */
		void go(int round, int jobs) {
			send("GO " + round + " " + jobs);
		}

		void send(String command) {
			this.commands.println(command);
		}

		long ran() {
			return this.ran;
		}

		long lastEndMicros() {
			return this.lastEndMicros;
		}

		String failure() {
			return this.failure;
		}

		long cpuNanos() {
			return this.process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
		}

		void end() throws InterruptedException {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
