package io.jobpool.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** An executor under test, started: submit jobs to it, then close it. */
public final class Running implements AutoCloseable {

	/** How an executor takes one job: {@link Running#submit(Runnable)} as that executor does it. */
	@FunctionalInterface
	interface Submit {

		Object submit(Runnable job) throws InterruptedException;

	}

	private final Submit submit;

	private final Runnable close;

	Running(Submit submit, Runnable close) {
		this.submit = submit;
		this.close = close;
	}

	/** An executor that takes jobs through {@code submit} and hands back a future; closing shuts it down. */
	static Running submitting(ExecutorService executor) {
		return new Running(executor::submit, () -> shutdown(executor));
	}

	/** An executor that takes jobs through {@code execute}, handing back nothing; closing shuts it down. */
	static Running executing(ExecutorService executor) {
		return new Running((job) -> {
			executor.execute(job);
			return null;
		}, () -> shutdown(executor));
	}

	/**
	 * Submit one job, blocking while the executor is full.
	 * @param job the job
	 * @return whatever the executor hands back (a future, or null), for the caller's blackhole
	 * @throws InterruptedException if interrupted while blocked
	 */
	public Object submit(Runnable job) throws InterruptedException {
		return this.submit.submit(job);
	}

	/** Stop the executor, letting the jobs it holds end. */
	@Override
	public void close() {
		this.close.run();
	}

	/** Shut the executor down and wait up to 30 s for its jobs to end. */
	static void shutdown(ExecutorService executor) {
		executor.shutdown();
		try {
			executor.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
