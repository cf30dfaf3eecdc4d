package io.jobpool.spi;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind a {@link StoredJobPool}: a {@link JobPool} that also submits under an idempotency key.
 */
public interface PoolEngine extends JobPool {

	/**
	 * Submit a payload, as {@link JobPool#trySubmit} does, with a key its store keeps at most one job under.
	 * @param data the payload
	 * @param idempotencyKey the key, or {@code null}
	 * @param waitNanos the longest to wait for room; negative to wait as long as it takes
	 * @return the job's future
	 */
	JobFuture submit(Object data, @Nullable String idempotencyKey, long waitNanos);

}
