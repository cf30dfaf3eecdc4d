/**
 * A sample application: a small HTTP service that takes jobs and runs them in the auto-configured job pool.
 */
@NullMarked
package io.jobpool.sample;

import org.jspecify.annotations.NullMarked;
