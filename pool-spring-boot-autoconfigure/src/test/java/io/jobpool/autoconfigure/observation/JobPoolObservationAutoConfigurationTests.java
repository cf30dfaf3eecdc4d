package io.jobpool.autoconfigure.observation;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.JobProcessor;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.micrometer.ObservationJobDecorator;
import io.jobpool.spring.JobHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobPoolObservationAutoConfiguration}.
 */
class JobPoolObservationAutoConfigurationTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolObservationAutoConfiguration.class));

	@Test
	void aJobRunsInAnObservationWhoseParentIsTheSubmittersObservation() {
		this.contextRunner.withBean(ObservationRegistry.class, () -> this.registry)
			.withUserConfiguration(PoolConfiguration.class)
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				Observation request = Observation.start("http.server.requests", this.registry);
				try (Observation.Scope scope = request.openScope()) {
					pool.submit("hello").get(10, TimeUnit.SECONDS);
				}
				request.stop();
				assertThat(this.registry).hasObservationWithNameEqualTo(ObservationJobDecorator.OBSERVATION_NAME)
					.that()
					.hasParentObservationEqualTo(request)
					.hasBeenStarted()
					.hasBeenStopped()
					.hasLowCardinalityKeyValue("outcome", "success")
					.hasLowCardinalityKeyValue("pool", "traced")
					.hasLowCardinalityKeyValue("job.type", "String");
			});
	}

	@Test
	void theMetersOfTheJobObservationsOfTheAutoConfiguredPoolAreTaggedWithThePoolAndTheShortType() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		this.contextRunner.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> observations)
			.withBean(RecordingHandler.class, () -> new RecordingHandler(observations, new ConcurrentLinkedQueue<>()))
			.withPropertyValues("pool.name=reports", "pool.worker-num=1")
			.run((context) -> {
				context.getBean(JobPool.class).submit("render").get(10, TimeUnit.SECONDS);
				assertThat(meters.get("jobpool.job")
					.tags("pool", "reports", "job.type", "String", "outcome", "success")
					.timer()
					.count()).isEqualTo(1);
				assertThat(meters.get("jobpool.job.active").tags("pool", "reports", "job.type", "String")
					.longTaskTimer()
					.activeTasks()).isZero();
			});
	}

	@Test
	void theProcessorOfTheAutoConfiguredPoolSeesTheJobObservationAsCurrent() {
		Queue<Observation> seen = new ConcurrentLinkedQueue<>();
		this.contextRunner.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> this.registry)
			.withBean(RecordingHandler.class, () -> new RecordingHandler(this.registry, seen))
			.withPropertyValues("pool.worker-num=1")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				Observation request = Observation.start("http.server.requests", this.registry);
				try (Observation.Scope scope = request.openScope()) {
					pool.submit("hello").get(10, TimeUnit.SECONDS);
				}
				request.stop();
				assertThat(this.registry).hasObservationWithNameEqualTo(ObservationJobDecorator.OBSERVATION_NAME)
					.that()
					.hasParentObservationEqualTo(request);
				assertThat(seen).singleElement()
					.satisfies((current) -> assertThat(current.getContext().getName())
						.isEqualTo(ObservationJobDecorator.OBSERVATION_NAME));
			});
	}

	@Test
	void backsOffWhenTheUserDefinesTheDecorator() {
		ObservationJobDecorator own = new ObservationJobDecorator(this.registry);
		this.contextRunner.withBean(ObservationRegistry.class, () -> this.registry)
			.withBean("own", ObservationJobDecorator.class, () -> own)
			.run((context) -> assertThat(context).getBean(ObservationJobDecorator.class).isSameAs(own));
	}

	@Test
	void backsOffWithoutAnObservationRegistry() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationJobDecorator.class));
	}

	@Test
	void backsOffWithoutMicrometerObservation() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.withBean(ObservationRegistry.class, () -> this.registry)
			.withUserConfiguration(PoolConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationJobDecorator.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class PoolConfiguration {

		@Bean
		JobPool jobPool(ObjectProvider<JobDecorator> decorators, ObjectProvider<JobListener> listeners) {
			JobPoolBuilder builder = JobPool.builder().name("traced").workerNum(1).processor(String.class,
					() -> (job) -> {
					});
			decorators.orderedStream().forEach(builder::decorator);
			listeners.orderedStream().forEach(builder::listener);
			JobPool pool = builder.build();
			pool.start();
			return pool;
		}

	}

	@JobHandler
	static class RecordingHandler implements JobProcessor<String> {

		private final ObservationRegistry registry;

		private final Queue<Observation> seen;

		RecordingHandler(ObservationRegistry registry, Queue<Observation> seen) {
			this.registry = registry;
			this.seen = seen;
		}

		@Override
		public void process(Job<String> job) {
			Observation current = this.registry.getCurrentObservation();
			if (current != null) {
				this.seen.add(current);
			}
		}

	}

}
