package io.jobpool.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jobpool.JobHandedBackException;
import io.jobpool.engine.PoolCounters;

/**
 * The futures of jobs this pool submitted that have not ended yet, wherever they run. Each ends once: here when
 * this pool settles the job, from the table when another pool did, or handed back when this pool closes with the
 * job still stored. The counters count how they ended.
 */
final class SubmittedJobs {

	private final Map<Long, JdbcJobFuture> futures = new ConcurrentHashMap<>();

	private final PoolCounters counters;

	SubmittedJobs(PoolCounters counters) {
		this.counters = counters;
	}

	void track(JdbcJobFuture future) {
		this.futures.put(future.jobId(), future);
	}

	void untrack(JdbcJobFuture future) {
		this.futures.remove(future.jobId(), future);
	}

	void succeeded(long id) {
		JdbcJobFuture future = this.futures.remove(id);
		if (future != null && future.complete(null)) {
			this.counters.succeeded.increment();
		}
	}

	void failed(long id, Throwable error) {
		JdbcJobFuture future = this.futures.remove(id);
		if (future != null && future.completeExceptionally(error)) {
			this.counters.failed.increment();
		}
	}

	void handBack(JdbcJobFuture future) {
		this.futures.remove(future.jobId(), future);
		if (future.completeExceptionally(new JobHandedBackException(future.job))) {
			this.counters.handedBack.increment();
		}
	}

	/** Hand back every job still tracked: it stays stored for another pool, or this one's next start. */
	void handBackAll() {
		for (JdbcJobFuture future : this.futures.values()) {
			handBack(future);
		}
	}

	long[] ids(int max) {
		return this.futures.keySet().stream().limit(max).mapToLong(Long::longValue).toArray();
	}

	boolean isEmpty() {
		return this.futures.isEmpty();
	}

}
