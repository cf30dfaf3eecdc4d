package io.jobpool.autoconfigure.metrics;

import java.util.IdentityHashMap;
import java.util.Map;

import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.micrometer.JobPoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;

/**
 * Installs a {@link JobPoolMetrics} listener in each pool builder it customizes, binds it to the registry when the
 * {@link JobPool} bean built there is initialized, and removes its meters when that bean is destroyed. A pool bean
 * built without the customizer still gets its gauges and stats-based counters.
 * <p>
 * A pool bean is built on the thread that creates it, right after the customizers run, so the metrics last
 * installed on that thread belong to the next pool bean initialized on it.
 */
final class JobPoolMetricsRegistrar implements DestructionAwareBeanPostProcessor {

	private final ObjectProvider<MeterRegistry> registry;

	private final ThreadLocal<@Nullable JobPoolMetrics> installed = new ThreadLocal<>();

	private final Map<JobPool, JobPoolMetrics> bound = new IdentityHashMap<>();

	JobPoolMetricsRegistrar(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	void install(JobPoolBuilder builder) {
		JobPoolMetrics metrics = new JobPoolMetrics();
		builder.listener(metrics);
		this.installed.set(metrics);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof JobPool pool) {
			JobPoolMetrics metrics = this.installed.get();
			this.installed.remove();
			bind(pool, (metrics != null) ? metrics : new JobPoolMetrics());
		}
		return bean;
	}

	private void bind(JobPool pool, JobPoolMetrics metrics) {
		MeterRegistry registry = this.registry.getIfUnique();
		if (registry == null) {
			return;
		}
		synchronized (this.bound) {
			if (this.bound.containsKey(pool)) {
				return;
			}
			metrics.monitor(pool).bindTo(registry);
			this.bound.put(pool, metrics);
		}
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return bean instanceof JobPool;
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		JobPoolMetrics metrics;
		synchronized (this.bound) {
			metrics = this.bound.remove(bean);
		}
		if (metrics != null) {
			metrics.close();
		}
	}

}
