package io.jobpool.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Jobs/s through one {@link Target}: one op submits one job with a blocking submit, the JMH threads being the
 * producers. Subclasses choose the targets (their {@code impl} parameter), the workers, the job and the timings.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public abstract class SubmitBenchmark {

	/** Jobs that may wait. */
	static final int QUEUE = 1024;

	private final int workers;

	private final Runnable job;

	private Running running;

	SubmitBenchmark(int workers, Runnable job) {
		this.workers = workers;
		this.job = job;
	}

	/** The target of this trial: the subclass's {@code impl} parameter. */
	abstract Target target();

	@Setup(Level.Trial)
	public void setUp() {
		this.running = target().start(this.workers, QUEUE);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.running.close();
	}

	@Benchmark
	public Object submit() throws InterruptedException {
		return this.running.submit(this.job);
	}

}
