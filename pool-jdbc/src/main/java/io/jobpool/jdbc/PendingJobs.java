package io.jobpool.jdbc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * Keeps the ready jobs of a durable pool within {@code queue-size} without counting rows at every submit: the last
 * count, plus what this pool inserted since, minus what it claimed. When that estimate says the queue is full the
 * rows are counted again, at most once per {@link #RECOUNT_NANOS}. Other pools' submits are seen at the next
 * count, so with several pools the bound can be passed by what they submit between two counts.
 */
final class PendingJobs {

	static final long RECOUNT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final int capacity;

	private volatile int counted;

	private final AtomicInteger sinceCount = new AtomicInteger();

	private long countedAt = System.nanoTime() - RECOUNT_NANOS;

	PendingJobs(int capacity) {
		this.capacity = capacity;
	}

	/** Take a place for a job about to be inserted, if the estimate has room. */
	boolean tryReserve() {
		for (;;) {
			int since = this.sinceCount.get();
			if (this.counted + since >= this.capacity) {
				return false;
			}
			if (this.sinceCount.compareAndSet(since, since + 1)) {
				return true;
			}
		}
	}

	/** A reserved place was not used: the insert failed or its transaction rolled back. */
	void unreserve() {
		this.sinceCount.decrementAndGet();
	}

	/** This pool claimed jobs. */
	void claimed(int jobs) {
		this.sinceCount.addAndGet(-jobs);
	}

	/**
	 * Count the ready rows again, unless they were counted a moment ago.
	 * @param count counts ready rows, up to the limit it is given
	 */
	synchronized void recount(IntUnaryOperator count) {
		if (System.nanoTime() - this.countedAt >= RECOUNT_NANOS) {
			update(count.applyAsInt(this.capacity));
		}
	}

	/** Take a fresh count of ready rows. */
	synchronized void update(int ready) {
		this.sinceCount.set(0);
		this.counted = ready;
		this.countedAt = System.nanoTime();
	}

	/** Ready jobs, as estimated. */
	int estimate() {
		return Math.max(0, this.counted + this.sinceCount.get());
	}

	int capacity() {
		return this.capacity;
	}

}
