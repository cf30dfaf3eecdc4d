package io.jobpool.spring;

import io.jobpool.JobPoolBuilder;

/**
 * Customizes the {@link JobPoolBuilder} behind the auto-configured {@code JobPool}, after the {@code pool.*}
 * properties are applied. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface JobPoolBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder to customize
	 */
	void customize(JobPoolBuilder builder);

}
