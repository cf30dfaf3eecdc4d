package io.jobpool;

import org.jspecify.annotations.Nullable;

/**
 * What a pool is doing now, read at once: the one value its health, its endpoint and its gauges show.
 *
 * @param state where the pool is in its life
 * @param paused whether workers are paused
 * @param queueDepth jobs waiting in the queue
 * @param queueCapacity how many jobs the queue holds at most
 * @param retrying jobs waiting for a retry after a backoff
 * @param scheduled jobs waiting for their time: submitted with a delay or for a later time
 * @param scheduleCapacity how many jobs may wait for their time at most
 * @param activeWorkers workers running a job now
 * @param workers live workers
 * @param dispatchers dispatchers now
 * @param workersPerDispatcher workers each dispatcher runs
 * @param maxDispatchers the most dispatchers a resize may reach
 * @param deadJobs dead jobs the pool keeps, as last counted; {@code null} for a pool that keeps none
 * @param failure why the pool cannot work as it should (one of its own threads could not go on), or {@code null}
 */
public record JobPoolFigures(JobPool.State state, boolean paused, int queueDepth, int queueCapacity, int retrying,
		int scheduled, int scheduleCapacity, int activeWorkers, int workers, int dispatchers, int workersPerDispatcher,
		int maxDispatchers, @Nullable Long deadJobs, @Nullable String failure) {
}
