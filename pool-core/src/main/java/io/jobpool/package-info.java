/**
 * The job pool: {@link io.jobpool.JobPool}, its builder, jobs, processors, listeners and decorators.
 */
@NullMarked
package io.jobpool;

import org.jspecify.annotations.NullMarked;
