package io.jobpool.jdbc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jobpool.JobHandedBackException;
import io.jobpool.spi.JobCounters;
import org.jspecify.annotations.Nullable;

/**
 * The futures of jobs this pool submitted that have not ended yet, wherever they run. Each ends once: here when
 * this pool settles the job, from the table when another pool did, or handed back when this pool closes with the
 * job still stored. The counters count how they ended.
 */
final class SubmittedJobs {

	private final Map<Long, JdbcJobFuture> futures = new ConcurrentHashMap<>();

	private volatile JobCounters counters = new JobCounters();

	/** Count the ends of the futures with the pool's counters, from its start. */
	void open(JobCounters poolCounters) {
		this.counters = poolCounters;
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
			count(error);
			if (error != null) {
				future.completeExceptionally(error);
			}
			else {
				future.complete(null);
			}
		}
	}

	private void count(@Nullable Throwable error) {
		if (error == null) {
			this.counters.succeeded();
		}
		else if (error instanceof JobHandedBackException) {
			this.counters.handedBack();
		}
		else {
			this.counters.failed();
		}
	}

	/** The ids of the jobs followed, in batches of at most {@code batch}. */
	List<long[]> ids(int batch) {
		long[] all = this.futures.keySet().stream().mapToLong(Long::longValue).toArray();
		List<long[]> batches = new ArrayList<>();
		for (int from = 0; from < all.length; from += batch) {
			batches.add(Arrays.copyOfRange(all, from, Math.min(all.length, from + batch)));
		}
		return batches;
	}

}
