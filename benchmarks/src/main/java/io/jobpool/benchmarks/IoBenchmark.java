package io.jobpool.benchmarks;

import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * I/O-like jobs: each sleeps 1 ms; 50 workers, room for 1024 waiting jobs, one producer. The ideal is
 * workers / job time = 50,000 jobs/s; the report divides the score by it.
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Threads(1)
public class IoBenchmark extends SubmitBenchmark {

	static final int WORKERS = 50;

	@Param({ "JOBPOOL", "TPE" })
	public Target impl;

	public IoBenchmark() {
		super(WORKERS, IoBenchmark::sleepOneMilli);
	}

	@Override
	Target target() {
		return this.impl;
	}

	static void sleepOneMilli() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
