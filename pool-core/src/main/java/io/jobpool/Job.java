package io.jobpool;

import java.time.Instant;
import java.util.Objects;

/**
 * One unit of work: a payload and where it stands in its life. Immutable; each retry is a new attempt.
 *
 * @param <T> the payload type
 */
public final class Job<T> {

	private final long id;

	private final T data;

	private final int attempt;

	private final long submittedAtMillis;

	/**
	 * Create a job.
	 * @param id the id, unique within its pool
	 * @param data the payload
	 * @param attempt the attempt number, 1 for the first run
	 * @param submittedAtMillis when the job was submitted, in milliseconds since the epoch
	 */
	public Job(long id, T data, int attempt, long submittedAtMillis) {
		this.id = id;
		this.data = Objects.requireNonNull(data, "data must not be null");
		this.attempt = attempt;
		this.submittedAtMillis = submittedAtMillis;
	}

	/**
	 * Create a job for a first attempt, submitted now, as a test or a caller outside a pool would.
	 * @param data the payload
	 * @param <T> the payload type
	 * @return a new job with id 0
	 */
	public static <T> Job<T> of(T data) {
		return new Job<>(0, data, 1, System.currentTimeMillis());
	}

	/** The payload (the Go library's {@code Data}). */
	public T data() {
		return this.data;
	}

	/** The id, unique within the pool that accepted the job. */
	public long id() {
		return this.id;
	}

	/** The attempt this run is: 1 for the first, 2 for the first retry, and so on. */
	public int attempt() {
		return this.attempt;
	}

	/**
	 * The payload's type as logs and meters name it: its simple class name, or for a class without one (an
	 * anonymous class), its name without the package.
	 */
	public String typeName() {
		Class<?> type = this.data.getClass();
		String simpleName = type.getSimpleName();
		if (!simpleName.isEmpty()) {
			return simpleName;
		}
		String name = type.getName();
		return name.substring(name.lastIndexOf('.') + 1);
	}

	/** When the job was submitted. */
	public Instant submittedAt() {
		return Instant.ofEpochMilli(this.submittedAtMillis);
	}

	/**
	 * The same job, one attempt later.
	 * @return a job with the same id, data and submission time, and the next attempt number
	 */
	public Job<T> nextAttempt() {
		return new Job<>(this.id, this.data, this.attempt + 1, this.submittedAtMillis);
	}

	@Override
	public String toString() {
		return "Job[id=" + this.id + ", type=" + this.data.getClass().getName() + ", attempt=" + this.attempt + "]";
	}

}
