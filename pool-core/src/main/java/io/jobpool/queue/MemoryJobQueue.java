package io.jobpool.queue;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * The in-memory queue: new jobs in a bounded lock-free ring of {@code capacity}, put-back jobs in a lane of
 * their own that is served first.
 *
 * @param <E> the element type
 */
public final class MemoryJobQueue<E> implements JobQueue<E> {

	private final BoundedArrayQueue<E> fresh;

	private final ConcurrentLinkedQueue<E> retries = new ConcurrentLinkedQueue<>();

	/**
	 * Create a queue.
	 * @param capacity how many new jobs it holds, at least 1
	 */
	public MemoryJobQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
		}
		this.fresh = new BoundedArrayQueue<>(capacity);
	}

	@Override
	public boolean offer(E element) {
		return this.fresh.offer(element);
	}

	@Override
	public void requeue(E element) {
		this.retries.offer(element);
	}

	@Override
	public @Nullable E poll() {
		E retry = this.retries.poll();
		return (retry != null) ? retry : this.fresh.poll();
	}

	@Override
	public int size() {
		return this.fresh.size() + this.retries.size();
	}

	@Override
	public int capacity() {
		return this.fresh.capacity();
	}

}
