package io.jobpool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.jobpool.JobHandedBackException;
import io.jobpool.JobPool;
import io.jobpool.autoconfigure.TestHandlers.BlockingInvoiceHandler;
import io.jobpool.autoconfigure.TestHandlers.Greeting;
import io.jobpool.autoconfigure.TestHandlers.GreetingHandler;
import io.jobpool.autoconfigure.TestHandlers.Invoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JobPoolLifecycle}.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobPoolLifecycleTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class));

	@Test
	void phaseShouldStartBeforeAndStopAfterTheWebServer() {
		assertThat(JobPoolLifecycle.PHASE).isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
			.isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
	}

	@Test
	void poolShouldBeRunningWhileALifecycleInTheWebServerPhaseStartsAndStops() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withUserConfiguration(WebServerPhaseConfiguration.class)
			.run((context) -> {
				WebServerPhaseConfiguration configuration = context.getBean(WebServerPhaseConfiguration.class);
				JobPool pool = context.getBean(JobPool.class);
				assertThat(configuration.poolRunning).containsExactly("start:true");
				context.close();
				assertThat(configuration.poolRunning).containsExactly("start:true", "stop:true");
				assertThat(pool.isClosed()).isTrue();
			});
	}

	@Test
	void closingTheContextShouldDrainQueuedJobs() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withPropertyValues("pool.worker-num=1")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				GreetingHandler handler = context.getBean(GreetingHandler.class);
				List<CompletableFuture<Void>> futures = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					futures.add(pool.submit(new Greeting("job " + i)));
				}
				context.close();
				assertThat(futures).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
				assertThat(handler.greetings).hasSize(20);
				assertThat(pool.isClosed()).isTrue();
			});
	}

	@Test
	void closingTheContextWhenJobsDoNotFinishShouldHandThemBackAndLogTheirCount(CapturedOutput output) {
		this.contextRunner.withBean(BlockingInvoiceHandler.class)
			.withPropertyValues("pool.worker-num=1", "pool.shutdown.drain-period=200ms")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				CompletableFuture<Void> running = pool.submit(new Invoice(0));
				assertThat(context.getBean(BlockingInvoiceHandler.class).started.await(10, TimeUnit.SECONDS))
					.isTrue();
				List<CompletableFuture<Void>> queued = new ArrayList<>();
				for (int i = 1; i <= 3; i++) {
					queued.add(pool.submit(new Invoice(i)));
				}
				context.close();
				assertThat(output).contains("Job pool 'jobpool' did not drain within PT0.2S; handed back 3 "
						+ "unprocessed job(s)");
				assertThat(queued).allSatisfy((future) -> assertThat(future).failsWithin(Duration.ofSeconds(5))
					.withThrowableThat()
					.withCauseInstanceOf(JobHandedBackException.class));
				assertThat(running).failsWithin(Duration.ofSeconds(5));
				assertThat(pool.isClosed()).isTrue();
				assertThat(pool.stats().accepted()).isEqualTo(4);
				assertThat(pool.stats().handedBack()).isEqualTo(3);
			});
	}

	@Test
	void closingThePoolByHandBeforeTheContextShouldBeFine() {
		this.contextRunner.withBean(GreetingHandler.class).run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			GreetingHandler handler = context.getBean(GreetingHandler.class);
			pool.submit(new Greeting("hello"));
			pool.close();
			assertThat(pool.isClosed()).isTrue();
			assertThat(context.getBean(JobPoolLifecycle.class).isRunning()).isFalse();
			context.close();
			assertThat(handler.greetings).containsExactly("hello");
		});
	}

	@Test
	void stopWithCallbackShouldDrainOnAnotherThreadAndThenCallBack() {
		JobPool pool = JobPool.builder().processor(Greeting.class, GreetingHandler::new).build();
		JobPoolLifecycle lifecycle = new JobPoolLifecycle(pool, Duration.ofSeconds(30));
		lifecycle.start();
		assertThat(lifecycle.isRunning()).isTrue();
		List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
		lifecycle.stop(() -> callbackThreads.add(Thread.currentThread()));
		await().atMost(Duration.ofSeconds(10)).until(() -> !callbackThreads.isEmpty());
		assertThat(callbackThreads).singleElement().isNotSameAs(Thread.currentThread());
		assertThat(pool.isClosed()).isTrue();
		assertThat(lifecycle.isRunning()).isFalse();
	}

	@Test
	void drainShouldFitWithinTheShorterOfThePoolsDrainPeriodAndShutdownPhaseTimeout() {
		assertThat(drainWithin(Duration.ofSeconds(5), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
		assertThat(drainWithin(Duration.ofSeconds(30), Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(9));
		assertThat(drainWithin(Duration.ofSeconds(60), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(29));
	}

	@Test
	void drainOfAUserDefinedPoolShouldUseItsOwnDrainPeriodNotTheProperty() {
		JobPool userPool = JobPool.builder()
			.name("user")
			.drainPeriod(Duration.ofSeconds(3))
			.processor(Greeting.class, GreetingHandler::new)
			.build();
		this.contextRunner.withBean(JobPool.class, () -> userPool)
			.withPropertyValues("pool.shutdown.drain-period=20s")
			.run((context) -> assertThat(context.getBean(JobPoolLifecycle.class).getDrainWithin())
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void drainOfThePoolOfThePoolAutoConfigurationShouldUseTheDrainPeriodProperty() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withPropertyValues("pool.shutdown.drain-period=7s")
			.run((context) -> assertThat(context.getBean(JobPoolLifecycle.class).getDrainWithin())
				.isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void lifecycleShouldHonourTimeoutPerShutdownPhase() {
		this.contextRunner.withBean(GreetingHandler.class)
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=2s")
			.run((context) -> assertThat(context.getBean(JobPoolLifecycle.class).getDrainWithin())
				.isEqualTo(Duration.ofMillis(1800)));
	}

	private static Duration drainWithin(Duration drainPeriod, Duration timeoutPerShutdownPhase) {
		JobPool pool = JobPool.builder()
			.drainPeriod(drainPeriod)
			.processor(Greeting.class, GreetingHandler::new)
			.build();
		try {
			return new JobPoolLifecycle(pool, timeoutPerShutdownPhase).getDrainWithin();
		}
		finally {
			pool.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class WebServerPhaseConfiguration {

		final List<String> poolRunning = new CopyOnWriteArrayList<>();

		@Bean
		SmartLifecycle webServerLikeLifecycle(JobPool pool) {
			return new SmartLifecycle() {

				private volatile boolean running;

				@Override
				public void start() {
					WebServerPhaseConfiguration.this.poolRunning.add("start:" + pool.isRunning());
					this.running = true;
				}

				@Override
				public void stop() {
					WebServerPhaseConfiguration.this.poolRunning.add("stop:" + pool.isRunning());
					this.running = false;
				}

				@Override
				public boolean isRunning() {
					return this.running;
				}

				@Override
				public int getPhase() {
					return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE;
				}

			};
		}

	}

}
