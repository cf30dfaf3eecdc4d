/**
 * What Spring users of the job pool import: {@link io.jobpool.spring.JobHandler},
 * {@link io.jobpool.spring.Recurring}, {@link io.jobpool.spring.JobPools} and
 * {@link io.jobpool.spring.JobPoolBuilderCustomizer}.
 */
@NullMarked
package io.jobpool.spring;

import org.jspecify.annotations.NullMarked;
