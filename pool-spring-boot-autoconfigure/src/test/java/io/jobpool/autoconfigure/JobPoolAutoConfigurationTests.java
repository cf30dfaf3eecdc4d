package io.jobpool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.autoconfigure.TestHandlers.Greeting;
import io.jobpool.autoconfigure.TestHandlers.GreetingHandler;
import io.jobpool.autoconfigure.TestHandlers.Invoice;
import io.jobpool.autoconfigure.TestHandlers.PrototypeInvoiceHandler;
import io.jobpool.autoconfigure.TestHandlers.RendezvousHandler;
import io.jobpool.autoconfigure.TestHandlers.SingletonInvoiceHandler;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobPoolAutoConfiguration}.
 */
class JobPoolAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class));

	@Test
	void poolShouldHaveGoLibraryDefaults() {
		this.contextRunner.withBean(GreetingHandler.class).run((context) -> {
			assertThat(context).hasSingleBean(JobPool.class).hasSingleBean(JobPoolLifecycle.class);
			JobPool pool = context.getBean(JobPool.class);
			assertThat(pool.name()).isEqualTo("jobpool");
			assertThat(pool.figures().dispatchers()).isOne();
			assertThat(pool.figures().maxDispatchers()).isOne();
			assertThat(pool.figures().workersPerDispatcher()).isEqualTo(50);
			assertThat(pool.figures().queueCapacity()).isEqualTo(1000);
			assertThat(pool.isRunning()).isTrue();
		});
	}

	@Test
	void propertiesShouldHaveDocumentedDefaults() {
		this.contextRunner.withBean(GreetingHandler.class).run((context) -> {
			PoolProperties properties = context.getBean(PoolProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getName()).isEqualTo("jobpool");
			assertThat(properties.getInitPoolNum()).isOne();
			assertThat(properties.getMaxPoolNum()).isNull();
			assertThat(properties.getWorkerNum()).isEqualTo(50);
			assertThat(properties.getQueueSize()).isEqualTo(1000);
			assertThat(properties.getJobTimeout()).isNull();
			assertThat(properties.getThreadNamePrefix()).isNull();
			assertThat(properties.isVirtualThreads()).isFalse();
			assertThat(properties.getAutoscale().isEnabled()).isFalse();
			assertThat(properties.getAutoscale().getLoadFactor()).isEqualTo(0.75);
			assertThat(properties.getAutoscale().getPeriod()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getAutoscale().getSuccessThreshold()).isEqualTo(2);
			assertThat(properties.getRetry().getMaxAttempts()).isOne();
			assertThat(properties.getRetry().getInitialBackoff()).isEqualTo(Duration.ofMillis(100));
			assertThat(properties.getRetry().getMultiplier()).isEqualTo(2.0);
			assertThat(properties.getRetry().getMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getRetry().getJitter()).isEqualTo(0.5);
			assertThat(properties.getShutdown().getDrainPeriod()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void propertiesShouldBindAndShapeThePool() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withPropertyValues("pool.name=mail", "pool.init-pool-num=2", "pool.max-pool-num=4", "pool.worker-num=3",
					"pool.queue-size=20", "pool.job-timeout=5s", "pool.thread-name-prefix=mailer-",
					"pool.autoscale.enabled=true", "pool.autoscale.load-factor=0.5", "pool.autoscale.period=1m",
					"pool.autoscale.success-threshold=3", "pool.retry.max-attempts=4",
					"pool.retry.initial-backoff=50ms", "pool.retry.multiplier=1.5", "pool.retry.max-backoff=2s",
					"pool.retry.jitter=0.1", "pool.shutdown.drain-period=10s")
			.run((context) -> {
				PoolProperties properties = context.getBean(PoolProperties.class);
				assertThat(properties.getJobTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getAutoscale().isEnabled()).isTrue();
				assertThat(properties.getAutoscale().getLoadFactor()).isEqualTo(0.5);
				assertThat(properties.getAutoscale().getPeriod()).isEqualTo(Duration.ofMinutes(1));
				assertThat(properties.getAutoscale().getSuccessThreshold()).isEqualTo(3);
				assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(4);
				assertThat(properties.getRetry().getInitialBackoff()).isEqualTo(Duration.ofMillis(50));
				assertThat(properties.getRetry().getMultiplier()).isEqualTo(1.5);
				assertThat(properties.getRetry().getMaxBackoff()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getRetry().getJitter()).isEqualTo(0.1);
				assertThat(properties.getShutdown().getDrainPeriod()).isEqualTo(Duration.ofSeconds(10));
				JobPool pool = context.getBean(JobPool.class);
				assertThat(pool.name()).isEqualTo("mail");
				assertThat(pool.figures().dispatchers()).isEqualTo(2);
				assertThat(pool.figures().maxDispatchers()).isEqualTo(4);
				assertThat(pool.figures().workersPerDispatcher()).isEqualTo(3);
				assertThat(pool.figures().queueCapacity()).isEqualTo(20);
				pool.submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(GreetingHandler.class).threads).singleElement()
					.asString()
					.startsWith("mailer-");
			});
	}

	@Test
	void poolShouldRunJobsOnTheirJobHandler() {
		this.contextRunner.withBean(GreetingHandler.class).run((context) -> {
			context.getBean(JobPool.class).submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
			assertThat(context.getBean(GreetingHandler.class).greetings).containsExactly("hello");
		});
	}

	@Test
	void poolWhenUserDefinesOneShouldBackOffAndStillBeStartedAndStopped() {
		JobPool userPool = JobPool.builder().name("user").processor(Greeting.class, GreetingHandler::new).build();
		this.contextRunner.withBean(JobPool.class, () -> userPool).run((context) -> {
			assertThat(context).getBean(JobPool.class).isSameAs(userPool);
			assertThat(userPool.isRunning()).isTrue();
		});
		assertThat(userPool.isClosed()).isTrue();
	}

	@Test
	void poolWhenDisabledShouldNotBeCreated() {
		this.contextRunner.withBean(GreetingHandler.class).withPropertyValues("pool.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(JobPool.class)
				.doesNotHaveBean(JobPoolLifecycle.class)
				.doesNotHaveBean(PoolProperties.class);
		});
	}

	@Test
	void poolWhenCoreIsAbsentShouldNotBeCreated() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JobPool.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(JobPool.class).doesNotHaveBean(PoolProperties.class);
		});
	}

	@Test
	void contextPropagationWhenPresentShouldDecorateJobs() {
		this.contextRunner.withBean(GreetingHandler.class)
			.run((context) -> assertThat(context).hasSingleBean(ContextPropagatingJobDecorator.class));
	}

	@Test
	void contextPropagationWhenAbsentShouldBackOffAndLeaveThePool() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withClassLoader(new FilteredClassLoader(ContextSnapshotFactory.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ContextPropagatingJobDecorator.class)
				.hasSingleBean(JobPool.class));
	}

	@Test
	void poolShouldNotMakeApplicationTaskExecutorBackOff() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(JobPool.class);
				assertThat(context).hasBean("applicationTaskExecutor");
				assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(ThreadPoolTaskExecutor.class);
			});
	}

	@Test
	void customizersShouldBeAppliedInOrderAfterProperties() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withPropertyValues("pool.name=from-properties")
			.withUserConfiguration(CustomizersConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(CustomizersConfiguration.class).applied).containsExactly("first",
						"second");
				assertThat(context.getBean(JobPool.class).name()).isEqualTo("second");
			});
	}

	@Test
	void listenerBeansShouldHearJobs() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withUserConfiguration(ListenerConfiguration.class)
			.run((context) -> {
				context.getBean(JobPool.class).submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(ListenerConfiguration.class).succeeded).containsExactly("hello");
			});
	}

	@Test
	void jobDecoratorAndTaskDecoratorBeansShouldWrapJobs() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withUserConfiguration(DecoratorsConfiguration.class)
			.run((context) -> {
				context.getBean(JobPool.class).submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(DecoratorsConfiguration.class).decorated).containsExactly("job:Greeting",
						"task");
			});
	}

	@Test
	void prototypeHandlerShouldGiveEachWorkerItsOwnInstance() throws Exception {
		RendezvousHandler.reset(3);
		this.contextRunner.withBean(PrototypeInvoiceHandler.class)
			.withPropertyValues("pool.worker-num=3")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				List<CompletableFuture<Void>> futures = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					futures.add(pool.submit(new Invoice(i)));
				}
				for (CompletableFuture<Void> future : futures) {
					future.get(20, TimeUnit.SECONDS);
				}
				assertThat(RendezvousHandler.instanceByThread).hasSize(3);
				assertThat(RendezvousHandler.instanceByThread.values()).doesNotHaveDuplicates()
					.allSatisfy((instance) -> assertThat(instance).isInstanceOf(PrototypeInvoiceHandler.class));
			});
	}

	@Test
	void singletonHandlerShouldBeSharedByAllWorkers() throws Exception {
		RendezvousHandler.reset(3);
		this.contextRunner.withBean(SingletonInvoiceHandler.class)
			.withPropertyValues("pool.worker-num=3")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				List<CompletableFuture<Void>> futures = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					futures.add(pool.submit(new Invoice(i)));
				}
				for (CompletableFuture<Void> future : futures) {
					future.get(20, TimeUnit.SECONDS);
				}
				assertThat(RendezvousHandler.instanceByThread).hasSize(3);
				assertThat(RendezvousHandler.instanceByThread.values()).containsOnly(
						context.getBean(SingletonInvoiceHandler.class));
				assertThat(RendezvousHandler.created).hasValue(1);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		final List<String> applied = new ArrayList<>();

		@Bean
		@Order(2)
		JobPoolBuilderCustomizer second() {
			return (builder) -> {
				this.applied.add("second");
				builder.name("second");
			};
		}

		@Bean
		@Order(1)
		JobPoolBuilderCustomizer first() {
			return (builder) -> {
				this.applied.add("first");
				builder.name("first");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		@Bean
		JobListener recordingListener() {
			return new JobListener() {
				@Override
				public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
					ListenerConfiguration.this.succeeded.add(((Greeting) job.data()).text());
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DecoratorsConfiguration {

		final List<String> decorated = new CopyOnWriteArrayList<>();

		@Bean
		TaskDecorator recordingTaskDecorator() {
			return (runnable) -> () -> {
				this.decorated.add("task");
				runnable.run();
			};
		}

		@Bean
		JobDecorator recordingJobDecorator() {
			return (job, execution) -> () -> {
				this.decorated.add("job:" + job.data().getClass().getSimpleName());
				execution.run();
			};
		}

	}

}
