package io.jobpool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

import io.jobpool.Job;
import io.jobpool.JobListener;

/**
 * The job a worker runs now, as the timeout watchdog sees it. The worker and the watchdog race to end a run
 * by compare-and-set: if the worker wins, the job ended in time; if the watchdog wins, it interrupts the
 * worker, and the worker waits for that interrupt to land and clears it before it takes the next job. A run is
 * known by its {@link Job}, new for every attempt, so that the race can be tested without a pool.
 */
final class RunningJob {

	private static final Object TIMED_OUT = new Object();

	private static final VarHandle TASK;

	static {
		try {
			TASK = MethodHandles.lookup().findVarHandle(RunningJob.class, "task", Object.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// The Job running now, TIMED_OUT once the watchdog won, or null.
	private volatile Object task;

	private volatile long startNanos;

	private volatile boolean interruptDelivered;

	// Read and written by the watchdog thread only.
	private Job<?> timedOutJob;

	private long timedOutAtNanos;

	private boolean stuckReported;

	void begin(JobTask task) {
		begin(task.job);
	}

	void begin(Job<?> job) {
		this.startNanos = System.nanoTime();
		this.task = job;
	}

	/**
	 * End the run of a job.
	 * @param task the job that ran
	 * @return whether the watchdog timed it out first
	 */
	boolean end(JobTask task) {
		return end(task.job);
	}

	boolean end(Job<?> job) {
		if (TASK.compareAndSet(this, job, null)) {
			return false;
		}
		while (!this.interruptDelivered) {
			Thread.onSpinWait();
		}
		this.interruptDelivered = false;
		Thread.interrupted();
		this.task = null;
		return true;
	}

	/**
	 * Look at the run from the watchdog: time it out if it ran too long, report it once if it ignores the
	 * interrupt for another timeout.
	 */
	void check(long now, long timeoutNanos, Thread worker, JobListener listener) {
		Object current = this.task;
		if (current == TIMED_OUT) {
			if (!this.stuckReported && now - this.timedOutAtNanos >= timeoutNanos) {
				this.stuckReported = true;
				listener.onStuck(this.timedOutJob, worker, Duration.ofNanos(now - this.startNanos));
			}
			return;
		}
		if (current instanceof Job<?> job && now - this.startNanos >= timeoutNanos
				&& TASK.compareAndSet(this, job, TIMED_OUT)) {
			this.timedOutJob = job;
			this.timedOutAtNanos = now;
			this.stuckReported = false;
			worker.interrupt();
			this.interruptDelivered = true;
		}
	}

}
