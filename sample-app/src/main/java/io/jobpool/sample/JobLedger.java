package io.jobpool.sample;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/**
 * What the handlers have run: the id of every job, and per handler instance how many jobs it ran on which worker
 * threads. It keeps every id for the life of the application, which suits a sample, not a long-running service.
 */
@Component
public class JobLedger {

	private final Set<Long> ranIds = ConcurrentHashMap.newKeySet();

	private final Map<String, HandlerRecord> handlers = new ConcurrentHashMap<>();

	/**
	 * Record that a handler instance ran a job on the current thread.
	 * @param jobId the job's id
	 * @param handler the name of the handler instance
	 */
	void ran(long jobId, String handler) {
		this.ranIds.add(jobId);
		this.handlers.computeIfAbsent(handler, (name) -> new HandlerRecord()).ran(Thread.currentThread().getName());
	}

	/** The ids of every job run so far. */
	public Set<Long> ranIds() {
		return Set.copyOf(this.ranIds);
	}

	/** How many jobs ran, and per handler instance how many on which threads. */
	public Summary summary() {
		SortedMap<String, HandlerSummary> handlers = new TreeMap<>();
		this.handlers.forEach((name, record) -> handlers.put(name, record.summary()));
		return new Summary(this.ranIds.size(), handlers);
	}

	/**
	 * How many jobs ran, and per handler instance how many on which threads.
	 *
	 * @param ran jobs run so far
	 * @param handlers each handler instance, by name
	 */
	public record Summary(int ran, SortedMap<String, HandlerSummary> handlers) {
	}

	/**
	 * What one handler instance ran.
	 *
	 * @param jobs jobs it ran
	 * @param threads the worker threads it ran them on
	 */
	public record HandlerSummary(long jobs, SortedSet<String> threads) {
	}

	private static final class HandlerRecord {

		private final LongAdder jobs = new LongAdder();

		private final Set<String> threads = ConcurrentHashMap.newKeySet();

		void ran(String thread) {
			this.jobs.increment();
			this.threads.add(thread);
		}

		HandlerSummary summary() {
			return new HandlerSummary(this.jobs.sum(), new TreeSet<>(this.threads));
		}

	}

}
