package io.jobpool.autoconfigure.dashboard;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobProcessor;
import io.jobpool.JobRejectedException;
import io.jobpool.jdbc.JdbcJobPool;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.spring.JobHandler;
import io.jobpool.spring.JobPools;
import io.jobpool.spring.Recurring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium, on an application with a durable pool on PostgreSQL and two lanes in memory:
 * the page loads with no console error and shows every pool; its figures and charts move under load (a screenshot
 * is taken then, to {@code target/dashboard.png}); a requeue button requeues a dead job; and where writes to the
 * {@code jobpool} endpoint are not granted, the buttons are disabled and a forced requeue is refused, saying how to
 * grant them, also with the actuator and both endpoints at paths of their own.
 */
@ExtendWith(Browser.Present.class)
@TestPropertySource(properties = { "pool.store=jdbc", "pool.retry.max-attempts=2", "pool.retry.initial-backoff=10ms",
		"pool.retry.max-backoff=10ms", "pool.retry.jitter=0", "pool.jdbc.poll-interval=100ms",
		"pool.shutdown.drain-period=2s", "pool.pools.reports.store=memory", "pool.pools.reports.worker-num=2",
		"pool.pools.reports.queue-size=20", "pool.pools.emails.store=memory", "pool.pools.emails.worker-num=3",
		"pool.dashboard.enabled=true", "pool.dashboard.sample-interval=250ms", "pool.dashboard.history=20s",
		"management.endpoints.web.exposure.include=jobpool,jobpooldashboard" })
class JobPoolDashboardBrowserTests {

	private static final Duration WITHIN = Duration.ofSeconds(20);

	private static Browser browser;

	@BeforeAll
	static void startBrowser() {
		browser = Browser.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@DynamicPropertySource
	static void poolName(DynamicPropertyRegistry registry) {
		String name = TestDatabase.uniqueName("dash");
		registry.add("pool.name", () -> name);
	}

	@Nested
	@SpringBootTest(classes = DashboardApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoint.jobpool.access=unrestricted",
					"management.endpoint.jobpool.show-payloads=always" })
	class WithWritesGranted extends AppWithADurablePool {

		@Autowired
		private JobPools pools;

