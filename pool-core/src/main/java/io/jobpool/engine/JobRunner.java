package io.jobpool.engine;

import java.time.Duration;

import io.jobpool.JobProcessor;
import io.jobpool.JobTimeoutException;
import io.jobpool.RetryPolicy;

/**
 * Runs one job on a worker and settles it: succeeded, retried after a backoff, or failed. The hot path:
 * without listeners, retries or timeouts it reads no clock and takes no lock.
 */
final class JobRunner {

	private final WorkerPool pool;

	private final Listeners listeners;

	private final boolean timed;

	private final RetryPolicy retry;

	private final Duration jobTimeout;

	JobRunner(WorkerPool pool, PoolSettings settings, Listeners listeners) {
		this.pool = pool;
		this.listeners = listeners;
		this.timed = !listeners.isEmpty();
		this.retry = settings.retry();
		this.jobTimeout = settings.jobTimeout();
	}

	boolean timed() {
		return this.timed;
	}

	void run(Worker worker, JobTask task, JobProcessor<Object>[] processors) {
		if (!task.transition(JobTask.QUEUED, JobTask.RUNNING)) {
			return;
		}
		long start = 0;
		long queueWait = 0;
		if (this.timed) {
			start = System.nanoTime();
			queueWait = start - task.enqueuedNanos;
			this.listeners.onStarted(task.job, queueWait);
		}
		task.processor = processors[task.route];
		task.error = null;
		worker.markCurrent(task);
		if (this.jobTimeout != null) {
			worker.running.begin(task);
			execute(task);
			if (worker.running.end(task)) {
				task.error = new JobTimeoutException(task.job, this.jobTimeout);
			}
		}
		else {
			execute(task);
		}
		worker.markCurrent(null);
		task.processor = null;
		Thread.interrupted();
		long runNanos = this.timed ? System.nanoTime() - start : 0;
		if (task.error == null) {
			succeed(task, queueWait, runNanos);
		}
		else {
			fail(task, queueWait, runNanos);
		}
	}

	private void execute(JobTask task) {
		try {
			task.execution.run();
		}
		catch (Throwable ex) {
			if (task.error == null) {
				task.error = ex;
			}
		}
	}

	private void succeed(JobTask task, long queueWait, long runNanos) {
		task.transition(JobTask.RUNNING, JobTask.DONE);
		this.pool.counters().succeeded.increment();
		if (this.timed) {
			this.listeners.onSucceeded(task.job, queueWait, runNanos);
		}
		task.complete(null);
	}

	private void fail(JobTask task, long queueWait, long runNanos) {
		Throwable error = task.error;
		task.error = null;
		if (this.retry.shouldRetry(task.job.attempt(), error) && this.pool.mayRetry()
				&& this.pool.retries().reserve()) {
			Duration backoff = this.retry.backoff(task.job.attempt());
			task.transition(JobTask.RUNNING, JobTask.RETRY_WAIT);
			this.pool.counters().retried.increment();
			if (this.timed) {
				this.listeners.onRetry(task.job, error, queueWait, runNanos, backoff);
			}
			if (!this.pool.retries().schedule(task, backoff, this.pool.housekeeper())) {
				this.pool.handBack(task);
			}
			return;
		}
		task.transition(JobTask.RUNNING, JobTask.DONE);
		this.pool.counters().failed.increment();
		if (this.timed) {
			this.listeners.onFailed(task.job, error, queueWait, runNanos);
		}
		task.completeExceptionally(error);
	}

}
