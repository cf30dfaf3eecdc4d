package io.jobpool.engine;

import java.time.Duration;
import java.util.concurrent.CancellationException;

import io.jobpool.JobProcessor;
import io.jobpool.JobTimeoutException;
import io.jobpool.spi.Ending;
import io.jobpool.spi.JobCounters;
import io.jobpool.spi.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * Runs one job on a worker and ends it: the listeners hear how the attempt went, the log is told of a retry, a
 * failure or a hand-back, then the store records it. The hot path: without listeners or timeouts it reads no clock,
 * takes no lock and allocates nothing, and a success never reaches the log. With listeners it reads the clock twice
 * (the submit read it once) and adds the attempt's times to its worker's own totals.
 */
final class JobRunner {

	private final JobStore store;

	private final Listeners listeners;

	private final JobCounters counters;

	private final JobEndLog endLog;

	private final boolean timed;

	private final @Nullable Duration jobTimeout;

	JobRunner(JobStore store, Listeners listeners, JobCounters counters, JobEndLog endLog,
			@Nullable Duration jobTimeout) {
		this.store = store;
		this.listeners = listeners;
		this.counters = counters;
		this.endLog = endLog;
		this.timed = !listeners.isEmpty();
		this.jobTimeout = jobTimeout;
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
		Throwable error = task.error;
		task.error = null;
		Ending ending = (error == null) ? Ending.SUCCEEDED : decide(task, error);
		if (this.timed) {
			addTimes(worker.times, ending, queueWait, runNanos);
		}
		end(task, ending, queueWait, runNanos);
	}

	// Times count attempts that ran to an outcome: not a hand-back, nor a cancellation (as a job cancelled before it
	// ran is not timed either).
	private static void addTimes(AttemptTimes times, Ending ending, long queueWait, long runNanos) {
		switch (ending.kind()) {
			case SUCCEEDED -> times.add(AttemptTimes.SUCCESS, queueWait, runNanos);
			case RETRY, FAILED -> {
				Throwable error = ending.error();
				if (error instanceof JobTimeoutException) {
					times.add(AttemptTimes.TIMEOUT, queueWait, runNanos);
				}
				else if (!(error instanceof CancellationException)) {
					times.add(AttemptTimes.FAILURE, queueWait, runNanos);
				}
			}
			case HANDED_BACK -> {
			}
		}
	}

	// A retry policy's predicate is the user's code: if deciding fails, the attempt's failure is final.
	private Ending decide(JobTask task, Throwable error) {
		try {
			return this.store.failed(task, error);
		}
		catch (RuntimeException | Error ex) {
			error.addSuppressed(ex);
			return Ending.failed(error);
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

	private void end(JobTask task, Ending ending, long queueWait, long runNanos) {
		Ending.Kind kind = ending.kind();
		task.transition(JobTask.RUNNING, (kind == Ending.Kind.RETRY) ? JobTask.WAITING : JobTask.DONE);
		if (kind == Ending.Kind.RETRY) {
			this.counters.retried();
		}
		if (this.timed) {
			switch (kind) {
				case SUCCEEDED -> this.listeners.onSucceeded(task.job, queueWait, runNanos);
				case RETRY -> this.listeners.onRetry(task.job, ending.error(), queueWait, runNanos, ending.backoff());
				case FAILED -> this.listeners.onFailed(task.job, ending.error(), queueWait, runNanos);
				case HANDED_BACK -> this.listeners.onHandedBack(task.job);
			}
		}
		if (kind != Ending.Kind.SUCCEEDED) {
			this.endLog.ended(task.job, ending);
		}
		this.store.ended(task, ending);
	}

}
