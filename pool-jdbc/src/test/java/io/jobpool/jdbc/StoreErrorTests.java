package io.jobpool.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import io.jobpool.JobRejectedException;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.test.FaultyDatabase;
import io.jobpool.jdbc.test.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the database refuses to store does not leave a job running forever: an end it cannot record, an error text
 * it cannot hold, and a payload it cannot hold, which is refused at submit.
 */
class StoreErrorTests {

	private static final Duration LEASE = Duration.ofSeconds(1);

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final FaultyDatabase database = FaultyDatabase.get();

	private final String name = TestDatabase.uniqueName("store-error");

	private final String trigger = this.name.replace('-', '_') + "_refuses_delete";

	private final List<Object> ran = new CopyOnWriteArrayList<>();

	private @Nullable JdbcJobPool pool;

	record Note(String text) {
	}

	@AfterEach
	void stop() {
		if (this.pool != null) {
			this.pool.close(Duration.ofSeconds(10));
		}
		database.jdbc().execute("DROP TRIGGER IF EXISTS " + this.trigger + " ON jobpool_job");
	}

	@Test
	void aJobWhoseSuccessCannotBeRecordedIsNoLongerRenewedAndIsSetAsideAfterThreeLeaseExpiries() {
		database.jdbc()
			.execute("CREATE OR REPLACE FUNCTION jobpool_test_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$"
					+ " BEGIN RAISE EXCEPTION 'the test refuses to delete job %', OLD.id; END $$");
		database.jdbc()
			.execute("CREATE TRIGGER " + this.trigger + " BEFORE DELETE ON jobpool_job FOR EACH ROW WHEN (OLD.pool = '"
					+ this.name + "' AND OLD.payload->>'text' = '42') EXECUTE FUNCTION jobpool_test_refuse_delete()");
		JdbcJobPool pool = start(RetryPolicy.NONE, (job) -> this.ran.add(job.data()));
		JobFuture future = pool.submit(new Note("42"));

		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(row(future.jobId()))
				.as("the row of job 42, whose delete the database refuses")
				.containsEntry("state", "dead"));
		assertThat(row(future.jobId())).containsEntry("expiries", 3);
		assertThat(auditedExpiries(future.jobId())).isEqualTo(3);
		assertThat(future).failsWithin(BOUND)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(DeadJobException.class);
		assertThat(this.ran).as("runs of job 42, each claim of it").hasSize(3);
	}

	@Test
	void aProcessorErrorWhoseMessageHoldsANulIsRecordedVisiblyOnEveryAttempt() {
		JdbcJobPool pool = start(RetryPolicy.maxAttempts(2).withBackoff(Duration.ofMillis(50), 1.0, Duration.ofMillis(50), 0.0),
				(job) -> {
					this.ran.add(job.data());
					throw new IllegalStateException("bad\u0000text");
				});
		JobFuture future = pool.submit(new Note("nul"));

		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(row(future.jobId()))
				.as("the row of the job whose error holds a NUL, out of attempts")
				.containsEntry("state", "dead"));
		assertThat(this.ran).as("runs: the first retried, the second the last").hasSize(2);
		assertThat(row(future.jobId())).containsEntry("failures", 2);
		assertThat((String) row(future.jobId()).get("last_error")).as("the stored error")
			.doesNotContain("\u0000")
			.containsPattern("IllegalStateException: bad\\S+text");
		assertThat(future).failsWithin(BOUND)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("bad\u0000text");
		assertThat(database.rows(this.name, "running")).isZero();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unstorableStrings")
	void aPayloadWithAStringTheDatabaseCannotHoldIsRefusedAtSubmit(String what, String text, List<String> named) {
		JdbcJobPool pool = start(RetryPolicy.NONE, (job) -> this.ran.add(job.data()));
		assertThatExceptionOfType(JobRejectedException.class).as("submitting a payload with %s", what)
			.isThrownBy(() -> pool.submit(new Note(text)))
			.satisfies((rejected) -> {
				assertThat(rejected.reason()).isEqualTo(JobRejectedException.Reason.INVALID_PAYLOAD);
				assertThat(rejected.getMessage()).as("the rejection's message")
					.matches((message) -> named.stream().anyMatch(message::contains), "names one of " + named);
			});
		assertThat(database.rows(this.name)).as("rows stored").isZero();
		assertThat(pool.stats().rejected()).isOne();
	}

	static Stream<Arguments> unstorableStrings() {
		return Stream.of(Arguments.of("a NUL character", "bad\u0000text", List.of("\\u0000", "U+0000", "NUL")),
				Arguments.of("a lone surrogate", "bad\uD800text", List.of("surrogate", "\\uD800", "\\ud800", "U+D800")));
	}

	@Test
	void aPayloadWithASurrogatePairIsStoredAndReadBackExactly() {
		String text = "ok \uD83D\uDE00 \uD834\uDD1E";
		JdbcJobPool pool = start(RetryPolicy.NONE, (job) -> this.ran.add(job.data()));
		pool.pause();
		JobFuture future = pool.submit(new Note(text));
		assertThat(database.jdbc()
			.queryForObject("SELECT payload->>'text' FROM jobpool_job WHERE id = ?", String.class, future.jobId()))
			.isEqualTo(text);
		pool.resume();
		assertThat(future).succeedsWithin(BOUND);
		assertThat(this.ran).containsExactly(new Note(text));
	}

	private JdbcJobPool start(RetryPolicy retry, JobProcessor<Note> processor) {
		this.pool = JdbcJobPool.builder(database.dataSource(this.name, 10, Duration.ofSeconds(2)))
			.lease(LEASE)
			.pollInterval(Duration.ofMillis(50))
			.build(JobPool.builder().name(this.name).workerNum(2).retry(retry).processor(Note.class, () -> processor));
		this.pool.start();
		return this.pool;
	}

	private Map<String, Object> row(long id) {
		List<Map<String, Object>> rows = database.jdbc()
			.queryForList("SELECT state, attempt, failures, expiries, lease_until, now() AS now, last_error"
					+ " FROM jobpool_job WHERE id = ?", id);
		return rows.isEmpty() ? Map.of("state", "deleted") : rows.get(0);
	}

	private int auditedExpiries(long id) {
		return database.jdbc()
			.queryForObject("SELECT count(*) FROM jobpool_audit_expiry WHERE id = ?", Integer.class, id);
	}

}
