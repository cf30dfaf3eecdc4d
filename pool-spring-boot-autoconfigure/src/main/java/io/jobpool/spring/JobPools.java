package io.jobpool.spring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import org.jspecify.annotations.Nullable;

/**
 * The application's pools, the default one and its lanes, with each payload submitted to the pool whose
 * {@link JobHandler @JobHandler} takes its type.
 * <p>
 * A payload goes to the lane that has a handler for its class or, failing that, for its most specific supertype
 * among the lanes' handler types; any other payload goes to the default pool.
 */
public final class JobPools {

	private final JobPool defaultPool;

	private final Map<String, JobPool> pools = new LinkedHashMap<>();

	private final Map<Class<?>, JobPool> lanesByType;

	private final ClassValue<JobPool> routes = new ClassValue<>() {
		@Override
		protected JobPool computeValue(Class<?> type) {
			return route(type);
		}
	};

	/**
	 * Create the pools.
	 * @param defaultPool the default pool
	 * @param lanesByType the lane of each payload type a lane has a handler for
	 * @param lanes the lanes
	 */
	public JobPools(JobPool defaultPool, Map<Class<?>, JobPool> lanesByType, List<JobPool> lanes) {
		this.defaultPool = Objects.requireNonNull(defaultPool, "defaultPool must not be null");
		this.pools.put(defaultPool.name(), defaultPool);
		lanes.forEach((lane) -> this.pools.putIfAbsent(lane.name(), lane));
		this.lanesByType = Map.copyOf(lanesByType);
	}

	/**
	 * Submit a job to the pool that takes its type, as {@link JobPool#submit(Object)} does.
	 * @param data the payload
	 * @return the job's future
	 */
	public JobFuture submit(Object data) {
		return poolFor(data.getClass()).submit(data);
	}

	/**
	 * Submit a job to the pool that takes its type, as {@link JobPool#trySubmit(Object, Duration)} does.
	 * @param data the payload
	 * @param maxWait how long to wait at most for room in that pool's queue
	 * @return the job's future
	 */
	public JobFuture trySubmit(Object data, Duration maxWait) {
		return poolFor(data.getClass()).trySubmit(data, maxWait);
	}

	/**
	 * Submit a job to the pool that takes its type, to run once a delay has passed, as
	 * {@link JobPool#schedule(Object, Duration)} does.
	 * @param data the payload
	 * @param delay how long from now
	 * @return the job's future
	 */
	public JobFuture schedule(Object data, Duration delay) {
		return poolFor(data.getClass()).schedule(data, delay);
	}

	/**
	 * Submit a job to the pool that takes its type, to run at a given time, as
	 * {@link JobPool#schedule(Object, Instant)} does.
	 * @param data the payload
	 * @param at when to run it
	 * @return the job's future
	 */
	public JobFuture schedule(Object data, Instant at) {
		return poolFor(data.getClass()).schedule(data, at);
	}

	/**
	 * Submit a job to the pool that takes its type, to run at a given time, as
	 * {@link JobPool#trySchedule(Object, Instant, Duration)} does.
	 * @param data the payload
	 * @param at when to run it
	 * @param maxWait how long to wait at most for a place in that pool's schedule
	 * @return the job's future
	 */
	public JobFuture trySchedule(Object data, Instant at, Duration maxWait) {
		return poolFor(data.getClass()).trySchedule(data, at, maxWait);
	}

	/**
	 * The pool that payloads of a type are submitted to.
	 * @param type the payload type
	 * @return the lane with a handler for it, or else the default pool
	 */
	public JobPool poolFor(Class<?> type) {
		return this.routes.get(type);
	}

	/**
	 * The pool of a name.
	 * @param name the name of the default pool or of a lane
	 * @return the pool
	 * @throws IllegalArgumentException if there is no pool of that name
	 */
	public JobPool pool(String name) {
		JobPool pool = this.pools.get(name);
		if (pool == null) {
			throw new IllegalArgumentException(
					"There is no pool named '" + name + "'; the pools are " + this.pools.keySet());
		}
		return pool;
	}

	/** The default pool: the one injected as a plain {@code JobPool}. */
	public JobPool defaultPool() {
		return this.defaultPool;
	}

	/** Every pool, the default one first, then the lanes in the order they are configured. */
	public List<JobPool> all() {
		return new ArrayList<>(this.pools.values());
	}

	private JobPool route(Class<?> type) {
		Class<?> best = null;
		for (Class<?> candidate : this.lanesByType.keySet()) {
			if (candidate.isAssignableFrom(type) && (best == null || best.isAssignableFrom(candidate))) {
				best = candidate;
			}
		}
		@Nullable JobPool lane = (best != null) ? this.lanesByType.get(best) : null;
		return (lane != null) ? lane : this.defaultPool;
	}

}
