package io.jobpool.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * The thread that tells the other instances of a durable pool, with a PostgreSQL notification on channel
 * {@value #CHANNEL}, that jobs are ready to claim, so that an idle one claims them at once instead of at its next
 * poll. The first signal after a quiet spell goes out at once; the signals of the next {@link #WINDOW} fold into one
 * notification at its end, so a burst of submits sends a notification per window, not per job. A job that becomes
 * ready later (a retry after its backoff) is signalled at its time, here too; only the earliest
 * {@value #MAX_DUE_TIMES} such times are kept, and polling finds the jobs of the others.
 * <p>
 * Each notification is a statement of its own, on a connection borrowed for it and in autocommit, never in a
 * submitter's transaction. Its payload is the sending instance's id and the pool's name. A notification that cannot
 * be sent (twice in a row) is told through {@link Trouble} and dropped: polling covers what it would have told.
 */
final class ReadyJobsNotifier implements Runnable {

	/** The channel every durable pool notifies and listens on. */
	static final String CHANNEL = "jobpool_job";

	/**
	 * How long after a notification the signals that follow wait, to go out as one at its end. Short enough that a
	 * job submitted 5 ms or more after the one before is never held back, and a job amid a burst at most 5 ms; long
	 * enough that an instance sends at most 200 notifications a second however fast jobs come, each of which costs
	 * each idle instance listening one claim.
	 */
	static final Duration WINDOW = Duration.ofMillis(5);

	/** The most due times kept: jobs due after those are found by polling. */
	static final int MAX_DUE_TIMES = 64;

	static final String ACTIVITY = "notify its other instances of ready jobs";

	private static final long WINDOW_NANOS = WINDOW.toNanos();

	private static final String NOTIFY = "SELECT pg_notify(?, ?)";

	private final DataSource dataSource;

	private final String payload;

	private final Trouble trouble;

	private final Runnable dueHere;

	private final AtomicBoolean signalled = new AtomicBoolean();

	// When jobs become ready, in nanoseconds since origin rounded up to the window, earliest first: guarded by
	// itself.
	private final TreeSet<Long> dueTimes = new TreeSet<>();

	private final long origin = System.nanoTime();

	private volatile boolean stopped;

	private volatile @Nullable Thread thread;

	/**
	 * Create a notifier, not yet started.
	 * @param pool the pool's name
	 * @param instance the id of this instance
	 * @param dataSource where to borrow a connection for each notification
	 * @param trouble where failures to send go
	 * @param dueHere run when jobs signalled for a later time are due, to look for them here too
	 */
	ReadyJobsNotifier(String pool, String instance, DataSource dataSource, Trouble trouble, Runnable dueHere) {
		this.payload = payload(instance, pool);
		this.dataSource = dataSource;
		this.trouble = trouble;
		this.dueHere = dueHere;
	}

	/** What an instance's notifications for a pool carry: {@code "<instance> <pool>"}. */
	static String payload(String instance, String pool) {
		return instance + " " + pool;
	}

	void start(String name) {
		Thread notifier = new Thread(this, name);
		notifier.setDaemon(true);
		this.thread = notifier;
		notifier.start();
	}

	/** Jobs are ready to claim now. Does nothing unless started. */
	void jobsReady() {
		Thread notifier = this.thread;
		if (notifier != null && !this.signalled.get() && !this.signalled.getAndSet(true)) {
			LockSupport.unpark(notifier);
		}
	}

	/** Jobs become ready to claim after this delay. Does nothing unless started. */
	void jobsReadyIn(Duration delay) {
		Thread notifier = this.thread;
		if (notifier == null) {
			return;
		}
		if (delay.isNegative() || delay.isZero()) {
			jobsReady();
			return;
		}
		long due = ceilToWindow(System.nanoTime() - this.origin + delay.toNanos());
		boolean earliest;
		synchronized (this.dueTimes) {
			if (this.dueTimes.size() >= MAX_DUE_TIMES && due >= this.dueTimes.last()) {
				return;
			}
			this.dueTimes.add(due);
			if (this.dueTimes.size() > MAX_DUE_TIMES) {
				this.dueTimes.pollLast();
			}
			earliest = this.dueTimes.first() == due;
		}
		if (earliest) {
			LockSupport.unpark(notifier);
		}
	}

	private static long ceilToWindow(long nanos) {
		return (nanos + WINDOW_NANOS - 1) / WINDOW_NANOS * WINDOW_NANOS;
	}

	/** Send what is signalled, and stop, waiting at most the given time. */
	void stop(Duration timeout) {
		this.stopped = true;
		Thread notifier = this.thread;
		if (notifier != null) {
			LockSupport.unpark(notifier);
			try {
				notifier.join(Math.max(1, timeout.toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void run() {
		while (!this.stopped) {
			try {
				awaitSignal();
				if (this.signalled.getAndSet(false)) {
					send();
					awaitWindowEnd();
				}
			}
			catch (Throwable ex) {
				this.trouble.failed(ACTIVITY, ex);
			}
		}
		if (this.signalled.getAndSet(false)) {
			send();
		}
	}

	private void awaitSignal() {
		while (!this.stopped && !this.signalled.get()) {
			long untilDue = takeDue();
			if (this.signalled.get()) {
				return;
			}
			if (untilDue == Long.MAX_VALUE) {
				LockSupport.park(this);
			}
			else {
				LockSupport.parkNanos(this, untilDue);
			}
		}
	}

	/**
	 * Signal the due times reached, and look here too.
	 * @return the nanoseconds until the next due time, or {@link Long#MAX_VALUE} if none
	 */
	private long takeDue() {
		long now = System.nanoTime() - this.origin;
		boolean due = false;
		long next = Long.MAX_VALUE;
		synchronized (this.dueTimes) {
			while (!this.dueTimes.isEmpty()) {
				long first = this.dueTimes.first();
				if (first > now) {
					next = first - now;
					break;
				}
				this.dueTimes.pollFirst();
				due = true;
			}
		}
		if (due) {
			this.signalled.set(true);
			this.dueHere.run();
		}
		return next;
	}

	private void awaitWindowEnd() {
		long end = System.nanoTime() + WINDOW_NANOS;
		for (long left = WINDOW_NANOS; left > 0 && !this.stopped; left = end - System.nanoTime()) {
			LockSupport.parkNanos(this, left);
		}
	}

	// Tried twice: a pooled connection may have broken since it was last used, and the pool drops it on failure.
	private void send() {
		for (int attempt = 1;; attempt++) {
			try {
				notifyOthers();
				this.trouble.worked(ACTIVITY);
				return;
			}
			catch (SQLException | RuntimeException ex) {
				if (attempt == 2) {
					this.trouble.failed(ACTIVITY, ex);
					return;
				}
			}
		}
	}

	private void notifyOthers() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
				notify.setString(1, CHANNEL);
				notify.setString(2, this.payload);
				notify.execute();
			}
		}
	}

}
