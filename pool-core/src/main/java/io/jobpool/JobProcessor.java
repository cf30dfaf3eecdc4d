package io.jobpool;

/**
 * Runs jobs whose payload is a {@code T} (the Go library's {@code JobHandler}).
 * <p>
 * A pool asks a processor's generator once per worker, so a processor that is not shared keeps its own
 * state without locking.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface JobProcessor<T> {

	/**
	 * Run one job. Throwing fails the job (and may retry it); returning completes it.
	 * @param job the job to run
	 * @throws Exception when the job fails
	 */
	void process(Job<T> job) throws Exception;

}
