package io.jobpool.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Jobs of the memory store waiting for their time: at most {@code capacity}, by when they are due. They hold no
 * worker: a thread of their own puts each in the queue when its time comes, reading the pool's clock at the
 * latest every second, so that a clock that jumps is followed.
 */
final class DelayedJobs implements Runnable {

	private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final int capacity;

	private final Clock clock;

	private final String threadName;

	private final Consumer<JobTask> due;

	private final Backpressure room = new Backpressure();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	// Guarded by lock.
	private final PriorityQueue<Entry> entries = new PriorityQueue<>();

	private long sequence;

	private @Nullable Thread thread;

	private boolean stopped;

	DelayedJobs(int capacity, Clock clock, String threadName, Consumer<JobTask> due) {
		this.capacity = capacity;
		this.clock = clock;
		this.threadName = threadName;
		this.due = due;
	}

	int capacity() {
		return this.capacity;
	}

	Backpressure room() {
		return this.room;
	}

	int count() {
		this.lock.lock();
		try {
			return this.entries.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Keep a job in {@code WAITING} until its time, if there is room, starting the thread on first use.
	 * @return whether it was kept; not when full or stopped
	 */
	boolean offer(JobTask task, Instant at) {
		this.lock.lock();
		try {
			if (this.stopped || this.entries.size() >= this.capacity) {
				return false;
			}
			Entry entry = new Entry(at, this.sequence++, task);
			this.entries.add(entry);
			if (this.thread == null) {
				this.thread = new Thread(this, this.threadName);
				this.thread.setDaemon(true);
				this.thread.start();
			}
			else if (this.entries.peek() == entry) {
				this.changed.signal();
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Forget a job that left {@code WAITING} before its time. */
	void remove(JobTask task) {
		boolean removed;
		this.lock.lock();
		try {
			removed = !this.entries.isEmpty() && this.entries.removeIf((entry) -> entry.task == task);
		}
		finally {
			this.lock.unlock();
		}
		if (removed) {
			this.room.signal(1);
		}
	}

	/**
	 * Stop the thread and take every job still waiting.
	 * @return the jobs
	 */
	List<JobTask> stop() {
		List<JobTask> taken = new ArrayList<>();
		this.lock.lock();
		try {
			this.stopped = true;
			this.entries.forEach((entry) -> taken.add(entry.task));
			this.entries.clear();
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
		this.room.signalAll();
		return taken;
	}

	@Override
	public void run() {
		List<JobTask> ready = new ArrayList<>();
		while (true) {
			this.lock.lock();
			try {
				if (this.stopped) {
					return;
				}
				Instant now = this.clock.instant();
				Entry head = this.entries.peek();
				while (head != null && !head.at.isAfter(now)) {
					ready.add(this.entries.poll().task);
					head = this.entries.peek();
				}
				if (ready.isEmpty()) {
					long sleep = (head != null) ? Math.min(MAX_SLEEP_NANOS, nanosUntil(head.at, now)) : MAX_SLEEP_NANOS;
					this.changed.awaitNanos(sleep);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				this.lock.unlock();
			}
			if (!ready.isEmpty()) {
				ready.forEach(this.due);
				this.room.signal(ready.size());
				ready.clear();
			}
		}
	}

	private static long nanosUntil(Instant at, Instant now) {
		long seconds = at.getEpochSecond() - now.getEpochSecond();
		if (seconds > 1) {
			return MAX_SLEEP_NANOS;
		}
		return Math.max(1, seconds * 1_000_000_000L + at.getNano() - now.getNano());
	}

	private record Entry(Instant at, long sequence, JobTask task) implements Comparable<Entry> {

		@Override
		public int compareTo(Entry other) {
			int byTime = this.at.compareTo(other.at);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

}
