package io.jobpool.autoconfigure.dashboard;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.DashboardHistory;
import io.jobpool.spring.JobHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JobPoolDashboardAutoConfiguration}.
 */
class JobPoolDashboardAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			JobPoolAutoConfiguration.class, EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
			JobPoolDashboardAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withUserConfiguration(HandlerConfiguration.class)
		.withPropertyValues("pool.name=orders", "management.endpoints.web.exposure.include=jobpooldashboard");

	@Test
	void isOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(JobPool.class)
			.doesNotHaveBean(JobPoolDashboardEndpoint.class)
			.doesNotHaveBean(DashboardSampler.class)
			.doesNotHaveBean(JobTimesByPool.class));
	}

	@Test
	void whenEnabledAndExposedTheEndpointSamplesTheTimedPools() {
		this.contextRunner.withPropertyValues("pool.dashboard.enabled=true", "pool.dashboard.sample-interval=100ms")
			.run((context) -> {
				assertThat(context).hasSingleBean(JobPoolDashboardEndpoint.class);
				assertThat(context.getBean(DashboardSampler.class).isRunning()).isTrue();
				JobPool pool = context.getBean(JobPool.class);
				pool.submit("ping").get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(JobTimesByPool.class).get("orders")).isNotNull();
				JobPoolDashboardEndpoint endpoint = context.getBean(JobPoolDashboardEndpoint.class);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					DashboardHistory history = endpoint.history("history", null);
					assertThat(history).isNotNull();
					assertThat(history.pools()).containsOnlyKeys("orders");
					assertThat(history.pools().get("orders").run()).isNotNull()
						.extracting(JobPoolDashboardEndpoint.Latency::count)
						.isEqualTo(1L);
				});
			});
	}

	@Test
	void theSamplerStopsWithTheContext() {
		this.contextRunner.withPropertyValues("pool.dashboard.enabled=true").run((context) -> {
			DashboardSampler sampler = context.getBean(DashboardSampler.class);
			assertThat(sampler.isRunning()).isTrue();
			context.close();
			assertThat(sampler.isRunning()).isFalse();
		});
	}

	@Test
	void whenEnabledButNotExposedNothingOfItExists() {
		this.contextRunner
			.withPropertyValues("pool.dashboard.enabled=true", "management.endpoints.web.exposure.include=jobpool")
			.run((context) -> assertThat(context).doesNotHaveBean(JobPoolDashboardEndpoint.class)
				.doesNotHaveBean(DashboardSampler.class)
				.doesNotHaveBean(JobTimesByPool.class));
	}

	@Test
	void whenEnabledButAccessIsNoneNothingOfItExists() {
		this.contextRunner
			.withPropertyValues("pool.dashboard.enabled=true", "management.endpoint.jobpooldashboard.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(JobPoolDashboardEndpoint.class)
				.doesNotHaveBean(DashboardSampler.class));
	}

	@Test
	void isNotInAnApplicationThatIsNotAWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(HandlerConfiguration.class)
			.withPropertyValues("pool.dashboard.enabled=true", "management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).hasSingleBean(JobPool.class)
				.doesNotHaveBean(JobPoolDashboardEndpoint.class));
	}

	@Test
	void isNotThereWithoutTheActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebEndpoint.class))
			.withPropertyValues("pool.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(JobPool.class)
				.doesNotHaveBean(JobPoolDashboardEndpoint.class));
	}

	@Test
	void isNotThereWithoutAPool() {
		this.contextRunner.withPropertyValues("pool.dashboard.enabled=true", "pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobPool.class)
				.doesNotHaveBean(JobPoolDashboardEndpoint.class));
	}

	@Test
	void anEndpointOfTheUsersOwnTakesItsPlace() {
		this.contextRunner.withPropertyValues("pool.dashboard.enabled=true")
			.withUserConfiguration(UserEndpointConfiguration.class)
			.run((context) -> assertThat(context).getBean(JobPoolDashboardEndpoint.class)
				.isSameAs(context.getBean("userEndpoint")));
	}

	@Test
	void historyAndSampleIntervalSetTheSizeOfEachPoolsHistory() {
		this.contextRunner
			.withPropertyValues("pool.dashboard.enabled=true", "pool.dashboard.sample-interval=500ms",
					"pool.dashboard.history=2m")
			.run((context) -> {
				DashboardHistory history = context.getBean(JobPoolDashboardEndpoint.class).history("history", 0L);
				assertThat(history).isNotNull();
				assertThat(history.interval()).isEqualTo(500);
				assertThat(history.size()).isEqualTo(240);
			});
	}

	@Test
	void aSampleIntervalUnder100msStopsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("pool.dashboard.enabled=true", "pool.dashboard.sample-interval=50ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessage("Property pool.dashboard.sample-interval with value '50ms' is invalid: It must be at least 100ms."));
	}

	@Test
	void aHistoryOfMoreThan3600SamplesStopsStartUpNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pool.dashboard.enabled=true", "pool.dashboard.sample-interval=100ms",
					"pool.dashboard.history=1h")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessage("Property pool.dashboard.history with value '60m' is invalid: It must hold from 1 to 3600 "
						+ "samples of 'pool.dashboard.sample-interval' (100ms), not 36000."));
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlerConfiguration {

		@Bean
		@JobHandler
		JobProcessor<String> pingHandler() {
			return (job) -> {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		@Bean
		JobPoolDashboardEndpoint userEndpoint(DashboardSampler sampler, ObjectProvider<WebEndpointsSupplier> endpoints) {
			return new JobPoolDashboardEndpoint(sampler, new DashboardPage(endpoints));
		}

	}

}
