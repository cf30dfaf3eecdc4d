/**
 * The engine behind {@link io.jobpool.JobPool}: dispatchers of workers, wake-ups, backpressure, retries,
 * timeouts and autoscaling. Not an API: its types may change in any release.
 */
@NullMarked
package io.jobpool.engine;

import org.jspecify.annotations.NullMarked;
