package io.jobpool.autoconfigure.endpoint;

import java.time.Duration;
import java.util.Map;

import io.jobpool.JobPool;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code jobpool} endpoint and health over HTTP: read-only unless the user grants unrestricted access.
 */
class JobPoolEndpointWebTests {

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
