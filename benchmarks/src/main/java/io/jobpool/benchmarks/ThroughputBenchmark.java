package io.jobpool.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * No-op jobs, 4 workers, room for 1024 waiting jobs; JMH's threads are the producers (run with {@code -t 2}
 * and {@code -t 4}). One op is one job submitted with a blocking submit. The producers outrun the workers,
 * so the queue is full at the start and at the end of every measured iteration: submitted jobs/s is
 * completed jobs/s, give or take one queue (1028 jobs) per iteration of millions. No iteration drains the
 * queue, which would give the next one 1024 free submits.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Threads(2)
@State(Scope.Benchmark)
public class ThroughputBenchmark {

	static final int WORKERS = 4;

	static final int QUEUE = 1024;

	@Param({ Targets.JOBPOOL, Targets.JOBPOOL_METRICS, Targets.TPE, Targets.TPE_EXECUTE, Targets.SPRING,
			Targets.FORKJOIN, Targets.VIRTUAL })
	public String impl;

	private Targets.Target target;

	@Setup(Level.Trial)
	public void setUp() {
		this.target = Targets.create(this.impl, WORKERS, QUEUE, () -> {
		});
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.target.close();
	}

	@Benchmark
	public Object submit() throws InterruptedException {
		return this.target.submit();
	}

}
