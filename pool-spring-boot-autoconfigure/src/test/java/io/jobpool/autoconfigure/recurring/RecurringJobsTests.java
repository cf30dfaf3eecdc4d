package io.jobpool.autoconfigure.recurring;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.RecurringJobStatus;
import io.jobpool.autoconfigure.recurring.RecurringBeans.Digest;
import io.jobpool.autoconfigure.recurring.RecurringBeans.DigestHandler;
import io.jobpool.autoconfigure.recurring.RecurringBeans.DigestSchedule;
import io.jobpool.autoconfigure.recurring.RecurringBeans.Report;
import io.jobpool.autoconfigure.recurring.RecurringBeans.ReportHandler;
import io.jobpool.spring.JobPools;
import io.jobpool.test.TestClock;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.jobpool.autoconfigure.recurring.RecurringBeans.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link io.jobpool.spring.Recurring @Recurring} methods and {@code schedule} in a Spring context, on a
 * clock the tests move: each job runs in the pool that takes its payload, the {@code pool.recurring.<name>.*}
 * properties change or turn off a schedule, and {@code pool.schedule-size} bounds the jobs waiting for their time.
 */
class RecurringJobsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");

	private final ApplicationContextRunner contextRunner = RecurringBeans.contextRunner();

	@Test
	void aRecurringMethodInTheDefaultPoolSubmitsItsPayloadAtEachSlotGivenTheSlotInItsZone() {
		this.contextRunner.run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			assertThat(pool.recurringJobs())
				.containsExactly(new RecurringJobStatus("minutely-digest", MIDNIGHT, null, null));
			DigestHandler digests = context.getBean(DigestHandler.class);
			clock(context).advance(Duration.ofSeconds(30));
			await().atMost(WAIT).until(() -> digests.ran.size() == 1);
			clock(context).advance(Duration.ofMinutes(1));
			await().atMost(WAIT).until(() -> digests.ran.size() == 2);
			assertThat(digests.ran).containsExactly(new Digest(ZonedDateTime.parse("2026-03-02T01:00+01:00[Europe/Berlin]")),
					new Digest(ZonedDateTime.parse("2026-03-02T01:01+01:00[Europe/Berlin]")));
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(pool.recurringJobs()).containsExactly(new RecurringJobStatus(
						"minutely-digest", minutes(2), minutes(1), "succeeded")));
			assertThat(pool.stats().recurring()).isEqualTo(2);
		});
	}

	@Test
	void aRecurringMethodWhosePayloadALaneTakesRunsInThatLaneUnderItsAnnotatedName() {
		this.contextRunner.run((context) -> {
			JobPool reports = context.getBean("reportsJobPool", JobPool.class);
			assertThat(reports.recurringJobs())
				.containsExactly(new RecurringJobStatus("hourly-report", MIDNIGHT, null, null));
			assertThat(context.getBean(JobPool.class).recurringJobs()).extracting(RecurringJobStatus::name)
				.containsExactly("minutely-digest");
			ReportHandler handler = context.getBean(ReportHandler.class);
			clock(context).advance(Duration.ofSeconds(30));
			await().atMost(WAIT).until(() -> handler.ran.size() == 1);
			assertThat(handler.ran).containsExactly(new Report("hourly", MIDNIGHT));
			assertThat(handler.threads).singleElement().asString().startsWith("reports-");
		});
	}

	@Test
	void aPropertyTurnsAScheduleOff() {
		this.contextRunner.withPropertyValues("pool.recurring.hourly-report.enabled=false").run((context) -> {
			JobPool reports = context.getBean("reportsJobPool", JobPool.class);
			assertThat(reports.recurringJobs()).isEmpty();
			clock(context).advance(Duration.ofSeconds(30));
			await().atMost(WAIT).until(() -> context.getBean(DigestHandler.class).ran.size() == 1);
			assertThat(reports.stats().recurring()).isZero();
			assertThat(context.getBean(ReportHandler.class).ran).isEmpty();
		});
	}

	@Test
	void propertiesChangeTheCronAndTheZone() {
		this.contextRunner
			.withPropertyValues("pool.recurring.minutely-digest.cron=0 0 9 * * MON-FRI",
					"pool.recurring.minutely-digest.zone=America/New_York")
			.run((context) -> {
				JobPool pool = context.getBean(JobPool.class);
				Instant nineInNewYork = Instant.parse("2026-03-02T14:00:00Z");
				assertThat(pool.recurringJobs()).singleElement()
					.isEqualTo(new RecurringJobStatus("minutely-digest", nineInNewYork, null, null));
				clock(context).set(nineInNewYork);
				DigestHandler digests = context.getBean(DigestHandler.class);
				await().atMost(WAIT).until(() -> digests.ran.size() == 1);
				assertThat(digests.ran)
					.containsExactly(new Digest(ZonedDateTime.parse("2026-03-02T09:00-05:00[America/New_York]")));
				assertThat(pool.recurringJobs()).singleElement()
					.extracting(RecurringJobStatus::nextSlot)
					.isEqualTo(Instant.parse("2026-03-03T14:00:00Z"));
			});
	}

	@Test
	void ofTheSlotsMissedInARowOnlyTheLatestRunsByDefault() {
		this.contextRunner.run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			clock(context).set(minutes(3).plusSeconds(30));
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(pool.recurringJobs()).containsExactly(new RecurringJobStatus(
						"minutely-digest", minutes(4), minutes(3), "succeeded")));
			assertThat(context.getBean(DigestHandler.class).ran).extracting((digest) -> digest.slot().toInstant())
				.containsExactly(minutes(3));
		});
	}

	@Test
	void aPropertyMakesMissedSlotsSkipped() {
		this.contextRunner.withPropertyValues("pool.recurring.minutely-digest.missed-slots=skip").run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			clock(context).set(minutes(3).plusSeconds(30));
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(pool.recurringJobs()).singleElement().satisfies((status) -> {
					assertThat(status.lastSlot()).isEqualTo(minutes(3));
					assertThat(status.nextSlot()).isEqualTo(minutes(4));
					assertThat(status.lastOutcome()).startsWith("skipped: missed by");
				}));
			assertThat(context.getBean(DigestHandler.class).ran).isEmpty();
			assertThat(pool.stats().recurring()).isZero();
		});
	}

	@Test
	void aPropertyForbidsOverlapSoASlotIsSkippedWhileTheJobBeforeRuns() {
		this.contextRunner.withPropertyValues("pool.recurring.minutely-digest.overlap=false").run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			DigestHandler digests = context.getBean(DigestHandler.class);
			digests.release = new CountDownLatch(1);
			try {
				clock(context).set(MIDNIGHT);
				await().atMost(WAIT).until(() -> digests.ran.size() == 1);
				clock(context).set(minutes(1));
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(pool.recurringJobs()).containsExactly(new RecurringJobStatus(
							"minutely-digest", minutes(2), minutes(1),
							"skipped: the job of the last slot submitted has not ended")));
				assertThat(digests.ran).hasSize(1);
			}
			finally {
				digests.release.countDown();
			}
		});
	}

	@Test
	void scheduleSizeIsTheQueueSizeUnlessSetAtTheTopLevelOrForALane() {
		this.contextRunner.withPropertyValues("pool.queue-size=40").run((context) -> {
			assertThat(context.getBean(JobPool.class).figures().scheduleCapacity()).isEqualTo(40);
			assertThat(context.getBean("reportsJobPool", JobPool.class).figures().scheduleCapacity()).isEqualTo(40);
		});
		this.contextRunner.withPropertyValues("pool.schedule-size=7", "pool.pools.reports.schedule-size=3")
			.run((context) -> {
				assertThat(context.getBean(JobPool.class).figures().scheduleCapacity()).isEqualTo(7);
				assertThat(context.getBean("reportsJobPool", JobPool.class).figures().scheduleCapacity())
					.isEqualTo(3);
			});
	}

	@Test
	void aJobScheduledThroughTheJobPoolBeanWaitsForItsTimeWithoutAWorkerThenRuns() {
		this.contextRunner.withPropertyValues("pool.recurring.minutely-digest.enabled=false").run((context) -> {
			JobPool pool = context.getBean(JobPool.class);
			Digest later = new Digest(ZonedDateTime.parse("2026-03-02T01:00+01:00[Europe/Berlin]"));
			JobFuture future = pool.schedule(later, Duration.ofMinutes(5));
			assertThat(pool.figures().scheduled()).isEqualTo(1);
			assertThat(pool.activeWorkers()).isZero();
			assertThat(pool.stats().scheduled()).isEqualTo(1);
			clock(context).advance(Duration.ofMinutes(5));
			future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(context.getBean(DigestHandler.class).ran).containsExactly(later);
			assertThat(pool.figures().scheduled()).isZero();
		});
	}

	@Test
	void jobPoolsSchedulesAPayloadInThePoolThatTakesIt() {
		this.contextRunner.withPropertyValues("pool.recurring.hourly-report.enabled=false").run((context) -> {
			JobPool reports = context.getBean("reportsJobPool", JobPool.class);
			Report report = new Report("later", MIDNIGHT);
			JobFuture future = context.getBean(JobPools.class).schedule(report, MIDNIGHT);
			assertThat(reports.figures().scheduled()).isEqualTo(1);
			assertThat(context.getBean(JobPool.class).figures().scheduled()).isZero();
			clock(context).set(MIDNIGHT);
			future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(context.getBean(ReportHandler.class).ran).containsExactly(report);
		});
	}

	@ParameterizedTest(name = "proxyTargetClass={0}")
	@ValueSource(booleans = { false, true })
	void aRecurringMethodOfABeanBehindAProxyIsFoundOnItsTargetAndCalledThroughTheProxy(boolean proxyTargetClass) {
		AtomicInteger calls = new AtomicInteger();
		this.contextRunner.withBean(BeanPostProcessor.class, () -> proxying(proxyTargetClass, calls))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(AopUtils.isCglibProxy(context.getBean(DigestSchedule.class))).isEqualTo(proxyTargetClass);
				assertThat(context.getBean(JobPool.class).recurringJobs()).extracting(RecurringJobStatus::name)
					.containsExactly("minutely-digest");
				clock(context).advance(Duration.ofSeconds(30));
				await().atMost(WAIT).until(() -> context.getBean(DigestHandler.class).ran.size() == 1);
				assertThat(calls).hasValue(1);
			});
	}

	private static BeanPostProcessor proxying(boolean proxyTargetClass, AtomicInteger calls) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (!(bean instanceof DigestSchedule)) {
					return bean;
				}
				ProxyFactory factory = new ProxyFactory(bean);
				factory.setProxyTargetClass(proxyTargetClass);
				if (!proxyTargetClass) {
					factory.setInterfaces(DigestSchedule.class);
				}
				factory.addAdvice((MethodInterceptor) (invocation) -> {
					calls.incrementAndGet();
					return invocation.proceed();
				});
				return factory.getProxy();
			}
		};
	}

	private static TestClock clock(AssertableApplicationContext context) {
		return context.getBean(TestClock.class);
	}

	private static Instant minutes(int minutes) {
		return MIDNIGHT.plus(Duration.ofMinutes(minutes));
	}

}
