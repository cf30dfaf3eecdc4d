package io.jobpool.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The durable pool's estimate of its ready jobs on its own, against a model of the table instead of a database. */
class PendingJobsTests {

	private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void aRecountCountsAJobReservedButNotYetCommitted() {
		Model model = new Model(2);
		assertThat(model.pending.tryReserve()).isTrue();
		model.countRows();
		assertThat(model.pending.estimate()).isOne();
		assertThat(model.pending.tryReserve()).isTrue();
		model.countRows();
		assertThat(model.pending.estimate()).isEqualTo(2);
		assertThat(model.pending.tryReserve()).as("a third job in a queue of 2").isFalse();
		model.ready.incrementAndGet();
		model.pending.stored();
		model.countRows();
		assertThat(model.pending.estimate()).isEqualTo(2);
		assertThat(model.pending.tryReserve()).as("a third job in a queue of 2").isFalse();
		model.pending.unreserve();
		assertThat(model.pending.estimate()).isOne();
		model.countRows();
		assertThat(model.pending.estimate()).isOne();
		model.claim(1);
		assertThat(model.pending.estimate()).isZero();
		model.countRows();
		assertThat(model.pending.estimate()).isZero();
	}

	@Test
	void aCountPastTheCapacityLetsNoClaimFreeAPlaceUntilACountFindsFewerRows() {
		Model model = new Model(4);
		model.ready.set(10);
		model.countRowsUpToTheLimit();
		assertThat(model.pending.estimate()).isEqualTo(5);
		model.claim(3);
		assertThat(model.pending.estimate()).as("estimate of 7 ready jobs, counted as more than 4").isEqualTo(5);
		assertThat(model.pending.tryReserve()).as("a job in a queue of 4 that holds 7").isFalse();
		model.countRowsUpToTheLimit();
		model.claim(2);
		assertThat(model.pending.tryReserve()).as("a job in a queue of 4 that holds 5").isFalse();
		model.countRowsUpToTheLimit();
		assertThat(model.pending.estimate()).isEqualTo(5);
		model.claim(2);
		model.countRowsUpToTheLimit();
		assertThat(model.pending.estimate()).isEqualTo(3);
		model.claim(1);
		assertThat(model.pending.estimate()).isEqualTo(2);
		assertThat(model.pending.tryReserve()).as("a job in a queue of 4 that holds 2").isTrue();
	}

	@Test
	void aClaimFromAQueueCountedExactlyFullFreesAPlaceAtOnce() {
		Model model = new Model(4);
		model.ready.set(4);
		model.countRowsUpToTheLimit();
		assertThat(model.pending.tryReserve()).as("a job in a queue of 4 that holds 4").isFalse();
		model.claim(1);
		assertThat(model.pending.tryReserve()).as("a job in a queue of 4 that holds 3").isTrue();
	}

	@Test
	void aCountThatTookLongIsNotMadeAgainBeforeTenTimesAsLongHasPassed() {
		PendingJobs pending = new PendingJobs(4);
		long began = System.nanoTime();
		pending.update(() -> {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return 0;
		});
		assertThat(pending.mayCount()).as("a count just after one that took 50 ms").isFalse();
		AtomicInteger counts = new AtomicInteger();
		pending.recount(counts::incrementAndGet);
		assertThat(counts).as("counts made by a recount just after one that took 50 ms").hasValue(0);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(pending::mayCount);
		assertThat(System.nanoTime() - began).as("nanoseconds from the start of that count")
			.isGreaterThanOrEqualTo(Duration.ofMillis(500).toNanos());
	}

	@Test
	void aJobCommittedAfterTheCountsSnapshotStillCounts() {
		Model model = new Model(2);
		assertThat(model.pending.tryReserve()).isTrue();
		model.pending.update(() -> {
			int rows = model.ready.get();
			model.ready.incrementAndGet();
			model.pending.stored();
			return rows;
		});
		assertThat(model.pending.estimate()).isPositive();
		model.countRows();
		assertThat(model.pending.estimate()).isOne();
	}

	@Test
	void aJobReservedWhileTheRowsAreCountedStillCounts() {
		Model model = new Model(2);
		model.pending.update(() -> {
			assertThat(model.pending.tryReserve()).isTrue();
			return model.ready.get();
		});
		assertThat(model.pending.estimate()).isPositive();
		model.countRows();
		assertThat(model.pending.estimate()).isOne();
	}

