package io.jobpool.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Payloads are JSON under registered type names: nothing else is read back, and what cannot be read is set aside.
 */
class PayloadTests {

	@JobType("invoice-due")
	record Invoice(String customer, int cents) {
	}

	record Reminder(String text) {
	}

	static class Unregistered {
	}

	private final String name = TestDatabase.uniqueName("payload");

	private final List<Object> ran = new CopyOnWriteArrayList<>();

	private JdbcJobPool start() {
		return TestPools.start(TestDatabase.get().dataSource(), JobPool.builder()
			.name(this.name)
			.processor(Invoice.class, () -> (job) -> this.ran.add(job.data()))
			.processor(Reminder.class, () -> (job) -> this.ran.add(job.data())));
	}

	@Test
	void payloadsAreStoredAsJsonUnderTheirTypeNames() throws Exception {
		JdbcJobPool pool = start();
		pool.pause();
		try {
			pool.submit(new Invoice("acme", 1250));
			pool.submit(new Reminder("pay"));
			await().atMost(Duration.ofSeconds(10)).until(() -> TestPools.rows(this.name) == 2);
			List<Map<String, Object>> rows = TestDatabase.get()
				.jdbc()
				.queryForList("SELECT type, payload::text AS payload FROM jobpool_job WHERE pool = ? ORDER BY id",
						this.name);
			assertThat(rows).extracting((row) -> row.get("type")).containsExactly("invoice-due", "Reminder");
			assertThat(rows.get(0).get("payload").toString()).contains("\"customer\": \"acme\"")
				.contains("\"cents\": 1250")
				.doesNotContain("PayloadTests");
			pool.resume();
			await().atMost(Duration.ofSeconds(30)).until(() -> this.ran.size() == 2);
			assertThat(this.ran).containsExactlyInAnyOrder(new Invoice("acme", 1250), new Reminder("pay"));
		}
		finally {
			pool.close(Duration.ofSeconds(10));
		}
	}

	@Test
	void aPoisonPayloadIsSetAsideAsDeadWithAClearErrorAndTheOthersRun() throws Exception {
		insert("invoice-due", "{\"customer\": \"acme\", \"cents\": \"twelve\"}");
		JdbcJobPool pool = start();
		try {
			pool.submit(new Invoice("good", 1)).get(30, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(30)).until(() -> TestPools.rows(this.name, "dead") == 1);
			assertThat(this.ran).containsExactly(new Invoice("good", 1));
			assertThat(pool.deadJobs(1)).singleElement().satisfies((dead) -> {
				assertThat(dead.type()).isEqualTo("invoice-due");
				assertThat(dead.payload()).contains("twelve");
				assertThat(dead.error()).contains("cannot be read as " + Invoice.class.getName())
					.contains("type 'invoice-due'")
					.contains("requeue");
			});
		}
		finally {
			pool.close(Duration.ofSeconds(10));
		}
	}

	@Test
	void aJobOfATypeNoProcessorHereTakesStaysQueuedForAPoolThatDoesAndIsReported() throws Exception {
		insert("io.evil.Gadget", "{}");
		JdbcJobPool pool = start();
		try {
			pool.submit(new Reminder("after")).get(30, TimeUnit.SECONDS);
			assertThat(pool.unknownTypes()).containsExactly(Map.entry("io.evil.Gadget", 1L));
			assertThat(TestPools.rows(this.name, "ready")).isOne();
		}
		finally {
			pool.close(Duration.ofSeconds(10));
		}
		assertThat(this.ran).containsExactly(new Reminder("after"));
	}

	@Test
	void submittingAnUnregisteredTypeIsRejected() {
		JdbcJobPool pool = start();
		try {
			assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit(new Unregistered()))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.NO_PROCESSOR))
				.withMessageContaining(Unregistered.class.getName())
				.withMessageContaining("invoice-due");
		}
		finally {
			pool.close(Duration.ofSeconds(10));
		}
	}

	@Test
	void twoTypesUnderOneNameFailTheBuildNamingBoth() {
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> TestPools.builder(TestDatabase.get().dataSource())
				.type(Reminder.class, "invoice-due")
				.build(JobPool.builder()
					.processor(Invoice.class, () -> (job) -> {
					})
					.processor(Reminder.class, () -> (job) -> {
					})))
			.withMessageContaining("jdbc.type")
			.withMessageContaining(Invoice.class.getName())
			.withMessageContaining(Reminder.class.getName())
			.withMessageContaining("@JobType");
	}

	private void insert(String type, String payload) {
		TestDatabase.get()
			.jdbc()
			.update("INSERT INTO jobpool_job (pool, type, payload) VALUES (?, ?, ?::jsonb)", this.name, type, payload);
	}

}
