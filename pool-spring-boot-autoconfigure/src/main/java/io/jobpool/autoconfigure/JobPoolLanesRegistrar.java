package io.jobpool.autoconfigure;

import java.time.Duration;

import io.jobpool.JobPool;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers, for each lane under {@code pool.pools.<name>}, a {@link JobPool} bean named {@code <name>JobPool} and
 * qualified {@code <name>}, and its lifecycle. A lane is injected only where asked for by its qualifier, so that
 * a plain {@code JobPool} is still the default pool.
 */
final class JobPoolLanesRegistrar implements ImportBeanDefinitionRegistrar {

	private static final Duration DEFAULT_TIMEOUT_PER_SHUTDOWN_PHASE = Duration.ofSeconds(30);

	private final Environment environment;

	private final BeanFactory beanFactory;

	JobPoolLanesRegistrar(Environment environment, BeanFactory beanFactory) {
		this.environment = environment;
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Duration timeoutPerShutdownPhase = timeoutPerShutdownPhase(this.environment);
		for (String lane : PoolLanes.names(this.environment)) {
			String poolBean = beanName(lane);
			RootBeanDefinition pool = new RootBeanDefinition(JobPool.class,
					() -> this.beanFactory.getBean(JobPoolFactory.class).createLane(lane));
			pool.addQualifier(new AutowireCandidateQualifier(Qualifier.class, lane));
			pool.setDefaultCandidate(false);
			pool.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
			registry.registerBeanDefinition(poolBean, pool);
			RootBeanDefinition lifecycle = new RootBeanDefinition(JobPoolLifecycle.class, () -> new JobPoolLifecycle(
					this.beanFactory.getBean(poolBean, JobPool.class), timeoutPerShutdownPhase));
			registry.registerBeanDefinition(poolBean + "Lifecycle", lifecycle);
		}
	}

	/** The name of a lane's bean. */
	static String beanName(String lane) {
		return lane + "JobPool";
	}

	/** How long the context waits for each shutdown phase. */
	static Duration timeoutPerShutdownPhase(Environment environment) {
		return Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_TIMEOUT_PER_SHUTDOWN_PHASE);
	}

}
