package io.jobpool.autoconfigure.recurring;

import java.time.Duration;
import java.time.ZoneId;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.autoconfigure.recurring.RecurringBeans.ClockConfiguration;
import io.jobpool.autoconfigure.recurring.RecurringBeans.Digest;
import io.jobpool.autoconfigure.recurring.RecurringBeans.DigestHandler;
import io.jobpool.autoconfigure.recurring.RecurringBeans.DigestSchedules;
import io.jobpool.autoconfigure.recurring.RecurringBeans.Report;
import io.jobpool.autoconfigure.recurring.RecurringBeans.ReportHandler;
import io.jobpool.autoconfigure.recurring.RecurringBeans.ReportSchedules;
import io.jobpool.spring.JobPools;
import io.jobpool.test.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.BodyContentSpec;

import static io.jobpool.autoconfigure.recurring.RecurringBeans.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recurring and scheduled jobs over HTTP, on a clock the tests move: the {@code jobpool} endpoint lists each pool's
 * recurring jobs with their next and last slot and last outcome, and runs one now only for users granted
 * unrestricted access; health and metrics show the jobs waiting for their time.
 */
@SpringBootTest(classes = RecurringJobsWebTests.RecurringApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "pool.pools.reports.worker-num=1")
@AutoConfigureRestTestClient
class RecurringJobsWebTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Nested
	@TestPropertySource(properties = { "management.endpoints.web.exposure.include=jobpool,health",
			"management.endpoint.health.show-details=always", "pool.schedule-size=5" })
	class ByDefault {

		@Autowired
		private RestTestClient client;

		@Autowired
		private JobPools pools;

		@Autowired
		private TestClock clock;

		@Autowired
		private MeterRegistry meters;

		@Test
		void eachPoolListsItsRecurringJobsWithTheirNextSlotLastSlotAndLastOutcome() {
			read("/actuator/jobpool").jsonPath("$.pools.jobpool.recurring.length()")
				.isEqualTo(1)
				.jsonPath("$.pools.jobpool.recurring[0].name")
				.isEqualTo("minutely-digest")
				.jsonPath("$.pools.jobpool.recurring[0].nextSlot")
				.isEqualTo("2026-03-02T00:00:00Z")
				.jsonPath("$.pools.reports.recurring[0].name")
				.isEqualTo("hourly-report");
			this.clock.set(START.plusSeconds(30));
			await().atMost(WAIT).until(() -> this.pools.all()
				.stream()
				.allMatch((pool) -> "succeeded".equals(pool.recurringJobs().get(0).lastOutcome())));
			read("/actuator/jobpool/jobpool").jsonPath("$.recurring[0].nextSlot")
				.isEqualTo("2026-03-02T00:01:00Z")
				.jsonPath("$.recurring[0].lastSlot")
				.isEqualTo("2026-03-02T00:00:00Z")
				.jsonPath("$.recurring[0].lastOutcome")
				.isEqualTo("succeeded")
				.jsonPath("$.jobs.recurring")
				.isEqualTo(1);
			read("/actuator/jobpool/reports").jsonPath("$.recurring[0].nextSlot")
				.isEqualTo("2026-03-02T01:00:00Z")
				.jsonPath("$.recurring[0].lastSlot")
				.isEqualTo("2026-03-02T00:00:00Z")
				.jsonPath("$.recurring[0].lastOutcome")
				.isEqualTo("succeeded");
		}

		@Test
		void runningARecurringJobNowIsNotExposed() {
			JobPool pool = this.pools.defaultPool();
			long accepted = pool.stats().accepted();
			this.client.post()
				.uri("/actuator/jobpool/jobpool/recurring/minutely-digest")
				.exchange()
				.expectStatus()
				.isNotFound();
			assertThat(pool.stats().accepted()).isEqualTo(accepted);
		}

		@Test
		void healthAndMetricsShowJobsWaitingForTheirTimeAndTheScheduleCapacity() {
			JobPool pool = this.pools.defaultPool();
			JobFuture later = pool.schedule(new Digest(START.atZone(ZoneId.of("UTC"))), Duration.ofDays(1));
			try {
				read("/actuator/health/jobpool/jobpool").jsonPath("$.details.scheduled")
					.isEqualTo(1)
					.jsonPath("$.details.scheduleCapacity")
					.isEqualTo(5);
				read("/actuator/jobpool/jobpool").jsonPath("$.figures.scheduled")
					.isEqualTo(1)
					.jsonPath("$.configuration.scheduleCapacity")
					.isEqualTo(5);
				assertThat(this.meters.get("jobpool.schedule.depth").tag("pool", "jobpool").gauge().value()).isOne();
				assertThat(this.meters.get("jobpool.schedule.capacity").tag("pool", "jobpool").gauge().value())
					.isEqualTo(5);
				assertThat(this.meters.get("jobpool.jobs.scheduled").tag("pool", "jobpool").functionCounter().count())
					.isOne();
			}
			finally {
				later.cancel(false);
			}
			await().atMost(WAIT).until(() -> pool.figures().scheduled() == 0);
		}

		private BodyContentSpec read(String path) {
			return this.client.get().uri(path).exchange().expectStatus().isOk().expectBody();
		}

	}

	@Nested
	@TestPropertySource(properties = { "management.endpoints.web.exposure.include=jobpool",
			"management.endpoint.jobpool.access=unrestricted", "spring.web.error.include-message=always" })
	class WithUnrestrictedAccess {

		@Autowired
		private RestTestClient client;

		@Autowired
		private DigestHandler digests;

		@Autowired
		private ReportHandler reports;

		@Test
		void runningARecurringJobNowSubmitsThePayloadOfThePresentTime() {
			this.client.post()
				.uri("/actuator/jobpool/jobpool/recurring/minutely-digest")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.recurringJob")
				.isEqualTo("minutely-digest")
				.jsonPath("$.jobId")
				.isNumber();
			await().atMost(WAIT).until(() -> !this.digests.ran.isEmpty());
			assertThat(this.digests.ran).containsExactly(new Digest(START.atZone(ZoneId.of("Europe/Berlin"))));
			this.client.post()
				.uri("/actuator/jobpool/reports/recurring/hourly-report")
				.exchange()
				.expectStatus()
				.isOk();
			await().atMost(WAIT).until(() -> !this.reports.ran.isEmpty());
			assertThat(this.reports.ran).containsExactly(new Report("hourly", START));
		}

		@Test
		void runningARecurringJobThePoolDoesNotHaveIsABadRequest() {
			this.client.post()
				.uri("/actuator/jobpool/jobpool/recurring/hourly-report")
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("Pool 'jobpool' has no recurring job named 'hourly-report'; its recurring jobs are "
						+ "[minutely-digest]");
			this.client.post()
				.uri("/actuator/jobpool/nowhere/recurring/hourly-report")
				.exchange()
				.expectStatus()
				.isNoContent();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ClockConfiguration.class, DigestHandler.class, ReportHandler.class, DigestSchedules.class,
			ReportSchedules.class })
	static class RecurringApplication {

	}

}
