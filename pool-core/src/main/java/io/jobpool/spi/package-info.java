/**
 * The seam between a pool's engine and the store its jobs wait in: a {@link io.jobpool.spi.JobStore} takes in
 * submitted jobs, hands them to the engine's workers and records how each ended; the engine keeps the workers, the
 * lifecycle, the figures, routing and listeners. The memory queue is one store, a database table another.
 */
@NullMarked
package io.jobpool.spi;

import org.jspecify.annotations.NullMarked;
