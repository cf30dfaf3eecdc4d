package io.jobpool.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.JobProcessor;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.spring.JobHandler;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JobPoolMetricsAutoConfiguration}.
 */
class JobPoolMetricsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				JobPoolMetricsAutoConfiguration.class));

	@Test
	void timersGivenPercentilesByPropertiesAreRealTimers() {
		this.contextRunner.withUserConfiguration(CustomizedPoolConfiguration.class)
			.withPropertyValues("management.metrics.distribution.percentiles.jobpool.job.duration=0.99")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				settle(pool.submit("ok"), pool.submit("ok"), pool.submit("fail"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Timer success = registry.get("jobpool.job.duration").tag("outcome", "success").timer();
				assertThat(success.count()).isEqualTo(2);
				assertThat(success.takeSnapshot().percentileValues()).hasSize(1);
				assertThat(registry.get("jobpool.queue.wait").tag("outcome", "success").functionTimer().count())
					.isEqualTo(2);
			});
	}

	@Test
	void metersOfAPoolBuiltWithTheCustomizersCountItsJobs() {
		this.contextRunner.withUserConfiguration(CustomizedPoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			settle(pool.submit("ok"), pool.submit("ok"), pool.submit("fail"));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("jobpool.jobs.submitted").tag("pool", "orders").counter().count()).isEqualTo(3);
			assertThat(registry.get("jobpool.job.duration").tag("outcome", "success").functionTimer().count()).isEqualTo(2);
			assertThat(registry.get("jobpool.job.duration").tag("outcome", "failure").functionTimer().count()).isEqualTo(1);
			assertThat(registry.get("jobpool.queue.wait").tag("outcome", "success").functionTimer().count()).isEqualTo(2);
			assertThat(registry.get("jobpool.queue.wait").tag("outcome", "failure").functionTimer().count()).isEqualTo(1);
			assertThat(registry.get("jobpool.queue.capacity").gauge().value()).isEqualTo(10);
			assertThat(registry.get("jobpool.workers").gauge().value()).isEqualTo(2);
		});
	}

	@Test
	void eachPoolBeanGetsItsOwnMeters() {
		this.contextRunner.withUserConfiguration(TwoPoolsConfiguration.class).run((context) -> {
			JobPool orders = context.getBean("orders", JobPool.class);
			JobPool invoices = context.getBean("invoices", JobPool.class);
			settle(orders.submit("ok"));
			settle(invoices.submit("ok"), invoices.submit("ok"));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(successes(registry, "orders")).isEqualTo(1);
			assertThat(successes(registry, "invoices")).isEqualTo(2);
		});
	}

	@Test
	void aPoolBuiltWithoutTheCustomizersStillGetsItsGauges() {
		this.contextRunner.withUserConfiguration(PlainPoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			settle(pool.submit("ok"));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("jobpool.queue.capacity").tag("pool", "plain").gauge().value()).isEqualTo(10);
			assertThat(registry.get("jobpool.jobs.completed").tag("outcome", "success").functionCounter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void metersAreRemovedWhenThePoolBeanIsDestroyed() {
		this.contextRunner.withUserConfiguration(CustomizedPoolConfiguration.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("jobpool.queue.depth").gauges()).hasSize(1);
			((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
			assertThat(registry.find("jobpool.queue.depth").gauges()).isEmpty();
			assertThat(registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("jobpool."));
		});
	}

	@Test
	void metersAreBoundToThePoolOfThePoolAutoConfiguration() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.withBean(EchoHandler.class)
			.withPropertyValues("pool.name=auto", "pool.worker-num=3")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				await().atMost(WAIT).until(pool::isRunning);
				settle(pool.submit("ok"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("jobpool.workers").tag("pool", "auto").gauge().value()).isEqualTo(3);
				assertThat(successes(registry, "auto")).isEqualTo(1);
			});
	}

	@Test
	void aPoolBuiltWithTheCustomizersAndStartedAfterItsBeanIsReadyHasOneSetOfMetersUntilItStops() {
		this.contextRunner.withUserConfiguration(UnstartedCustomizedPoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("jobpool.queue.capacity").tag("pool", "orders").gauge().value()).isEqualTo(10);
			pool.start();
			settle(pool.submit("ok"));
			assertThat(registry.find("jobpool.queue.capacity").gauges()).hasSize(1);
			assertThat(registry.find("jobpool.jobs.submitted").counters()).singleElement()
				.satisfies((submitted) -> assertThat(submitted.count()).isEqualTo(1));
			assertThat(successes(registry, "orders")).isEqualTo(1);
			pool.close();
			assertThat(pool.awaitTermination(WAIT)).isTrue();
			assertThat(registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("jobpool."));
		});
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobPoolMetricsAutoConfiguration.class))
			.withUserConfiguration(CustomizedPoolConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(JobPoolMetricsRegistrar.class)
				.doesNotHaveBean(JobPoolBuilderCustomizer.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobPoolMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(PlainPoolConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(JobPoolMetricsRegistrar.class));
	}

	private static double successes(MeterRegistry registry, String pool) {
		return registry.get("jobpool.job.duration").tags("pool", pool, "outcome", "success").functionTimer().count();
	}

	private static void settle(CompletableFuture<?>... futures) {
		CompletableFuture.allOf(List.of(futures)
			.stream()
			.map((future) -> future.handle((result, ex) -> result))
			.toArray(CompletableFuture[]::new)).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
	}

	static JobPool startedPool(String name, ObjectProvider<JobPoolBuilderCustomizer> customizers) {
		JobPoolBuilder builder = JobPool.builder().name(name).workerNum(2).queueSize(10).processor(String.class,
				() -> (job) -> {
					if (job.data().equals("fail")) {
						throw new IllegalStateException("fail");
					}
				});
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		JobPool pool = builder.build();
		pool.start();
		return pool;
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizedPoolConfiguration {

		@Bean
		JobPool jobPool(ObjectProvider<JobPoolBuilderCustomizer> customizers) {
			return startedPool("orders", customizers);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnstartedCustomizedPoolConfiguration {

		@Bean
		JobPool jobPool(ObjectProvider<JobPoolBuilderCustomizer> customizers) {
			JobPoolBuilder builder = JobPool.builder().name("orders").workerNum(2).queueSize(10).processor(String.class,
					() -> (job) -> {
					});
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPoolsConfiguration {

		@Bean
		JobPool orders(ObjectProvider<JobPoolBuilderCustomizer> customizers) {
			return startedPool("orders", customizers);
		}

		@Bean
		JobPool invoices(ObjectProvider<JobPoolBuilderCustomizer> customizers) {
			return startedPool("invoices", customizers);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainPoolConfiguration {

		@Bean
		JobPool jobPool() {
			JobPool pool = JobPool.builder()
				.name("plain")
				.queueSize(10)
				.processor(String.class, () -> (job) -> {
				})
				.build();
			pool.start();
			return pool;
		}

	}

	@JobHandler
	static class EchoHandler implements JobProcessor<String> {

		@Override
		public void process(Job<String> job) {
		}

	}

}
