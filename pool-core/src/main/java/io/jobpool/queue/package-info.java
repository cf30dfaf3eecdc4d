/**
 * Where accepted jobs wait: the {@link io.jobpool.queue.JobQueue} contract and its in-memory implementation.
 */
@NullMarked
package io.jobpool.queue;

import org.jspecify.annotations.NullMarked;
