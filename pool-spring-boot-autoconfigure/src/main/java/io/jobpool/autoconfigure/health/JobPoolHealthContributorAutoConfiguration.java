package io.jobpool.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jobpool.JobPool;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code jobpool} health contributor: one indicator for a single {@code JobPool} bean,
 * a composite keyed by pool name for several.
 */
@AutoConfiguration(afterName = "io.jobpool.autoconfigure.JobPoolAutoConfiguration",
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ Health.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(JobPool.class)
@ConditionalOnEnabledHealthIndicator("jobpool")
public final class JobPoolHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "jobpoolHealthIndicator", "jobpoolHealthContributor" })
	HealthContributor jobpoolHealthContributor(ConfigurableListableBeanFactory beanFactory) {
		Map<String, JobPool> pools = byPoolName(beanFactory.getBeansOfType(JobPool.class));
		if (pools.size() == 1) {
			return new JobPoolHealthIndicator(pools.values().iterator().next());
		}
		return CompositeHealthContributor.fromMap(pools, JobPoolHealthIndicator::new);
	}

	private static Map<String, JobPool> byPoolName(Map<String, JobPool> beans) {
		Map<String, JobPool> pools = new LinkedHashMap<>();
		beans.forEach((beanName, pool) -> {
			String name = pools.containsKey(pool.name()) ? beanName : pool.name();
			pools.put(name, pool);
		});
		return pools;
	}

}
