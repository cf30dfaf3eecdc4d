package io.jobpool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.JobPool;
import io.jobpool.JobPoolStats;
import io.jobpool.spring.JobPools;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.support.DependencyInjectionTestExecutionListener;
import org.springframework.test.context.support.DirtiesContextTestExecutionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole application under a flood over real HTTP: a small queue and slow handlers make it answer 503 while
 * the metrics show the pool full, and closing the context runs every job that was answered 202.
 * <p>
 * The test closes its own context, so it keeps only the listeners that inject it and remove it from the cache
 * afterwards: the default ones would reload or restart the closed context after the test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pool.init-pool-num=1", "pool.worker-num=" + FloodEndToEndTests.WORKERS, "pool.queue-size=4",
				"pool.pools.reports.worker-num=" + FloodEndToEndTests.REPORT_WORKERS, "pool.pools.reports.queue-size=4",
				"pool.shutdown.drain-period=20s", "sample.work-delay=100ms", "sample.submit-wait=20ms",
				"pool.recurring.nightly-sales-report.enabled=false", "logging.level.io.jobpool.sample=warn" })
@TestExecutionListeners({ DependencyInjectionTestExecutionListener.class, DirtiesContextTestExecutionListener.class })
@DirtiesContext
class FloodEndToEndTests {

	static final int WORKERS = 2;

	static final int REPORT_WORKERS = 1;

	private static final int CLIENTS = 16;

	private static final int MAX_REQUESTS_PER_CLIENT = 500;

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final Set<String> accepted = ConcurrentHashMap.newKeySet();

	private final AtomicInteger unavailable = new AtomicInteger();

	private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean flooding = new AtomicBoolean(true);

	@LocalServerPort
	private int port;

	@Autowired
	private ConfigurableApplicationContext context;

	@Autowired
	private JobPools pools;

	@Autowired
	private JobLedger ledger;

	@Autowired
	private JsonMapper json;

	@Test
	void floodIsAnswered503WhileMetricsShowTheLoadAndEveryJobAnswered202RunsBeforeShutdown() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> floods = new ArrayList<>();
		try {
			for (int client = 0; client < CLIENTS; client++) {
				int clientId = client;
				floods.add(clients.submit(() -> flood(clientId)));
			}
			await().atMost(WAIT).until(() -> this.unavailable.get() > 0 || !this.unexpected.isEmpty());
			assertThat(this.unexpected).isEmpty();
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(metric("jobpool.queue.depth", "jobpool")).isPositive();
				assertThat(metric("jobpool.workers.active", "jobpool")).isEqualTo(WORKERS);
				assertThat(metric("jobpool.queue.depth", "reports")).isPositive();
				assertThat(metric("jobpool.workers.active", "reports")).isEqualTo(REPORT_WORKERS);
			});
		}
		finally {
			this.flooding.set(false);
			clients.shutdown();
		}
		assertThat(clients.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		for (Future<?> flood : floods) {
			flood.get(0, TimeUnit.SECONDS);
		}
		assertThat(this.unexpected).isEmpty();
		assertThat(this.accepted).isNotEmpty();

		this.context.close();

		assertThat(this.pools.all()).allSatisfy((pool) -> assertThat(pool.isClosed()).isTrue());
		Set<String> ran = this.ledger.ranJobs();
		assertThat(difference(this.accepted, ran)).as("jobs answered 202 that did not run").isEmpty();
		assertThat(difference(ran, this.accepted)).as("jobs that ran but were not answered 202").isEmpty();
		List<JobPoolStats> stats = this.pools.all().stream().map(JobPool::stats).toList();
		assertThat(stats).allSatisfy((pool) -> assertThat(pool.accepted()).isPositive());
		assertThat(stats.stream().mapToLong(JobPoolStats::accepted).sum()).isEqualTo(this.accepted.size());
		assertThat(stats.stream().mapToLong(JobPoolStats::succeeded).sum()).isEqualTo(this.accepted.size());
		assertThat(stats.stream().mapToLong(JobPoolStats::handedBack).sum()).isZero();
		assertThat(stats.stream().mapToLong(JobPoolStats::rejected).sum()).isEqualTo(this.unavailable.get());
	}

	private void flood(int client) {
		for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && this.flooding.get(); i++) {
			String body = (i % 2 == 0)
					? "{\"type\":\"email\",\"to\":\"user" + client + "@example.com\",\"subject\":\"Flood " + i + "\"}"
					: "{\"type\":\"report\",\"name\":\"flood-" + client + "-" + i + "\",\"pages\":1}";
			try {
				record(this.http.send(request("/jobs").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
						HttpResponse.BodyHandlers.ofString()));
			}
			catch (Exception ex) {
				this.unexpected.add(ex.toString());
				return;
			}
		}
	}

	private void record(HttpResponse<String> response) {
		if (response.statusCode() == 202) {
			JsonNode accepted = this.json.readTree(response.body());
			this.accepted.add(JobLedger.key(accepted.get("type").asString(), accepted.get("id").asLong()));
		}
		else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
				&& response.body().contains("\"reason\":\"queue-full\"")) {
			this.unavailable.incrementAndGet();
		}
		else {
			this.unexpected.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
		}
	}

	private double metric(String name, String pool) throws Exception {
		HttpResponse<String> response = this.http.send(
				request("/actuator/metrics/" + name + "?tag=pool:" + pool).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode measurement = this.json.readTree(response.body()).get("measurements").get(0);
		return measurement.get("value").asDouble();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10));
	}

	private static Set<String> difference(Set<String> from, Set<String> minus) {
		Set<String> difference = new HashSet<>(from);
		difference.removeAll(minus);
		return difference;
	}

}
