package io.jobpool.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.jobpool.JobHandedBackException;
import io.jobpool.engine.PoolCounters;
import org.jspecify.annotations.Nullable;

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

	/** The future of a stored job submitted here, if it has not ended. */
	@Nullable JdbcJobFuture find(long id) {
		return this.futures.get(id);
	}

	/** Follow a job; a second future of the same job ends as the first one does. */
	void track(JdbcJobFuture future) {
		JdbcJobFuture first = this.futures.putIfAbsent(future.jobId(), future);
		if (first != null) {
			first.whenComplete((ignored, error) -> end(future, error));
		}
	}

	void untrack(JdbcJobFuture future) {
		this.futures.remove(future.jobId(), future);
	}

	void succeeded(long id) {
		end(this.futures.remove(id), null);
	}

	void failed(long id, Throwable error) {
		end(this.futures.remove(id), error);
	}

	void handBack(JdbcJobFuture future) {
		this.futures.remove(future.jobId(), future);
		end(future, new JobHandedBackException(future.job));
	}

	/** Hand back every job still tracked: it stays stored for another pool, or this one's next start. */
	void handBackAll() {
		for (JdbcJobFuture future : this.futures.values()) {
			handBack(future);
		}
	}

	private void end(@Nullable JdbcJobFuture future, @Nullable Throwable error) {
		if (future == null) {
			return;
		}
		if (future.end()) {
			counterOf(error).increment();
			if (error != null) {
				future.completeExceptionally(error);
			}
			else {
				future.complete(null);
			}
		}
	}

	private LongAdder counterOf(@Nullable Throwable error) {
		if (error == null) {
			return this.counters.succeeded;
		}
		return (error instanceof JobHandedBackException) ? this.counters.handedBack : this.counters.failed;
	}

	long[] ids(int max) {
		return this.futures.keySet().stream().limit(max).mapToLong(Long::longValue).toArray();
	}

	boolean isEmpty() {
		return this.futures.isEmpty();
	}

}
