package io.jobpool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import io.jobpool.JobProcessor;

/**
 * One worker slot of a dispatcher, and the loop its thread runs: take the next job, run it, repeat. The slot
 * outlives its threads: a retired dispatcher's slot gets a new thread (and new processors) when it is added
 * back, or keeps its old thread if that one had not stopped yet.
 */
final class Worker implements Runnable {

	// Lifecycle of the slot's thread; the thread itself moves RETIRING -> DEAD when it exits.
	static final int DEAD = 0;

	static final int LIVE = 1;

	static final int RETIRING = 2;

	// Idle protocol: a worker sets IDLE, lists itself, re-checks the queue, then parks until SIGNALLED.
	static final int ACTIVE = 0;

	static final int IDLE = 1;

	static final int SIGNALLED = 2;

	private static final int SPINS = 64;

	private static final int YIELDS = 4;

	// The pool whose worker the current thread is, so that a submit from a worker can tell.
	private static final ThreadLocal<WorkerPool> CURRENT_POOL = new ThreadLocal<>();

	private static final VarHandle LIFE;

	private static final VarHandle IDLE_STATE;

	private static final VarHandle BUSY;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			LIFE = lookup.findVarHandle(Worker.class, "life", int.class);
			IDLE_STATE = lookup.findVarHandle(Worker.class, "idleState", int.class);
			BUSY = lookup.findVarHandle(Worker.class, "busy", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final int index;

	// "<dispatcher>-<worker within that dispatcher>", both from 1: the end of the slot's thread names.
	private final String name;

	private final WorkerPool pool;

	volatile Thread thread;

	private volatile int life = DEAD;

	private volatile int idleState = ACTIVE;

	private volatile boolean busy;

	// Idle stack links, see IdleWorkers.
	int nextIdle;

	volatile boolean listed;

	// The processors of the slot's current thread, one per route; made in activate(), published by start().
	private JobProcessor<Object>[] processors;

	// The job the worker runs now, for reports at close only: a plain field, read racily.
	private JobTask current;

	// What the worker runs now, for the timeout watchdog.
	final RunningJob running = new RunningJob();

	// The times of the attempts the slot's threads ran, when the pool keeps them.
	final AttemptTimes times = new AttemptTimes();

	Worker(WorkerPool pool, int index, int workerNum) {
		this.pool = pool;
		this.index = index;
		this.name = (index / workerNum + 1) + "-" + (index % workerNum + 1);
	}

	/**
	 * Make the slot live: keep a retiring thread that has not stopped yet, or start a new one.
	 * @param threads where threads come from
	 * @return whether a new thread was started
	 */
	boolean activate(WorkerThreads threads) {
		if (LIFE.compareAndSet(this, RETIRING, LIVE)) {
			return false;
		}
		if (!LIFE.compareAndSet(this, DEAD, LIVE)) {
			return false;
		}
		try {
			this.processors = this.pool.routes().newProcessors();
			Thread newThread = threads.newThread(this.name, this);
			this.thread = newThread;
			newThread.start();
			return true;
		}
		catch (RuntimeException | Error ex) {
			this.life = DEAD;
			throw ex;
		}
	}

	void markCurrent(JobTask task) {
		this.current = task;
	}

	JobTask current() {
		return this.current;
	}

	void retire() {
		if (LIFE.compareAndSet(this, LIVE, RETIRING)) {
			wake();
		}
	}

	boolean isLive() {
		return this.life != DEAD;
	}

	boolean isBusy() {
		return this.busy;
	}

	void wake() {
		Thread current = this.thread;
		if (current != null) {
			LockSupport.unpark(current);
		}
	}

	void interrupt() {
		Thread current = this.thread;
		if (current != null && this.life != DEAD) {
			current.interrupt();
		}
	}

	boolean signal() {
		if (IDLE_STATE.compareAndSet(this, IDLE, SIGNALLED)) {
			LockSupport.unpark(this.thread);
			return true;
		}
		return false;
	}

	/** The pool the current thread works for, or {@code null} if it is not a worker. */
	static WorkerPool currentPool() {
		return CURRENT_POOL.get();
	}

	@Override
	public void run() {
		JobProcessor<Object>[] processors = this.processors;
		CURRENT_POOL.set(this.pool);
		try {
			for (;;) {
				JobTask task = nextTask();
				if (task == null) {
					if (mayExit()) {
						return;
					}
					continue;
				}
				BUSY.setOpaque(this, true);
				try {
					this.pool.runner().run(this, task, processors);
				}
				catch (Throwable ex) {
					this.pool.workerFailed(this, task, ex);
				}
				BUSY.setOpaque(this, false);
			}
		}
		finally {
			CURRENT_POOL.remove();
			BUSY.setOpaque(this, false);
			this.idleState = ACTIVE;
			this.pool.workerExited();
		}
	}

	@Override
	public String toString() {
		Thread current = this.thread;
		return (current != null) ? current.getName() : "worker " + this.name;
	}

	private JobTask nextTask() {
		if (this.life != LIVE) {
			return null;
		}
		if (!this.pool.mayTake()) {
			if (!this.pool.workerMayStop()) {
				this.pool.park();
			}
			return null;
		}
		JobTask task = this.pool.take();
		if (task != null) {
			return task;
		}
		Spinners spinners = this.pool.spinners();
		if (spinners.tryStart()) {
			task = spin();
			spinners.stop();
			if (task != null) {
				// A submit that saw this worker spinning woke nobody: look again now that it no longer spins.
				this.pool.wakeIdleIfQueued();
				return task;
			}
			// Yielding is not spinning: a yield may leave the worker off the CPU for a whole time slice, and a
			// submit meanwhile must wake a parked worker rather than count on this one.
			task = yieldForTask();
			if (task != null) {
				return task;
			}
		}
		return awaitTask();
	}

	private JobTask spin() {
		for (int i = 0; i < SPINS; i++) {
			Thread.onSpinWait();
			JobTask task = this.pool.take();
			if (task != null) {
				return task;
			}
		}
		return null;
	}

	private JobTask yieldForTask() {
		for (int i = 0; i < YIELDS; i++) {
			Thread.yield();
			JobTask task = this.pool.take();
			if (task != null) {
				return task;
			}
		}
		return null;
	}

	private JobTask awaitTask() {
		this.idleState = IDLE;
		if (!this.listed) {
			this.listed = true;
			this.pool.idleWorkers().push(this);
		}
		JobTask task = this.pool.take();
		if (task != null) {
			if (!IDLE_STATE.compareAndSet(this, IDLE, ACTIVE)) {
				this.idleState = ACTIVE;
			}
			return task;
		}
		if (this.pool.mayTake() && this.life == LIVE) {
			this.pool.park();
		}
		this.idleState = ACTIVE;
		return null;
	}

	private boolean mayExit() {
		if (this.life == RETIRING) {
			return LIFE.compareAndSet(this, RETIRING, DEAD);
		}
		return this.pool.workerMayStop() && LIFE.compareAndSet(this, LIVE, DEAD);
	}

}
