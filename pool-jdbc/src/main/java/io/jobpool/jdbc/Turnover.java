package io.jobpool.jdbc;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many claimed jobs the workers finished lately: the more of those finished in the last whole window of
 * {@code windowNanos} and in the window under way. About that many workers are likely to free up within the next
 * window, as long as jobs keep running as they did; when they take longer (long jobs, a stall) the count falls, to
 * nothing after a whole window in which none finished. {@link #reset()} forgets what was counted, for when jobs
 * waited for a worker longer than they should have.
 */
final class Turnover {

	private final long windowNanos;

	private final AtomicInteger current = new AtomicInteger();

	// The window being counted started then; both written under this lock, read without it.
	private volatile long windowStart;

	private volatile int last;

	Turnover(long windowNanos) {
		this.windowNanos = windowNanos;
		this.windowStart = System.nanoTime();
	}

	/** A worker finished a claimed job. */
	void finished(long nowNanos) {
		roll(nowNanos);
		this.current.incrementAndGet();
	}

	/** Jobs finished lately: the more of the last whole window and the one under way. */
	int lately(long nowNanos) {
		roll(nowNanos);
		return Math.max(this.last, this.current.get());
	}

	/** Forget the starts counted so far. */
	synchronized void reset() {
		this.last = 0;
		this.current.set(0);
		this.windowStart = System.nanoTime();
	}

	private void roll(long nowNanos) {
		if (nowNanos - this.windowStart < this.windowNanos) {
			return;
		}
		synchronized (this) {
			long elapsed = nowNanos - this.windowStart;
			if (elapsed >= this.windowNanos) {
				int counted = this.current.getAndSet(0);
				this.last = (elapsed < 2 * this.windowNanos) ? counted : 0;
				this.windowStart = nowNanos;
			}
		}
	}

}
