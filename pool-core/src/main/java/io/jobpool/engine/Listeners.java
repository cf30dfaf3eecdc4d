package io.jobpool.engine;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;

/**
 * All of a pool's listeners as one; a listener that throws is logged and the others still hear the event.
 */
final class Listeners implements JobListener {

	private static final System.Logger logger = System.getLogger(Listeners.class.getName());

	private final JobListener[] listeners;

	/**
	 * Combine listeners.
	 * @param listeners the listeners, in the order they hear events
	 */
	Listeners(List<JobListener> listeners) {
		this.listeners = listeners.toArray(new JobListener[0]);
	}

	/** Whether there are no listeners. */
	boolean isEmpty() {
		return this.listeners.length == 0;
	}

	@Override
	public void onAccepted(Job<?> job) {
		each((listener) -> listener.onAccepted(job));
	}

	@Override
	public void onRejected(Object data, JobRejectedException exception) {
		each((listener) -> listener.onRejected(data, exception));
	}

	@Override
	public void onStarted(Job<?> job, long queueWaitNanos) {
		each((listener) -> listener.onStarted(job, queueWaitNanos));
	}

	@Override
	public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
		each((listener) -> listener.onSucceeded(job, queueWaitNanos, runNanos));
	}

	@Override
	public void onRetry(Job<?> job, Throwable error, long queueWaitNanos, long runNanos, Duration backoff) {
		each((listener) -> listener.onRetry(job, error, queueWaitNanos, runNanos, backoff));
	}

	@Override
	public void onFailed(Job<?> job, Throwable error, long queueWaitNanos, long runNanos) {
		each((listener) -> listener.onFailed(job, error, queueWaitNanos, runNanos));
	}

	@Override
	public void onPoolStarted(JobPool pool) {
		each((listener) -> listener.onPoolStarted(pool));
	}

	@Override
	public void onPoolTerminated(JobPool pool) {
		each((listener) -> listener.onPoolTerminated(pool));
	}

	@Override
	public void onHandedBack(Job<?> job) {
		each((listener) -> listener.onHandedBack(job));
	}

	@Override
	public void onStuck(Job<?> job, Thread worker, Duration running) {
		each((listener) -> listener.onStuck(job, worker, running));
	}

	private void each(Consumer<JobListener> event) {
		for (JobListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (Throwable ex) {
				logger.log(Level.WARNING, "Job listener " + listener + " failed; ignoring it", ex);
			}
		}
	}

}
