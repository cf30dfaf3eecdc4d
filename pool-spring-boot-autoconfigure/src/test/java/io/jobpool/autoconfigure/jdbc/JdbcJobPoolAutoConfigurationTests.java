package io.jobpool.autoconfigure.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.jobpool.Job;
import io.jobpool.JobDecorator;
import io.jobpool.JobFuture;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.autoconfigure.JobPoolLifecycle;
import io.jobpool.JobProcessor;
import io.jobpool.autoconfigure.jdbc.DurableTestSupport.Chore;
import io.jobpool.autoconfigure.jdbc.DurableTestSupport.Greeting;
import io.jobpool.autoconfigure.jdbc.DurableTestSupport.GreetingHandler;
import io.jobpool.jdbc.JdbcJobPool;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.spring.JobHandler;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.jobpool.spring.JobPools;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JdbcJobPoolAutoConfiguration}, on the embedded PostgreSQL.
 */
class JdbcJobPoolAutoConfigurationTests {

	private static final String CHORES = "durable-chores";

	private final String name = TestDatabase.uniqueName("auto");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JdbcJobPoolAutoConfiguration.class, JobPoolAutoConfiguration.class))
		.withBean(GreetingHandler.class)
		.withPropertyValues("pool.name=" + this.name, "pool.shutdown.drain-period=5s");

	private final ApplicationContextRunner jdbcStore = this.contextRunner.withPropertyValues("pool.store=jdbc",
			"pool.jdbc.poll-interval=100ms");

	private final ApplicationContextRunner durable = this.jdbcStore.withBean(DataSource.class,
			DurableTestSupport::sharedDataSource);

	@Test
	void durablePoolIsShapedByThePoolProperties() {
		this.durable
			.withPropertyValues("pool.init-pool-num=2", "pool.max-pool-num=3", "pool.worker-num=3",
					"pool.queue-size=20", "pool.thread-name-prefix=durable-")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcJobPool.class).hasSingleBean(JobPoolLifecycle.class);
				JobPool pool = context.getBean(JobPool.class);
				assertThat(pool.isRunning()).isTrue();
				assertThat(pool.name()).isEqualTo(this.name);
				assertThat(pool.figures().dispatchers()).isEqualTo(2);
				assertThat(pool.figures().maxDispatchers()).isEqualTo(3);
				assertThat(pool.figures().workersPerDispatcher()).isEqualTo(3);
				assertThat(pool.figures().queueCapacity()).isEqualTo(20);
				pool.submit(new Greeting("hello")).get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(GreetingHandler.class).threads).singleElement()
					.asString()
					.startsWith("durable-");
			});
	}

	@Test
	void jobHandlerJobsAreStoredInTheTableAndDeletedOnceTheySucceed() {
		this.durable.run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			pool.pause();
			JobFuture future = pool.submit(new Greeting("stored"));
			assertThat(DurableTestSupport.storedJobs(this.name)).singleElement().satisfies((row) -> {
				assertThat(row).containsEntry("type", "greeting").containsEntry("state", "ready");
				assertThat(row.get("payload")).asString().contains("\"greetingText\"").contains("\"stored\"");
			});
			pool.resume();
			future.get(10, TimeUnit.SECONDS);
			assertThat(context.getBean(GreetingHandler.class).greetings).containsExactly("stored");
			assertThat(DurableTestSupport.storedJobs(this.name)).isEmpty();
		});
	}

	@Test
	void durablePoolHasTheListenerDecoratorAndCustomizerBeans() {
		this.durable.withUserConfiguration(ExtensionsConfiguration.class).run((context) -> {
			context.getBean(JobPool.class).submit(new Greeting("extended")).get(10, TimeUnit.SECONDS);
			List<String> events = context.getBean(ExtensionsConfiguration.class).events;
			await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 4);
			assertThat(events).containsExactlyInAnyOrder("task decorator", "job decorator", "listener: extended",
					"customizer's listener: extended");
		});
	}

	@Test
	void eachDurableLaneHasItsOwnRowsInTheSharedTable() {
		TestDatabase.get().jdbc().update("DELETE FROM jobpool_job WHERE pool = ?", CHORES);
		this.durable.withUserConfiguration(ChoresLane.class)
			.withPropertyValues("pool.pools." + CHORES + ".worker-num=2", "pool.pools.pings.store=memory")
			.run((context) -> {
				JobPools pools = context.getBean(JobPools.class);
				assertThat(pools.pool(CHORES)).isInstanceOf(JdbcJobPool.class);
				assertThat(pools.pool("pings")).isNotInstanceOf(JdbcJobPool.class);
				pools.all().forEach(JobPool::pause);
				JobFuture greeting = pools.submit(new Greeting("mine"));
				JobFuture chore = pools.submit(new Chore("sweep"));
				assertThat(DurableTestSupport.storedJobs(this.name)).extracting((row) -> row.get("type"))
					.containsExactly("greeting");
				assertThat(DurableTestSupport.storedJobs(CHORES)).extracting((row) -> row.get("type"))
					.containsExactly("chore");
				pools.all().forEach(JobPool::resume);
				greeting.get(10, TimeUnit.SECONDS);
				chore.get(10, TimeUnit.SECONDS);
				pools.submit(1).get(10, TimeUnit.SECONDS);
				assertThat(DurableTestSupport.storedJobs(CHORES)).isEmpty();
			});
	}

	@Test
	void payloadsAreWrittenWithTheApplicationsJsonMapper() {
		JsonMapper snakeCase = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		this.durable.withBean(JsonMapper.class, () -> snakeCase).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			pool.pause();
			JobFuture future = pool.submit(new Greeting("snake"));
			assertThat(DurableTestSupport.storedJobs(this.name)).singleElement()
				.extracting((row) -> row.get("payload"))
				.asString()
				.contains("\"greeting_text\"");
			pool.resume();
			future.get(10, TimeUnit.SECONDS);
			assertThat(context.getBean(GreetingHandler.class).greetings).containsExactly("snake");
		});
	}

	@Test
	void durablePoolNotifiesAndListensByDefault() {
		this.durable.withPropertyValues("pool.thread-name-prefix=" + this.name + "-")
			.run((context) -> assertThat(threadNames()).contains(this.name + "-notifier",
					this.name + "-notify-listener"));
	}

	@Test
	void durablePoolNeitherNotifiesNorListensWhenNotificationsAreOff() {
		this.durable.withPropertyValues("pool.thread-name-prefix=" + this.name + "-", "pool.jdbc.notifications=false")
			.run((context) -> {
				context.getBean(JobPool.class).submit(new Greeting("polled")).get(10, TimeUnit.SECONDS);
				assertThat(threadNames()).filteredOn((thread) -> thread.startsWith(this.name + "-"))
					.isNotEmpty()
					.noneMatch((thread) -> thread.contains("notif"));
			});
	}

	@Test
	void schemaIsInitializedWhenAskedTo() {
		String schema = "jobpool_" + this.name.replace('-', '_');
		try {
			this.jdbcStore.withBean(DataSource.class, () -> DurableTestSupport.dataSourceOnNewSchema(schema))
				.withPropertyValues("pool.jdbc.initialize-schema=always")
				.run((context) -> {
					context.getBean(JobPool.class).submit(new Greeting("created")).get(10, TimeUnit.SECONDS);
					assertThat(TestDatabase.get()
						.jdbc()
						.queryForObject("SELECT to_regclass(?)::text", String.class, schema + ".jobpool_job"))
						.isNotNull();
				});
		}
		finally {
			DurableTestSupport.dropSchema(schema);
		}
	}

	@Test
	void durablePoolUsesThePrimaryDataSourceAmongSeveral() {
		this.jdbcStore
			.withBean("primaryDataSource", DataSource.class, DurableTestSupport::sharedDataSource,
					(definition) -> definition.setPrimary(true))
			.withBean("unreachableDataSource", DataSource.class,
					() -> new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:9/none"))
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcJobPool.class);
				context.getBean(JobPool.class).submit(new Greeting("primary")).get(10, TimeUnit.SECONDS);
			});
	}

	@Test
	void inMemoryPoolByDefaultEvenWithADataSource() {
		this.contextRunner.withBean(DataSource.class, DurableTestSupport::sharedDataSource)
			.run((context) -> assertThat(context).hasSingleBean(JobPool.class).doesNotHaveBean(JdbcJobPool.class));
	}

	@Test
	void backsOffWhenTheUserDefinesAPool() {
		JobPool userPool = JobPool.builder().name("user").processor(Greeting.class, GreetingHandler::new).build();
		this.durable.withBean(JobPool.class, () -> userPool)
			.run((context) -> assertThat(context).hasNotFailed().getBean(JobPool.class).isSameAs(userPool));
	}

	@Test
	void backsOffWhenThePoolIsDisabled() {
		this.durable.withPropertyValues("pool.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(JobPool.class));
	}

	private static List<String> threadNames() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class ChoresLane {

		@Bean
		@JobHandler(pool = CHORES)
		JobProcessor<Chore> choreHandler() {
			return (job) -> {
			};
		}

		@Bean
		@JobHandler(pool = "pings")
		JobProcessor<Integer> pingHandler() {
			return (job) -> {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExtensionsConfiguration {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Bean
		JobListener listener() {
			return succeeded("listener: ");
		}

		@Bean
		JobDecorator jobDecorator() {
			return (job, execution) -> () -> {
				this.events.add("job decorator");
				execution.run();
			};
		}

		@Bean
		TaskDecorator taskDecorator() {
			return (execution) -> () -> {
				this.events.add("task decorator");
				execution.run();
			};
		}

		@Bean
		JobPoolBuilderCustomizer customizer() {
			return (builder) -> builder.listener(succeeded("customizer's listener: "));
		}

		private JobListener succeeded(String prefix) {
			return new JobListener() {

				@Override
				public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
					ExtensionsConfiguration.this.events.add(prefix + ((Greeting) job.data()).greetingText());
				}

			};
		}

	}

}
