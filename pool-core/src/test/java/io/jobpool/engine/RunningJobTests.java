package io.jobpool.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.jobpool.Job;
import io.jobpool.JobListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The race between a worker ending a run and the timeout watchdog timing it out, on its own. */
class RunningJobTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

	@Test
	void whenTheWorkerAndTheWatchdogRaceToEndARunExactlyOneWinsAndOnlyTheWatchdogsWinInterruptsTheWorker()
			throws Throwable {
		int repetitions = 20_000;
		RunningJob running = new RunningJob();
		Stuck stuck = new Stuck();
		AtomicInteger begun = new AtomicInteger(-1);
		AtomicInteger checked = new AtomicInteger(-1);
		AtomicInteger timedOut = new AtomicInteger();
		WorkerThread worker = new WorkerThread(() -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			// The worker runs longer after a win and shorter after a loss, to keep the race close.
			int spins = 64;
			for (int i = 0; i < repetitions; i++) {
				Job<String> job = new Job<>(i, "run " + i, 1, 0);
				running.begin(job);
				begun.set(i);
				jitter(random, spins);
				boolean watchdogWon = running.end(job);
				spins = watchdogWon ? Math.max(1, spins - spins / 8) : Math.min(1 << 20, spins + spins / 8 + 1);
				boolean interruptedAfterEnd = Thread.currentThread().isInterrupted();
				awaitAtLeast(checked, i);
				boolean interruptedLater = Thread.interrupted();
				int interrupts = WorkerThread.current().interrupts.getAndSet(0);
				assertThat(interrupts).as("interrupts of run %d, %s", i, watchdogWon ? "timed out" : "ended in time")
					.isEqualTo(watchdogWon ? 1 : 0);
				assertThat(interruptedAfterEnd).as("interrupted after ending run %d", i).isFalse();
				assertThat(interruptedLater).as("interrupted after the watchdog looked at run %d", i).isFalse();
				if (watchdogWon) {
					timedOut.incrementAndGet();
				}
			}
		});
		worker.runAlongside(() -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int i = 0; i < repetitions; i++) {
				worker.awaitAtLeast(begun, i);
				jitter(random, 16);
				// With a timeout of 0 the watchdog times out any run it still sees.
				running.check(System.nanoTime(), 0, worker, stuck);
				checked.set(i);
			}
		});
		assertThat(stuck.reports).isEmpty();
		assertThat(timedOut.get()).as("runs the watchdog won, of %d", repetitions).isPositive().isLessThan(repetitions);
	}

	@Test
	void aRunThatIgnoresTheInterruptIsReportedStuckOnceAfterAnotherTimeoutAndOneThatHonoursItIsNot()
			throws Throwable {
		int repetitions = 2_000;
		RunningJob running = new RunningJob();
		Stuck stuck = new Stuck();
		AtomicInteger go = new AtomicInteger(-1);
		AtomicInteger begun = new AtomicInteger(-1);
		AtomicInteger released = new AtomicInteger(-1);
		AtomicInteger ended = new AtomicInteger(-1);
		List<Job<String>> jobs = new ArrayList<>();
		for (int i = 0; i < repetitions; i++) {
			jobs.add(new Job<>(i, "run " + i, 1, 0));
		}
		WorkerThread worker = new WorkerThread(() -> {
			for (int i = 0; i < repetitions; i++) {
				Job<String> job = jobs.get(i);
				awaitAtLeast(go, i);
				running.begin(job);
				begun.set(i);
				await(() -> Thread.currentThread().isInterrupted(), "an interrupt");
				if (ignoresInterrupt(i)) {
					awaitAtLeast(released, i);
				}
				assertThat(running.end(job)).as("run %d timed out", i).isTrue();
				assertThat(Thread.currentThread().isInterrupted()).as("interrupted after ending run %d", i).isFalse();
				assertThat(WorkerThread.current().interrupts.getAndSet(0)).as("interrupts of run %d", i).isOne();
				ended.set(i);
			}
		});
		worker.runAlongside(() -> {
			for (int i = 0; i < repetitions; i++) {
				Job<String> job = jobs.get(i);
				long before = System.nanoTime();
				go.set(i);
				worker.awaitAtLeast(begun, i);
				running.check(before + TIMEOUT - 1, TIMEOUT, worker, stuck);
				assertThat(worker.interrupts.get()).as("interrupts of run %d before its timeout", i).isZero();
				long timedOutAt = System.nanoTime() + TIMEOUT;
				running.check(timedOutAt, TIMEOUT, worker, stuck);
				if (ignoresInterrupt(i)) {
					running.check(timedOutAt + TIMEOUT - 1, TIMEOUT, worker, stuck);
					assertThat(stuck.reports).as("reports of run %d before a second timeout", i).isEmpty();
					running.check(timedOutAt + TIMEOUT, TIMEOUT, worker, stuck);
					running.check(timedOutAt + 3 * TIMEOUT, TIMEOUT, worker, stuck);
					assertThat(stuck.reports).as("reports of run %d", i).singleElement().satisfies((report) -> {
						assertThat(report.job()).isSameAs(job);
						assertThat(report.worker()).isSameAs(worker);
						assertThat(report.running()).isGreaterThanOrEqualTo(Duration.ofNanos(2 * TIMEOUT));
					});
					stuck.reports.clear();
					released.set(i);
					worker.awaitAtLeast(ended, i);
				}
				else {
					worker.awaitAtLeast(ended, i);
					running.check(timedOutAt + TIMEOUT, TIMEOUT, worker, stuck);
					assertThat(stuck.reports).as("reports of run %d, ended when interrupted", i).isEmpty();
				}
			}
		});
	}

	private static boolean ignoresInterrupt(int repetition) {
		return repetition % 2 == 0;
	}

	private static void jitter(ThreadLocalRandom random, int most) {
		for (int spins = random.nextInt(most); spins > 0; spins--) {
			Thread.onSpinWait();
		}
	}

	/** On the worker: wait for the test's thread, without touching the worker's interrupt status. */
	private static void awaitAtLeast(AtomicInteger value, int expected) {
		await(() -> value.get() >= expected, "step " + expected);
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (WorkerThread.current().stopped || System.nanoTime() - deadline > 0) {
				throw new AssertionError("The worker stopped waiting for " + what);
			}
			Thread.yield();
		}
	}

	/** A worker thread that counts the interrupts it is sent and keeps the first failure of its body. */
	static final class WorkerThread extends Thread {

		final AtomicInteger interrupts = new AtomicInteger();

		volatile boolean stopped;

		private final AtomicReference<Throwable> failure = new AtomicReference<>();

		WorkerThread(Runnable body) {
			super(body, "worker");
			setDaemon(true);
			setUncaughtExceptionHandler((thread, ex) -> this.failure.set(ex));
		}

		static WorkerThread current() {
			return (WorkerThread) Thread.currentThread();
		}

		@Override
		public void interrupt() {
			this.interrupts.incrementAndGet();
			super.interrupt();
		}

		/** On the test's thread: wait for the worker, unless it failed. */
		void awaitAtLeast(AtomicInteger value, int expected) {
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (value.get() < expected) {
				if (!isAlive() || System.nanoTime() - deadline > 0) {
					throw new AssertionError("The worker stopped before step " + expected, this.failure.get());
				}
				Thread.yield();
			}
		}

		/** Start the worker, run the watchdog's side on this thread, and fail with whichever side failed. */
		void runAlongside(Watchdog watchdog) throws Throwable {
			start();
			try {
				watchdog.run();
			}
			catch (Throwable ex) {
				this.stopped = true;
				join(WAIT.toMillis());
				if (this.failure.get() != null) {
					ex.addSuppressed(this.failure.get());
				}
				throw ex;
			}
			join(WAIT.toMillis());
			if (this.failure.get() != null) {
				throw new AssertionError(this.failure.get().getMessage(), this.failure.get());
			}
			assertThat(isAlive()).as("the worker finished within " + WAIT).isFalse();
		}

	}

	/** The watchdog's side of a test. */
	@FunctionalInterface
	interface Watchdog {

		void run() throws Exception;

	}

	/** The watchdog's reports of stuck runs. */
	static final class Stuck implements JobListener {

		final List<Report> reports = new ArrayList<>();

		@Override
		public void onStuck(Job<?> job, Thread worker, Duration running) {
			this.reports.add(new Report(job, worker, running));
		}

		record Report(Job<?> job, Thread worker, Duration running) {
		}

	}

}
