package io.jobpool.spi;

import io.jobpool.Job;
import org.jspecify.annotations.Nullable;

/**
 * A job waiting for a worker, made by the engine for a store ({@link StoreContext#queued}): the job as its
 * processor sees it, and the store's token for it, so that the store knows the job again when it ends.
 */
public interface QueuedJob {

	/** The job as its processor sees it. */
	Job<Object> job();

	/** What the store gave when it queued the job; {@code null} for jobs of the memory store. */
	@Nullable Object token();

}
