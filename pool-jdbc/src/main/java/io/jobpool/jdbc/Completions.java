package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The thread that writes how claimed jobs ended: succeeded jobs are deleted in batches, as many as ended while the
 * last batch was written, so a busy pool writes once for many jobs; other ends are written one by one, and a job
 * given back or retried is signalled to the {@link ReadyJobsNotifier} (a retry at its time). An end whose
 * write failed is tried again every poll interval, on its own, until it is written or its lease lapses (then the
 * job runs again elsewhere, and the log says so).
 */
final class Completions implements Runnable {

	private static final System.Logger logger = System.getLogger(Completions.class.getName());

	static final String ACTIVITY = "record how jobs ended";

	private static final int MAX_BATCH = 512;

	private static final int SHOWN_RUNS = 20;

	private final String pool;

	private final JobTable table;

	private final ClaimedRuns runs;

	private final Trouble trouble;

	private final long pollNanos;

	private final ReadyJobsNotifier notifier;

	private final BlockingQueue<PendingEnd> ends = new LinkedBlockingQueue<>();

	// Ends whose write failed, tried again on their own; touched by the completer thread only.
	private final List<PendingEnd> failing = new ArrayList<>();

	private long retryAt;

	private volatile boolean stopping;

	private volatile long stopDeadline;

	private @Nullable Thread thread;

	Completions(String pool, JobTable table, ClaimedRuns runs, Trouble trouble, Duration pollInterval,
			ReadyJobsNotifier notifier) {
		this.pool = pool;
		this.table = table;
		this.runs = runs;
		this.trouble = trouble;
		this.pollNanos = pollInterval.toNanos();
		this.notifier = notifier;
	}

	void start(String name) {
		Thread completer = new Thread(this, name);
		completer.setDaemon(true);
		this.thread = completer;
		completer.start();
	}

	void add(PendingEnd end) {
		this.ends.add(end);
	}

	/**
	 * Write what is left and stop: ends still failing then are given up.
	 * @param within how long to keep trying
	 */
	void stop(Duration within) throws InterruptedException {
		this.stopDeadline = System.nanoTime() + within.toNanos();
		this.stopping = true;
		Thread completer = this.thread;
		if (completer != null) {
			completer.interrupt();
			completer.join(Math.max(1, within.toMillis() + 1000));
		}
	}

	@Override
	public void run() {
		try {
			List<PendingEnd> batch = new ArrayList<>();
			while (!this.stopping || !this.ends.isEmpty() || !this.failing.isEmpty()) {
				if (this.stopping && System.nanoTime() - this.stopDeadline > 0) {
					giveUpAll();
					return;
				}
				try {
					PendingEnd first = this.ends.poll(this.pollNanos, TimeUnit.NANOSECONDS);
					if (first != null) {
						batch.add(first);
						this.ends.drainTo(batch, MAX_BATCH - 1);
						write(batch);
						batch.clear();
					}
					retryFailing();
				}
				catch (InterruptedException ex) {
					// stop() wakes the thread: go round and see what is left.
				}
				catch (Throwable ex) {
					this.failing.addAll(batch);
					batch.clear();
					this.trouble.failed(ACTIVITY, ex);
				}
			}
		}
		catch (Throwable ex) {
			this.runs.threadFailed("Its completer stopped", ex);
		}
	}

	private void write(List<PendingEnd> batch) {
		List<ClaimedRun> succeeded = new ArrayList<>(batch.size());
		for (PendingEnd end : batch) {
			if (end.kind() == PendingEnd.Kind.SUCCEEDED) {
				succeeded.add(end.run());
			}
		}
		boolean failed = false;
		if (!succeeded.isEmpty()) {
			try {
				Set<Long> deleted = this.table.succeed(succeeded);
				for (PendingEnd end : batch) {
					if (end.kind() == PendingEnd.Kind.SUCCEEDED) {
						this.runs.recorded(end, deleted.contains(end.run().id));
					}
				}
			}
			catch (RuntimeException ex) {
				failed = true;
				this.trouble.failed(ACTIVITY, ex);
				for (PendingEnd end : batch) {
					if (end.kind() == PendingEnd.Kind.SUCCEEDED) {
						failedWrite(end);
					}
				}
			}
		}
		for (PendingEnd end : batch) {
			if (end.kind() != PendingEnd.Kind.SUCCEEDED) {
				failed |= !writeOne(end);
			}
		}
		if (!failed) {
			this.trouble.worked(ACTIVITY);
		}
	}

	private boolean writeOne(PendingEnd end) {
		try {
			boolean stood = this.table.write(end);
			this.runs.recorded(end, stood);
			if (stood) {
				readyAgain(end);
			}
			return true;
		}
		catch (RuntimeException ex) {
			this.trouble.failed(ACTIVITY, ex);
			failedWrite(end);
			return false;
		}
	}

	private void readyAgain(PendingEnd end) {
		if (end.kind() == PendingEnd.Kind.RELEASED) {
			this.notifier.jobsReady();
		}
		else if (end.kind() == PendingEnd.Kind.RETRY) {
			this.notifier.jobsReadyIn(end.backoff());
		}
	}

	private void failedWrite(PendingEnd end) {
		if (this.failing.isEmpty()) {
			this.retryAt = System.nanoTime() + this.pollNanos;
		}
		this.runs.writeFailed(end);
		this.failing.add(end);
	}

	private void retryFailing() {
		long now = System.nanoTime();
		if (this.failing.isEmpty() || now - this.retryAt < 0) {
			return;
		}
		this.retryAt = now + this.pollNanos;
		List<PendingEnd> lapsed = new ArrayList<>();
		List<PendingEnd> again = new ArrayList<>(this.failing);
		this.failing.clear();
		boolean failed = false;
		for (PendingEnd end : again) {
			if (end.run().lapsed(now)) {
				lapsed.add(end);
			}
			else if (!writeOne(end)) {
				failed = true;
			}
		}
		if (!failed && this.failing.isEmpty()) {
			this.trouble.worked(ACTIVITY);
		}
		giveUp(lapsed, "their leases lapsed first");
	}

	private void giveUpAll() {
		List<PendingEnd> left = new ArrayList<>(this.failing);
		this.failing.clear();
		this.ends.drainTo(left);
		giveUp(left, "the pool closed first");
	}

	private void giveUp(List<PendingEnd> ends, String why) {
		if (ends.isEmpty()) {
			return;
		}
		for (PendingEnd end : ends) {
			this.runs.gaveUp(end);
		}
		logger.log(Level.WARNING, () -> "Pool '" + this.pool + "' could not record how " + ends.size() + " jobs ended, as "
				+ why + "; each runs again once its lease expires: "
				+ ends.stream().limit(SHOWN_RUNS).map(PendingEnd::run).toList() + ((ends.size() > SHOWN_RUNS) ? "…" : ""));
	}

}
