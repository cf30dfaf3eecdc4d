package io.jobpool.autoconfigure.lanes;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.spring.JobHandler;
import io.jobpool.spring.JobPools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for handlers declared as {@code @Bean} methods: lambdas and method references, singletons and prototypes.
 */
@ExtendWith(OutputCaptureExtension.class)
class BeanMethodHandlersTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("pool.init-pool-num=2", "pool.worker-num=3", "pool.pools.pongs.worker-num=4");

	@Test
	void aSingletonLambdaHandlerRunsItsPayloadType() {
		this.contextRunner.run((context) -> {
			context.getBean(JobPool.class).submit(new Ping("hello")).get();
			assertThat(context.getBean(Handlers.class).pings).containsExactly("hello");
		});
	}

	@Test
	void aMethodReferenceHandlerRunsItsPayloadType() {
		this.contextRunner.run((context) -> {
			context.getBean(JobPool.class).submit(new Pang(7)).get();
			assertThat(context.getBean(Handlers.class).pangs).containsExactly(7);
		});
	}

	@Test
	void aPrototypeLambdaHandlerInALaneIsOneInstancePerWorker() {
		this.contextRunner.run((context) -> {
			JobPools pools = context.getBean(JobPools.class);
			for (int i = 0; i < 50; i++) {
				pools.submit(new Pong(i)).get();
			}
			Handlers handlers = context.getBean(Handlers.class);
			assertThat(pools.poolFor(Pong.class).name()).isEqualTo("pongs");
			assertThat(handlers.pongInstances).hasValue(2 * 4);
			assertThat(handlers.pongInstancesSeen).hasSizeBetween(1, 2 * 4);
		});
	}

	@Test
	void aJobProcessorBeanWithoutJobHandlerIsNamedAtStartUp(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(Unannotated.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("JobProcessor beans without @JobHandler are not registered with any pool: "
					+ "bean 'forgotten'")
				.contains("Annotate each with @JobHandler (on its class or its @Bean method)");
		});
	}

	@Test
	void annotatedHandlersAreNotNamedAsUnannotated(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("JobProcessor beans without @JobHandler");
		});
	}

	record Ping(String text) {
	}

	record Pong(int number) {
	}

	record Pang(int number) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<String> pings = new CopyOnWriteArrayList<>();

		final List<Integer> pangs = new CopyOnWriteArrayList<>();

		final AtomicInteger pongInstances = new AtomicInteger();

		final Set<Object> pongInstancesSeen = ConcurrentHashMap.newKeySet();

		@Bean
		@JobHandler
		JobProcessor<Ping> pingHandler() {
			return (job) -> this.pings.add(job.data().text());
		}

		@Bean
		@JobHandler(pool = "pongs")
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		JobProcessor<Pong> pongHandler() {
			this.pongInstances.incrementAndGet();
			Object instance = new Object();
			return (job) -> this.pongInstancesSeen.add(instance);
		}

		@Bean
		@JobHandler
		JobProcessor<Pang> pangHandler() {
			return this::pang;
		}

		private void pang(Job<Pang> job) {
			this.pangs.add(job.data().number());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Unannotated {

		@Bean
		JobProcessor<String> forgotten() {
			return (job) -> {
			};
		}

	}

}
