package io.jobpool.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.RecurringJobStatus;
import io.jobpool.JobPool;
import io.jobpool.JobPoolFigures;
import io.jobpool.JobPoolSettings;
import io.jobpool.JobPoolStats;
import io.jobpool.JobTimes;
import io.jobpool.engine.Engines;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JobPool} whose jobs wait in a {@link JobStore}: the pool's engine runs them, and this class hands every
 * call to it, so that a store's pool adds only what its store offers. Listeners hear this pool, not its engine.
 */
public abstract class StoredJobPool implements JobPool {

	private final PoolEngine engine;

	/**
	 * Create a pool, not yet started.
	 * @param settings what the pool is built from
	 * @param store where its jobs wait
	 */
	protected StoredJobPool(JobPoolSettings settings, JobStore store) {
		this.engine = Engines.over(store, settings, this);
	}

	/**
	 * Submit a payload under an idempotency key.
	 * @param data the payload
	 * @param idempotencyKey the key the store keeps at most one job under, or {@code null}
	 * @param waitNanos the longest to wait for room; negative to wait as long as it takes
	 * @return the job's future
	 */
	protected final JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos) {
		return this.engine.submit(data, idempotencyKey, waitNanos);
	}

	@Override
	public JobFuture submit(Object data) {
		return this.engine.submit(data);
	}

	@Override
	public JobFuture trySubmit(Object data, Duration maxWait) {
		return this.engine.trySubmit(data, maxWait);
	}

	@Override
	public JobFuture schedule(Object data, Duration delay) {
		return this.engine.schedule(data, delay);
	}

	@Override
	public JobFuture schedule(Object data, Instant at) {
		return this.engine.schedule(data, at);
	}

	@Override
	public JobFuture trySchedule(Object data, Instant at, Duration maxWait) {
		return this.engine.trySchedule(data, at, maxWait);
	}

	@Override
	public List<RecurringJobStatus> recurringJobs() {
		return this.engine.recurringJobs();
	}

	@Override
	public JobFuture runNow(String name) {
		return this.engine.runNow(name);
	}

	@Override
	public void start() {
		this.engine.start();
	}

	@Override
	public void close() {
		this.engine.close();
	}

	@Override
	public List<Job<?>> close(Duration within) {
		return this.engine.close(within);
	}

	@Override
	public void shutdown() {
		this.engine.shutdown();
	}

	@Override
	public List<Job<?>> shutdownNow() {
		return this.engine.shutdownNow();
	}

	@Override
	public boolean awaitTermination(Duration timeout) throws InterruptedException {
		return this.engine.awaitTermination(timeout);
	}

	@Override
	public State state() {
		return this.engine.state();
	}

	@Override
	public boolean isRunning() {
		return this.engine.isRunning();
	}

	@Override
	public boolean isClosed() {
		return this.engine.isClosed();
	}

	@Override
	public String name() {
		return this.engine.name();
	}

	@Override
	public Duration drainPeriod() {
		return this.engine.drainPeriod();
	}

	@Override
	public int queueDepth() {
		return this.engine.queueDepth();
	}

	@Override
	public int activeWorkers() {
		return this.engine.activeWorkers();
	}

	@Override
	public JobPoolFigures figures() {
		return this.engine.figures();
	}

	@Override
	public void resizeDispatchers(int dispatchers) {
		this.engine.resizeDispatchers(dispatchers);
	}

	@Override
	public int removeDispatchers(int count) {
		return this.engine.removeDispatchers(count);
	}

	@Override
	public void pause() {
		this.engine.pause();
	}

	@Override
	public void resume() {
		this.engine.resume();
	}

	@Override
	public boolean isPaused() {
		return this.engine.isPaused();
	}

	@Override
	public JobPoolStats stats() {
		return this.engine.stats();
	}

	@Override
	public JobTimes jobTimes() {
		return this.engine.jobTimes();
	}

}
