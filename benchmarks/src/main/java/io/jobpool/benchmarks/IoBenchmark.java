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
 * I/O-like jobs: each sleeps 1 ms; 50 workers, room for 1024 waiting jobs, one producer. The ideal is
 * workers / job time = 50,000 jobs/s; the report divides the score by it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Threads(1)
@State(Scope.Benchmark)
public class IoBenchmark {

	static final int WORKERS = 50;

	static final int QUEUE = 1024;

	@Param({ Targets.JOBPOOL, Targets.TPE })
	public String impl;

	private Targets.Target target;

	@Setup(Level.Trial)
	public void setUp() {
		this.target = Targets.create(this.impl, WORKERS, QUEUE, IoBenchmark::sleepOneMilli);
	}

	static void sleepOneMilli() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
