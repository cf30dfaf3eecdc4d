package io.jobpool.autoconfigure;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jobpool.JobPool;
import io.jobpool.autoconfigure.TestHandlers.Greeting;
import io.jobpool.autoconfigure.TestHandlers.GreetingHandler;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the submitter's context reaches the processor, through context-propagation or a
 * {@link TaskDecorator}.
 */
class ContextPropagationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
		.withBean(GreetingHandler.class)
		.withPropertyValues("pool.worker-num=1");

	@AfterEach
	void clearMdc() {
		MDC.clear();
	}

	@Test
	void mdcOfSubmitterShouldBeSeenByProcessorWithContextPropagation() {
		this.contextRunner.run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			MDC.put("requestId", "42");
			pool.submit(new Greeting("first")).get(10, TimeUnit.SECONDS);
			MDC.clear();
			pool.submit(new Greeting("second")).get(10, TimeUnit.SECONDS);
			assertThat(context.getBean(GreetingHandler.class).requestIds).containsExactly("42", "null");
		});
	}

	@Test
	void mdcOfSubmitterShouldBeSeenByProcessorThroughTaskDecorator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ContextSnapshotFactory.class))
			.withBean(TaskDecorator.class, () -> ContextPropagationTests::copyMdc)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ContextPropagatingJobDecorator.class);
				MDC.put("requestId", "7");
				context.getBean(JobPool.class).submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(GreetingHandler.class).requestIds).containsExactly("7");
			});
	}

	@Test
	void mdcOfSubmitterShouldNotReachProcessorWithoutPropagation() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ContextSnapshotFactory.class)).run((context) -> {
			MDC.put("requestId", "7");
			context.getBean(JobPool.class).submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
			assertThat(context.getBean(GreetingHandler.class).requestIds).containsExactly("null");
		});
	}

	private static Runnable copyMdc(Runnable runnable) {
		Map<String, String> submitted = MDC.getCopyOfContextMap();
		return () -> {
			Map<String, String> previous = MDC.getCopyOfContextMap();
			MDC.setContextMap((submitted != null) ? submitted : Map.of());
			try {
				runnable.run();
			}
			finally {
				MDC.setContextMap((previous != null) ? previous : Map.of());
			}
		};
	}

}
