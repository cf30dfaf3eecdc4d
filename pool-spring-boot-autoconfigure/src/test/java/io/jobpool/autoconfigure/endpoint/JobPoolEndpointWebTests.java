package io.jobpool.autoconfigure.endpoint;

import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.jobpool.JobPool;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code jobpool} endpoint and health over HTTP: read-only unless the user grants unrestricted access; dead
 * jobs listed at most 100 at a time, their payloads hidden unless shown by {@code show-payloads}, payloads and
 * errors cut.
 */
class JobPoolEndpointWebTests {

	private static final int HUGE = 20 * 1024 * 1024;

	private static final String HUGE_PAYLOAD = "{\"notes\":\"" + "x".repeat(HUGE - 12) + "\"}";

	private static final String HUGE_ERROR = "java.lang.IllegalStateException: "
			+ "y".repeat(HUGE - "java.lang.IllegalStateException: ".length());

	private static final String CUT = "… (cut, 20971520 characters in all)";

	private static final int SMALL_RESPONSE = 100 * 1024;

	@Nested
	@SpringBootTest(classes = PoolApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=jobpool,health",
					"management.endpoint.health.show-details=always" })
	@AutoConfigureRestTestClient
	class ByDefault {

		@Autowired
		private RestTestClient client;

		@Autowired
		private JobPool pool;

		@Test
		void readingThePoolsIsAllowed() {
			this.client.get()
				.uri("/actuator/jobpool")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.pools.web.name")
				.isEqualTo("web")
				.jsonPath("$.pools.web.state")
				.isEqualTo("running")
				.jsonPath("$.pools.web.configuration.maxDispatchers")
				.isEqualTo(3)
				.jsonPath("$.pools.web.figures.dispatchers")
				.isEqualTo(1)
				.jsonPath("$.pools.web.jobs.accepted")
				.isEqualTo(0);
			this.client.get().uri("/actuator/jobpool/web").exchange().expectStatus().isOk();
			this.client.get().uri("/actuator/jobpool/missing").exchange().expectStatus().isNotFound();
		}

		@Test
		void writingIsRefused() {
			this.client.post()
				.uri("/actuator/jobpool/web")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("dispatchers", 2))
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
			assertThat(this.pool.figures().dispatchers()).isEqualTo(1);
		}

		@Test
		void healthShowsThePoolUpWithItsFigures() {
			this.client.get()
				.uri("/actuator/health/jobpool")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.details.queueCapacity")
				.isEqualTo(10)
				.jsonPath("$.details.workers")
				.isEqualTo(2);
		}

	}

	@Nested
	@SpringBootTest(classes = PoolApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=jobpool",
					"management.endpoint.jobpool.access=unrestricted" })
	@AutoConfigureRestTestClient
	class WithUnrestrictedAccess {

		@Autowired
		private RestTestClient client;

		@Autowired
		private JobPool pool;

		@AfterEach
		void restore() {
			this.pool.resume();
			if (this.pool.figures().dispatchers() != 1) {
				this.pool.resizeDispatchers(1);
			}
		}

		@Test
		void writingResizesDispatchers() {
			this.client.post()
				.uri("/actuator/jobpool/web")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("dispatchers", 2))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.figures.dispatchers")
				.isEqualTo(2);
			assertThat(this.pool.figures().dispatchers()).isEqualTo(2);
		}

		@Test
		void writingPausesAndResumes() {
			this.client.post()
				.uri("/actuator/jobpool/web")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("paused", true))
				.exchange()
				.expectStatus()
				.isOk();
			assertThat(this.pool.isPaused()).isTrue();
			this.client.post()
				.uri("/actuator/jobpool/web")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("paused", false))
				.exchange()
				.expectStatus()
				.isOk();
			assertThat(this.pool.isPaused()).isFalse();
		}

		@Test
		void anOutOfRangeSizeIsABadRequest() {
			this.client.post()
				.uri("/actuator/jobpool/web")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("dispatchers", 9))
				.exchange()
				.expectStatus()
				.isBadRequest();
			assertThat(this.pool.figures().dispatchers()).isEqualTo(1);
		}

	}

	@Nested
	@SpringBootTest(classes = DeadJobsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=jobpool",
					"spring.web.error.include-message=always" })
	@AutoConfigureRestTestClient
	class DeadJobsByDefault {

		@Autowired
		private RestTestClient client;

		@Test
		void aLimitOutsideOneToOneHundredIsABadRequestNamingTheRange() {
			for (int limit : new int[] { 101, 100_000, 0 }) {
				this.client.get()
					.uri("/actuator/jobpool/durable/dead?limit={limit}", limit)
					.exchange()
					.expectStatus()
					.isBadRequest()
					.expectBody()
					.jsonPath("$.message")
					.isEqualTo("'limit' must be from 1 to 100, not " + limit);
			}
			this.client.get()
				.uri("/actuator/jobpool/durable/dead?limit=100")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.jobs.length()")
				.isEqualTo(20);
		}

		@Test
		void payloadsAreHiddenAndErrorsCut() {
			this.client.get()
				.uri("/actuator/jobpool/durable/dead?limit=1")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.count")
				.isEqualTo(20)
				.jsonPath("$.jobs.length()")
				.isEqualTo(1)
				.jsonPath("$.jobs[0].id")
				.isEqualTo(20)
				.jsonPath("$.jobs[0].type")
				.isEqualTo("report")
				.jsonPath("$.jobs[0].attempts")
				.isEqualTo(3)
				.jsonPath("$.jobs[0].failedAt")
				.isEqualTo("2026-12-01T10:15:30Z")
				.jsonPath("$.jobs[0].payload")
				.isEqualTo("******")
				.jsonPath("$.jobs[0].error")
				.isEqualTo(HUGE_ERROR.substring(0, 2000) + CUT);
		}

		@Test
		void twentyDeadJobsOfTwentyMegabytesEachMakeASmallResponse() {
			byte[] body = this.client.get()
				.uri("/actuator/jobpool/durable/dead")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.jobs.length()")
				.isEqualTo(20)
				.returnResult()
				.getResponseBody();
			assertThat(body).isNotNull();
			assertThat(body.length).isLessThan(SMALL_RESPONSE);
		}

	}

	@Nested
	@SpringBootTest(classes = DeadJobsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=jobpool",
					"management.endpoint.jobpool.show-payloads=always" })
	@AutoConfigureRestTestClient
	class DeadJobsWithPayloadsShownAlways {

		@Autowired
		private RestTestClient client;

		@Test
		void payloadsAreShownCut() {
			byte[] body = this.client.get()
				.uri("/actuator/jobpool/durable/dead")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.jobs[19].payload")
				.isEqualTo(HUGE_PAYLOAD.substring(0, 1000) + CUT)
				.jsonPath("$.jobs[19].error")
				.isEqualTo(HUGE_ERROR.substring(0, 2000) + CUT)
				.returnResult()
				.getResponseBody();
			assertThat(body).isNotNull();
			assertThat(body.length).isLessThan(SMALL_RESPONSE);
		}

	}

	@Nested
	@SpringBootTest(classes = DeadJobsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=jobpool",
					"management.endpoint.jobpool.show-payloads=when-authorized",
					"management.endpoint.jobpool.roles=OPS" })
	@AutoConfigureRestTestClient
	class DeadJobsWithPayloadsShownWhenAuthorized {

		@Autowired
		private RestTestClient client;

		@Test
		void payloadsAreShownToAUserWithAListedRole() {
			this.client.get()
				.uri("/actuator/jobpool/durable/dead?limit=1")
				.header(TestUsers.USER, "ada")
				.header(TestUsers.ROLES, "VIEWER,OPS")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.jobs[0].payload")
				.isEqualTo(HUGE_PAYLOAD.substring(0, 1000) + CUT);
		}

		@Test
		void payloadsAreHiddenFromAUserWithoutAListedRole() {
			this.client.get()
				.uri("/actuator/jobpool/durable/dead?limit=1")
				.header(TestUsers.USER, "eve")
				.header(TestUsers.ROLES, "VIEWER")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.jobs[0].payload")
				.isEqualTo("******");
		}

		@Test
		void payloadsAreHiddenFromAnUnauthenticatedRequest() {
			this.client.get()
				.uri("/actuator/jobpool/durable/dead?limit=1")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.jobs[0].payload")
				.isEqualTo("******");
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = "io.jobpool.autoconfigure.JobPoolAutoConfiguration")
	static class DeadJobsApplication {

		@Bean
		JobPool durablePool() {
			return DeadJobsPool.of("durable", DeadJobsPool.deadJobs(20, HUGE_PAYLOAD, HUGE_ERROR));
		}

		@Bean
		TestUsers testUsers() {
			return new TestUsers();
		}

	}

	/**
	 * Stands in for a security filter: a request with {@value #USER} (and {@value #ROLES}, comma-separated) is
	 * made by that user, with those roles.
	 */
	static class TestUsers extends OncePerRequestFilter {

		static final String USER = "X-Test-User";

		static final String ROLES = "X-Test-Roles";

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String user = request.getHeader(USER);
			if (user == null) {
				chain.doFilter(request, response);
				return;
			}
			Principal principal = () -> user;
			Set<String> roles = StringUtils.commaDelimitedListToSet(request.getHeader(ROLES));
			chain.doFilter(new HttpServletRequestWrapper(request) {

				@Override
				public Principal getUserPrincipal() {
					return principal;
				}

				@Override
				public String getRemoteUser() {
					return user;
				}

				@Override
				public boolean isUserInRole(String role) {
					return roles.contains(role);
				}

			}, response);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = "io.jobpool.autoconfigure.JobPoolAutoConfiguration")
	static class PoolApplication {

		@Bean
		JobPool jobPool() {
			JobPool pool = JobPool.builder()
				.name("web")
				.maxPoolNum(3)
				.workerNum(2)
				.queueSize(10)
				.drainPeriod(Duration.ofSeconds(2))
				.processor(String.class, () -> (job) -> {
				})
				.build();
			pool.start();
			return pool;
		}

	}

}
