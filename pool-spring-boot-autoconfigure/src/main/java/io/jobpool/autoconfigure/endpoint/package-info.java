/**
 * The {@code jobpool} actuator endpoint and its auto-configuration.
 */
@NullMarked
package io.jobpool.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
