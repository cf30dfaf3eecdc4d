package io.jobpool.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.jobpool.DeadJob;
import io.jobpool.DeadJobs;
import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.JobFuture;
import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobRejectedException;
import io.jobpool.RecurringJob;
import io.jobpool.spi.StoredJobPool;

/**
 * A {@link JobPool} whose queue is a PostgreSQL table, shared by every pool of the same name on that database.
 * <p>
 * Submit inserts a row, in the caller's transaction when there is one. Each pool claims ready rows for its free
 * workers (and, while jobs end quickly, a few ahead, given back if not started soon) with
 * {@code FOR UPDATE SKIP LOCKED}, under a lease its heartbeat renews while the job runs; a succeeded job
 * is deleted, a failed one is retried after a backoff or set aside as dead, and every such change is fenced by the
 * job's id and attempt, so a worker that lost its lease changes nothing. Any pool returns jobs whose lease expired
 * to the queue, so the jobs of a pool that crashed run elsewhere: delivery is at least once. Pools tell each other
 * with a PostgreSQL notification when jobs become ready, so that an idle one claims them at once; polling is the
 * safety net.
 * <p>
 * A submitted job's future completes when the job ends, wherever it ran; when this pool closes, the futures of its
 * jobs still stored complete with a {@link JobHandedBackException}: the jobs stay in the table.
 * <p>
 * A job {@link #schedule(Object, Duration) scheduled} for later is a row due at its time, which any instance claims
 * once it is due; at most {@code schedule-size} such rows wait per pool, as at most {@code queue-size} ready ones
 * do, and they stay in the table when the pool closes. Each slot of a {@link RecurringJob recurring job} is
 * submitted by one instance only: a transaction moves the job's row in {@code jobpool_recurring} to the slot, only
 * if it is behind, and inserts the slot's job; an instance that dies mid-transaction rolls back, and another takes
 * the slot.
 * <p>
 * What is due is decided on the pool's clock ({@code JobPoolBuilder.clock}, the system clock by default), not the
 * database's: each instance writes {@code run_at} by its clock, and claims the rows its clock says are due. With
 * clocks apart, an instance that runs ahead claims delayed jobs and retries early, by as much as it is ahead, and
 * submits recurring slots early (the others then find them taken); one that runs behind does both late, unless an
 * instance on time does them first. No slot is submitted twice whatever the skew: slots are kept by their time,
 * not by the instance that submits them. Keep the instances' clocks synchronised (NTP). Leases are timed by the
 * database alone, so skew does not expire them.
 */
public final class JdbcJobPool extends StoredJobPool implements DeadJobs {

	private final JdbcJobStore store;

	private JdbcJobPool(JobPoolSettings settings, JdbcJobStore store) {
		super(settings, store);
		this.store = store;
	}

	static JdbcJobPool create(JobPoolSettings settings, JdbcOptions options) {
		if (settings.autoscale()) {
			throw new InvalidPoolConfigurationException("autoscale", true,
					"a durable pool sizes its workers by dispatchers, not by the depth of its queue",
					"Turn autoscaling off and set the number of dispatchers, or resize them at run time.");
		}
		return new JdbcJobPool(settings, new JdbcJobStore(settings, options));
	}

	/**
	 * Start building a durable pool on a PostgreSQL database.
	 * @param dataSource where the {@code jobpool_job} table is; a connection pool with more connections than the
	 * threads that submit inside transactions, plus five for the pool's own threads
	 * @return a new builder
	 */
	public static JdbcJobPoolBuilder builder(DataSource dataSource) {
		return new JdbcJobPoolBuilder(dataSource);
	}

	/**
	 * Submit a payload unless a job with the same key is stored (ready, running or dead), waiting as long as the
	 * queue is full. The key is forgotten once its job has succeeded.
	 * @param data the payload
	 * @param idempotencyKey the key, unique among this pool's stored jobs
	 * @return the future of the new job, or of the stored job with that key
	 * @throws JobRejectedException as {@link #submit(Object)} does
	 */
	public JobFuture submit(Object data, String idempotencyKey) {
		Objects.requireNonNull(idempotencyKey, "idempotencyKey must not be null");
		return submit(data, idempotencyKey, -1L);
	}

	@Override
	public long deadJobCount() {
		return this.store.deadJobs();
	}

	/**
	 * List dead jobs, most recent first, their payloads and errors cut to 2,000 characters.
	 * @param limit the most to list
	 * @return the dead jobs
	 */
	@Override
	public List<DeadJob> deadJobs(int limit) {
		return this.store.deadJobs(limit);
	}

	@Override
	public boolean requeueDeadJob(long id) {
		return this.store.requeueDeadJob(id);
	}

	@Override
	public int requeueDeadJobs() {
		return this.store.requeueDeadJobs();
	}

	/**
	 * Ready jobs of types no processor of this pool takes, by type name, as counted now among the 1,000 due jobs its
	 * claims reach first: a job that no pool takes stays there.
	 */
	public Map<String, Long> unknownTypes() {
		return this.store.unknownTypes();
	}

	/** The name this pool claims jobs under, unique to this instance. */
	public String owner() {
		return this.store.owner();
	}

	@Override
	public String toString() {
		return "JdbcJobPool[" + name() + "]";
	}

}
