package io.jobpool.autoconfigure;

import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * A {@link JobDecorator} that captures the submitter's context at submit and restores it on the worker for the
 * run of the job: every thread-local registered with Micrometer's {@link ContextRegistry} (the current
 * observation among them) and the SLF4J MDC.
 */
public final class ContextPropagatingJobDecorator implements JobDecorator {

	private static final boolean MDC_PRESENT = ClassUtils.isPresent("org.slf4j.MDC",
			ContextPropagatingJobDecorator.class.getClassLoader());

	private final ContextSnapshotFactory registered;

	private final @Nullable ContextSnapshotFactory mdc;

	/**
	 * Create a decorator for the global {@link ContextRegistry}.
	 */
	public ContextPropagatingJobDecorator() {
		this(ContextRegistry.getInstance());
	}

	/**
	 * Create a decorator for the given registry.
	 * @param registry the registry of the thread-locals to propagate
	 */
	public ContextPropagatingJobDecorator(ContextRegistry registry) {
		this.registered = ContextSnapshotFactory.builder().contextRegistry(registry).build();
		this.mdc = (MDC_PRESENT && !registers(registry, Slf4jThreadLocalAccessor.KEY)) ? mdcSnapshots() : null;
	}

	@Override
	public Runnable decorate(Job<?> job, Runnable execution) {
		Runnable restored = this.registered.captureAll().wrap(execution);
		return (this.mdc != null) ? this.mdc.captureAll().wrap(restored) : restored;
	}

	private static boolean registers(ContextRegistry registry, Object key) {
		return registry.getThreadLocalAccessors().stream().anyMatch((accessor) -> key.equals(accessor.key()));
	}

	private static ContextSnapshotFactory mdcSnapshots() {
		ContextRegistry registry = new ContextRegistry().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		return ContextSnapshotFactory.builder().contextRegistry(registry).build();
	}

}
