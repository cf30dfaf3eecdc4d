package io.jobpool.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Rounds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The lock-free ring on its own: no element lost or duplicated, FIFO per producer, and an exact capacity. */
class BoundedArrayQueueTests {

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 5, 1000, 1024, (1 << 19) + 1, 1 << 20 })
	void offerFailsExactlyWhenCapacityElementsAreHeld(int capacity) {
		BoundedArrayQueue<Integer> queue = new BoundedArrayQueue<>(capacity);
		assertThat(queue.capacity()).isEqualTo(capacity);
		int next = 0;
		for (int lap = 0; lap < 3; lap++) {
			for (int i = 0; i < capacity; i++) {
				assertThat(queue.offer(next++)).as("offer %d of %d", i + 1, capacity).isTrue();
			}
			assertThat(queue.size()).isEqualTo(capacity);
			assertThat(queue.offer(-1)).as("offer to a full queue").isFalse();
			assertThat(queue.poll()).isEqualTo(next - capacity);
			assertThat(queue.size()).isEqualTo(capacity - 1);
			assertThat(queue.offer(next++)).as("offer after one poll").isTrue();
			assertThat(queue.offer(-1)).as("offer to a full queue again").isFalse();
			for (int expected = next - capacity; expected < next; expected++) {
				assertThat(queue.poll()).isEqualTo(expected);
			}
			assertThat(queue.poll()).isNull();
			assertThat(queue.size()).isZero();
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 5, 1000, 1024 })
	void producersRacingIntoAnEmptyQueueGetExactlyCapacityPlaces(int capacity) throws Exception {
		int producers = 4;
		AtomicInteger accepted = new AtomicInteger();
		Rounds.run(producers, 40_000 / (capacity + 10) + 20, (round) -> {
			accepted.set(0);
			return new BoundedArrayQueue<Integer>(capacity);
		}, (queue, producer) -> {
			int value = 0;
			while (queue.offer(value)) {
				value++;
			}
			accepted.addAndGet(value);
		}, (queue, round) -> {
			assertThat(accepted.get()).as("places taken in round %d", round).isEqualTo(capacity);
			assertThat(queue.size()).isEqualTo(capacity);
			for (int i = 0; i < capacity; i++) {
				assertThat(queue.poll()).isNotNull();
			}
			assertThat(queue.poll()).isNull();
		});
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 3, 64 })
	void eachProducersElementsReachASingleConsumerInTheOrderTheyWereOffered(int capacity) throws Exception {
		int producers = 3;
		int perProducer = 10_000;
		Rounds.run(producers + 1, 10, (round) -> new BoundedArrayQueue<Long>(capacity), (queue, thread) -> {
			if (thread < producers) {
				for (int seq = 0; seq < perProducer; seq++) {
					offer(queue, element(thread, seq));
				}
				return;
			}
			int[] expected = new int[producers];
			for (int taken = 0; taken < producers * perProducer;) {
				Long element = queue.poll();
				if (element == null) {
					Rounds.spin();
					continue;
				}
				int producer = producer(element);
				if (sequence(element) != expected[producer]) {
					fail("Producer %d's element %d came out when %d was due", producer, sequence(element),
							expected[producer]);
				}
				expected[producer]++;
				taken++;
			}
		}, (queue, round) -> assertThat(queue.poll()).isNull());
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 5, 1000, 1024 })
	void manyProducersAndConsumersNeitherLoseNorDuplicateAnElementNorOverfillTheQueue(int capacity)
			throws Exception {
		int producers = 3;
		int consumers = 3;
		int perProducer = 3_000;
		Rounds.run(producers + consumers, 20, (round) -> new Exchange(capacity, producers, consumers),
				(exchange, thread) -> {
					if (thread < producers) {
						exchange.produce(thread, perProducer);
					}
					else {
						exchange.consume(thread - producers);
					}
				}, (exchange, round) -> exchange.assertEachElementTakenOnceInOrder(perProducer));
	}

	private static void offer(BoundedArrayQueue<Long> queue, long element) {
		while (!queue.offer(element)) {
			Rounds.spin();
		}
	}

	private static void assertSizeInRange(BoundedArrayQueue<?> queue) {
		int size = queue.size();
		if (size < 0 || size > queue.capacity()) {
			fail("size() was %d for a capacity of %d", size, queue.capacity());
		}
	}

	private static long element(int producer, int sequence) {
		return ((long) producer << 32) | sequence;
	}

	private static int producer(long element) {
		return (int) (element >>> 32);
	}

	private static int sequence(long element) {
		return (int) element;
	}

	/** One round of producers and consumers over a queue, and what each consumer took. */
	private static final class Exchange {

		final BoundedArrayQueue<Long> queue;

		final int producers;

		final AtomicInteger producing;

		// A lower bound of the elements held: counted after an offer succeeds, uncounted before a poll.
		final AtomicInteger held = new AtomicInteger();

		final List<List<Long>> taken = new ArrayList<>();

		Exchange(int capacity, int producers, int consumers) {
			this.queue = new BoundedArrayQueue<>(capacity);
			this.producers = producers;
			this.producing = new AtomicInteger(producers);
			for (int c = 0; c < consumers; c++) {
				this.taken.add(new ArrayList<>());
			}
		}

		void produce(int producer, int count) {
			for (int seq = 0; seq < count; seq++) {
				offer(this.queue, element(producer, seq));
				int now = this.held.incrementAndGet();
				if (now > this.queue.capacity()) {
					fail("%d elements held in a queue of %d", now, this.queue.capacity());
				}
				assertSizeInRange(this.queue);
			}
			this.producing.decrementAndGet();
		}

		void consume(int consumer) {
			List<Long> mine = this.taken.get(consumer);
			for (;;) {
				boolean producersDone = this.producing.get() == 0;
				this.held.decrementAndGet();
				Long element = this.queue.poll();
				if (element != null) {
					mine.add(element);
				}
				else {
					this.held.incrementAndGet();
					if (producersDone) {
						return;
					}
					Rounds.spin();
				}
				assertSizeInRange(this.queue);
			}
		}

		void assertEachElementTakenOnceInOrder(int perProducer) {
			boolean[][] seen = new boolean[this.producers][perProducer];
			for (List<Long> mine : this.taken) {
				int[] last = new int[this.producers];
				Arrays.fill(last, -1);
				for (long element : mine) {
					int producer = producer(element);
					int seq = sequence(element);
					assertThat(seen[producer][seq]).as("producer %d's element %d taken twice", producer, seq)
						.isFalse();
					seen[producer][seq] = true;
					assertThat(seq).as("producer %d's elements in the order one consumer took them", producer)
						.isGreaterThan(last[producer]);
					last[producer] = seq;
				}
			}
			for (int p = 0; p < this.producers; p++) {
				for (int seq = 0; seq < perProducer; seq++) {
					assertThat(seen[p][seq]).as("producer %d's element %d taken", p, seq).isTrue();
				}
			}
			assertThat(this.queue.size()).isZero();
		}

	}

}
