package io.jobpool.autoconfigure.endpoint;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jobpool.DeadJob;
import io.jobpool.DeadJobs;
import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;
import io.jobpool.JobPoolStats;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code jobpool} endpoint: each pool's configuration and live figures, and, for users granted unrestricted
 * access, resizing its dispatchers and pausing or resuming it. For a pool that keeps {@link DeadJobs dead jobs},
 * {@code jobpool/{name}/dead} lists them, and, with unrestricted access, requeues them all or, at
 * {@code jobpool/{name}/dead/{id}}, one.
 */
@Endpoint(id = "jobpool", defaultAccess = Access.READ_ONLY)
public class JobPoolEndpoint {

	private static final String DEAD = "dead";

	private static final int DEFAULT_DEAD_JOBS_LIMIT = 100;

	private final Map<String, JobPool> pools;

	/**
	 * Create an endpoint.
	 * @param pools the pools to show; pools sharing a name after the first are left out
	 */
	public JobPoolEndpoint(Collection<JobPool> pools) {
		Map<String, JobPool> byName = new LinkedHashMap<>();
		pools.forEach((pool) -> byName.putIfAbsent(pool.name(), pool));
		this.pools = byName;
	}

	/**
	 * Describe every pool.
	 * @return the pools by name
	 */
	@ReadOperation
	public JobPoolsDescriptor pools() {
		Map<String, JobPoolDescriptor> descriptors = new LinkedHashMap<>();
		this.pools.forEach((name, pool) -> descriptors.put(name, JobPoolDescriptor.of(pool)));
		return new JobPoolsDescriptor(descriptors);
	}

	/**
	 * Describe one pool.
	 * @param name the pool's name
	 * @return the pool, or {@code null} (404) if there is none of that name
	 */
	@ReadOperation
	public @Nullable JobPoolDescriptor pool(@Selector String name) {
		JobPool pool = this.pools.get(name);
		return (pool != null) ? JobPoolDescriptor.of(pool) : null;
	}

	/**
	 * Resize a pool's dispatchers, pause or resume its workers, or both.
	 * @param name the pool's name
	 * @param dispatchers the new number of dispatchers, from 1 to the pool's maximum
	 * @param paused {@code true} to stop taking jobs from the queue, {@code false} to take them again
	 * @return the pool after the change, or {@code null} (no content) if there is none of that name
	 */
	@WriteOperation
	public @Nullable JobPoolDescriptor update(@Selector String name, @Nullable Integer dispatchers,
			@Nullable Boolean paused) {
		JobPool pool = this.pools.get(name);
		if (pool == null) {
			return null;
		}
		if (dispatchers == null && paused == null) {
			throw new InvalidEndpointRequestException("Give 'dispatchers', 'paused' or both",
					"Missing parameters: dispatchers, paused");
		}
		if (dispatchers != null) {
			resize(pool, dispatchers);
		}
		if (Boolean.TRUE.equals(paused)) {
			pool.pause();
		}
		else if (Boolean.FALSE.equals(paused)) {
			pool.resume();
		}
		return JobPoolDescriptor.of(pool);
	}

	/**
	 * List a pool's dead jobs, most recent first.
	 * @param name the pool's name
	 * @param part {@code dead}
	 * @param limit the most to list; 100 by default
	 * @return the dead jobs, or {@code null} (404) if there is no pool of that name that keeps dead jobs
	 */
	@ReadOperation
	public @Nullable DeadJobsDescriptor deadJobs(@Selector String name, @Selector String part,
			@Nullable Integer limit) {
		DeadJobs pool = deadJobsOf(name, part);
		if (pool == null) {
			return null;
		}
		if (limit != null && limit < 1) {
			throw new InvalidEndpointRequestException("'limit' must be at least 1", "Invalid limit: " + limit);
		}
		return new DeadJobsDescriptor(pool.deadJobCount(),
				pool.deadJobs((limit != null) ? limit : DEFAULT_DEAD_JOBS_LIMIT));
	}

