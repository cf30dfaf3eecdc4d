package io.jobpool.jdbc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.jobpool.JobHandedBackException;
import io.jobpool.spi.JobCounters;
import org.jspecify.annotations.Nullable;

/**
 * The futures of jobs this pool submitted that have not ended yet, wherever they run. Each ends once: here when
 * this pool settles the job, from the table when another pool did, or handed back when this pool closes with the
 * job still stored. The counters count how they ended.
 * <p>
 * A job may end here before its future is followed: its row is committed, then claimed, run and settled before the
 * submitter gets to {@link #track}. The last {@value #UNTRACKED_ENDS} such ends are kept, so the future ends as soon
 * as it is followed; an end and a follow that cross each other each look for the other after making themselves
 * known, so one of them ends the future.
 * <p>
 * The jobs to look up in the table, to learn which ended elsewhere, are taken {@linkplain #idsInTurn in turn}: the
 * oldest, most likely to have ended, every time, and the others a slice at a time, so a look-up costs the same
 * however many jobs wait.
 */
final class SubmittedJobs {

	static final int UNTRACKED_ENDS = 1024;

	// By id, so the oldest come first.
	private final ConcurrentNavigableMap<Long, JdbcJobFuture> futures = new ConcurrentSkipListMap<>();

	// Where the last look-up in turn stopped; the keeper's thread only.
	private long lookedUpTo;

	// Ends of jobs with no future followed, by id, the oldest dropped first; a null error for a success.
	private final Map<Long, Optional<Throwable>> untrackedEnds = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, Optional<Throwable>> eldest) {
			return size() > UNTRACKED_ENDS;
		}

	};

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
			return;
		}
		Optional<Throwable> ended;
		synchronized (this.untrackedEnds) {
			ended = this.untrackedEnds.remove(future.jobId());
		}
		if (ended != null && this.futures.remove(future.jobId(), future)) {
			end(future, ended.orElse(null));
		}
	}

	void untrack(JdbcJobFuture future) {
		this.futures.remove(future.jobId(), future);
	}

	void succeeded(long id) {
		ended(id, null);
	}

	void failed(long id, Throwable error) {
		ended(id, error);
	}

	private void ended(long id, @Nullable Throwable error) {
		JdbcJobFuture future = this.futures.remove(id);
		if (future == null) {
			synchronized (this.untrackedEnds) {
				this.untrackedEnds.put(id, Optional.ofNullable(error));
			}
			future = this.futures.remove(id);
			if (future != null) {
				synchronized (this.untrackedEnds) {
					this.untrackedEnds.remove(id);
				}
			}
		}
		end(future, error);
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
		return batches(this.futures.keySet().stream().mapToLong(Long::longValue).toArray(), batch);
	}

	/**
	 * The ids of some jobs followed, to look up this time: the oldest half of {@code most}, and as many more after
	 * where the last such look-up stopped, going round to the oldest again past the newest.
	 * @param most the most ids to give
	 * @param batch the most ids in one batch
	 * @return the ids, in batches
	 */
	List<long[]> idsInTurn(int most, int batch) {
		Set<Long> ids = new LinkedHashSet<>();
		Iterator<Long> oldest = this.futures.keySet().iterator();
		while (ids.size() < most / 2 && oldest.hasNext()) {
			ids.add(oldest.next());
		}
		Iterator<Long> next = this.futures.tailMap(this.lookedUpTo, false).keySet().iterator();
		boolean wentRound = false;
		while (ids.size() < most) {
			if (!next.hasNext()) {
				if (wentRound) {
					break;
				}
				wentRound = true;
				next = this.futures.keySet().iterator();
				continue;
			}
			long id = next.next();
			ids.add(id);
			this.lookedUpTo = id;
		}
		return batches(ids.stream().mapToLong(Long::longValue).toArray(), batch);
	}

	private static List<long[]> batches(long[] ids, int batch) {
		List<long[]> batches = new ArrayList<>();
		for (int from = 0; from < ids.length; from += batch) {
			batches.add(Arrays.copyOfRange(ids, from, Math.min(ids.length, from + batch)));
		}
		return batches;
	}

}
