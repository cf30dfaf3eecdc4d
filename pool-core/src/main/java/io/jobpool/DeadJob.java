package io.jobpool;

import java.time.Instant;

/**
 * A job that ran out of attempts, or could not be read, and was set aside in a durable store. A store may give only
 * the first characters of a long payload or error; the lengths say how long they are in all.
 *
 * @param id the job's id
 * @param type the job's logical type name
 * @param payload the payload as stored (JSON), or its first characters
 * @param attempts how many times it was claimed
 * @param failedAt when it was set aside
 * @param error why it was set aside: the last error, or its first characters
 * @param payloadLength how many characters the stored payload has
 * @param errorLength how many characters the stored error has
 */
public record DeadJob(long id, String type, String payload, int attempts, Instant failedAt, String error,
		long payloadLength, long errorLength) {

	/**
	 * A dead job whose payload and error are given whole.
	 * @param id the job's id
	 * @param type the job's logical type name
	 * @param payload the payload as stored (JSON)
	 * @param attempts how many times it was claimed
	 * @param failedAt when it was set aside
	 * @param error why it was set aside: the last error
	 */
	public DeadJob(long id, String type, String payload, int attempts, Instant failedAt, String error) {
		this(id, type, payload, attempts, failedAt, error, payload.length(), error.length());
	}

}
