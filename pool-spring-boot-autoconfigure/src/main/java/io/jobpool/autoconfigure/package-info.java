/**
 * Auto-configuration of the job pool: properties, the pool and its lifecycle, {@code @JobHandler} registration
 * and start-up failure analysis.
 */
@NullMarked
package io.jobpool.autoconfigure;

import org.jspecify.annotations.NullMarked;
