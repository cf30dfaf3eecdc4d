package io.jobpool;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a body on a fixed set of threads, round after round: each round's state is made before it, its threads
 * are let go together, and it is checked once they have all finished. Every wait is bounded.
 */
public final class Rounds {

	/** How long one round may take before the test fails. */
	public static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);

	private Rounds() {
	}

	/**
	 * Run the rounds.
	 * @param threads how many threads run each round
	 * @param rounds how many rounds
	 * @param setup makes the state of a round, on the test's thread
	 * @param body what each thread does in a round, given the round's state and the thread's number
	 * @param check checks a round once its threads have finished, on the test's thread
	 * @param <S> the state of a round
	 */
	public static <S> void run(int threads, int rounds, Setup<S> setup, Body<S> body, Check<S> check)
			throws Exception {
		CyclicBarrier barrier = new CyclicBarrier(threads + 1);
		AtomicReference<Round<S>> current = new AtomicReference<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread[] all = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			int thread = t;
			all[t] = new Thread(() -> {
				try {
					for (int r = 0; r < rounds; r++) {
						await(barrier);
						Round<S> round = current.get();
						try {
							round.gate.decrementAndGet();
							while (round.gate.get() > 0) {
								spin();
							}
							body.run(round.state, thread);
						}
						catch (Throwable ex) {
							if (failure.compareAndSet(null, ex)) {
								stopOthers(all);
							}
						}
						await(barrier);
					}
				}
				catch (InterruptedException | BrokenBarrierException | TimeoutException ex) {
					// The test stopped the rounds.
				}
			}, "round-thread-" + t);
			all[t].setDaemon(true);
		}
		for (Thread thread : all) {
			thread.start();
		}
		try {
			for (int r = 0; r < rounds; r++) {
				S state = setup.make(r);
				current.set(new Round<>(state, threads));
				try {
					await(barrier);
					await(barrier);
				}
				catch (TimeoutException | BrokenBarrierException ex) {
					if (failure.get() == null) {
						throw new AssertionError("Round " + r + " did not finish within " + ROUND_TIMEOUT);
					}
				}
				if (failure.get() != null) {
					throw new AssertionError("Round " + r + ": " + failure.get().getMessage(), failure.get());
				}
				check.check(state, r);
			}
		}
		finally {
			barrier.reset();
			for (Thread thread : all) {
				thread.interrupt();
			}
		}
	}

	/** Wait a little in a loop that another thread ends; fail if the round was stopped. */
	public static void spin() {
		if (Thread.currentThread().isInterrupted()) {
			throw new IllegalStateException("Stopped: another thread failed, or the round took too long");
		}
		Thread.yield();
	}

	private static void stopOthers(Thread[] all) {
		for (Thread thread : all) {
			if (thread != Thread.currentThread()) {
				thread.interrupt();
			}
		}
	}

	private static void await(CyclicBarrier barrier)
			throws InterruptedException, BrokenBarrierException, TimeoutException {
		barrier.await(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	private record Round<S>(S state, AtomicInteger gate) {

		Round(S state, int threads) {
			this(state, new AtomicInteger(threads));
		}

	}

	/** Makes the state of a round. */
	@FunctionalInterface
	public interface Setup<S> {

		S make(int round) throws Exception;

	}

	/** What one thread does in a round. */
	@FunctionalInterface
	public interface Body<S> {

		void run(S state, int thread) throws Exception;

	}

	/** Checks a round once it ended. */
	@FunctionalInterface
	public interface Check<S> {

		void check(S state, int round) throws Exception;

	}

}
