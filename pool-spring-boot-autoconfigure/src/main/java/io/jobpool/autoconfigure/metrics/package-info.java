/**
 * Auto-configuration of the job pool's Micrometer meters.
 */
@NullMarked
package io.jobpool.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
