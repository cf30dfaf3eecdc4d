/**
 * Auto-configuration of an observation around each job.
 */
@NullMarked
package io.jobpool.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