	@Test
	void aClaimWhoseRowsLeftTheTableWhileTheyWereCountedIsNotTakenBackTwice() {
		Model model = new Model(4);
		for (int i = 0; i < 3; i++) {
			model.submit(false);
		}
		model.countRows();
		model.pending.holding(2);
		AtomicInteger claimed = new AtomicInteger();
		model.pending.update(() -> {
			claimed.set(model.takeRows(2));
			return model.ready.get();
		});
		assertThat(model.pending.estimate()).as("estimate of 1 ready job and 2 claimed").isGreaterThanOrEqualTo(3);
		model.pending.claimed(2, claimed.get(), claimed.get());
		model.startAll();
		assertThat(model.ready.get()).isOne();
		assertThat(model.pending.estimate()).as("estimate of 1 ready job").isGreaterThanOrEqualTo(1);
		model.countRows();
		assertThat(model.pending.estimate()).as("estimate after a count").isOne();
	}

	@Test
	void aClaimedJobKeepsItsPlaceUntilAWorkerTakesItOrItsRowIsBack() {
		Model model = new Model(2);
		model.submit(false);
		model.submit(false);
		model.claimAhead(2);
		assertThat(model.ready.get()).isZero();
		assertThat(model.pending.tryReserve()).as("a job in a queue of 2 with 2 claimed and no worker free").isFalse();
		model.countRows();
		assertThat(model.pending.estimate()).as("estimate after a count, 2 claimed").isEqualTo(2);
		assertThat(model.pending.tryReserve()).as("a job in a queue of 2 with 2 claimed and no worker free").isFalse();
		model.giveBack();
		assertThat(model.pending.tryReserve()).as("a job in a queue of 2 with 1 claimed and 1 given back").isFalse();
		model.countRows();
		assertThat(model.pending.estimate()).as("estimate after a count, 1 claimed and 1 given back").isEqualTo(2);
		model.startOne();
		assertThat(model.pending.estimate()).as("estimate with 1 given back").isOne();
		assertThat(model.pending.tryReserve()).as("a job in a queue of 2 with 1 given back").isTrue();
	}

