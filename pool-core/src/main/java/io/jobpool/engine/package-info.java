/**
 * The engine behind every {@link io.jobpool.JobPool}: dispatchers of workers taking jobs from one
 * {@link io.jobpool.spi.JobStore}. Only {@link io.jobpool.engine.Engines} is public; everything else may change in
 * any release. What the engine promises, and why it keeps it, is written here once.
 *
 * <h2>Who does what</h2>
 * {@code WorkerPool} owns the lifecycle, the workers, the figures, routing (payload class to processor) and the
 * listeners. A store owns where jobs wait and how their ends are recorded: {@code MemoryStore} (a bounded lock-free
 * ring, submitters waiting while it is full, retries waiting out their backoff) or a store of another module, such
 * as a database table. Workers take jobs with {@code store.poll()}; each job they take ends through
 * {@code store.failed()} (the decision, for a failed attempt) and {@code store.ended()} (the record), after the
 * listeners heard it and, unless it succeeded, {@code JobEndLog} wrote it; {@code LifecycleLog} writes the pool's start
 * and stop.
 *
 * <h2>States of a pool ({@link io.jobpool.JobPool.State})</h2>
 * <ul>
 * <li>{@code NOT_STARTED -> RUNNING}: {@code start()}, on the caller's thread: the store opens, then the workers
 * start.</li>
 * <li>{@code RUNNING -> DRAINING}: {@code shutdown()} or {@code close()}, on the caller's thread: no more submits;
 * {@code store.closing()} lets waiting submitters go and stops claims; workers run what is queued.</li>
 * <li>{@code RUNNING | DRAINING -> STOPPING}: {@code shutdownNow()}, or {@code close()} once its drain time is
 * spent, on the caller's thread: every job still queued is taken back from the store ({@code takeQueued()}) and
 * handed back; running workers are interrupted.</li>
 * <li>{@code DRAINING | STOPPING -> CLOSED}: {@code terminate()}, on the last worker thread to exit, or in
 * {@code shutdownNow()} when none is live once it has handed back what it took (while it hands back,
 * {@code handingBack} holds off {@code terminate()}, so those jobs count before the pool is {@code CLOSED}): what is
 * left is handed back, {@code store.close()} records what the store still holds, the stop is logged, then the state
 * is {@code CLOSED} and {@code awaitTermination} returns.</li>
 * <li>{@code NOT_STARTED -> CLOSED}: {@code shutdown()} of a pool never started; its store was never opened.</li>
 * </ul>
 * The state only moves forward. Every transition, the housekeeper (timeouts, autoscaling), resizing and the
 * {@code terminating} and {@code handingBack} flags are guarded by the {@code lifecycle} monitor; the state and
 * {@code paused} are volatile and read without it on the hot paths (submit, take).
 *
 * <h2>States of a job ({@code JobTask})</h2>
 * A job changes state only by compare-and-set, so exactly one party decides each step:
 * {@code QUEUED -> RUNNING} (the worker that takes it) {@code | REVOKED} ({@code admit}: the pool left
 * {@code RUNNING} as it was queued) {@code | CANCELLED} (its future) {@code | HANDED_BACK} (a forced stop);
 * {@code RUNNING -> DONE | WAITING} (the runner, by the attempt's ending); {@code WAITING -> QUEUED} (the
 * retry timer) {@code | CANCELLED | HANDED_BACK}.
 *
 * <h2>Why no accepted job is stranded</h2>
 * A job is put where workers find it first, and {@code admit} reads the state after: if the pool is still
 * {@code RUNNING} then, a worker will see the job before it may stop (a draining worker stops only when
 * {@code store.drained()}); if not, {@code admit} revokes it, unless a worker took it already. A forced stop takes
 * back everything queued, and {@code terminate()} looks once more after the last worker has gone, so a job is
 * refused, run, or handed back, never left behind. With the memory store, a submit counts the job as accepted
 * before it is queued and uncounts it when refused, so {@code accepted = succeeded + failed + handedBack} holds
 * once the pool has stopped, and {@code pending() >= 0} at any time.
 *
 * <h2>Why no wake-up is lost</h2>
 * A worker with nothing to do sets itself {@code IDLE}, pushes itself on {@code IdleWorkers} (a lock-free stack
 * whose top carries a version, so a slot popped and pushed again in between cannot fool a compare-and-set), looks
 * at the store once more, and only then parks. Whoever queues a job puts it in the store first, then wakes one
 * idle worker (unless a spinner is looking, see below). Both sides write, then read the other's side, through
 * volatile and compare-and-set accesses: either the worker's last look finds the job, or the producer finds the
 * worker on the stack and unparks it ({@code IDLE -> SIGNALLED} by compare-and-set, so one wake-up wakes one
 * worker, and an unpark that comes before the park is kept by {@code LockSupport}). A few workers ({@code Spinners},
 * half the CPUs) spin briefly, then yield a few times, before they park; while one spins, producers wake nobody
 * (while it yields they do: a yield may keep it off the CPU for a time slice), and the spinner
 * that takes a job wakes a parked worker if more are queued, as every worker that takes a job does
 * ({@code wakeIdleIfQueued}). Submitters waiting for room in a full memory queue are signalled in batches by
 * workers that free slots, and look again at least every 50 ms in any case.
 *
 * <h2>Timeouts</h2>
 * The worker and the timeout watchdog race to end a run by compare-and-set on {@code RunningJob}: if the worker
 * wins, the job ended in time; if the watchdog wins, it interrupts the worker, and the worker waits for that
 * interrupt to land and clears it before it takes its next job, so an interrupt meant for one job never reaches the
 * next.
 */
@NullMarked
package io.jobpool.engine;

import org.jspecify.annotations.NullMarked;
