package io.jobpool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus names that README's metrics table gives are the ones {@code /actuator/prometheus} shows for the
 * sample's pool; the gauge of durable pools only, which a memory pool lacks, is named by the same convention.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=prometheus", "logging.level.io.jobpool.sample=warn" })
class PrometheusNamesTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Pattern NAME = Pattern.compile("`([a-z_]+)`");

	@LocalServerPort
	private int port;

	@Test
	void everyPrometheusNameInTheReadmeIsScrapedWithThePoolTag() throws Exception {
		List<String> documented = documented(false);
		assertThat(documented).contains("jobpool_queue_depth_jobs", "jobpool_workers_active_threads");
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> scrape = http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/prometheus"))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(scrape.statusCode()).isEqualTo(200);
		Set<String> scraped = scrape.body()
			.lines()
			.filter((line) -> line.startsWith("jobpool_") && line.contains("pool=\"jobpool\""))
			.map((line) -> line.substring(0, line.indexOf('{')))
			.collect(Collectors.toSet());
		assertThat(scraped).containsAll(documented);
	}

	@Test
	void theDeadJobsGaugeOfDurablePoolsIsNamedByTheSameConvention() throws Exception {
		assertThat(documented(true)).containsExactly(
				new PrometheusNamingConvention().name("jobpool.jobs.dead", Meter.Type.GAUGE, "jobs"));
	}

	/**
	 * The names in the "in Prometheus" column of README's metrics table.
	 * @param durableOnly whether to read the rows of meters that durable pools only have, or the other rows
	 */
	private static List<String> documented(boolean durableOnly) throws Exception {
		List<String> names = new ArrayList<>();
		boolean inTable = false;
		for (String line : Files.readAllLines(README)) {
			if (line.startsWith("| name | in Prometheus |")) {
				inTable = true;
			}
			else if (inTable && !line.startsWith("|")) {
				break;
			}
			else if (inTable && line.startsWith("| `") && line.contains("durable pools only") == durableOnly) {
				Matcher name = NAME.matcher(line.split("\\|")[2]);
				while (name.find()) {
					names.add(name.group(1));
				}
			}
		}
		return names;
	}

}
