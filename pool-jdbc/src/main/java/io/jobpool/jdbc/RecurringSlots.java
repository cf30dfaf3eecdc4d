package io.jobpool.jdbc;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import io.jobpool.JobRejectedException;
import io.jobpool.RecurringJob;
import io.jobpool.spi.SlotSubmission;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The slots of a durable pool's recurring jobs, each submitted by one instance only. The
 * {@code jobpool_recurring} table keeps one row per pool and recurring job: the last slot submitted (or skipped)
 * and the id of the last slot's job.
 * <p>
 * A slot is submitted in one transaction: an upsert moves {@code last_slot} to the slot only if it is behind it.
 * Of several instances submitting the same slot, one moves the row and holds its lock; under READ COMMITTED the
 * others wait for that transaction and check the condition again on the row it left: if it committed, the slot is
 * taken and they submit nothing; if it rolled back (its instance died, its connection broke), one of them takes the
 * slot. Then, if the job forbids overlap and the job of the last slot submitted is still in {@code jobpool_job}
 * and not dead, the slot is skipped (and stays handled); otherwise the payload is made, the job's row inserted due at the
 * slot, and its id noted. The database thus makes each slot's job once, with no leader; a slot whose transaction
 * did not commit is free for any instance to submit again.
 * <p>
 * An instance waits at most {@link #LOCK_TIMEOUT} for the transaction of another; if that is still open, the slot
 * is refused as {@code STORE_UNAVAILABLE}, which the engine tries again a second later, as it does while the
 * database is down.
 */
final class RecurringSlots {

	static final String TABLE = "jobpool_recurring";

	/** How long a slot waits for another instance's transaction on the same recurring job. */
	static final String LOCK_TIMEOUT = "2s";

	static final String LAST_SLOT = "SELECT last_slot FROM " + TABLE + " WHERE pool = ? AND name = ?";

	private static final String SET_LOCK_TIMEOUT = "SELECT set_config('lock_timeout', '" + LOCK_TIMEOUT + "', true)";

	// RETURNING shows the row as the upsert left it: last_job_id is still the job of the last slot submitted.
	static final String CLAIM = "INSERT INTO " + TABLE + " AS r (pool, name, last_slot) VALUES (?, ?, ?)"
			+ " ON CONFLICT (pool, name) DO UPDATE SET last_slot = EXCLUDED.last_slot"
			+ " WHERE r.last_slot < EXCLUDED.last_slot RETURNING r.last_job_id";

	static final String RAN_AS = "UPDATE " + TABLE + " SET last_job_id = ? WHERE pool = ? AND name = ?";

	private static final String LOCK_NOT_AVAILABLE = "55P03";

	private final String pool;

	private final JdbcTemplate jdbc;

	private final JobTable table;

	private final TableIntake intake;

	private final TransactionTemplate transactions;

	RecurringSlots(String pool, DataSource dataSource, JobTable table, TableIntake intake) {
		this.pool = pool;
		this.jdbc = new JdbcTemplate(dataSource);
		this.table = table;
		this.intake = intake;
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
	}

	/** The last slot of a recurring job that any instance submitted or skipped, or {@code null}. */
	@Nullable Instant lastSlot(RecurringJob job) {
		List<Timestamp> last = this.jdbc.queryForList(LAST_SLOT, Timestamp.class, this.pool, job.name());
		return (last.isEmpty() || last.get(0) == null) ? null : last.get(0).toInstant();
	}

	/**
	 * Submit the job of a slot, unless another instance did. Waits for room in the queue first, as a submit does,
	 * so that no transaction stays open while the queue is full.
	 * @throws JobRejectedException {@code STORE_UNAVAILABLE} when the database failed or another instance's
	 * transaction on this recurring job stayed open; as a submit does when the payload is refused
	 * @throws RuntimeException what the payload function threw; nothing was stored
	 */
	SlotSubmission recur(RecurringJob job, Instant slot) {
		this.intake.reserveQueue();
		Submission submission = new Submission(job, slot);
		try {
			return Objects.requireNonNull(this.transactions.execute((status) -> submission.submit()));
		}
		catch (PayloadFailed ex) {
			throw ex.getCause();
		}
		catch (DataAccessException | TransactionException ex) {
			throw this.intake.failed("submit slot " + slot + " of recurring job '" + job.name() + "'"
					+ (isLockTimeout(ex) ? ", as another instance's transaction on it stayed open for "
							+ LOCK_TIMEOUT : ""), ex);
		}
		finally {
			if (!submission.inserted) {
				this.intake.unreserveQueue();
			}
		}
	}

	private static boolean isLockTimeout(RuntimeException error) {
		return LOCK_NOT_AVAILABLE.equals(TableIntake.sqlState(error));
	}

	/** The transaction of one slot, and whether its job's row took the place reserved for it. */
	private final class Submission {

		private final RecurringJob job;

		private final Instant slot;

		private boolean inserted;

		Submission(RecurringJob job, Instant slot) {
			this.job = job;
			this.slot = slot;
		}

		SlotSubmission submit() {
			JdbcTemplate jdbc = RecurringSlots.this.jdbc;
			String pool = RecurringSlots.this.pool;
			jdbc.queryForObject(SET_LOCK_TIMEOUT, String.class);
			List<Long> claimed = jdbc.queryForList(CLAIM, Long.class, pool, this.job.name(),
					JobTable.timestamp(this.slot));
			if (claimed.isEmpty()) {
				return SlotSubmission.takenElsewhere();
			}
			Long before = claimed.get(0);
			if (!this.job.overlap() && before != null && RecurringSlots.this.table.unended(before)) {
				return SlotSubmission.skipped("the job of the last slot submitted has not ended");
			}
			JdbcJobFuture future = RecurringSlots.this.intake.insertReserved(payload(), this.slot);
			this.inserted = true;
			jdbc.update(RAN_AS, future.jobId(), pool, this.job.name());
			return SlotSubmission.submitted(future);
		}

		private Object payload() {
			try {
				return Objects.requireNonNull(this.job.payload().apply(this.slot), () -> "Recurring job '"
						+ this.job.name() + "' made no payload (null) for slot " + this.slot);
			}
			catch (RuntimeException ex) {
				throw new PayloadFailed(ex);
			}
		}

	}

	/** The payload function threw: the transaction rolls back, and the exception goes to the engine as it was. */
	private static final class PayloadFailed extends RuntimeException {

		PayloadFailed(RuntimeException cause) {
			super(cause);
		}

		@Override
		public synchronized RuntimeException getCause() {
			return (RuntimeException) super.getCause();
		}

	}

}
