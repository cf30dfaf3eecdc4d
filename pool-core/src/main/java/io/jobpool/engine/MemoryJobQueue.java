package io.jobpool.engine;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * The in-memory queue: new jobs in a bounded lock-free ring of {@code capacity}, put-back jobs in a lane of
 * their own that is served first.
 *
 * @param <E> the element type
 */
final class MemoryJobQueue<E> {

	private final BoundedArrayQueue<E> fresh;

	private final ConcurrentLinkedQueue<E> retries = new ConcurrentLinkedQueue<>();

	/**
	 * Create a queue.
	 * @param capacity how many new jobs it holds, at least 1
	 */
	MemoryJobQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
		}
		this.fresh = new BoundedArrayQueue<>(capacity);
	}

	/** Add a new job at the tail, if there is room: whether it was added. */
	boolean offer(E element) {
		return this.fresh.offer(element);
	}

	/** Put back a job for another attempt, ahead of new jobs; never refused (retries are bounded elsewhere). */
	void requeue(E element) {
		this.retries.offer(element);
	}

	/** Take the next job, put-back jobs first, or {@code null}. */
	@Nullable E poll() {
		E retry = this.retries.poll();
		return (retry != null) ? retry : this.fresh.poll();
	}

	/** Jobs waiting now. */
	int size() {
		return this.fresh.size() + this.retries.size();
	}

	/** How many new jobs it holds at most. */
	int capacity() {
		return this.fresh.capacity();
	}

}
