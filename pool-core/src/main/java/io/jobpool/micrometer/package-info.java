/**
 * Micrometer support for job pools: meters and observations, for use with or without Spring.
 */
@NullMarked
package io.jobpool.micrometer;

import org.jspecify.annotations.NullMarked;
