package io.jobpool.spring;

import io.jobpool.JobPoolBuilder;

/**
 * Customizes the {@link JobPoolBuilder} behind each auto-configured {@code JobPool}, the default one and every
 * lane, after the {@code pool.*} properties are applied. Beans of this type are applied in order. To give one lane
 * a processor, use {@link JobHandler#pool() @JobHandler(pool = ...)}: a processor registered here is in every pool.
 */
@FunctionalInterface
public interface JobPoolBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder to customize
	 */
	void customize(JobPoolBuilder builder);

}
