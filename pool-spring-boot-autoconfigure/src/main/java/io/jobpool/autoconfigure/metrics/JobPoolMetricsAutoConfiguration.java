package io.jobpool.autoconfigure.metrics;

import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code jobpool.*} meters of every {@code JobPool} bean.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"io.jobpool.autoconfigure.JobPoolAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class JobPoolMetricsAutoConfiguration {

	@Bean
	static JobPoolMetricsRegistrar jobPoolMetricsRegistrar(ObjectProvider<MeterRegistry> registry) {
		return new JobPoolMetricsRegistrar(registry);
	}

	@Bean
	JobPoolBuilderCustomizer jobPoolMetricsCustomizer(JobPoolMetricsRegistrar jobPoolMetricsRegistrar) {
		return jobPoolMetricsRegistrar::install;
	}

}