	/**
	 * Put every dead job of a pool back in its queue, with a fresh retry budget.
	 * @param name the pool's name
	 * @param part {@code dead}
	 * @return how many were requeued, or {@code null} (no content) if there is no pool of that name that keeps
	 * dead jobs
	 */
	@WriteOperation
	public @Nullable RequeuedDescriptor requeueDeadJobs(@Selector String name, @Selector String part) {
		DeadJobs pool = deadJobsOf(name, part);
		return (pool != null) ? new RequeuedDescriptor(pool.requeueDeadJobs()) : null;
	}

	/**
	 * Put one dead job of a pool back in its queue, with a fresh retry budget.
	 * @param name the pool's name
	 * @param part {@code dead}
	 * @param id the job's id
	 * @return one job requeued, or none if the pool has no dead job of that id, or {@code null} (no content) if
	 * there is no pool of that name that keeps dead jobs
	 */
	@WriteOperation
	public @Nullable RequeuedDescriptor requeueDeadJob(@Selector String name, @Selector String part,
			@Selector long id) {
		DeadJobs pool = deadJobsOf(name, part);
		return (pool != null) ? new RequeuedDescriptor(pool.requeueDeadJob(id) ? 1 : 0) : null;
	}

	private @Nullable DeadJobs deadJobsOf(String name, String part) {
		return (DEAD.equals(part) && this.pools.get(name) instanceof DeadJobs pool) ? pool : null;
	}

	private static void resize(JobPool pool, int dispatchers) {
		try {
			pool.resizeDispatchers(dispatchers);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage(), ex);
		}
	}

	/**
	 * Every pool, by name.
	 *
	 * @param pools the pools
	 */
	public record JobPoolsDescriptor(Map<String, JobPoolDescriptor> pools) implements OperationResponseBody {
	}

	/**
	 * One pool: its state, configuration, live figures and job counts.
	 *
	 * @param name the pool's name
	 * @param state {@code running}, {@code not-started}, {@code draining} or {@code closed}
	 * @param paused whether workers are paused
	 * @param configuration how the pool is sized
	 * @param figures what the pool is doing now
	 * @param jobs job counts since the pool was built
	 * @param deadJobs how many dead jobs the pool keeps, as last counted; {@code null} for a pool that keeps none
	 */
	public record JobPoolDescriptor(String name, String state, boolean paused, Configuration configuration,
			Figures figures, JobPoolStats jobs, @Nullable Long deadJobs) implements OperationResponseBody {

		static JobPoolDescriptor of(JobPool pool) {
			JobPoolFigures figures = pool.figures();
			return new JobPoolDescriptor(pool.name(), figures.state().label(), figures.paused(),
					new Configuration(figures.queueCapacity(), figures.workersPerDispatcher(), figures.maxDispatchers()),
					new Figures(figures.queueDepth(), figures.activeWorkers(), figures.workers(), figures.dispatchers(),
							figures.retrying()),
					pool.stats(), figures.deadJobs());
		}

	}

	/**
	 * A pool's dead jobs.
	 *
	 * @param count how many dead jobs the pool keeps, as last counted
	 * @param jobs the most recent ones, most recent first
	 */
	public record DeadJobsDescriptor(long count, List<DeadJob> jobs) implements OperationResponseBody {
	}

	/**
	 * The dead jobs put back in the queue.
	 *
	 * @param requeued how many
	 */
	public record RequeuedDescriptor(int requeued) implements OperationResponseBody {
	}

	/**
	 * How a pool is sized.
	 *
	 * @param queueCapacity how many jobs the queue holds at most
	 * @param workersPerDispatcher workers each dispatcher runs
	 * @param maxDispatchers the most dispatchers a resize may reach
	 */
	public record Configuration(int queueCapacity, int workersPerDispatcher, int maxDispatchers) {
	}

	/**
	 * What a pool is doing now.
	 *
	 * @param queueDepth jobs waiting in the queue
	 * @param activeWorkers workers running a job
	 * @param workers live workers
	 * @param dispatchers dispatchers
	 * @param retrying jobs waiting for a retry
	 */
	public record Figures(int queueDepth, int activeWorkers, int workers, int dispatchers, int retrying) {
	}

}
