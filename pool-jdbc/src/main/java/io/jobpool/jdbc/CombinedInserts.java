package io.jobpool.jdbc;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Inserts the rows of submits that arrive together in one statement and one commit, on the submitters' own threads.
 * A submitter that finds no insert under way leads: it takes every row waiting (its own first, at most
 * {@link #MAX_ROWS}), inserts them, hands each row's outcome to its submitter, then hands the lead to the submitter
 * of the oldest row still waiting, whose statement takes the rows that came meanwhile. A submitter that finds an
 * insert under way waits for its row's outcome, or for the lead.
 * <p>
 * Each submitter returns only once its row is committed, or its insert failed: waiting is not cut short by an
 * interrupt (an insert on its own is not either), which is kept for the caller. A statement the database refuses
 * for a row's data (SQLState class 22, or 54000) refuses no row of it yet: each row is then inserted on its own, so
 * only a bad row fails. Any other failure fails every row of the statement, each with that failure.
 * <p>
 * Invariants, under this object's lock: {@code leading} is true from when a submitter takes the lead until the
 * leader finds no row waiting; every row waiting belongs to a submitter that waits; a row leaves the queue only
 * into a statement, whose leader ends it. A submit the leader itself makes while it inserts (from a listener that
 * hears a job accepted, say) is inserted on its own at once, as it cannot wait for itself.
 */
final class CombinedInserts {

	/** The most rows one statement inserts. */
	static final int MAX_ROWS = 256;

	private final JobTable table;

	private final Predicate<RuntimeException> refusesData;

	private final ArrayDeque<Row<?>> waiting = new ArrayDeque<>();

	private boolean leading;

	// The thread inserting now; a submit it makes meanwhile (from a listener, say) is inserted on its own at once.
	private volatile @Nullable Thread leader;

	/**
	 * Combine the inserts into a table.
	 * @param table the table
	 * @param refusesData whether a failure is the database refusing a row's data, rather than the store failing
	 */
	CombinedInserts(JobTable table, Predicate<RuntimeException> refusesData) {
		this.table = table;
		this.refusesData = refusesData;
	}

	/**
	 * Insert a job's row, with the rows of others submitted meanwhile, and wait until it is committed.
	 * @param <T> what the caller makes of the row once committed
	 * @param type the job's type name
	 * @param payload its JSON
	 * @param runAt when it is due
	 * @param committed makes what the caller returns, from the row's id, once the row is committed; runs on the
	 * thread that inserted it, before the submitter is told
	 * @return what {@code committed} made
	 * @throws NotStoredException if the insert failed, with why
	 */
	<T> T insert(String type, String payload, Instant runAt, LongFunction<T> committed) {
		Row<T> row = new Row<>(type, payload, runAt, committed, Thread.currentThread());
		if (this.leader == Thread.currentThread()) {
			insertAlone(row);
			return row.outcome();
		}
		boolean lead;
		synchronized (this) {
			this.waiting.add(row);
			lead = !this.leading;
			this.leading = true;
		}
		if (!lead) {
			row.awaitTurn();
		}
		if (!row.isEnded()) {
			lead();
		}
		return row.outcome();
	}

	private void lead() {
		List<Row<?>> rows = new ArrayList<>();
		synchronized (this) {
			for (int i = 0; i < MAX_ROWS && !this.waiting.isEmpty(); i++) {
				rows.add(this.waiting.poll());
			}
		}
		Row<?> next;
		// An interrupt kept for the caller must not cut the others' statement short (as a wait for a connection).
		boolean interrupted = Thread.interrupted();
		this.leader = Thread.currentThread();
		try {
			insert(rows);
		}
		finally {
			this.leader = null;
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			for (Row<?> row : rows) {
				row.endIfOpen();
			}
			synchronized (this) {
				next = this.waiting.peek();
				if (next == null) {
					this.leading = false;
				}
			}
			if (next != null) {
				next.lead();
			}
		}
	}

	private void insert(List<Row<?>> rows) {
		if (rows.size() == 1) {
			insertAlone(rows.get(0));
			return;
		}
		long[] ids;
		try {
			ids = this.table.insertAll(rows.stream().map(Row::type).toArray(String[]::new),
					rows.stream().map(Row::payload).toArray(String[]::new),
					rows.stream().map(Row::runAt).toArray(Instant[]::new));
		}
		catch (RuntimeException ex) {
			if (this.refusesData.test(ex)) {
				rows.forEach(this::insertAlone);
			}
			else {
				rows.forEach((row) -> row.failed(ex));
			}
			return;
		}
		for (int i = 0; i < rows.size(); i++) {
			rows.get(i).committed(ids[i]);
		}
	}

	private void insertAlone(Row<?> row) {
		long id;
		try {
			id = this.table.insert(row.type(), row.payload(), row.runAt());
		}
		catch (RuntimeException ex) {
			row.failed(ex);
			return;
		}
		row.committed(id);
	}

	/** An insert failed: the job is not stored, unless the connection broke after the commit. */
	static final class NotStoredException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NotStoredException(RuntimeException failure) {
			super(failure.getMessage(), failure, false, false);
		}

		/** Why the insert failed. */
		RuntimeException failure() {
			return (RuntimeException) getCause();
		}

	}

	/**
	 * One submitter's row, waiting, in a statement, or ended. Its outcome is written before {@code ended}, and read
	 * after.
	 */
	private static final class Row<T> {

		private final String type;

		private final String payload;

		private final Instant runAt;

		private final LongFunction<T> committed;

		private final Thread submitter;

		private volatile boolean ended;

		private volatile boolean leads;

		private @Nullable T result;

		private @Nullable RuntimeException failure;

		Row(String type, String payload, Instant runAt, LongFunction<T> committed, Thread submitter) {
			this.type = type;
			this.payload = payload;
			this.runAt = runAt;
			this.committed = committed;
			this.submitter = submitter;
		}

		String type() {
			return this.type;
		}

		String payload() {
			return this.payload;
		}

		Instant runAt() {
			return this.runAt;
		}

		boolean isEnded() {
			return this.ended;
		}

		/** Wait until the row has ended, or its submitter leads; an interrupt is kept for later. */
		void awaitTurn() {
			boolean interrupted = false;
			while (!this.ended && !this.leads) {
				LockSupport.park(this);
				interrupted |= Thread.interrupted();
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

		void lead() {
			this.leads = true;
			LockSupport.unpark(this.submitter);
		}

		void committed(long id) {
			try {
				this.result = this.committed.apply(id);
			}
			catch (RuntimeException ex) {
				this.failure = ex;
			}
			end();
		}

		void failed(RuntimeException ex) {
			this.failure = new NotStoredException(ex);
			end();
		}

		/** End a row its leader could not end: the statement stopped with an error no row was told of. */
		void endIfOpen() {
			if (!this.ended) {
				failed(new IllegalStateException("The insert of its row stopped before it could say whether the row "
						+ "was stored"));
			}
		}

		private void end() {
			this.ended = true;
			if (this.submitter != Thread.currentThread()) {
				LockSupport.unpark(this.submitter);
			}
		}

		T outcome() {
			if (this.failure != null) {
				throw this.failure;
			}
			return this.result;
		}

	}

}
