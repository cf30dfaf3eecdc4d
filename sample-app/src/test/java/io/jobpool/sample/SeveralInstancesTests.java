package io.jobpool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.jobpool.JobPool;
import io.jobpool.jdbc.JdbcJobPool;
import io.jobpool.spring.JobPools;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the application with the {@code jdbc} profile, as the README runs them, share one queue: jobs
 * posted to one are run by both, each once.
 */
class SeveralInstancesTests {

	private static final int JOBS = 40;

	private final String pool = TestDatabase.uniqueName("sample");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	@AfterEach
	void close() {
		if (this.first != null) {
			this.first.close();
		}
		if (this.second != null) {
			this.second.close();
		}
	}

	@Test
	void jobsPostedToOneInstanceRunOnBothAndEachRunsOnce() throws Exception {
		this.first = start();
		this.second = start();
		assertThat(this.first.getBean(JobPool.class)).isInstanceOf(JdbcJobPool.class);
		assertThat(this.first.getBean(JobPools.class).pool("reports")).isInstanceOf(JdbcJobPool.class);
		int port = ((WebServerApplicationContext) this.first).getWebServer().getPort();
		Set<String> accepted = new HashSet<>();
		for (int i = 0; i < JOBS; i++) {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/jobs"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"report\",\"name\":\"r" + i + "\",\"pages\":2}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			accepted.add(JobLedger.key("report", this.json.readTree(response.body()).get("id").asLong()));
		}
		JobLedger one = this.first.getBean(JobLedger.class);
		JobLedger two = this.second.getBean(JobLedger.class);
		await().atMost(Duration.ofSeconds(60)).until(() -> one.ranJobs().size() + two.ranJobs().size() >= JOBS);
		Set<String> ran = new HashSet<>(one.ranJobs());
		assertThat(two.ranJobs()).as("no job ran on both").doesNotContainAnyElementsOf(ran);
		ran.addAll(two.ranJobs());
		assertThat(ran).isEqualTo(accepted);
		assertThat(one.ranJobs()).as("the first instance ran some").isNotEmpty();
		assertThat(two.ranJobs()).as("the second instance took some from the shared table").isNotEmpty();
	}

	private ConfigurableApplicationContext start() {
		TestDatabase database = TestDatabase.get();
		return new SpringApplicationBuilder(SampleApplication.class).profiles("jdbc")
			.run("--server.port=0", "--spring.datasource.url=" + database.url(),
					"--spring.datasource.username=" + database.user(),
					"--spring.datasource.password=" + database.password(), "--pool.name=" + this.pool,
					"--pool.init-pool-num=1", "--pool.worker-num=2", "--pool.queue-size=" + 2 * JOBS,
					"--pool.pools.reports.queue-size=" + 2 * JOBS,
					"--pool.jdbc.poll-interval=100ms", "--pool.recurring.nightly-sales-report.enabled=false",
					"--sample.work-delay=100ms", "--logging.level.io.jobpool.sample=warn");
	}

}
