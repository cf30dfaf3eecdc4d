package io.jobpool.autoconfigure.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.jobpool.DeadJob;
import io.jobpool.JobPool;
import io.jobpool.autoconfigure.endpoint.JobPoolEndpoint.DeadJobDescriptor;
import io.jobpool.autoconfigure.endpoint.JobPoolEndpoint.DeadJobsDescriptor;
import io.jobpool.autoconfigure.endpoint.JobPoolEndpoint.JobPoolDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JobPoolEndpointAutoConfiguration} and the operations of {@link JobPoolEndpoint}.
 */
class JobPoolEndpointAutoConfigurationTests {

	private static final String PAYLOAD = "{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}";

	private final CountDownLatch release = new CountDownLatch(1);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolEndpointAutoConfiguration.class))
		.withBean(CountDownLatch.class, () -> this.release)
		.withPropertyValues("management.endpoints.web.exposure.include=jobpool");

	@AfterEach
	void releaseWorkers() {
		this.release.countDown();
	}

	@Test
	void readOperationDescribesConfigurationLiveFiguresAndJobCounts() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			for (int i = 0; i < 4; i++) {
				pool.submit("block");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> pool.activeWorkers() == 2 && pool.queueDepth() == 2);
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			JobPoolDescriptor orders = endpoint.pools().pools().get("orders");
			assertThat(orders).isNotNull().isEqualTo(endpoint.pool("orders"));
			assertThat(orders.state()).isEqualTo("running");
			assertThat(orders.paused()).isFalse();
			assertThat(orders.configuration()).isEqualTo(new JobPoolEndpoint.Configuration(10, 10, 2, 3));
			assertThat(orders.figures()).isEqualTo(new JobPoolEndpoint.Figures(2, 0, 2, 2, 1, 0));
			assertThat(orders.jobs().accepted()).isEqualTo(4);
			assertThat(endpoint.pool("missing")).isNull();
			this.release.countDown();
		});
	}

	@Test
	void writeOperationResizesDispatchersAndPausesAndResumes() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			JobPoolDescriptor resized = endpoint.update("orders", 3, null);
			assertThat(pool.figures().dispatchers()).isEqualTo(3);
			assertThat(resized.figures().dispatchers()).isEqualTo(3);
			assertThat(endpoint.update("orders", null, true).paused()).isTrue();
			assertThat(pool.isPaused()).isTrue();
			assertThat(endpoint.update("orders", 1, false).paused()).isFalse();
			assertThat(pool.isPaused()).isFalse();
			assertThat(pool.figures().dispatchers()).isEqualTo(1);
			assertThat(endpoint.update("missing", 2, null)).isNull();
		});
	}

	@Test
	void writeOperationRefusesAnOutOfRangeSizeOrAnEmptyRequest() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.update("orders", 4, null))
				.withMessageContaining("max-pool-num");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.update("orders", null, null));
		});
	}

	@Test
	void deadJobsAreNotFoundInAPoolThatKeepsNone() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class).run((context) -> {
			JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
			assertThat(endpoint.pool("orders")).extracting(JobPoolDescriptor::deadJobs).isNull();
			assertThat(endpoint.deadJobs(SecurityContext.NONE, "orders", "dead", null)).isNull();
			assertThat(endpoint.requeueDeadJobs("orders", "dead")).isNull();
			assertThat(endpoint.requeueDeadJobOrRunNow("orders", "dead", "1")).isNull();
		});
	}

	@Test
	void deadJobsListAtMostOneHundredByDefault() {
		this.contextRunner.withBean(JobPool.class, () -> durablePool(DeadJobsPool.deadJobs(150, "{}", "boom")))
			.run((context) -> {
				JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
				DeadJobsDescriptor dead = deadJobs(endpoint, SecurityContext.NONE, null);
				assertThat(dead.count()).isEqualTo(150);
				assertThat(dead.jobs()).hasSize(100);
				assertThat(dead.jobs().get(0).id()).isEqualTo(150);
				assertThat(deadJobs(endpoint, SecurityContext.NONE, 100).jobs()).hasSize(100);
				assertThat(deadJobs(endpoint, SecurityContext.NONE, 1).jobs()).extracting(DeadJobDescriptor::id)
					.containsExactly(150L);
			});
	}

	@Test
	void deadJobsRefuseALimitBelowOneOrAboveOneHundred() {
		this.contextRunner.withBean(JobPool.class, () -> durablePool(DeadJobsPool.deadJobs(150, "{}", "boom")))
			.run((context) -> {
				JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
				for (int limit : new int[] { 101, 1_000_000, Integer.MAX_VALUE, 0, -1 }) {
					assertThatExceptionOfType(InvalidEndpointRequestException.class)
						.isThrownBy(() -> deadJobs(endpoint, SecurityContext.NONE, limit))
						.withMessage("'limit' must be from 1 to 100, not " + limit)
						.extracting(InvalidEndpointRequestException::getReason)
						.isEqualTo("'limit' must be from 1 to 100, not " + limit);
				}
			});
	}

	@Test
	void payloadsAreHiddenByDefault() {
		this.contextRunner.withBean(JobPool.class, () -> durablePool(DeadJobsPool.deadJobs(2, PAYLOAD, "boom")))
			.run((context) -> {
				assertThat(context.getBean(JobPoolEndpointProperties.class).getShowPayloads()).isEqualTo(Show.NEVER);
				JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
				assertThat(payloadsShownTo(endpoint, SecurityContext.NONE)).containsExactly("******", "******");
				assertThat(payloadsShownTo(endpoint, user("ada", "OPS"))).containsExactly("******", "******");
				assertThat(deadJobs(endpoint, SecurityContext.NONE, null).jobs()).extracting(DeadJobDescriptor::error)
					.containsExactly("boom", "boom");
			});
	}

	@Test
	void payloadsAreShownToAnyoneWhenShowPayloadsIsAlways() {
		this.contextRunner.withBean(JobPool.class, () -> durablePool(DeadJobsPool.deadJobs(2, PAYLOAD, "boom")))
			.withPropertyValues("management.endpoint.jobpool.show-payloads=always")
			.run((context) -> assertThat(payloadsShownTo(context.getBean(JobPoolEndpoint.class), SecurityContext.NONE))
				.containsExactly(PAYLOAD, PAYLOAD));
	}

	@Test
	void payloadsAreShownWhenAuthorizedOnlyToAUserWithAListedRole() {
		this.contextRunner.withBean(JobPool.class, () -> durablePool(DeadJobsPool.deadJobs(1, PAYLOAD, "boom")))
			.withPropertyValues("management.endpoint.jobpool.show-payloads=when-authorized",
					"management.endpoint.jobpool.roles=OPS,ADMIN")
			.run((context) -> {
				JobPoolEndpointProperties properties = context.getBean(JobPoolEndpointProperties.class);
				assertThat(properties.getShowPayloads()).isEqualTo(Show.WHEN_AUTHORIZED);
				assertThat(properties.getRoles()).containsExactly("OPS", "ADMIN");
				JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
				assertThat(payloadsShownTo(endpoint, user("ada", "ADMIN"))).containsExactly(PAYLOAD);
				assertThat(payloadsShownTo(endpoint, user("bob", "VIEWER", "OPS"))).containsExactly(PAYLOAD);
				assertThat(payloadsShownTo(endpoint, user("eve", "VIEWER"))).containsExactly("******");
				assertThat(payloadsShownTo(endpoint, user("mallory"))).containsExactly("******");
				assertThat(payloadsShownTo(endpoint, SecurityContext.NONE)).containsExactly("******");
			});
	}

	@Test
	void payloadsAreShownWhenAuthorizedToAnyAuthenticatedUserWhenNoRolesAreListed() {
		this.contextRunner.withBean(JobPool.class, () -> durablePool(DeadJobsPool.deadJobs(1, PAYLOAD, "boom")))
			.withPropertyValues("management.endpoint.jobpool.show-payloads=when-authorized")
			.run((context) -> {
				JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
				assertThat(payloadsShownTo(endpoint, user("mallory"))).containsExactly(PAYLOAD);
				assertThat(payloadsShownTo(endpoint, SecurityContext.NONE)).containsExactly("******");
			});
	}

	@Test
	void longPayloadsAndErrorsAreCutAndSaySo() {
		String payload = "{\"notes\":\"" + "p".repeat(1500) + "\"}";
		List<DeadJob> jobs = List.of(new DeadJob(2, "report", payload, 3, Instant.EPOCH, "e".repeat(2500)),
				new DeadJob(1, "report", "q".repeat(1000), 3, Instant.EPOCH, "f".repeat(2000)));
		this.contextRunner.withBean(JobPool.class, () -> durablePool(jobs))
			.withPropertyValues("management.endpoint.jobpool.show-payloads=always")
			.run((context) -> {
				JobPoolEndpoint endpoint = context.getBean(JobPoolEndpoint.class);
				List<DeadJobDescriptor> dead = deadJobs(endpoint, SecurityContext.NONE, null).jobs();
				assertThat(dead.get(0).payload())
					.isEqualTo(payload.substring(0, 1000) + "… (cut, 1512 characters in all)");
				assertThat(dead.get(0).error()).isEqualTo("e".repeat(2000) + "… (cut, 2500 characters in all)");
				assertThat(dead.get(1).payload()).isEqualTo("q".repeat(1000));
				assertThat(dead.get(1).error()).isEqualTo("f".repeat(2000));
			});
	}

	@Test
	void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
		String payload = "p".repeat(999) + "\uD83D\uDE00".repeat(10);
		this.contextRunner.withBean(JobPool.class, () -> durablePool(DeadJobsPool.deadJobs(1, payload, "boom")))
			.withPropertyValues("management.endpoint.jobpool.show-payloads=always")
			.run((context) -> assertThat(payloadsShownTo(context.getBean(JobPoolEndpoint.class), SecurityContext.NONE))
				.containsExactly("p".repeat(999) + "… (cut, 1019 characters in all)"));
	}

	@Test
	void showPayloadsAndRolesHaveIdeMetadata() throws IOException {
		JsonNode metadata;
		try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(json);
		}
		List<String> properties = metadata.get("properties")
			.valueStream()
			.map((property) -> property.get("name").asString() + " " + property.get("type").asString() + " "
					+ property.path("defaultValue").asString("(none)"))
			.toList();
		assertThat(properties).contains(
				"management.endpoint.jobpool.show-payloads org.springframework.boot.actuate.endpoint.Show never",
				"management.endpoint.jobpool.roles java.util.Set<java.lang.String> (none)");
	}

	@Test
	void backsOffWhenTheEndpointIsNotExposed() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(JobPoolEndpoint.class));
	}

	@Test
	void backsOffWhenAccessIsNone() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withPropertyValues("management.endpoint.jobpool.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(JobPoolEndpoint.class));
	}

	@Test
	void backsOffWithoutAPool() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(JobPoolEndpoint.class));
	}

	@Test
	void backsOffWhenTheUserDefinesTheEndpoint() {
		this.contextRunner.withUserConfiguration(PoolConfiguration.class)
			.withBean("myEndpoint", JobPoolEndpoint.class, () -> new JobPoolEndpoint(List.of()))
			.run((context) -> assertThat(context).getBean(JobPoolEndpoint.class)
				.isSameAs(context.getBean("myEndpoint")));
	}

	private static JobPool durablePool(List<DeadJob> jobs) {
		return DeadJobsPool.of("durable", jobs);
	}

	private static DeadJobsDescriptor deadJobs(JobPoolEndpoint endpoint, SecurityContext securityContext,
			Integer limit) {
		DeadJobsDescriptor dead = endpoint.deadJobs(securityContext, "durable", "dead", limit);
		assertThat(dead).isNotNull();
		return dead;
	}

	private static List<String> payloadsShownTo(JobPoolEndpoint endpoint, SecurityContext securityContext) {
		return deadJobs(endpoint, securityContext, null).jobs().stream().map(DeadJobDescriptor::payload).toList();
	}

	private static SecurityContext user(String name, String... roles) {
		Principal principal = () -> name;
		Set<String> held = Set.of(roles);
		return new SecurityContext() {

			@Override
			public Principal getPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String role) {
				return held.contains(role);
			}

		};
	}

	@Configuration(proxyBeanMethods = false)
	static class PoolConfiguration {

		@Bean
		JobPool jobPool(CountDownLatch release) {
			JobPool pool = JobPool.builder()
				.name("orders")
				.initPoolNum(1)
				.maxPoolNum(3)
				.workerNum(2)
				.queueSize(10)
				.drainPeriod(Duration.ofSeconds(5))
				.processor(String.class, () -> (job) -> release.await())
				.build();
			pool.start();
			return pool;
		}

	}

}
