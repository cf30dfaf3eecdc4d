package io.jobpool.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each job runs in an observation that continues the submitter's.
 */
class ObservationJobDecoratorTests {

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final Queue<Observation.Context> stopped = new ConcurrentLinkedQueue<>();

	private final Queue<Observation> currentInProcessor = new ConcurrentLinkedQueue<>();

	private JobPool pool;

	ObservationJobDecoratorTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				ObservationJobDecoratorTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	@AfterEach
	void stopPool() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

	@Test
	void aJobRunsInAnObservationWhoseParentIsTheSubmittersObservation() throws Exception {
		this.pool = start(JobPool.builder());
		Observation request = Observation.start("request", this.registry);
		try (Observation.Scope scope = request.openScope()) {
			this.pool.submit("ok").get(10, TimeUnit.SECONDS);
		}
		request.stop();
		Observation.Context job = jobContext();
		assertThat(job.getParentObservation()).isSameAs(request);
		assertThat(job.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
		assertThat(job.getLowCardinalityKeyValue("job.type").getValue()).isEqualTo("String");
		assertThat(job.getLowCardinalityKeyValue("pool").getValue()).isEqualTo("traced");
		assertThat(job.getHighCardinalityKeyValue("job.attempt").getValue()).isEqualTo("1");
		assertThat(job.getError()).isNull();
		assertThat(this.currentInProcessor).singleElement()
			.satisfies((current) -> assertThat(current.getContext()).isSameAs(job));
	}

	@Test
	void oneDecoratorInstalledInTwoPoolsTagsEachJobWithItsOwnPool() throws Exception {
		ObservationJobDecorator decorator = new ObservationJobDecorator(this.registry);
		this.pool = decorator.install(JobPool.builder().name("first").processor(String.class, () -> (job) -> {
		})).build();
		JobPool second = decorator.install(JobPool.builder().name("second").processor(Integer.class, () -> (job) -> {
		})).build();
		this.pool.start();
		second.start();
		try {
			this.pool.submit("text").get(10, TimeUnit.SECONDS);
			second.submit(42).get(10, TimeUnit.SECONDS);
		}
		finally {
			second.shutdownNow();
		}
		assertThat(this.stopped).filteredOn((c) -> c.getName().equals(ObservationJobDecorator.OBSERVATION_NAME))
			.extracting((c) -> c.getLowCardinalityKeyValue("pool").getValue(),
					(c) -> c.getLowCardinalityKeyValue("job.type").getValue())
			.containsExactlyInAnyOrder(tuple("first", "String"), tuple("second", "Integer"));
	}

	@Test
	void aJobDecoratedWithoutItsPoolHasNoPoolKey() {
		ObservationJobDecorator decorator = new ObservationJobDecorator(this.registry);
		Job<String> job = Job.of("text");
		decorator.decorate(job, () -> {
		}).run();
		decorator.onSucceeded(job, 0, 0);
		Observation.Context context = jobContext();
		assertThat(context.getLowCardinalityKeyValue("pool")).isNull();
		assertThat(context.getLowCardinalityKeyValue("job.type").getValue()).isEqualTo("String");
	}

	@Test
	void aJobSubmittedOutsideAnyObservationHasNoParent() throws Exception {
		this.pool = start(JobPool.builder());
		this.pool.submit("ok").get(10, TimeUnit.SECONDS);
		assertThat(jobContext().getParentObservation()).isNull();
	}

	@Test
	void aFailedJobRecordsItsErrorAndEachAttemptIsObserved() {
		this.pool = start(JobPool.builder()
			.retry(io.jobpool.RetryPolicy.maxAttempts(2)
				.withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0)));
		this.pool.submit("fail").handle((v, ex) -> v).orTimeout(10, TimeUnit.SECONDS).join();
		List<Observation.Context> jobs = this.stopped.stream()
			.filter((c) -> c.getName().equals(ObservationJobDecorator.OBSERVATION_NAME))
			.toList();
		assertThat(jobs).hasSize(2).allSatisfy((job) -> {
			assertThat(job.getError()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
			assertThat(job.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
		});
		assertThat(jobs).extracting((job) -> job.getHighCardinalityKeyValue("job.attempt").getValue())
			.containsExactlyInAnyOrder("1", "2");
	}

	@Test
	void aTimedOutJobHasTheTimeoutOutcome() {
		this.pool = start(JobPool.builder().jobTimeout(Duration.ofMillis(100)));
		this.pool.submit("hang").handle((v, ex) -> v).orTimeout(10, TimeUnit.SECONDS).join();
		assertThat(jobContext().getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("timeout");
	}

	private Observation.Context jobContext() {
		return this.stopped.stream()
			.filter((c) -> c.getName().equals(ObservationJobDecorator.OBSERVATION_NAME))
			.reduce((a, b) -> {
				throw new AssertionError("More than one job observation: " + a + ", " + b);
			})
			.orElseThrow(() -> new AssertionError("No job observation was stopped"));
	}

	private JobPool start(JobPoolBuilder builder) {
		builder.name("traced").workerNum(1).processor(String.class, () -> (job) -> {
			this.currentInProcessor.add(this.registry.getCurrentObservation());
			switch (job.data()) {
				case "fail" -> throw new IllegalStateException("boom");
				case "hang" -> new CountDownLatch(1).await();
				default -> {
				}
			}
		});
		JobPool pool = new ObservationJobDecorator(this.registry).install(builder).build();
		pool.start();
		return pool;
	}

}
