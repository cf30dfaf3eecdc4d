package io.jobpool.autoconfigure.observation;

import io.jobpool.micrometer.ObservationJobDecorator;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration that runs each job in an observation continuing the submitter's, given an
 * {@link ObservationRegistry} bean.
 * <p>
 * The decorator is a {@code JobDecorator} and {@code JobListener} bean of the highest precedence, rather than a
 * customizer, so that it is applied first and so runs inside any decorator that restores the submitter's
 * context: the processor then sees the job's observation as current, not the submitter's.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"io.jobpool.autoconfigure.JobPoolAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class JobPoolObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	ObservationJobDecorator observationJobDecorator(ObservationRegistry observationRegistry) {
		return new ObservationJobDecorator(observationRegistry);
	}

}
