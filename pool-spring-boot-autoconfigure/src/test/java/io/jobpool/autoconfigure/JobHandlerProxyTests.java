package io.jobpool.autoconfigure;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import io.jobpool.autoconfigure.TestHandlers.Greeting;
import io.jobpool.autoconfigure.TestHandlers.GreetingHandler;
import io.jobpool.autoconfigure.TestHandlers.PrototypeInvoiceHandler;
import io.jobpool.spring.JobHandler;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link JobHandler @JobHandler} beans behind AOP proxies are registered for the payload type of their
 * target class.
 */
class JobHandlerProxyTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
		.withUserConfiguration(ProxyingConfiguration.class);

	@ParameterizedTest(name = "proxyTargetClass={0}")
	@ValueSource(booleans = { false, true })
	void jobHandlerBehindProxyShouldTakeThePayloadTypeOfItsTarget(boolean proxyTargetClass) {
		this.contextRunner.withBean(GreetingHandler.class)
			.withBean(PrototypeInvoiceHandler.class)
			.withPropertyValues("test.proxy-target-class=" + proxyTargetClass)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Object handler = context.getBean("testHandlers.GreetingHandler");
				assertThat(AopUtils.isAopProxy(handler)).isTrue();
				assertThat(AopUtils.isCglibProxy(handler)).isEqualTo(proxyTargetClass);
				context.getBean(JobPool.class).submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(ProxyingConfiguration.class).invocations).hasValueGreaterThan(0);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyingConfiguration {

		final AtomicInteger invocations = new AtomicInteger();

		@Bean
		static BeanPostProcessor jobHandlerProxies(Environment environment,
				ObjectProvider<ProxyingConfiguration> configuration) {
			boolean proxyTargetClass = environment.getProperty("test.proxy-target-class", Boolean.class, false);
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof JobProcessor<?>)) {
						return bean;
					}
					ProxyFactory factory = new ProxyFactory(bean);
					factory.setProxyTargetClass(proxyTargetClass);
					if (!proxyTargetClass) {
						factory.setInterfaces(JobProcessor.class);
					}
					factory.addAdvice((MethodInterceptor) (invocation) -> {
						configuration.getObject().invocations.incrementAndGet();
						return invocation.proceed();
					});
					return factory.getProxy();
				}
			};
		}

	}

}
