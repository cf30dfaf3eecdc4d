package io.jobpool.autoconfigure.endpoint;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobpool.DeadJob;
import io.jobpool.DeadJobs;
import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;
import io.jobpool.JobPoolStats;
import io.jobpool.JobRejectedException;
import io.jobpool.RecurringJobStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code jobpool} endpoint: each pool's configuration, live figures and recurring jobs, and, for users granted
 * unrestricted access, resizing its dispatchers, pausing or resuming it, and running a recurring job now at
 * {@code jobpool/{name}/recurring/{job}}. For a pool that keeps {@link DeadJobs dead jobs},
 * {@code jobpool/{name}/dead} lists them, and, with unrestricted access, requeues them all or, at
 * {@code jobpool/{name}/dead/{id}}, one.
 * <p>
 * A listing holds at most 100 jobs, and cuts each payload after 1,000 characters and each error after 2,000, so
 * that its size is bounded whatever the pool stores. Payloads may hold personal data: they are shown as
 * {@link Show} says, by default never, and read {@value SanitizableData#SANITIZED_VALUE} when not shown.
 */
@Endpoint(id = "jobpool", defaultAccess = Access.READ_ONLY)
public class JobPoolEndpoint {

	private static final String DEAD = "dead";

	private static final String RECURRING = "recurring";

	private static final int MAX_DEAD_JOBS_LIMIT = 100;

	private static final int MAX_PAYLOAD_LENGTH = 1000;

	private static final int MAX_ERROR_LENGTH = 2000;

	private final Map<String, JobPool> pools;

	private final Show showPayloads;

	private final Set<String> roles;

	/**
	 * Create an endpoint that never shows payloads.
	 * @param pools the pools to show; pools sharing a name after the first are left out
	 */
	public JobPoolEndpoint(Collection<JobPool> pools) {
		this(pools, Show.NEVER, Set.of());
	}

	/**
	 * Create an endpoint.
	 * @param pools the pools to show; pools sharing a name after the first are left out
	 * @param showPayloads when to show the payloads of dead jobs
	 * @param roles the roles that authorize a user to be shown payloads; when empty, every authenticated user is
	 */
	public JobPoolEndpoint(Collection<JobPool> pools, Show showPayloads, Set<String> roles) {
		Map<String, JobPool> byName = new LinkedHashMap<>();
		pools.forEach((pool) -> byName.putIfAbsent(pool.name(), pool));
		this.pools = byName;
		this.showPayloads = showPayloads;
		this.roles = Set.copyOf(roles);
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
	 * List a pool's dead jobs, most recent first, with their payloads and errors cut to a readable length.
	 * @param securityContext who asks, to decide whether payloads are shown
	 * @param name the pool's name
	 * @param part {@code dead}
	 * @param limit the most to list, from 1 to 100; 100 by default
	 * @return the dead jobs, or {@code null} (404) if there is no pool of that name that keeps dead jobs
	 * @throws InvalidEndpointRequestException (400) if the limit is out of range
	 */
	@ReadOperation
	public @Nullable DeadJobsDescriptor deadJobs(SecurityContext securityContext, @Selector String name,
			@Selector String part, @Nullable Integer limit) {
		DeadJobs pool = deadJobsOf(name, part);
		if (pool == null) {
			return null;
		}
		if (limit != null && (limit < 1 || limit > MAX_DEAD_JOBS_LIMIT)) {
			String reason = "'limit' must be from 1 to " + MAX_DEAD_JOBS_LIMIT + ", not " + limit;
			throw new InvalidEndpointRequestException(reason, reason);
		}
		boolean showPayloads = this.showPayloads.isShown(securityContext, this.roles);
		List<DeadJobDescriptor> jobs = pool.deadJobs((limit != null) ? limit : MAX_DEAD_JOBS_LIMIT)
			.stream()
			.map((job) -> DeadJobDescriptor.of(job, showPayloads))
			.toList();
		return new DeadJobsDescriptor(pool.deadJobCount(), jobs);
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
	 * Put one dead job of a pool back in its queue, with a fresh retry budget ({@code dead/{id}}), or submit the job
	 * of a recurring schedule now, outside its slots ({@code recurring/{job}}).
	 * @param name the pool's name
	 * @param part {@code dead} or {@code recurring}
	 * @param key the dead job's id, or the recurring job's name
	 * @return for a dead job, one job requeued, or none if the pool has no dead job of that id; for a recurring job,
	 * the job submitted; {@code null} (no content) if there is no pool of that name that keeps dead jobs, or no
	 * pool of that name
	 * @throws InvalidEndpointRequestException (400) if the id is not a number, the pool has no recurring job of that
	 * name, or the pool refuses the job
	 */
	@WriteOperation
	public @Nullable OperationResponseBody requeueDeadJobOrRunNow(@Selector String name, @Selector String part,
			@Selector String key) {
		if (RECURRING.equals(part)) {
			JobPool pool = this.pools.get(name);
			return (pool != null) ? runNow(pool, key) : null;
		}
		DeadJobs pool = deadJobsOf(name, part);
		return (pool != null) ? new RequeuedDescriptor(pool.requeueDeadJob(idOf(key)) ? 1 : 0) : null;
	}

	private static RunNowDescriptor runNow(JobPool pool, String recurringJob) {
		try {
			return new RunNowDescriptor(recurringJob, pool.runNow(recurringJob).jobId());
		}
		catch (IllegalArgumentException | JobRejectedException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage(), ex);
		}
	}

	private static long idOf(String key) {
		try {
			return Long.parseLong(key);
		}
		catch (NumberFormatException ex) {
			String reason = "A dead job's id is a number, not '" + key + "'";
			throw new InvalidEndpointRequestException(reason, reason, ex);
		}
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
	 * @param recurring the pool's recurring jobs: each one's next slot, and its last slot and what became of it
	 */
	public record JobPoolDescriptor(String name, String state, boolean paused, Configuration configuration,
			Figures figures, JobPoolStats jobs, @Nullable Long deadJobs,
			List<RecurringJobStatus> recurring) implements OperationResponseBody {

		static JobPoolDescriptor of(JobPool pool) {
			JobPoolFigures figures = pool.figures();
			return new JobPoolDescriptor(pool.name(), figures.state().label(), figures.paused(),
					new Configuration(figures.queueCapacity(), figures.scheduleCapacity(),
							figures.workersPerDispatcher(), figures.maxDispatchers()),
					new Figures(figures.queueDepth(), figures.scheduled(), figures.activeWorkers(), figures.workers(),
							figures.dispatchers(), figures.retrying()),
					pool.stats(), figures.deadJobs(), pool.recurringJobs());
		}

	}

	/**
	 * A pool's dead jobs.
	 *
	 * @param count how many dead jobs the pool keeps, as last counted
	 * @param jobs the most recent ones, most recent first
	 */
	public record DeadJobsDescriptor(long count, List<DeadJobDescriptor> jobs) implements OperationResponseBody {
	}

	/**
	 * A dead job, its payload cut after 1,000 characters and its error after 2,000. A cut text ends in
	 * {@code "… (cut, <n> characters in all)"}, {@code n} being the length of the text the pool keeps.
	 *
	 * @param id the job's id
	 * @param type the job's logical type name
	 * @param payload the payload as stored (JSON), cut; {@value SanitizableData#SANITIZED_VALUE} when not shown
	 * @param attempts how many times it was claimed
	 * @param failedAt when it was set aside
	 * @param error why it was set aside: the last error, cut
	 */
	public record DeadJobDescriptor(long id, String type, String payload, int attempts, Instant failedAt,
			String error) {

		static DeadJobDescriptor of(DeadJob job, boolean showPayload) {
			String payload = showPayload ? cut(job.payload(), job.payloadLength(), MAX_PAYLOAD_LENGTH)
					: SanitizableData.SANITIZED_VALUE;
			return new DeadJobDescriptor(job.id(), job.type(), payload, job.attempts(), job.failedAt(),
					cut(job.error(), job.errorLength(), MAX_ERROR_LENGTH));
		}

		static String cut(String text, long length, int maxLength) {
			if (length <= maxLength && text.length() <= maxLength) {
				return text;
			}
			int end = Math.min(text.length(), maxLength);
			if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
				end--;
			}
			return text.substring(0, end) + "… (cut, " + Math.max(length, text.length()) + " characters in all)";
		}

	}

	/**
	 * The dead jobs put back in the queue.
	 *
	 * @param requeued how many
	 */
	public record RequeuedDescriptor(int requeued) implements OperationResponseBody {
	}

	/**
	 * A recurring job submitted now, outside its slots.
	 *
	 * @param recurringJob the recurring job's name
	 * @param jobId the id of the job submitted
	 */
	public record RunNowDescriptor(String recurringJob, long jobId) implements OperationResponseBody {
	}

	/**
	 * How a pool is sized.
	 *
	 * @param queueCapacity how many jobs the queue holds at most
	 * @param scheduleCapacity how many jobs may wait for their time at most
	 * @param workersPerDispatcher workers each dispatcher runs
	 * @param maxDispatchers the most dispatchers a resize may reach
	 */
	public record Configuration(int queueCapacity, int scheduleCapacity, int workersPerDispatcher,
			int maxDispatchers) {
	}

	/**
	 * What a pool is doing now.
	 *
	 * @param queueDepth jobs waiting in the queue
	 * @param scheduled jobs waiting for their time
	 * @param activeWorkers workers running a job
	 * @param workers live workers
	 * @param dispatchers dispatchers
	 * @param retrying jobs waiting for a retry
	 */
	public record Figures(int queueDepth, int scheduled, int activeWorkers, int workers, int dispatchers,
			int retrying) {
	}

}
