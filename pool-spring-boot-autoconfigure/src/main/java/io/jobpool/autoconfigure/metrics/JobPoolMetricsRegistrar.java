package io.jobpool.autoconfigure.metrics;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.micrometer.JobPoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;

/**
 * Gives every {@link JobPool} the {@code jobpool.*} meters. A pool built with the customizer gets a
 * {@link JobPoolMetrics#bindOnStart(MeterRegistry, Iterable) JobPoolMetrics that binds when the pool starts} and
 * removes its meters when the pool terminates. Any other pool bean is measured by a {@code JobPoolMetrics} that is
 * not its listener, so only its gauges and stats-based counters move; that binder goes when the bean is destroyed,
 * or when the pool starts with a binder of its own.
 */
final class JobPoolMetricsRegistrar implements DestructionAwareBeanPostProcessor {

	private final ObjectProvider<MeterRegistry> registry;

	// Guarded by this: the pools that started with a binder built into them, and the gauges-only binders.
	private final Set<JobPool> startedWithMetrics = Collections.newSetFromMap(new IdentityHashMap<>());

	private final Map<JobPool, JobPoolMetrics> gaugesOnly = new IdentityHashMap<>();

	// Built into a pool before its JobPoolMetrics, so that the gauges-only binder is gone before that one binds.
	private final JobListener startedPools = new JobListener() {

		@Override
		public void onPoolStarted(JobPool pool) {
			started(pool);
		}

		@Override
		public void onPoolTerminated(JobPool pool) {
			terminated(pool);
		}

	};

	JobPoolMetricsRegistrar(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	void install(JobPoolBuilder builder) {
		MeterRegistry registry = this.registry.getIfUnique();
		if (registry != null) {
			builder.listener(this.startedPools).listener(JobPoolMetrics.bindOnStart(registry, Tags.empty()));
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof JobPool pool) {
			MeterRegistry registry = this.registry.getIfUnique();
			if (registry != null) {
				bindGaugesOnly(pool, registry);
			}
		}
		return bean;
	}

	private synchronized void bindGaugesOnly(JobPool pool, MeterRegistry registry) {
		if (!this.startedWithMetrics.contains(pool) && !this.gaugesOnly.containsKey(pool)) {
			JobPoolMetrics metrics = new JobPoolMetrics().monitor(pool);
			metrics.bindTo(registry);
			this.gaugesOnly.put(pool, metrics);
		}
	}

	private void started(JobPool pool) {
		JobPoolMetrics metrics;
		synchronized (this) {
			this.startedWithMetrics.add(pool);
			metrics = this.gaugesOnly.remove(pool);
		}
		close(metrics);
	}

	private synchronized void terminated(JobPool pool) {
		this.startedWithMetrics.remove(pool);
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return bean instanceof JobPool;
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		JobPoolMetrics metrics;
		synchronized (this) {
			metrics = this.gaugesOnly.remove(bean);
		}
		close(metrics);
	}

	private static void close(@Nullable JobPoolMetrics metrics) {
		if (metrics != null) {
			metrics.close();
		}
	}

}
