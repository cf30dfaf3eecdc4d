package io.jobpool.jdbc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Keeps the ready jobs of a durable pool within {@code queue-size} (or, as a second instance, its jobs waiting for
 * their time within {@code schedule-size}) without counting rows at every submit: the last count, plus what this
 * pool inserted since, minus what its workers took. A job being inserted counts from before it takes its place
 * until its transaction ends, so a count cannot miss it. When the estimate says the queue is full the rows are
 * counted again, at most once per {@link #RECOUNT_NANOS}. Other pools' submits, and jobs that came due, are seen at
 * the next count, so with several pools the bound can be passed by what they submit between two counts.
 * <p>
 * A job claimed here keeps its place until a worker takes it: it is {@linkplain #holding held}, and a count adds
 * the held jobs to the rows it finds ready. A claim holds as many places as it asks for before it runs, so a count
 * made while it runs cannot miss its rows, and gives back those it did not get once it knows. A held job given back
 * to the table ({@link #releasing()}) keeps its place, as a job being inserted, until its row is written.
 * <p>
 * The estimate may run high until the next count, never low. Reserving, storing and a worker taking a job are
 * lock-free (a count reads the held jobs before the places it resets, and a worker frees the place before the held
 * job, so a count that crosses a take sees it at worst as not yet taken); what else takes places back (a rollback)
 * or moves them between held and written (a claim, a give-back) holds the lock of the count, so that a count sees
 * it either wholly before or wholly after.
 * <p>
 * Rows are counted up to one more than the capacity only, so that a count costs no more however deep the table. A
 * count that reaches that limit says the rows are more than the capacity, maybe many more: taken jobs then give no
 * places back, and the queue stays full until a count finds fewer. A count that took long (a large capacity, a
 * table awaiting vacuum) is not made again before {@value #COUNT_SPACING} times as long has passed since it began,
 * so that counting takes at most a tenth of the time.
 */
final class PendingJobs {

	static final long RECOUNT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/** How many times as long as the last count took passes, from its start, before the next. */
	static final int COUNT_SPACING = 10;

	private final int capacity;

	private volatile int counted;

	private final AtomicInteger sinceCount = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private long countedAt = System.nanoTime() - RECOUNT_NANOS;

	// How long the last count took; written under this lock.
	private long countNanos;

	// Jobs claimed here that no worker took yet, and places a claim under way holds; changed under this lock, but
	// for a worker taking a job.
	private final AtomicInteger held = new AtomicInteger();

	// Whether the last count found more rows than the capacity; written under this lock.
	private volatile boolean countedOver;

	PendingJobs(int capacity) {
		this.capacity = capacity;
	}

	/** Take a place for a job about to be inserted, if the estimate has room. */
	boolean tryReserve() {
		this.inFlight.incrementAndGet();
		for (;;) {
			int since = this.sinceCount.get();
			if (this.counted + since >= this.capacity) {
				this.inFlight.decrementAndGet();
				return false;
			}
			if (this.sinceCount.compareAndSet(since, since + 1)) {
				return true;
			}
		}
	}

	/** The transaction that inserted a reserved job committed. */
	void stored() {
		this.inFlight.decrementAndGet();
	}

	/** A reserved place was not used: the insert failed or its transaction rolled back. */
	synchronized void unreserve() {
		this.sinceCount.decrementAndGet();
		this.inFlight.decrementAndGet();
	}

	/**
	 * This pool is about to claim up to {@code jobs} jobs: hold a place for each until {@link #claimed} says how many
	 * it got.
	 */
	synchronized void holding(int jobs) {
		this.held.addAndGet(jobs);
	}

	/**
	 * A claim ended.
	 * @param asked the jobs it held places for
	 * @param claimed the rows it claimed
	 * @param kept the jobs it holds for a worker, of those claimed; the others ended at once (unreadable)
	 */
	synchronized void claimed(int asked, int claimed, int kept) {
		this.held.addAndGet(kept - asked);
		takeBack(claimed - kept);
	}

	/** A worker took a held job: its place is free. */
	void taken() {
		takeBack(1);
		this.held.decrementAndGet();
	}

	/** A held job goes back to the table: it keeps its place until its row is {@linkplain #released() written}. */
	synchronized void releasing() {
		this.held.decrementAndGet();
		this.inFlight.incrementAndGet();
	}

	/** The row of a job given back was written, or will not be. */
	void released() {
		this.inFlight.decrementAndGet();
	}

	private void takeBack(int jobs) {
		if (!this.countedOver) {
			this.sinceCount.addAndGet(-jobs);
		}
	}

	/**
	 * Count the ready rows again, unless they were counted a moment ago.
	 * @param count counts ready rows, up to the {@link #countLimit()}
	 */
	synchronized void recount(IntSupplier count) {
		if (mayCount()) {
			update(count);
		}
	}

	/** Whether the rows may be counted again: the last count was not a moment ago, nor long to make. */
	synchronized boolean mayCount() {
		long since = System.nanoTime() - this.countedAt;
		return since >= RECOUNT_NANOS && since >= (COUNT_SPACING - 1) * this.countNanos;
	}

	/**
	 * Count the ready rows now.
	 * @param count counts ready rows, up to the {@link #countLimit()}
	 */
	synchronized void update(IntSupplier count) {
		int held = this.held.get();
		int before = this.sinceCount.get();
		int uncommitted = this.inFlight.get();
		long start = System.nanoTime();
		int ready = count.getAsInt();
		this.countedOver = ready > this.capacity;
		this.counted = ready + uncommitted + held;
		this.sinceCount.addAndGet(-before);
		this.countedAt = System.nanoTime();
		this.countNanos = this.countedAt - start;
	}

	/** Ready jobs, as estimated, with the jobs claimed here that no worker took yet. */
	int estimate() {
		return Math.max(0, this.counted + this.sinceCount.get());
	}

	int capacity() {
		return this.capacity;
	}

	/** The most rows a count needs to count: one more than the capacity, so that a full queue is counted exactly. */
	int countLimit() {
		return this.capacity + 1;
	}

}
