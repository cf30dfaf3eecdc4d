/**
 * Auto-configuration of the job pool's health indicator.
 */
@NullMarked
package io.jobpool.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
