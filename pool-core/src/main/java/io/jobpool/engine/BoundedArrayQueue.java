package io.jobpool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

/**
 * A bounded, lock-free, multi-producer multi-consumer FIFO queue on a ring of sequenced slots (Vyukov's
 * design). Holds exactly {@code capacity} elements; neither operation allocates or blocks.
 *
 * @param <E> the element type
 */
final class BoundedArrayQueue<E> {

	private static final VarHandle TAIL;

	private static final VarHandle HEAD;

	private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);

	private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Object[].class);

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			TAIL = lookup.findVarHandle(BoundedArrayQueue.class, "tail", long.class);
			HEAD = lookup.findVarHandle(BoundedArrayQueue.class, "head", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// Slot i is free for the producer at position p when sequences[i] == p, and holds the element for the
	// consumer at position p when sequences[i] == p + 1. Positions only grow; the slot of position p is
	// p & mask. The ring is a power of two of at least 2 (so the two cases differ); when the capacity is
	// smaller than the ring, a producer also checks that tail - head stays below the capacity.
	private final int capacity;

	private final int mask;

	private final boolean exact;

	private final long[] sequences;

	private final Object[] elements;

	@SuppressWarnings("unused")
	private long p01, p02, p03, p04, p05, p06, p07;

	private volatile long tail;

	@SuppressWarnings("unused")
	private long p11, p12, p13, p14, p15, p16, p17;

	private volatile long head;

	@SuppressWarnings("unused")
	private long p21, p22, p23, p24, p25, p26, p27;

	BoundedArrayQueue(int capacity) {
		int ring = Math.max(2, Integer.highestOneBit(capacity - 1) << 1);
		this.capacity = capacity;
		this.mask = ring - 1;
		this.exact = ring == capacity;
		this.sequences = new long[ring];
		this.elements = new Object[ring];
		for (int i = 0; i < ring; i++) {
			this.sequences[i] = i;
		}
	}

	boolean offer(E element) {
		long position = this.tail;
		for (;;) {
			int index = index(position);
			long sequence = (long) SEQUENCES.getVolatile(this.sequences, index);
			long difference = sequence - position;
			if (difference == 0) {
				if (!this.exact && position - this.head >= this.capacity) {
					return false;
				}
				if (TAIL.compareAndSet(this, position, position + 1)) {
					ELEMENTS.setRelease(this.elements, index, element);
					SEQUENCES.setVolatile(this.sequences, index, position + 1);
					return true;
				}
				position = this.tail;
			}
			else if (difference < 0) {
				return false;
			}
			else {
				position = this.tail;
			}
		}
	}

	@SuppressWarnings("unchecked")
	@Nullable E poll() {
		long position = this.head;
		for (;;) {
			int index = index(position);
			long sequence = (long) SEQUENCES.getVolatile(this.sequences, index);
			long difference = sequence - (position + 1);
			if (difference == 0) {
				if (HEAD.compareAndSet(this, position, position + 1)) {
					E element = (E) ELEMENTS.getAcquire(this.elements, index);
					ELEMENTS.setRelease(this.elements, index, null);
					SEQUENCES.setVolatile(this.sequences, index, position + this.mask + 1);
					return element;
				}
				position = this.head;
			}
			else if (difference < 0) {
				return null;
			}
			else {
				position = this.head;
			}
		}
	}

	int size() {
		for (;;) {
			long before = this.head;
			long currentTail = this.tail;
			if (this.head == before) {
				return (int) Math.max(0, Math.min(this.capacity, currentTail - before));
			}
		}
	}

	int capacity() {
		return this.capacity;
	}

	private int index(long position) {
		return (int) position & this.mask;
	}

}
