package io.jobpool.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A payload whose deserializer throws anything at all, an {@link Error} included, is set aside as dead; the jobs
 * claimed with it run, and the pool goes on claiming.
 */
class PoisonPayloadFaultTests {

	private static final Duration BOUND = Duration.ofSeconds(10);

	private final String name = TestDatabase.uniqueName("poison-fault");

	private final List<Long> ran = new CopyOnWriteArrayList<>();

	private @Nullable JdbcJobPool pool;

	record Parcel(long id, boolean poison) {
	}

	@AfterEach
	void stop() {
		if (this.pool != null) {
			this.pool.close(Duration.ofSeconds(10));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("deserializerFailures")
	void aPayloadWhoseDeserializerThrowsIsSetAsideAndTheJobsClaimedWithItRun(String what, Supplier<Throwable> failure)
			throws Exception {
		JdbcJobPool pool = start(failure);
		pool.pause();
		JobFuture first = pool.submit(new Parcel(1, false));
		JobFuture poison = pool.submit(new Parcel(2, true));
		JobFuture third = pool.submit(new Parcel(3, false));
		// Resumed with four free workers, the pool claims the three in one round trip.
		pool.resume();

		// A pool thread killed by what the deserializer threw shows here as jobs that never ran.
		await().atMost(BOUND)
			.dontCatchUncaughtExceptions()
			.untilAsserted(() -> assertThat(this.ran).as("the good jobs claimed with the poison one")
				.containsExactlyInAnyOrder(1L, 3L));
		assertThat(first).succeedsWithin(BOUND);
		assertThat(third).succeedsWithin(BOUND);
		assertThat(poison).failsWithin(BOUND)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(DeadJobException.class);
		Map<String, Object> row = TestDatabase.get()
			.jdbc()
			.queryForMap("SELECT state, last_error FROM jobpool_job WHERE id = ?", poison.jobId());
		assertThat(row).containsEntry("state", "dead");
		assertThat((String) row.get("last_error")).as("the reason stored with the poison job")
			.contains(failure.get().getClass().getSimpleName())
			.contains(String.valueOf(failure.get().getMessage()));

		assertThat(pool.submit(new Parcel(4, false))).as("a job submitted after the poison one").succeedsWithin(BOUND);
		assertThat(pool.state()).isEqualTo(JobPool.State.RUNNING);
	}

	static Stream<Arguments> deserializerFailures() {
		return Stream.of(
				Arguments.of("IllegalStateException",
						(Supplier<Throwable>) () -> new IllegalStateException("poisoned parcel")),
				Arguments.of("Error", (Supplier<Throwable>) () -> new Error("boom")),
				Arguments.of("StackOverflowError", (Supplier<Throwable>) () -> new StackOverflowError("too deep")));
	}

	private JdbcJobPool start(Supplier<Throwable> failure) {
		SimpleModule poisonous = new SimpleModule().addDeserializer(Parcel.class, new ValueDeserializer<Parcel>() {

			@Override
			public Parcel deserialize(JsonParser parser, DeserializationContext context) {
				JsonNode node = context.readTree(parser);
				if (node.path("poison").asBoolean()) {
					Throwable thrown = failure.get();
					if (thrown instanceof Error error) {
						throw error;
					}
					throw (RuntimeException) thrown;
				}
				return new Parcel(node.path("id").asLong(), false);
			}

		});
		this.pool = TestPools.builder(TestDatabase.get().dataSource())
			.jsonMapper(JsonMapper.builder().addModule(poisonous).build())
			.build(JobPool.builder()
				.name(this.name)
				.workerNum(4)
				.processor(Parcel.class, () -> (job) -> this.ran.add(job.data().id())));
		this.pool.start();
		return this.pool;
	}

}