	@Test
	void aJobGivenBackStillCountsWhenItsRowIsWrittenAfterTheCountsSnapshot() {
		Model model = new Model(1);
		model.submit(false);
		model.claimAhead(1);
		model.pending.releasing();
		model.waiting.decrementAndGet();
		model.pending.update(() -> {
			int rows = model.ready.get();
			model.ready.incrementAndGet();
			model.pending.released();
			return rows;
		});
		assertThat(model.pending.estimate()).isOne();
		assertThat(model.pending.tryReserve()).as("a job in a queue of 1 that holds 1 given back").isFalse();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 4, 32 })
	void submitsClaimsAndRecountsTogetherNeverLetMoreJobsInThanTheQueueSizeNorUndercount(int capacity)
			throws Exception {
		int submitters = 3;
		int submits = 20_000;
		for (int round = 0; round < 20; round++) {
			Model model = new Model(capacity);
			AtomicInteger submitting = new AtomicInteger(submitters);
			race(submitters + 2, (thread) -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				if (thread < submitters) {
					for (int i = 0; i < submits; i++) {
						model.submit(random.nextInt(5) == 0);
						stopIfAsked();
					}
					submitting.decrementAndGet();
				}
				else if (thread == submitters) {
					while (submitting.get() > 0) {
						model.claimAhead(1 + random.nextInt(capacity));
						while (model.waiting.get() > 0) {
							if (random.nextInt(4) == 0) {
								model.giveBack();
							}
							else {
								model.startOne();
							}
							pause();
						}
					}
				}
				else {
					while (submitting.get() > 0) {
						model.countRows();
						assertThat(model.pending.estimate()).isNotNegative();
						stopIfAsked();
					}
				}
			});
			assertThat(model.pending.estimate()).as("estimate of %d ready jobs, round %d", model.ready.get(), round)
				.isGreaterThanOrEqualTo(model.ready.get());
			model.countRows();
			assertThat(model.pending.estimate()).as("estimate after a recount, round %d", round)
				.isEqualTo(model.ready.get());
		}
	}

	private static void pause() {
		stopIfAsked();
		Thread.yield();
	}

	private static void stopIfAsked() {
		if (Thread.currentThread().isInterrupted()) {
			throw new IllegalStateException("Stopped: another thread failed, or the round took too long");
		}
	}

	/** Run the body on as many threads, started together; wait a bounded time and rethrow the first failure. */
	private static void race(int threads, ThreadBody body) throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> all = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			int index = i;
			Thread thread = new Thread(() -> {
				try {
					if (start.await(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
						body.run(index);
					}
				}
				catch (Throwable ex) {
					if (failure.compareAndSet(null, ex)) {
						all.forEach(Thread::interrupt);
					}
				}
			}, "pending-jobs-" + i);
			thread.setDaemon(true);
			all.add(thread);
		}
		all.forEach(Thread::start);
		start.countDown();
		long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
		for (Thread thread : all) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		if (failure.get() != null) {
			throw new AssertionError(failure.get().getMessage(), failure.get());
		}
		for (Thread thread : all) {
			if (thread.isAlive()) {
				all.forEach(Thread::interrupt);
				throw new AssertionError(thread.getName() + " did not finish within " + ROUND_TIMEOUT);
			}
		}
	}

	@FunctionalInterface
	private interface ThreadBody {

		void run(int thread) throws Exception;

	}

	/**
	 * One pool's estimate over a model of its table: the committed ready rows, the claimed jobs waiting for a
	 * worker, and a lower bound of what the estimate must cover (counted after a reservation is granted, uncounted
	 * before one is given up or a worker takes its job).
	 */
	private static final class Model {

		final PendingJobs pending;

		final AtomicInteger ready = new AtomicInteger();

		final AtomicInteger held = new AtomicInteger();

		final AtomicInteger waiting = new AtomicInteger();

		Model(int capacity) {
			this.pending = new PendingJobs(capacity);
		}

		/** Submit a job as JdbcJobPool does: reserve, insert, commit or roll back; recount when full. */
		void submit(boolean rollBack) {
			if (!this.pending.tryReserve()) {
				this.pending.recount(this.ready::get);
				return;
			}
			int now = this.held.incrementAndGet();
			if (now > this.pending.capacity()) {
				throw new AssertionError(now + " jobs ready or being inserted in a queue of " + this.pending.capacity());
			}
			if (rollBack) {
				this.held.decrementAndGet();
				this.pending.unreserve();
			}
			else {
				this.ready.incrementAndGet();
				this.pending.stored();
			}
		}

		/** Claim up to as many rows as JdbcJobPool does, and start them all. */
		void claim(int max) {
			claimAhead(max);
			startAll();
		}

		/** Claim up to as many rows as JdbcJobPool does, holding places first: the jobs wait for a worker. */
		void claimAhead(int max) {
			this.pending.holding(max);
			int claimed = takeRows(max);
			this.pending.claimed(max, claimed, claimed);
		}

		/** Claim up to {@code max} rows in the table; they wait for a worker, keeping their places. */
		int takeRows(int max) {
			for (;;) {
				int rows = this.ready.get();
				int claimed = Math.min(rows, max);
				if (this.ready.compareAndSet(rows, rows - claimed)) {
					this.waiting.addAndGet(claimed);
					return claimed;
				}
			}
		}

		/** A worker takes a claimed job: its place is free. */
		void startOne() {
			this.waiting.decrementAndGet();
			this.held.decrementAndGet();
			this.pending.taken();
		}

		void startAll() {
			while (this.waiting.get() > 0) {
				startOne();
			}
		}

		/** A claimed job goes back to the table, keeping its place. */
		void giveBack() {
			this.pending.releasing();
			this.waiting.decrementAndGet();
			this.ready.incrementAndGet();
			this.pending.released();
		}

		/** Count the ready rows now, as the table keeper does; a count's snapshot comes before it returns. */
		void countRows() {
			this.pending.update(() -> {
				int rows = this.ready.get();
				Thread.yield();
				return rows;
			});
		}

		/** Count the ready rows now as the pool does, up to one more than the queue's capacity. */
		void countRowsUpToTheLimit() {
			this.pending.update(() -> Math.min(this.ready.get(), this.pending.countLimit()));
		}

	}

}
