package io.jobpool.benchmarks;

import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * No-op jobs, 4 workers, room for 1024 waiting jobs; JMH's threads are the producers (run with {@code -t 2}
 * and {@code -t 4}). One op is one job submitted with a blocking submit. The producers outrun the workers,
 * so the queue is full at the start and at the end of every measured iteration: submitted jobs/s is
 * completed jobs/s, give or take one queue (1028 jobs) per iteration of millions. No iteration drains the
 * queue, which would give the next one 1024 free submits.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
public class ThroughputBenchmark extends SubmitBenchmark {

	static final int WORKERS = 4;

	private static final Runnable NO_OP = () -> {
	};

	/** Every target, unless {@code -p impl=...} names some. */
	@Param
	public Target impl;

	public ThroughputBenchmark() {
		super(WORKERS, NO_OP);
	}

	@Override
	Target target() {
		return this.impl;
	}

}
