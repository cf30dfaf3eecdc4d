package io.jobpool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code POST /jobs} refuses, over real HTTP: fields over their limits, numbers that are not whole, bodies too
 * large or not a job at all, each answered with a problem that names the field and the limit in the sample's own
 * words; and the log lines of a job as large as allowed stay short.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pool.init-pool-num=1", "pool.worker-num=2", "sample.work-delay=1ms",
				"logging.level.io.jobpool.sample=info" })
@ExtendWith(OutputCaptureExtension.class)
class JobInputTests {

	private static final int MAX_LOG_LINE = 300;

	private static final List<String> INTERNALS = List.of("io.jobpool", "java.", "tools.jackson", "com.fasterxml",
			"Exception", "JSON parse error", "Cannot deserialize", "Cannot coerce", "Unexpected character",
			"Unrecognized field", "not marked as ignorable", "START_ARRAY", "START_OBJECT", "subtype", "type id",
			"reference chain", "Source:", "DeserializationFeature", "out of range");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Autowired
	private JobLedger ledger;

	@Autowired
	private JsonMapper json;

	@Test
	void aFieldOverItsLimitIsRefusedWith400NamingTheFieldAndTheLimit() throws Exception {
		JsonNode email = problem(post(email("a".repeat(250) + "@b.io", "s".repeat(201))), 400);
		assertThat(email.get("problems").valueStream().map(JsonNode::asString)).containsExactly(
				"'to' must have at most 254 characters, but has 255",
				"'subject' must have at most 200 characters, but has 201");
		JsonNode report = problem(post(report("\"" + "n".repeat(101) + "\"", "2")), 400);
		assertThat(report.get("problems").valueStream().map(JsonNode::asString))
			.containsExactly("'name' must have at most 100 characters, but has 101");
	}

	@Test
	void aNumberThatIsNotWholeIsRefusedRatherThanCut() throws Exception {
		JsonNode problem = problem(post(report("\"sales\"", "3.7")), 400);
		assertThat(problem.get("detail").asString()).startsWith("'pages' must be a whole number.");
	}

	@Test
	void aBodyOverTheLimitIsRefusedWith413BeforeItIsRead() throws Exception {
		String name = "n".repeat(1024 * 1024);
		JsonNode problem = problem(post(report("\"" + name + "\"", "2")), 413);
		assertThat(problem.get("detail").asString()).isEqualTo("The body must have at most 16384 bytes.");
		assertThat(problem.toString()).doesNotContain("nnnnnnnnnn");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("notAJob")
	void aBodyThatIsNotAJobIsAnsweredInTheSamplesOwnWords(String body, String reason) throws Exception {
		HttpResponse<String> response = post(body);
		JsonNode problem = problem(response, 400);
		assertThat(problem.get("title").asString()).isEqualTo("Unreadable job");
		assertThat(problem.get("detail").asString()).isEqualTo(reason + " Post a JSON object with a \"type\" of "
				+ "\"email\" (fields \"to\", \"subject\") or \"report\" (fields \"name\", \"pages\").");
		assertThat(response.body()).doesNotContain(INTERNALS);
	}

	static Stream<Arguments> notAJob() {
		return Stream.of(Arguments.of("", "The body is missing."),
				Arguments.of("[]", "The body must be one JSON object."),
				Arguments.of("\"report\"", "\"type\" is missing."),
				Arguments.of("{not json", "The body is not valid JSON (line 1, column 2)."),
				Arguments.of("{\"type\":\"email\",\"to\":\"ada@example.com\"",
						"The body is not valid JSON (line 1, column 39)."),
				Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"Hi\"}", "\"type\" is missing."),
				Arguments.of("{\"type\":\"sms\"}", "\"type\" 'sms' is not a kind of job."),
				Arguments.of(report("\"sales\"", "\"many\""), "'pages' must be a whole number."),
				Arguments.of(report("\"sales\"", "12345678901"), "'pages' must be a whole number."),
				Arguments.of(report("\"sales\"", "\"12\""), "'pages' must be a whole number."),
				Arguments.of(report("[\"sales\"]", "2"), "'name' must be a string."),
				Arguments.of("{\"type\":\"report\",\"name\":\"sales\",\"pages\":2,\"colour\":\"red\"}",
						"'colour' is not a field of this kind of job."));
	}

	@Test
	void otherFailuresOfARequestAreProblemsToo() throws Exception {
		HttpResponse<String> wrongMethod = this.http.send(request().PUT(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(problem(wrongMethod, 405).get("detail").asString()).isEqualTo("Method 'PUT' is not supported.");
		HttpResponse<String> notJson = this.http.send(
				request().header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(problem(notJson, 415).get("detail").asString()).startsWith("Content-Type 'text/plain")
			.endsWith("' is not supported.");
	}

	@Test
	void theLogLinesOfAJobAsLargeAsAllowedAreShort(CapturedOutput output) throws Exception {
		int from = output.getOut().length();
		List<String> ids = List.of(accepted(post(email("a".repeat(241) + "@example.com", "s".repeat(200)))),
				accepted(post(report("\"" + "n".repeat(100) + "\"", "2"))));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ledger.ranJobs().containsAll(ids));
		String logged = output.getOut().substring(from);
		assertThat(logged).contains("(253 characters)", "(200 characters)", "(100 characters)");
		assertThat(logged.lines()).allSatisfy((line) -> assertThat(line).hasSizeLessThanOrEqualTo(MAX_LOG_LINE));
	}

	private String accepted(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		JsonNode accepted = this.json.readTree(response.body());
		return JobLedger.key(accepted.get("type").asString(), accepted.get("id").asLong());
	}

	private JsonNode problem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> post(String body) throws Exception {
		HttpRequest post = request().header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(post, HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request() {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/jobs"))
			.timeout(Duration.ofSeconds(10));
	}

	private static String email(String to, String subject) {
		return "{\"type\":\"email\",\"to\":\"" + to + "\",\"subject\":\"" + subject + "\"}";
	}

	private static String report(String name, String pages) {
		return "{\"type\":\"report\",\"name\":" + name + ",\"pages\":" + pages + "}";
	}

}
