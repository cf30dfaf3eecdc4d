package io.jobpool.autoconfigure.recurring;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.RecurringJob.MissedSlots;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.spring.JobHandler;
import io.jobpool.spring.JobPoolBuilderCustomizer;
import io.jobpool.spring.Recurring;
import io.jobpool.test.TestClock;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Payloads, handlers and {@link Recurring @Recurring} methods used by the tests, and the clock of their pools.
 */
final class RecurringBeans {

	/** Where the clock of the tests' pools starts: 30 seconds before a minute, an hour and a day begin. */
	static final Instant START = Instant.parse("2026-03-01T23:59:30Z");

	private RecurringBeans() {
	}

	/**
	 * A context of the pool's auto-configuration on the tests' clock, with digests in the default pool, reports in
	 * the {@code reports} lane, and a recurring job for each.
	 */
	static ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
			.withUserConfiguration(ClockConfiguration.class)
			.withBean(DigestHandler.class)
			.withBean(ReportHandler.class)
			.withBean(DigestSchedules.class)
			.withBean(ReportSchedules.class)
			.withPropertyValues("pool.pools.reports.worker-num=1");
	}

	record Digest(ZonedDateTime slot) {
	}

	record Report(String name, Instant slot) {
	}

	/** Runs digests in the default pool, recording each, and blocking while a test holds them. */
	@JobHandler
	static class DigestHandler implements JobProcessor<Digest> {

		final List<Digest> ran = new CopyOnWriteArrayList<>();

		volatile CountDownLatch release = new CountDownLatch(0);

		@Override
		public void process(Job<Digest> job) throws InterruptedException {
			this.ran.add(job.data());
			this.release.await();
		}

	}

	/** Runs reports in the {@code reports} lane, recording each and the thread it ran on. */
	@JobHandler(pool = "reports")
	static class ReportHandler implements JobProcessor<Report> {

		final List<Report> ran = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void process(Job<Report> job) {
			this.ran.add(job.data());
			this.threads.add(Thread.currentThread().getName());
		}

	}

	/** The schedule of digests, for a JDK proxy. */
	interface DigestSchedule {

		Digest minutelyDigest(ZonedDateTime slot);

	}

	/** A digest every minute, given its slot in Berlin time; named by its method. */
	static class DigestSchedules implements DigestSchedule {

		@Override
		@Recurring(cron = "0 * * * * *", zone = "Europe/Berlin")
		public Digest minutelyDigest(ZonedDateTime slot) {
			return new Digest(slot);
		}

	}

	/** A report every hour, in UTC, that skips missed slots and never overlaps; named by its annotation. */
	static class ReportSchedules {

		@Recurring(name = "hourly-report", cron = "0 0 * * * *", zone = "UTC", missedSlots = MissedSlots.SKIP,
				overlap = false)
		Report report(Instant slot) {
			return new Report("hourly", slot);
		}

	}

	/** The tests' clock, made the clock of every pool by a customizer. */
	@Configuration(proxyBeanMethods = false)
	static class ClockConfiguration {

		@Bean
		TestClock testClock() {
			return new TestClock(START);
		}

		@Bean
		JobPoolBuilderCustomizer testClockCustomizer(TestClock testClock) {
			return (builder) -> builder.clock(testClock);
		}

	}

}
