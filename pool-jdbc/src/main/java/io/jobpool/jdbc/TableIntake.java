package io.jobpool.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.spi.StoreContext;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Takes in the jobs submitted to a durable pool: refuses a payload the table cannot hold, waits for room within
 * {@code queue-size} (or, for a job submitted for later, within {@code schedule-size}), inserts the row (in the
 * caller's transaction when there is one; else, without an idempotency key, in one statement with the rows of the
 * submits that arrive meanwhile: {@link CombinedInserts}), and counts the job as accepted once that commits. A store
 * failure reaches the caller as a {@link JobRejectedException}.
 */
final class TableIntake {

	private static final long SUBMIT_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final String STORE_THE_JOB = "store the job; if the connection broke after the database committed "
			+ "the insert, the job is stored all the same (submit with an idempotency key to make a second try safe)";

	private final String name;

	private final DataSource dataSource;

	private final JobTable table;

	private final JobTypes types;

	private final Room queue;

	private final Room schedule;

	private final SubmittedJobs submitted;

	private final Trouble trouble;

	private final Runnable jobsAdded;

	private final Supplier<StoreContext> context;

	private final CombinedInserts inserts;

	private volatile boolean closed;

	TableIntake(String name, DataSource dataSource, JobTable table, JobTypes types, PendingJobs pending,
			PendingJobs scheduled, SubmittedJobs submitted, Trouble trouble, Supplier<StoreContext> context,
			Runnable jobsAdded) {
		this.name = name;
		this.dataSource = dataSource;
		this.table = table;
		this.types = types;
		this.queue = new Room("queue", pending, table::pending, "ready jobs", "queue-size or the number of workers");
		this.schedule = new Room("schedule", scheduled, table::scheduled, "jobs waiting for their time",
				"schedule-size");
		this.submitted = submitted;
		this.trouble = trouble;
		this.context = context;
		this.jobsAdded = jobsAdded;
		this.inserts = new CombinedInserts(table, TableIntake::refusesPayload);
	}

	/** The pool has closed: a job whose transaction commits from now on is handed back at once. */
	void closed() {
		this.closed = true;
	}

	JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
		return take(data, idempotencyKey, null, waitNanos);
	}

	/**
	 * Take in a job to run at a later time: its row waits in the table, due at that time on the pool's clock, and
	 * takes a place in the schedule instead of the queue.
	 */
	JobFuture schedule(Object data, @Nullable String idempotencyKey, Instant at, long waitNanos) {
		return take(data, idempotencyKey, at, waitNanos);
	}

	private JobFuture take(Object data, @Nullable String idempotencyKey, @Nullable Instant at, long waitNanos) {
		String type = typeOf(data);
		String payload = this.types.write(data);
		Room room = (at != null) ? this.schedule : this.queue;
		reserveRoom(room, waitNanos);
		Instant runAt = (at != null) ? at : this.context.get().settings().clock().instant();
		if (idempotencyKey == null && !inTransaction()) {
			try {
				return this.inserts.insert(type, payload, runAt, (id) -> stored(id, data, room.places));
			}
			catch (CombinedInserts.NotStoredException ex) {
				room.places.unreserve();
				throw failed(STORE_THE_JOB, ex.failure());
			}
		}
		boolean fresh = true;
		Long id;
		try {
			id = (idempotencyKey != null) ? this.table.insertOnce(type, payload, idempotencyKey, runAt)
					: Long.valueOf(this.table.insert(type, payload, runAt));
			if (id == null) {
				fresh = false;
				room.places.unreserve();
				id = this.table.findByKey(idempotencyKey);
				JdbcJobFuture tracked = (id != null) ? this.submitted.find(id) : null;
				if (tracked != null) {
					return tracked;
				}
			}
		}
		catch (RuntimeException ex) {
			if (fresh) {
				room.places.unreserve();
			}
			throw failed(STORE_THE_JOB, ex);
		}
		JdbcJobFuture future = new JdbcJobFuture(this,
				new Job<>((id != null) ? id : -1L, data, 1, System.currentTimeMillis()));
		if (id == null) {
			// The stored job with that key ended between the insert and the look-up: it succeeded.
			future.complete(null);
			return future;
		}
		afterCommit(future, fresh ? room.places : null);
		return future;
	}

	/** Wait for a place in the queue, as a submit does, for a job {@link #insertReserved} will insert. */
	void reserveQueue() {
		reserveRoom(this.queue, -1L);
	}

	/** Give back a place taken by {@link #reserveQueue()} for a job that will not be inserted. */
	void unreserveQueue() {
		this.queue.places.unreserve();
	}

	/**
	 * Insert a job, due at a time, in the transaction under way and in a place {@link #reserveQueue() reserved} for
	 * it: from here on the place is the transaction's, taken when it commits and given back if it rolls back. The
	 * job is accepted once the transaction commits.
	 * @return the job's future
	 * @throws JobRejectedException if no processor takes the payload, or it cannot be written
	 */
	JdbcJobFuture insertReserved(Object data, Instant runAt) {
		String type = typeOf(data);
		long id = this.table.insert(type, this.types.write(data), runAt);
		JdbcJobFuture future = new JdbcJobFuture(this, new Job<>(id, data, 1, System.currentTimeMillis()));
		afterCommit(future, this.queue.places);
		return future;
	}

	private String typeOf(Object data) {
		String type = this.types.nameOf(data.getClass());
		if (type == null) {
			throw new JobRejectedException(Reason.NO_PROCESSOR, "No processor is registered for payload type "
					+ data.getClass().getName() + " in durable pool '" + this.name + "'; its types are "
					+ List.of(this.types.names()));
		}
		return type;
	}

	private void reserveRoom(Room room, long waitNanos) {
		PendingJobs places = room.places;
		if (places.tryReserve()) {
			return;
		}
		StoreContext context = this.context.get();
		boolean holdsConnection = TransactionSynchronizationManager.hasResource(this.dataSource);
		long deadline = System.nanoTime() + waitNanos;
		for (;;) {
			try {
				places.recount(() -> room.count.applyAsInt(places.countLimit()));
			}
			catch (RuntimeException ex) {
				throw failed("count its " + room.jobs, ex);
			}
			if (places.tryReserve()) {
				return;
			}
			if (context.state() != JobPool.State.RUNNING) {
				throw new JobRejectedException(Reason.NOT_RUNNING, "Durable pool '" + this.name + "' is "
						+ context.state().label() + " and accepts no jobs");
			}
			if (holdsConnection && this.trouble.starved()) {
				throw new JobRejectedException(Reason.STORE_UNAVAILABLE, "Durable pool '" + this.name + "' cannot "
						+ "make room in its " + room.name + ": "
						+ "its own threads get no database connection, while this submit waits in a transaction "
						+ "that holds one. Refused so that the connection goes back to the pool. Give the "
						+ "connection pool more connections than the threads that submit in transactions, plus 5 "
						+ "for the pool's own threads; or submit after the transaction, or with trySubmit and a "
						+ "short wait");
			}
			long left = deadline - System.nanoTime();
			if (waitNanos >= 0 && left <= 0) {
				throw new JobRejectedException(Reason.QUEUE_FULL, "The " + room.name + " of durable pool '" + this.name
						+ "' stayed full (" + places.capacity() + " " + room.jobs + ") for "
						+ Duration.ofNanos(waitNanos) + "; retry later, or raise " + room.remedy);
			}
			context.checkMayWait(waitNanos);
			LockSupport.parkNanos(this, (waitNanos < 0) ? SUBMIT_RECHECK_NANOS : Math.min(left, SUBMIT_RECHECK_NANOS));
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new JobRejectedException(Reason.INTERRUPTED, "Interrupted while waiting for room in the "
						+ room.name + " of durable pool '" + this.name + "'");
			}
		}
	}

	/**
	 * What a store failure means to a submitter: a payload the database refused, or the store being unavailable.
	 * @param what what the pool could not do, as in "could not store the job"
	 * @param error the failure
	 * @return the rejection to throw
	 */
	JobRejectedException failed(String what, RuntimeException error) {
		if (refusesPayload(error)) {
			return new JobRejectedException(Reason.INVALID_PAYLOAD, "Durable pool '" + this.name
					+ "' could not store the job, as the database refused its payload: " + Trouble.describe(error),
					error);
		}
		return new JobRejectedException(Reason.STORE_UNAVAILABLE, "Durable pool '" + this.name + "' could not "
				+ what + ": " + Trouble.describe(error), error);
	}

	/** Whether the database refused a payload: a data exception (SQLState class 22), or one too large (54000). */
	static boolean refusesPayload(Throwable error) {
		String sqlState = sqlState(error);
		return sqlState != null && (sqlState.startsWith("22") || sqlState.equals("54000"));
	}

	static @Nullable String sqlState(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	/** Whether a submit here would join a transaction: its insert then commits, or not, with the transaction. */
	private boolean inTransaction() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				|| TransactionSynchronizationManager.hasResource(this.dataSource);
	}

	/** Accept a job whose row was committed outside any transaction, in the place it reserved. */
	private JdbcJobFuture stored(long id, Object data, PendingJobs reserved) {
		JdbcJobFuture future = new JdbcJobFuture(this, new Job<>(id, data, 1, System.currentTimeMillis()));
		reserved.stored();
		accepted(future);
		return future;
	}

	/** Accept the job once its row is committed; {@code reserved} is the place its insert took, if it took one. */
	private void afterCommit(JdbcJobFuture future, @Nullable PendingJobs reserved) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			if (reserved != null) {
				reserved.stored();
			}
			accepted(future);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_COMMITTED) {
					if (reserved != null) {
						reserved.stored();
					}
					accepted(future);
				}
				else {
					if (reserved != null) {
						reserved.unreserve();
					}
					future.completeExceptionally(new CancellationException("The transaction that submitted job "
							+ future.jobId() + " did not commit, so the job was never stored"));
				}
			}

		});
	}

	private void accepted(JdbcJobFuture future) {
		StoreContext context = this.context.get();
		context.counters().accepted();
		context.listeners().onAccepted(future.job);
		this.submitted.track(future);
		if (this.closed) {
			this.submitted.handBack(future);
		}
		this.jobsAdded.run();
	}

	boolean cancel(JdbcJobFuture future) {
		boolean deleted;
		try {
			deleted = this.table.cancel(future.jobId());
		}
		catch (DataAccessException ex) {
			return false;
		}
		if (deleted && future.end()) {
			this.submitted.untrack(future);
			this.context.get().counters().failed();
			return true;
		}
		return false;
	}

	/**
	 * Where a job takes its place until it is claimed, bounded.
	 * @param name what it is called in messages
	 * @param places its places, as estimated
	 * @param count counts its rows, up to a limit
	 * @param jobs what its rows are, in messages
	 * @param remedy the setting to raise when it stays full
	 */
	private record Room(String name, PendingJobs places, IntUnaryOperator count, String jobs, String remedy) {
	}

}
