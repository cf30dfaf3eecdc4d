package io.jobpool.jdbc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The thread that records succeeded jobs: it deletes them from the table in batches, as many as finished while
 * the last batch was written, so a busy pool writes once for many jobs. A job's future completes once its row is
 * gone.
 */
final class Completions implements Runnable {

	private static final System.Logger logger = System.getLogger(Completions.class.getName());

	private static final int MAX_BATCH = 512;

	private static final int ATTEMPTS = 3;

	private final ClaimedJobs jobs;

	private final long pollNanos;

	private final BlockingQueue<ClaimedJob> succeeded = new LinkedBlockingQueue<>();

	private volatile boolean stopping;

	private @Nullable Thread thread;

	Completions(ClaimedJobs jobs, Duration pollInterval) {
		this.jobs = jobs;
		this.pollNanos = pollInterval.toNanos();
	}

	void start(String name) {
		Thread completer = new Thread(this, name);
		completer.setDaemon(true);
		this.thread = completer;
		completer.start();
	}

	void add(ClaimedJob job) {
		this.succeeded.add(job);
	}

	/** Record what is left and stop; wait for that at most the given time. */
	void stop(Duration timeout) throws InterruptedException {
		this.stopping = true;
		Thread completer = this.thread;
		if (completer != null) {
			completer.interrupt();
			completer.join(Math.max(1, timeout.toMillis()));
		}
	}

	@Override
	public void run() {
		List<ClaimedJob> batch = new ArrayList<>();
		while (!this.stopping || !this.succeeded.isEmpty()) {
			ClaimedJob first;
			try {
				first = this.succeeded.poll(this.pollNanos, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				continue;
			}
			if (first == null) {
				continue;
			}
			batch.add(first);
			this.succeeded.drainTo(batch, MAX_BATCH - 1);
			record(batch);
			batch.clear();
		}
	}

	private void record(List<ClaimedJob> batch) {
		try {
			write(batch);
		}
		finally {
			this.jobs.recorded(batch.size());
		}
	}

	private void write(List<ClaimedJob> batch) {
		for (int attempt = 1;; attempt++) {
			try {
				this.jobs.succeeded(batch);
				return;
			}
			catch (RuntimeException ex) {
				if (attempt == ATTEMPTS || this.stopping) {
					logger.log(Level.WARNING, () -> "Pool '" + this.jobs.pool() + "' could not record " + batch.size()
							+ " succeeded jobs; they run again once their lease expires", ex);
					return;
				}
				try {
					TimeUnit.NANOSECONDS.sleep(this.pollNanos);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

}
