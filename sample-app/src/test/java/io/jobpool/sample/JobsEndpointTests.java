package io.jobpool.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobpool.JobPool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /jobs} and {@code GET /jobs} over HTTP: accepted jobs run, bad ones get 400, a full queue gets 503.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pool.init-pool-num=1", "pool.worker-num=2", "pool.queue-size=4", "sample.work-delay=10ms",
				"sample.retry-after=2s", "logging.level.io.jobpool.sample=warn" })
@AutoConfigureRestTestClient
class JobsEndpointTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private RestTestClient client;

	@Autowired
	private JobPool pool;

	@Autowired
	@Qualifier("reports")
	private JobPool reports;

	@Autowired
	private JobLedger ledger;

	@Test
	void emailJobIsAcceptedWith202AndItsIdAndThenRun() {
		JobsController.JobAccepted accepted = post("{\"type\":\"email\",\"to\":\"ada@example.com\",\"subject\":\"Hi\"}");
		assertThat(accepted.type()).isEqualTo("email");
		assertThat(accepted.pool()).isEqualTo("jobpool");
		await().atMost(WAIT).until(() -> this.ledger.ranJobs().contains(JobLedger.key(accepted.type(), accepted.id())));
	}

	@Test
	void reportJobIsAcceptedWith202AndItsIdAndThenRun() {
		JobsController.JobAccepted accepted = post("{\"type\":\"report\",\"name\":\"sales\",\"pages\":3}");
		assertThat(accepted.type()).isEqualTo("report");
		assertThat(accepted.pool()).isEqualTo("reports");
		await().atMost(WAIT).until(() -> this.ledger.ranJobs().contains(JobLedger.key(accepted.type(), accepted.id())));
	}

	@Test
	void invalidFieldsAreAnsweredWith400NamingEachProblem() {
		postExpecting("{\"type\":\"email\",\"to\":\"nobody\"}", HttpStatus.BAD_REQUEST).jsonPath("$.title")
			.isEqualTo("Invalid job")
			.jsonPath("$.problems.length()")
			.isEqualTo(2)
			.jsonPath("$.problems[0]")
			.isEqualTo("'to' must be an e-mail address, like ada@example.com, but was 'nobody'")
			.jsonPath("$.problems[1]")
			.isEqualTo("'subject' is required");
		postExpecting("{\"type\":\"report\",\"name\":\"\",\"pages\":0}", HttpStatus.BAD_REQUEST).jsonPath("$.problems")
			.isEqualTo(List.of("'name' is required", "'pages' must be from 1 to 1000, but was 0"));
	}

	@Test
	void fullQueueIsAnsweredWith503AndRetryAfter() {
		List<String> accepted = new ArrayList<>();
		this.reports.pause();
		try {
			await().atMost(WAIT).until(() -> this.reports.activeWorkers() == 0);
			while (this.reports.queueDepth() < this.reports.figures().queueCapacity()) {
				accepted.add(key(post("{\"type\":\"report\",\"name\":\"filler\",\"pages\":1}")));
			}
			this.client.post()
				.uri("/jobs")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"type\":\"report\",\"name\":\"one too many\",\"pages\":1}")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader()
				.valueEquals(HttpHeaders.RETRY_AFTER, "2")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.reason")
				.isEqualTo("queue-full")
				.jsonPath("$.detail")
				.isEqualTo("The job queue is full; retry after 2 s.");
		}
		finally {
			this.reports.resume();
		}
		assertThat(accepted).isNotEmpty();
		await().atMost(WAIT).until(() -> this.ledger.ranJobs().containsAll(accepted));
	}

	@Test
	void eachEmailHandlerInstanceRunsOnItsOwnWorkerWhileTheReportHandlerIsShared() {
		List<String> accepted = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			accepted.add(key(post("{\"type\":\"email\",\"to\":\"user" + i + "@example.com\",\"subject\":\"Hi\"}")));
			accepted.add(key(post("{\"type\":\"report\",\"name\":\"r" + i + "\",\"pages\":2}")));
		}
		await().atMost(WAIT).until(() -> this.ledger.ranJobs().containsAll(accepted));
		JobLedger.Summary summary = this.client.get()
			.uri("/jobs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JobLedger.Summary.class)
			.returnResult()
			.getResponseBody();
		assertThat(summary).isNotNull();
		assertThat(summary.ran()).isGreaterThanOrEqualTo(accepted.size());
		Set<String> emailThreads = new HashSet<>();
		for (Map.Entry<String, JobLedger.HandlerSummary> handler : summary.handlers().entrySet()) {
			if (handler.getKey().startsWith("email-handler-")) {
				assertThat(handler.getValue().threads()).as(handler.getKey()).hasSize(1);
				assertThat(emailThreads.add(handler.getValue().threads().first())).as(handler.getKey()).isTrue();
			}
		}
		assertThat(emailThreads).isNotEmpty().hasSizeLessThanOrEqualTo(this.pool.figures().workers());
		assertThat(summary.handlers()).containsKey("report-handler");
	}

	private static String key(JobsController.JobAccepted accepted) {
		return JobLedger.key(accepted.type(), accepted.id());
	}

	private JobsController.JobAccepted post(String json) {
		JobsController.JobAccepted accepted = this.client.post()
			.uri("/jobs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JobsController.JobAccepted.class)
			.returnResult()
			.getResponseBody();
		assertThat(accepted).isNotNull();
		return accepted;
	}

	private RestTestClient.BodyContentSpec postExpecting(String json, HttpStatus status) {
		return this.client.post()
			.uri("/jobs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody();
	}

}
