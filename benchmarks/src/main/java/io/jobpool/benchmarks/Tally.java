package io.jobpool.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counts the jobs of a run that ended, notes when the last of them did, and lets a thread wait for it. */
public final class Tally {

	private final long expected;

	private final AtomicLong ended = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

	private final CountDownLatch all = new CountDownLatch(1);

	private volatile long lastEndNanos;

	/**
	 * Count up to this many jobs.
	 * @param expected the jobs the run submits
	 */
	public Tally(long expected) {
		this.expected = expected;
	}

	/** A job ended well. */
	public void succeeded() {
		end();
	}

	/**
	 * A job ended in failure.
	 * @param error why
	 */
	public void failed(Throwable error) {
		this.failed.incrementAndGet();
		this.firstFailure.compareAndSet(null, error);
		end();
	}

	private void end() {
		if (this.ended.incrementAndGet() == this.expected) {
			this.lastEndNanos = System.nanoTime();
			this.all.countDown();
		}
	}

	/**
	 * Wait for every job to end.
	 * @param timeout the longest to wait
	 * @return whether they did in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean await(Duration timeout) throws InterruptedException {
		return this.all.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** When the last job ended, in {@link System#nanoTime()}; valid once {@link #await} returned true. */
	public long lastEndNanos() {
		return this.lastEndNanos;
	}

	/** Jobs ended so far, well or not. */
	public long ended() {
		return this.ended.get();
	}

	/** Jobs that ended in failure so far. */
	public long failed() {
		return this.failed.get();
	}

	/** The first failure, or null if none. */
	public Throwable firstFailure() {
		return this.firstFailure.get();
	}

}
