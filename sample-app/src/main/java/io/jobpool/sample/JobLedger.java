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
 * What the handlers have run: every job, by its type and id (ids are unique in a pool, and each type runs in one
 * pool), and per handler instance how many jobs it ran on which worker threads. It keeps every job for the life of
 * the application, which suits a sample, not a long-running service.
 */
@Component
public class JobLedger {

	private final Set<String> ranJobs = ConcurrentHashMap.newKeySet();

	private final Map<String, HandlerRecord> handlers = new ConcurrentHashMap<>();

	/**
	 * Record that a handler instance ran a job on the current thread.
	 * @param type the kind of job
	 * @param jobId the job's id
	 * @param handler the name of the handler instance
	 */
	void ran(String type, long jobId, String handler) {
		this.ranJobs.add(key(type, jobId));
		this.handlers.computeIfAbsent(handler, (name) -> new HandlerRecord()).ran(Thread.currentThread().getName());
	}

	/** Every job run so far, each as {@link #key(String, long) its key}. */
	public Set<String> ranJobs() {
		return Set.copyOf(this.ranJobs);
	}

	/**
	 * The key of a job in the ledger.
	 * @param type the kind of job
	 * @param jobId the job's id
	 * @return the key, such as {@code report#12}
	 */
	public static String key(String type, long jobId) {
		return type + "#" + jobId;
	}

	/** How many jobs ran, and per handler instance how many on which threads. */
	public Summary summary() {
		SortedMap<String, HandlerSummary> handlers = new TreeMap<>();
		this.handlers.forEach((name, record) -> handlers.put(name, record.summary()));
		return new Summary(this.ranJobs.size(), handlers);
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