		@Test
		void thePageShowsEveryPoolWithNoConsoleError() {
			open(this.port);
			await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
				assertThat(browser.findAll("section.pool")).extracting((pool) -> pool.getAttribute("data-pool"))
					.containsExactlyInAnyOrder(this.durable.name(), "reports", "emails");
				for (WebElement state : browser.findAll("section.pool [data-state]")) {
					assertThat(state.getText()).isEqualTo("running");
				}
				assertThat(figure("emails", "workers")).isEqualTo(3);
				assertThat(figure("reports", "workers")).isEqualTo(2);
				assertThat(figure("reports", "queueCapacity")).isEqualTo(20);
				assertThat(points("reports", "throughput")).isPositive();
			});
			assertThat(browser.text("#status")).startsWith("Live");
			assertThat(browser.find("section.pool[data-pool='" + this.durable.name() + "'] .dead").isDisplayed())
				.as("the durable pool's dead jobs")
				.isTrue();
			assertThat(browser.find("section.pool[data-pool='reports'] .dead").isDisplayed()).isFalse();
			await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
				WebElement nightly = browser.find("section.pool[data-pool='reports'] tr[data-recurring='nightly-report']");
				assertThat(nightly.isDisplayed()).as("the reports lane's recurring job").isTrue();
				List<String> cells = nightly.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
				assertThat(cells.get(1)).as("next slot").startsWith("in ");
				assertThat(cells.subList(2, 4)).as("last slot and outcome").containsExactly("—", "—");
			});
			assertThat(browser.find("section.pool[data-pool='emails'] .later").isDisplayed()).isFalse();
			assertThat(browser.find("#access").isDisplayed()).as("a read-only banner").isFalse();
			assertThat(browser.consoleErrors()).isEmpty();
		}

		@Test
		void itsFiguresAndChartsMoveUnderLoad() throws Exception {
			JobFuture dead = deadJob("nightly-cleanup");
			open(this.port);
			AtomicBoolean loading = new AtomicBoolean(true);
			ExecutorService producers = Executors.newFixedThreadPool(2);
			try {
				producers.submit(() -> produce(loading, "report", (i) -> this.pools.submit(new Report("r" + i))));
				producers.submit(() -> produce(loading, "email", (i) -> this.pools.submit(new Email(i))));
				await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
					assertThat(figure("reports", "activeWorkers")).isEqualTo(2);
					assertThat(figure("reports", "queueDepth")).isPositive();
					assertThat(figure("emails", "succeeded")).isPositive();
					assertThat(total("emails", "succeeded")).isGreaterThan(20);
					assertThat(total("emails", "failed")).isPositive();
					assertThat(browser.text("section.pool[data-pool='reports'] [data-time='run.p50']")).endsWith("ms");
					assertThat(deadJobRow(dead.jobId())).isNotNull();
				});
				await().atMost(WITHIN).until(() -> secondsOfLoadInTheHistory("reports") >= 8);
				browser.screenshot(Path.of(System.getProperty("jobpool.dashboard.screenshot", "target/dashboard.png")));
				long succeeded = total("emails", "succeeded");
				await().atMost(WITHIN).untilAsserted(() -> assertThat(total("emails", "succeeded")).isGreaterThan(succeeded));
			}
			finally {
				loading.set(false);
				producers.shutdown();
				assertThat(producers.awaitTermination(WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
			}
			await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
				assertThat(figure("reports", "queueDepth")).isZero();
				assertThat(figure("reports", "activeWorkers")).isZero();
			});
			assertThat(browser.consoleErrors()).isEmpty();
		}

		@Test
		void aRequeueButtonRequeuesADeadJob() throws Exception {
			JobFuture future = deadJob("sweep");
			open(this.port);
			WebElement row = await().atMost(WITHIN).ignoreExceptions().until(() -> deadJobRow(future.jobId()),
					(found) -> found != null);
			assertThat(row.findElements(By.tagName("td"))).extracting(WebElement::getText)
				.startsWith(String.valueOf(future.jobId()), "Chore", "2")
				.anySatisfy((text) -> assertThat(text).contains("Chore 'sweep' failed"))
				.anySatisfy((text) -> assertThat(text).contains("\"name\": \"sweep\""));
			this.application.choresFail.set(false);
			int runs = this.application.choreRuns.get();
			browser.find("tr[data-dead-job='" + future.jobId() + "'] button[data-requeue]").click();
			await().atMost(WITHIN)
				.untilAsserted(() -> assertThat(browser.text("#notice"))
					.isEqualTo("Requeued dead job " + future.jobId() + " of " + this.durable.name() + "."));
			await().atMost(WITHIN).until(() -> this.application.choreRuns.get() > runs && this.durable.deadJobCount() == 0);
			await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(deadJobRow(future.jobId())).isNull());
			assertThat(browser.consoleErrors()).isEmpty();
		}

		private double secondsOfLoadInTheHistory(String pool) {
			JsonNode history = JsonMapper.shared()
				.readTree(RestTestClient.bindToServer()
					.baseUrl("http://127.0.0.1:" + this.port)
					.build()
					.get()
					.uri("/actuator/jobpooldashboard/history")
					.exchange()
					.expectStatus()
					.isOk()
					.returnResult(String.class)
					.getResponseBody());
			long busy = 0;
			for (JsonNode active : history.at("/pools/" + pool + "/samples/activeWorkers")) {
				busy += (active.asInt() > 0) ? 1 : 0;
			}
			return busy * history.get("interval").asLong() / 1000.0;
		}

		private void produce(AtomicBoolean loading, String kind, Submitter submitter) {
			AtomicInteger count = new AtomicInteger();
			while (loading.get()) {
				try {
					submitter.submit(count.incrementAndGet());
					Thread.sleep(kind.equals("email") ? 4 : 10);
				}
				catch (JobRejectedException ex) {
					sleep();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.base-path=/manage",
					"management.endpoints.web.path-mapping.jobpool=pools",
					"management.endpoints.web.path-mapping.jobpooldashboard=ops/pools" })
	class WithTheEndpointReadOnlyAndMovedPaths extends AppWithADurablePool {

		@Test
		void requeuingIsOffAndAForcedRequeueIsRefusedWithAClearMessage() {
			JobFuture future = deadJob("secret");
			browser.open("http://127.0.0.1:" + this.port + "/manage/ops/pools");
			await().atMost(WITHIN).ignoreExceptions().until(() -> deadJobRow(future.jobId()), (found) -> found != null);
			assertThat(browser.text("#access")).startsWith("Read-only")
				.contains("management.endpoint.jobpool.access=unrestricted");
			String buttons = "section.pool button[data-requeue], section.pool button[data-requeue-all]";
			assertThat(browser.findAll(buttons)).isNotEmpty().allSatisfy((button) -> assertThat(button.isEnabled()).isFalse());
			assertThat(browser.findAll("tr[data-dead-job='" + future.jobId() + "'] td")).extracting(WebElement::getText)
				.contains("hidden")
				.noneSatisfy((text) -> assertThat(text).contains("\"name\""));
			assertThat(browser.consoleErrors()).isEmpty();
			WebElement button = browser.find("tr[data-dead-job='" + future.jobId() + "'] button[data-requeue]");
			browser.script("arguments[0].disabled = false; arguments[0].click();", button);
			await().atMost(WITHIN)
				.untilAsserted(() -> assertThat(browser.text("#notice"))
					.startsWith("Could not requeue dead job " + future.jobId() + " (HTTP 404)")
					.contains("management.endpoint.jobpool.access=unrestricted"));
			assertThat(this.durable.deadJobCount()).isEqualTo(1);
			assertThat(this.durable.deadJobs(10)).extracting((job) -> job.id()).containsExactly(future.jobId());
		}

	}

	/**
	 * The fields and clean-up of a test of the {@link DashboardApplication}, whose default pool is durable.
	 */
	abstract static class AppWithADurablePool {

		@LocalServerPort
		int port;

		@Autowired
		JdbcJobPool durable;

		@Autowired
		DashboardApplication application;

		@AfterEach
		void leaveNoDeadJob() {
			this.application.choresFail.set(false);
			this.durable.requeueDeadJobs();
			await().atMost(WITHIN).until(() -> this.durable.deadJobCount() == 0);
		}

		JobFuture deadJob(String chore) {
			this.application.choresFail.set(true);
			long dead = this.durable.deadJobCount();
			JobFuture future = this.durable.submit(new Chore(chore));
			await().atMost(WITHIN).until(() -> this.durable.deadJobCount() == dead + 1);
			return future;
		}

	}

	private static void open(int port) {
		browser.open("http://127.0.0.1:" + port + "/actuator/jobpooldashboard");
	}

	private static long figure(String pool, String name) {
		return parse(browser.text("section.pool[data-pool='" + pool + "'] [data-figure='" + name + "']"));
	}

	private static long total(String pool, String name) {
		return parse(browser.text("section.pool[data-pool='" + pool + "'] [data-total='" + name + "']"));
	}

	private static int points(String pool, String chart) {
		return Integer.parseInt(browser.find("section.pool[data-pool='" + pool + "'] canvas[data-chart='" + chart + "']")
			.getAttribute("data-points"));
	}

	private static long parse(String text) {
		return Math.round(Double.parseDouble(text.replace(",", "")));
	}

	private static WebElement deadJobRow(long id) {
		List<WebElement> rows = browser.findAll("tr[data-dead-job='" + id + "']");
		return rows.isEmpty() ? null : rows.get(0);
	}

	private static void sleep() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@FunctionalInterface
	interface Submitter {

		void submit(int i) throws InterruptedException;

	}

	record Chore(String name) {
	}

	record Report(String name) {
	}

	record Email(int number) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class DashboardApplication {

		final AtomicBoolean choresFail = new AtomicBoolean();

		final AtomicInteger choreRuns = new AtomicInteger();

		@Bean
		DataSource dataSource() {
			return new DelegatingDataSource(TestDatabase.get().dataSource());
		}

		@Bean
		@JobHandler
		JobProcessor<Chore> choreHandler() {
			return this::chore;
		}

		@Bean
		@JobHandler(pool = "reports")
		JobProcessor<Report> reportHandler() {
			return (job) -> Thread.sleep(40);
		}

		@Bean
		@JobHandler(pool = "emails")
		JobProcessor<Email> emailHandler() {
			return (job) -> {
				Thread.sleep(3);
				if (job.data().number() % 25 == 0) {
					throw new IllegalStateException("Mailbox full");
				}
			};
		}

		@Recurring(cron = "0 0 3 * * *", zone = "UTC")
		Report nightlyReport() {
			return new Report("nightly");
		}

		private void chore(Job<Chore> job) {
			this.choreRuns.incrementAndGet();
			if (this.choresFail.get()) {
				throw new IllegalStateException("Chore '" + job.data().name() + "' failed");
			}
		}

	}

}
