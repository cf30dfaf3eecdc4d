package io.jobpool.engine;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;

/**
 * All of a pool's listeners as one; a listener that throws is logged and the others still hear the event. The
 * events of every job (accepted, started, succeeded) go only to the listeners that override them, through loops
 * of their own: a listener that leaves one to {@link JobListener}'s default costs nothing per job for it.
 */
final class Listeners implements JobListener {

	private static final System.Logger logger = System.getLogger(Listeners.class.getName());

	private final JobListener[] listeners;

	private final JobListener[] hearAccepted;

	private final JobListener[] hearStarted;

	private final JobListener[] hearSucceeded;

	/**
	 * Combine listeners.
	 * @param listeners the listeners, in the order they hear events
	 */
	Listeners(List<JobListener> listeners) {
		this.listeners = listeners.toArray(new JobListener[0]);
		this.hearAccepted = overriding(this.listeners, "onAccepted", Job.class);
		this.hearStarted = overriding(this.listeners, "onStarted", Job.class, long.class);
		this.hearSucceeded = overriding(this.listeners, "onSucceeded", Job.class, long.class, long.class);
	}

	private static JobListener[] overriding(JobListener[] listeners, String event, Class<?>... parameters) {
		return Arrays.stream(listeners).filter((listener) -> overrides(listener, event, parameters))
			.toArray(JobListener[]::new);
	}

	private static boolean overrides(JobListener listener, String event, Class<?>... parameters) {
		try {
			return listener.getClass().getMethod(event, parameters).getDeclaringClass() != JobListener.class;
		}
		catch (NoSuchMethodException | SecurityException ex) {
			return true;
		}
	}

	/** Whether there are no listeners. */
	boolean isEmpty() {
		return this.listeners.length == 0;
	}

	@Override
	public void onAccepted(Job<?> job) {
		for (JobListener listener : this.hearAccepted) {
			try {
				listener.onAccepted(job);
			}
			catch (Throwable ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void onRejected(Object data, JobRejectedException exception) {
		each((listener) -> listener.onRejected(data, exception));
	}

	@Override
	public void onStarted(Job<?> job, long queueWaitNanos) {
		for (JobListener listener : this.hearStarted) {
			try {
				listener.onStarted(job, queueWaitNanos);
			}
			catch (Throwable ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
		for (JobListener listener : this.hearSucceeded) {
			try {
				listener.onSucceeded(job, queueWaitNanos, runNanos);
			}
			catch (Throwable ex) {
				failed(listener, ex);
			}
		}
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
				failed(listener, ex);
			}
		}
	}

	private static void failed(JobListener listener, Throwable ex) {
		logger.log(Level.WARNING, "Job listener " + listener + " failed; ignoring it", ex);
	}

}
