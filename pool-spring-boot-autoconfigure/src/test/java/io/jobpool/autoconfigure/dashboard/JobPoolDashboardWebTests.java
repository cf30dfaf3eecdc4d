package io.jobpool.autoconfigure.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;
import io.jobpool.spring.JobPools;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code jobpooldashboard} endpoint over HTTP: the page and its files come from the jar and name nothing outside
 * the application; the history holds samples of every pool, lanes included, and the job times of the last minute;
 * with a management port of its own, the page is there and not on the application's port.
 */
class JobPoolDashboardWebTests {

	private static final Duration WITHIN = Duration.ofSeconds(10);

	@Nested
	@SpringBootTest(classes = LanesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "pool.dashboard.enabled=true", "pool.worker-num=1", "pool.pools.reports.worker-num=2",
					"pool.dashboard.sample-interval=100ms",
					"management.endpoints.web.exposure.include=jobpool,jobpooldashboard" })
	@AutoConfigureRestTestClient
	class OnTheApplicationsPort {

		@Autowired
		private RestTestClient client;

		@Autowired
		private JobPools pools;

		@Test
		void thePageIsHtmlThatLoadsItsFilesFromTheEndpoint() {
			String html = body("/actuator/jobpooldashboard", MediaType.TEXT_HTML);
			assertThat(html).contains("<script src=\"jobpooldashboard/assets/dashboard.js\" defer>")
				.contains("href=\"jobpooldashboard/assets/dashboard.css\"")
				.contains("data-self=\"jobpooldashboard\"")
				.contains("data-jobpool=\"jobpool\"")
				.contains("data-writes=\"false\"")
				.doesNotContain("http");
			assertThat(body("/actuator/jobpooldashboard/assets/dashboard.js", MediaType.valueOf("text/javascript")))
				.contains("jobpooldashboard/history")
				.doesNotContain("http");
			assertThat(body("/actuator/jobpooldashboard/assets/dashboard.css", MediaType.valueOf("text/css")))
				.doesNotContain("http")
				.doesNotContain("@import");
			assertThat(body("/actuator/jobpooldashboard/assets/favicon.svg", MediaType.valueOf("image/svg+xml")))
				.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
				.containsOnlyOnce("http");
		}

		@Test
		void onlyThePagesOwnFilesAreServed() {
			for (String path : new String[] { "/actuator/jobpooldashboard/assets/dashboard.html",
					"/actuator/jobpooldashboard/assets/DashboardPage.class",
					"/actuator/jobpooldashboard/assets/..%2Fdashboard.html", "/actuator/jobpooldashboard/static/dashboard.js",
					"/actuator/jobpooldashboard/dashboard.js", "/actuator/jobpooldashboard/historY" }) {
				this.client.get().uri(path).exchange().expectStatus().isNotFound();
			}
		}

		@Test
		void theHistoryHoldsSamplesOfEveryPoolAndTheJobTimesOfTheLastMinute() throws Exception {
			for (int i = 0; i < 20; i++) {
				this.pools.submit(new Report("r" + i)).get(10, TimeUnit.SECONDS);
			}
			await().atMost(WITHIN).untilAsserted(() -> this.client.get()
				.uri("/actuator/jobpooldashboard/history")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.interval")
				.isEqualTo(100)
				.jsonPath("$.size")
				.isEqualTo(3000)
				.jsonPath("$.pools.jobpool.samples.workers[0]")
				.isEqualTo(1)
				.jsonPath("$.pools.reports.samples.workers[0]")
				.isEqualTo(2)
				.jsonPath("$.pools.reports.run.count")
				.isEqualTo(20)
				.jsonPath("$.pools.reports.queueWait.count")
				.isEqualTo(20)
				.jsonPath("$.pools.reports.samples.succeeded")
				.value(double[].class, (rates) -> assertThat(Arrays.stream(rates).sum()).isPositive())
				.jsonPath("$.pools.jobpool.run")
				.doesNotExist());
		}

		private String body(String path, MediaType type) {
			byte[] body = this.client.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentTypeCompatibleWith(type)
				.expectBody()
				.returnResult()
				.getResponseBody();
			assertThat(body).isNotNull();
			return new String(body, StandardCharsets.UTF_8);
		}

	}

	@Nested
	@SpringBootTest(classes = LanesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "pool.dashboard.enabled=true", "pool.worker-num=1", "pool.pools.reports.worker-num=2",
					"management.server.port=0",
					"management.endpoints.web.exposure.include=jobpool,jobpooldashboard" })
	class WithAManagementPortOfItsOwn {

		@LocalServerPort
		private int port;

		@LocalManagementPort
		private int managementPort;

		@Test
		void thePageIsOnTheManagementPortOnly() {
			RestTestClient.bindToServer()
				.baseUrl("http://localhost:" + this.managementPort)
				.build()
				.get()
				.uri("/actuator/jobpooldashboard")
				.exchange()
				.expectStatus()
				.isOk();
			RestTestClient.bindToServer()
				.baseUrl("http://localhost:" + this.port)
				.build()
				.get()
				.uri("/actuator/jobpooldashboard")
				.exchange()
				.expectStatus()
				.isNotFound();
		}

	}

	record Report(String name) {
	}

	record Ping() {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LanesApplication {

		@Bean
		@JobHandler
		JobProcessor<Ping> pingHandler() {
			return (job) -> {
			};
		}

		@Bean
		@JobHandler(pool = "reports")
		JobProcessor<Report> reportHandler() {
			return (job) -> {
			};
		}

	}

}
