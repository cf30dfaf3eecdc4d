package io.jobpool.micrometer;

import java.time.Duration;
import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.JobTimeoutException;

/**
 * Runs each job attempt in an {@link Observation} named {@value #OBSERVATION_NAME} whose parent is the
 * observation current on the submitting thread, so a trace shows the submitter and the job's run as its child.
 * Its low-cardinality keys are {@value #POOL_KEY} (the pool's name), {@value #TYPE_KEY} (the payload's
 * {@linkplain Job#typeName() type name}) and {@code outcome}; {@code job.id} and {@code job.attempt} are high
 * cardinality. One decorator may serve several pools.
 * <p>
 * It is both a decorator (it opens the observation on the worker) and a listener (it stops the observation
 * with the attempt's outcome, which the pool decides after the processor returns), so install both with
 * {@link #install(JobPoolBuilder)}.
 */
public final class ObservationJobDecorator implements JobDecorator, JobListener {

	/** The name of the observation of one job attempt. */
	public static final String OBSERVATION_NAME = "jobpool.job";

	/** The key naming the pool, as the {@code pool} tag of the {@code jobpool.*} meters does. */
	public static final String POOL_KEY = "pool";

	/** The key naming the payload's type. */
	public static final String TYPE_KEY = "job.type";

	private final ObservationRegistry registry;

	// The observation of the attempt that just ran on this worker, until the pool reports its outcome.
	private final ThreadLocal<@Nullable Ending> ending = new ThreadLocal<>();

	/**
	 * Create a decorator.
	 * @param registry the registry observations are made in
	 */
	public ObservationJobDecorator(ObservationRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	/**
	 * Add this object to a builder as a decorator and as a listener.
	 * @param builder the builder
	 * @return the builder
	 */
	public JobPoolBuilder install(JobPoolBuilder builder) {
		return builder.decorator(this).listener(this);
	}

	@Override
	public Runnable decorate(JobPool pool, Job<?> job, Runnable execution) {
		return observed(pool.name(), job, execution);
	}

	/**
	 * Decorate a job of a pool that is not known: its observation has no {@value #POOL_KEY} key.
	 * @param job the job being submitted
	 * @param execution what runs the job on the worker
	 * @return the runnable a worker runs instead of {@code execution}
	 */
	@Override
	public Runnable decorate(Job<?> job, Runnable execution) {
		return observed(null, job, execution);
	}

	private Runnable observed(@Nullable String pool, Job<?> job, Runnable execution) {
		if (this.registry.isNoop()) {
			return execution;
		}
		Observation parent = this.registry.getCurrentObservation();
		return () -> run(pool, job, parent, execution);
	}

	private void run(@Nullable String pool, Job<?> job, @Nullable Observation parent, Runnable execution) {
		stopUnreported();
		Observation observation = Observation.createNotStarted(OBSERVATION_NAME, this.registry)
			.parentObservation(parent)
			.lowCardinalityKeyValue(TYPE_KEY, job.typeName())
			.highCardinalityKeyValue("job.id", Long.toString(job.id()));
		if (pool != null) {
			observation.lowCardinalityKeyValue(POOL_KEY, pool);
		}
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			execution.run();
		}
		catch (RuntimeException | Error ex) {
			observation.lowCardinalityKeyValue("outcome", "failure").error(ex).stop();
			throw ex;
		}
		this.ending.set(new Ending(job.id(), observation));
	}

	private void stopUnreported() {
		Ending unreported = this.ending.get();
		if (unreported != null) {
			this.ending.remove();
			unreported.observation.stop();
		}
	}

	@Override
	public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
		end(job, null);
	}

	@Override
	public void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
		end(job, error);
	}

	@Override
	public void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
		end(job, error);
	}

	private void end(Job<?> job, @Nullable Throwable error) {
		Ending ending = this.ending.get();
		if (ending == null || ending.jobId != job.id()) {
			return;
		}
		this.ending.remove();
		Observation observation = ending.observation;
		observation.highCardinalityKeyValue("job.attempt", Integer.toString(job.attempt()));
		if (error == null) {
			observation.lowCardinalityKeyValue("outcome", "success");
		}
		else {
			observation.lowCardinalityKeyValue("outcome", (error instanceof JobTimeoutException) ? "timeout" : "failure")
				.error(error);
		}
		observation.stop();
	}

	private record Ending(long jobId, Observation observation) {
	}

}
