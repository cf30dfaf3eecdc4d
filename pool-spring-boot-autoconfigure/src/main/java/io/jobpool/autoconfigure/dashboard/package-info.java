/**
 * The job pools' dashboard: a page served as the {@code jobpooldashboard} actuator endpoint, and the history of each
 * pool's figures that its charts draw.
 */
@NullMarked
package io.jobpool.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
