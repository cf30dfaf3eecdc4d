package io.jobpool.autoconfigure.jdbc;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.autoconfigure.jdbc.DurableTestSupport.Chore;
import io.jobpool.autoconfigure.jdbc.DurableTestSupport.ChoreHandler;
import io.jobpool.jdbc.JdbcJobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A durable pool over HTTP: a job that fails until it is dead shows in the {@code jobpool} endpoint, its health
 * and the {@code jobpool.jobs.dead} gauge, and runs again once requeued through the endpoint.
 */
@SpringBootTest(classes = JdbcJobPoolWebTests.DurableApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pool.store=jdbc", "pool.retry.max-attempts=2", "pool.retry.initial-backoff=10ms",
				"pool.retry.max-backoff=10ms", "pool.retry.jitter=0", "pool.jdbc.poll-interval=100ms",
				"pool.shutdown.drain-period=5s", "management.endpoints.web.exposure.include=jobpool,health,metrics",
				"management.endpoint.health.show-details=always" })
@AutoConfigureRestTestClient
@DirtiesContext
class JdbcJobPoolWebTests {

	private static final Duration WITHIN = Duration.ofSeconds(20);

	@DynamicPropertySource
	static void poolName(DynamicPropertyRegistry registry) {
		String name = TestDatabase.uniqueName("web");
		registry.add("pool.name", () -> name);
	}

	@Nested
	@TestPropertySource(properties = { "management.endpoint.jobpool.access=unrestricted",
			"management.endpoint.jobpool.show-payloads=always" })
	class WithUnrestrictedAccess {

		@Autowired
		private RestTestClient client;

		@Autowired
		private JdbcJobPool pool;

		@Autowired
		private ChoreHandler chores;

		@AfterEach
		void keepFailing() {
			this.chores.failing.set(true);
		}

		@Test
		void deadJobIsShownAndRunsAgainOnceRequeued() {
			JobFuture future = this.pool.submit(new Chore("sweep"));
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> future.get(WITHIN.toSeconds(), TimeUnit.SECONDS))
				.withMessageContaining("Chore 'sweep' failed");
			String pool = this.pool.name();
			await().atMost(WITHIN).until(() -> this.pool.deadJobCount() == 1);
			this.client.get()
				.uri("/actuator/jobpool/{name}/dead", pool)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.count")
				.isEqualTo(1)
				.jsonPath("$.jobs[0].id")
				.isEqualTo(future.jobId())
				.jsonPath("$.jobs[0].type")
				.isEqualTo("chore")
				.jsonPath("$.jobs[0].attempts")
				.isEqualTo(2)
				.jsonPath("$.jobs[0].error")
				.value(String.class, (error) -> assertThat(error).contains("Chore 'sweep' failed"));
			this.client.get()
				.uri("/actuator/jobpool/{name}", pool)
				.exchange()
				.expectBody()
				.jsonPath("$.deadJobs")
				.isEqualTo(1);
			this.client.get()
				.uri("/actuator/metrics/jobpool.jobs.dead?tag=pool:{name}", pool)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.measurements[0].value")
				.isEqualTo(1.0);
			this.client.get()
				.uri("/actuator/health/jobpool")
				.exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.details.deadJobs")
				.isEqualTo(1);
			this.chores.failing.set(false);
			this.client.post()
				.uri("/actuator/jobpool/{name}/dead/{id}", pool, future.jobId())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.requeued")
				.isEqualTo(1);
			await().atMost(WITHIN).until(() -> this.chores.runs.get("sweep") == 3 && this.pool.deadJobCount() == 0);
			assertThat(DurableTestSupport.storedJobs(pool)).isEmpty();
			this.client.post()
				.uri("/actuator/jobpool/{name}/dead/{id}", pool, future.jobId())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.requeued")
				.isEqualTo(0);
		}

		@Test
		void aDeadJobOfSeveralMegabytesIsListedWithItsPayloadAndErrorCut() {
			String name = "n".repeat(3 * 1024 * 1024);
			JobFuture future = this.pool.submit(new Chore(name));
			String pool = this.pool.name();
			await().atMost(WITHIN).until(() -> this.pool.deadJobCount() == 1);
			byte[] body = this.client.get()
				.uri("/actuator/jobpool/{name}/dead", pool)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.jobs[0].id")
				.isEqualTo(future.jobId())
				.jsonPath("$.jobs[0].payload")
				.value(String.class,
						(payload) -> assertThat(payload).startsWith("{\"name\": \"nnnn")
							.hasSizeLessThan(1100)
							.matches("(?s).*… \\(cut, \\d+ characters in all\\)"))
				.jsonPath("$.jobs[0].error")
				.value(String.class,
						(error) -> assertThat(error).contains("Chore 'nnnn").hasSizeLessThan(2100))
				.returnResult()
				.getResponseBody();
			assertThat(body).isNotNull();
			assertThat(body.length).isLessThan(10_000);
			this.chores.failing.set(false);
			this.client.post().uri("/actuator/jobpool/{name}/dead", pool).exchange().expectStatus().isOk();
			await().atMost(WITHIN).until(() -> DurableTestSupport.storedJobs(pool).isEmpty());
		}

		@Test
		void everyDeadJobIsRequeuedAtOnce() {
			this.pool.submit(new Chore("mop"));
			this.pool.submit(new Chore("dust"));
			await().atMost(WITHIN).until(() -> this.pool.deadJobCount() == 2);
			this.chores.failing.set(false);
			this.client.post()
				.uri("/actuator/jobpool/{name}/dead", this.pool.name())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.requeued")
				.isEqualTo(2);
			await().atMost(WITHIN).until(() -> DurableTestSupport.storedJobs(this.pool.name()).isEmpty());
			assertThat(this.chores.runs).containsEntry("mop", 3).containsEntry("dust", 3);
		}

	}

	@Nested
	class ByDefault {

		@Autowired
		private RestTestClient client;

		@Autowired
		private JobPool pool;

		@Test
		void listingDeadJobsIsAllowedAndRequeuingIsRefused() {
			String pool = this.pool.name();
			this.client.get()
				.uri("/actuator/jobpool/{name}/dead?limit=5", pool)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.count")
				.isEqualTo(0)
				.jsonPath("$.jobs")
				.isEmpty();
			this.client.post()
				.uri("/actuator/jobpool/{name}/dead", pool)
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		}

		@Test
		void badRequestsAreRefused() {
			String pool = this.pool.name();
			this.client.get().uri("/actuator/jobpool/{name}/alive", pool).exchange().expectStatus().isNotFound();
			this.client.get().uri("/actuator/jobpool/missing/dead").exchange().expectStatus().isNotFound();
			this.client.get()
				.uri("/actuator/jobpool/{name}/dead?limit=0", pool)
				.exchange()
				.expectStatus()
				.isBadRequest();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ChoreHandler.class)
	static class DurableApplication {

		@Bean
		DataSource dataSource() {
			return DurableTestSupport.sharedDataSource();
		}

	}

}
