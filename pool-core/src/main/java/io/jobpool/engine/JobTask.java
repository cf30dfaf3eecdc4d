package io.jobpool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobProcessor;
import io.jobpool.spi.QueuedJob;
import org.jspecify.annotations.Nullable;

/**
 * A job on its way through a pool: the job itself, its processor route, the decorated execution, its state, and
 * its store's token. For a job submitted to the memory store it is also the future the submitter holds.
 */
final class JobTask extends JobFuture implements Runnable, QueuedJob {

	// A task changes state only by compare-and-set, so exactly one party decides each transition:
	// QUEUED -> RUNNING (a worker) | REVOKED (admit: the pool left RUNNING as it was queued) | CANCELLED (its
	// future) | HANDED_BACK (a forced stop) | WAITING (submitted for later, before it is kept); RUNNING -> DONE |
	// WAITING (the runner, by the attempt's ending); WAITING -> QUEUED (its backoff ended, or it is due) |
	// REVOKED (submitted for later as the pool left RUNNING) | CANCELLED | HANDED_BACK.
	static final int QUEUED = 0;

	static final int RUNNING = 1;

	static final int WAITING = 2;

	static final int DONE = 3;

	static final int REVOKED = 4;

	static final int CANCELLED = 5;

	static final int HANDED_BACK = 6;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(JobTask.class, "state", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final WorkerPool pool;

	final int route;

	private final @Nullable Object token;

	Job<Object> job;

	Runnable execution = this;

	long enqueuedNanos;

	private volatile int state = QUEUED;

	// Set by the worker that runs the task, read by run() on the same thread.
	JobProcessor<Object> processor;

	Throwable error;

	JobTask(WorkerPool pool, Job<Object> job, int route, @Nullable Object token) {
		this.pool = pool;
		this.job = job;
		this.route = route;
		this.token = token;
	}

	@Override
	public Job<Object> job() {
		return this.job;
	}

	@Override
	public @Nullable Object token() {
		return this.token;
	}

	boolean transition(int expected, int next) {
		return STATE.compareAndSet(this, expected, next);
	}

	int state() {
		return this.state;
	}

	@Override
	public long jobId() {
		return this.job.id();
	}

	@Override
	public void run() {
		try {
			this.processor.process(this.job);
		}
		catch (Throwable ex) {
			this.error = ex;
		}
	}

	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		boolean waiting;
		if (transition(QUEUED, CANCELLED)) {
			waiting = false;
		}
		else if (transition(WAITING, CANCELLED)) {
			waiting = true;
		}
		else {
			return isCancelled();
		}
		this.pool.cancelled(this, waiting);
		return super.cancel(mayInterruptIfRunning);
	}

}
