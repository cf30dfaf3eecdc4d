package io.jobpool;

import java.time.Instant;

/**
 * A job that ran out of attempts, or could not be read, and was set aside in a durable store.
 *
 * @param id the job's id
 * @param type the job's logical type name
 * @param payload the payload as stored (JSON)
 * @param attempts how many times it was claimed
 * @param failedAt when it was set aside
 * @param error why it was set aside: the last error
 */
public record DeadJob(long id, String type, String payload, int attempts, Instant failedAt, String error) {
}
