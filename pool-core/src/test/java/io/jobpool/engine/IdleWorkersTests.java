package io.jobpool.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import io.jobpool.Rounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The idle-worker stack on its own: every listing woken once, none lost, and no ABA through a stale top. */
class IdleWorkersTests {

	private static final int A = 0;

	private static final int B = 1;

	private static final int C = 2;

	@Test
	void wakeOneWakesTheLastListedIdleWorkerAndSkipsOnesNoLongerIdle() {
		FakeSlots slots = new FakeSlots(3);
		IdleWorkers idle = new IdleWorkers(slots);
		assertThat(idle.any()).isFalse();
		idle.wakeOne();
		slots.list(idle, A);
		slots.list(idle, B);
		slots.list(idle, C);
		slots.busy(C);
		idle.wakeOne();
		assertThat(slots.woken).containsExactly(B);
		assertThat(slots.state(C)).isEqualTo(FakeSlots.FREE);
		idle.wakeOne();
		assertThat(slots.woken).containsExactly(B, A);
		assertThat(idle.any()).isFalse();
		assertThat(slots.failures).isEmpty();
	}

	@Test
	void concurrentListingAndWakingNeverLosesAWorkerNorWakesOneTwicePerListing() throws Exception {
		int threads = 4;
		int slotsPerThread = 4;
		int iterations = 20_000;
		AtomicInteger wakes = new AtomicInteger();
		Rounds.run(threads, 100, (round) -> {
			FakeSlots slots = new FakeSlots(threads * slotsPerThread);
			return new Stack(slots, new IdleWorkers(slots));
		}, (stack, thread) -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int i = 0; i < iterations; i++) {
				int slot = thread * slotsPerThread + random.nextInt(slotsPerThread);
				if (!stack.slots.list(stack.idle, slot)) {
					stack.slots.flip(slot);
				}
				stack.idle.wakeOne();
			}
		}, (stack, round) -> {
			stack.drain();
			assertThat(stack.slots.failures).as("round %d", round).isEmpty();
			assertThat(stack.idle.any()).as("a slot left on the stack after one wake per slot").isFalse();
			for (int slot = 0; slot < threads * slotsPerThread; slot++) {
				assertThat(stack.slots.state(slot)).as("slot %d after the stack was drained in round %d", slot, round)
					.isEqualTo(FakeSlots.FREE);
			}
			assertThat(stack.slots.taken.get()).as("slots taken off in round %d", round)
				.isEqualTo(stack.slots.pushed.get());
			wakes.addAndGet(stack.slots.wakes.get());
		});
		assertThat(wakes.get()).as("idle workers woken").isPositive();
	}

	@ParameterizedTest
	@EnumSource(Interleaving.class)
	void aSlotListedAgainBetweenAnotherThreadsReadAndCompareAndSetLeavesTheStackConsistent(Interleaving interleaving)
			throws Exception {
		for (int repetition = 0; repetition < 200; repetition++) {
			FakeSlots slots = new FakeSlots(3);
			IdleWorkers idle = new IdleWorkers(slots);
			for (int slot : interleaving.before) {
				slots.list(idle, slot);
			}
			Thread stale = new Thread(idle::wakeOne, "stale-waker");
			slots.pauseAfterReadingALink(stale);
			stale.start();
			assertThat(slots.paused.await(10, TimeUnit.SECONDS)).as("the stale waker read A's link").isTrue();
			interleaving.meanwhile(slots, idle);
			slots.resume.countDown();
			stale.join(TimeUnit.SECONDS.toMillis(10));
			assertThat(stale.isAlive()).as("the stale waker finished").isFalse();
			List<Integer> left = new ArrayList<>();
			for (int pops = 0; idle.any(); pops++) {
				assertThat(pops).as("wakes to empty a stack of at most 3").isLessThan(3);
				int before = slots.woken.size();
				idle.wakeOne();
				left.addAll(slots.woken.subList(before, slots.woken.size()));
			}
			assertThat(slots.failures).isEmpty();
			assertThat(left).as("slots left on the stack after %s", interleaving).isEqualTo(interleaving.left);
			for (int slot = 0; slot < 3; slot++) {
				assertThat(slots.state(slot)).as("slot %d", slot).isEqualTo(FakeSlots.FREE);
			}
		}
	}

	/**
	 * What another thread does to a stack while a waker has read its top, A, and A's link. Each ends with A on
	 * top again, so without the version in the top the stale waker's compare-and-set would succeed.
	 */
	enum Interleaving {

		/** A and B are woken and A is listed again, now above C: a stale pop would put B back, unlisted. */
		POP_A_POP_B_PUSH_A(List.of(C, B, A), List.of(C)) {
			@Override
			void meanwhile(FakeSlots slots, IdleWorkers idle) {
				idle.wakeOne();
				idle.wakeOne();
				slots.list(idle, A);
			}
		},

		/** A is woken, then B and A are listed: a stale pop would drop B from the stack. */
		POP_A_PUSH_B_PUSH_A(List.of(C, A), List.of(B, C)) {
			@Override
			void meanwhile(FakeSlots slots, IdleWorkers idle) {
				idle.wakeOne();
				slots.list(idle, B);
				slots.list(idle, A);
			}
		},

		/** A is woken, B listed and woken, A listed again: A's link is the same as before. */
		POP_A_PUSH_B_POP_B_PUSH_A(List.of(C, A), List.of(C)) {
			@Override
			void meanwhile(FakeSlots slots, IdleWorkers idle) {
				idle.wakeOne();
				slots.list(idle, B);
				idle.wakeOne();
				slots.list(idle, A);
			}
		};

		final List<Integer> before;

		final List<Integer> left;

		Interleaving(List<Integer> before, List<Integer> left) {
			this.before = before;
			this.left = left;
		}

		abstract void meanwhile(FakeSlots slots, IdleWorkers idle);

	}

	private record Stack(FakeSlots slots, IdleWorkers idle) {

		void drain() {
			for (int i = 0; i < this.slots.size() && this.idle.any(); i++) {
				this.idle.wakeOne();
			}
		}

	}

	/**
	 * Worker slots as the stack sees them, with the worker's side of the protocol: a worker lists itself only
	 * when it is not listed, and while listed it may stop being idle (it found a job) and become idle again.
	 */
	static final class FakeSlots implements IdleWorkers.Slots {

		static final int FREE = 0;

		static final int IDLE = 1;

		static final int BUSY = 2;

		// Plain, as Worker.nextIdle: the stack's compare-and-set publishes them.
		private final int[] links;

		private final AtomicIntegerArray states;

		final AtomicInteger pushed = new AtomicInteger();

		final AtomicInteger taken = new AtomicInteger();

		final AtomicInteger wakes = new AtomicInteger();

		final List<Integer> woken = new ArrayList<>();

		final List<String> failures = new ArrayList<>();

		final CountDownLatch paused = new CountDownLatch(1);

		final CountDownLatch resume = new CountDownLatch(1);

		private final AtomicReference<Thread> pauseIn = new AtomicReference<>();

		FakeSlots(int size) {
			this.links = new int[size];
			this.states = new AtomicIntegerArray(size);
		}

		int size() {
			return this.links.length;
		}

		int state(int slot) {
			return this.states.get(slot);
		}

		/** List a slot that is not listed, as an idle worker does: whether it did. */
		boolean list(IdleWorkers idle, int slot) {
			if (!this.states.compareAndSet(slot, FREE, IDLE)) {
				return false;
			}
			this.pushed.incrementAndGet();
			idle.push(slot);
			return true;
		}

		/** A listed worker found a job on its own and is no longer idle. */
		void busy(int slot) {
			this.states.compareAndSet(slot, IDLE, BUSY);
		}

		/** A listed worker found a job or ran out of them. */
		void flip(int slot) {
			if (!this.states.compareAndSet(slot, IDLE, BUSY)) {
				this.states.compareAndSet(slot, BUSY, IDLE);
			}
		}

		void pauseAfterReadingALink(Thread thread) {
			this.pauseIn.set(thread);
		}

		@Override
		public int link(int slot) {
			int below = this.links[slot];
			if (this.pauseIn.compareAndSet(Thread.currentThread(), null)) {
				this.paused.countDown();
				try {
					if (!this.resume.await(10, TimeUnit.SECONDS)) {
						fail("The paused waker was never resumed");
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return below;
		}

		@Override
		public void link(int slot, int below) {
			this.links[slot] = below;
		}

		@Override
		public boolean wake(int slot) {
			this.taken.incrementAndGet();
			int state = this.states.getAndSet(slot, FREE);
			if (state == IDLE) {
				this.wakes.incrementAndGet();
				record(slot);
				return true;
			}
			if (state == BUSY) {
				return false;
			}
			fail("Slot " + slot + " was taken off the stack again since it was last listed");
			return true;
		}

		private synchronized void record(int slot) {
			this.woken.add(slot);
		}

		private synchronized void fail(String failure) {
			this.failures.add(failure);
		}

	}

}
