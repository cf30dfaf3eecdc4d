package io.jobpool.benchmarks.jdbc;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Counts the jobs of a round that ended, and notes when the last of them did. */
final class Tally {

	private final int expected;

	private final AtomicInteger ended = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

	private final CountDownLatch all = new CountDownLatch(1);

	private volatile long lastEndNanos;

	Tally(int expected) {
		this.expected = expected;
	}

	/** A job ended and its row is gone. */
	void succeeded() {
		end();
	}

	void failed(Throwable error) {
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

	/** Wait for every job to end; whether they did in time. */
	boolean await(Duration timeout) throws InterruptedException {
		return this.all.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	long lastEndNanos() {
		return this.lastEndNanos;
	}

	int ended() {
		return this.ended.get();
	}

	int failed() {
		return this.failed.get();
	}

	Throwable firstFailure() {
		return this.firstFailure.get();
	}

}
