package io.jobpool.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jobpool.Job;
import io.jobpool.JobListener;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.JobTimes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code jobpool.queue.wait} and {@code jobpool.job.duration} timers: function timers over the workers' own
 * totals unless the registry asks for a distribution, exact either way.
 */
class JobTimersTests {

	private static final int SUBMITTERS = 4;

	private static final int JOBS_EACH = 5_000;

	private final List<JobPool> pools = new ArrayList<>();

	private final Summing heard = new Summing();

	@AfterEach
	void stopPools() {
		this.pools.forEach(JobPool::shutdownNow);
	}

	@Test
	void functionTimersPublishExactCountsAndSumsOfConcurrentAttempts() throws Exception {
		MeterRegistry registry = new SimpleMeterRegistry();
		JobPool pool = start(registry);
		submitConcurrently(pool);
		FunctionTimer duration = registry.get("jobpool.job.duration").tag("outcome", "success").functionTimer();
		FunctionTimer queueWait = registry.get("jobpool.queue.wait").tag("outcome", "success").functionTimer();
		assertThat(duration.count()).isEqualTo(SUBMITTERS * JOBS_EACH + 1);
		assertThat(queueWait.count()).isEqualTo(SUBMITTERS * JOBS_EACH + 1);
		assertThat(nanos(duration.totalTime(TimeUnit.NANOSECONDS))).isEqualTo(this.heard.run.sum());
		assertThat(nanos(queueWait.totalTime(TimeUnit.NANOSECONDS))).isEqualTo(this.heard.queueWait.sum());
		assertThat(registry.get("jobpool.job.duration").tag("outcome", "failure").functionTimer().count()).isOne();
		assertThat(registry.get("jobpool.job.duration").tag("outcome", "timeout").functionTimer().count()).isZero();
		assertThat(registry.find("jobpool.job.duration").timers()).isEmpty();
	}

	@Test
	void aNameGivenADistributionByAMeterFilterIsRecordedInRealTimersWithExactCountsAndSums() throws Exception {
		MeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(distribution("jobpool.job.duration",
				DistributionStatisticConfig.builder().percentiles(0.5, 0.99).build()));
		JobPool pool = start(registry);
		submitConcurrently(pool);
		Timer duration = registry.get("jobpool.job.duration").tag("outcome", "success").timer();
		assertThat(duration.count()).isEqualTo(SUBMITTERS * JOBS_EACH + 1);
		assertThat(nanos(duration.totalTime(TimeUnit.NANOSECONDS))).isEqualTo(this.heard.run.sum());
		assertThat(duration.max(TimeUnit.NANOSECONDS)).isPositive();
		assertThat(duration.takeSnapshot().percentileValues()).hasSize(2);
		assertThat(registry.get("jobpool.job.duration").tag("outcome", "failure").timer().count()).isOne();
		FunctionTimer queueWait = registry.get("jobpool.queue.wait").tag("outcome", "success").functionTimer();
		assertThat(nanos(queueWait.totalTime(TimeUnit.NANOSECONDS))).isEqualTo(this.heard.queueWait.sum());
	}

	@Test
	void prometheusScrapesTheSameNamesWithCountAndSum() throws Exception {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		JobPool pool = start(registry);
		submitConcurrently(pool);
		String scrape = registry.scrape();
		int jobs = SUBMITTERS * JOBS_EACH + 1;
		assertThat(scrape).contains("# TYPE jobpool_job_duration_seconds summary")
			.contains("jobpool_job_duration_seconds_count{outcome=\"success\",pool=\"timed\"} " + jobs)
			.contains("jobpool_queue_wait_seconds_count{outcome=\"success\",pool=\"timed\"} " + jobs)
			.contains("jobpool_job_duration_seconds_sum{outcome=\"success\",pool=\"timed\"} "
					+ seconds(this.heard.run.sum()))
			.contains("jobpool_job_duration_seconds_count{outcome=\"timeout\",pool=\"timed\"} 0");
	}

	@Test
	void prometheusScrapesABucketedNameAsAHistogram() throws Exception {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		registry.config().meterFilter(distribution("jobpool.queue.wait",
				DistributionStatisticConfig.builder().percentilesHistogram(true).build()));
		JobPool pool = start(registry);
		submitConcurrently(pool);
		int jobs = SUBMITTERS * JOBS_EACH + 1;
		assertThat(registry.scrape()).contains("# TYPE jobpool_queue_wait_seconds histogram")
			.contains("jobpool_queue_wait_seconds_count{outcome=\"success\",pool=\"timed\"} " + jobs)
			.contains("jobpool_queue_wait_seconds_max{outcome=\"success\",pool=\"timed\"}")
			.contains("jobpool_job_duration_seconds_count{outcome=\"success\",pool=\"timed\"} " + jobs);
	}

	@Test
	void aPoolWithoutListenersKeepsNoTimes() throws Exception {
		JobPool pool = builder().build();
		this.pools.add(pool);
		pool.start();
		pool.submit("ok").get(10, TimeUnit.SECONDS);
		assertThat(pool.jobTimes()).isEqualTo(JobTimes.NONE);
	}

	@Test
	void closingTheBinderRemovesTheFunctionTimers() throws Exception {
		MeterRegistry registry = new SimpleMeterRegistry();
		JobPoolMetrics metrics = new JobPoolMetrics();
		JobPool pool = builder().listener(metrics).build();
		this.pools.add(pool);
		metrics.monitor(pool).bindTo(registry);
		pool.start();
		pool.submit("ok").get(10, TimeUnit.SECONDS);
		assertThat(registry.find("jobpool.job.duration").functionTimers()).hasSize(3);
		metrics.close();
		assertThat(registry.find("jobpool.job.duration").meters()).isEmpty();
		assertThat(registry.find("jobpool.queue.wait").meters()).isEmpty();
	}

	@Test
	void aSecondPoolOfTheSameNameBindsToTheFunctionTimersAlreadyRegistered() throws Exception {
		MeterRegistry registry = new SimpleMeterRegistry();
		start(registry).submit("ok").get(10, TimeUnit.SECONDS);
		JobPool second = start(registry);
		assertThat(second.isRunning()).isTrue();
		assertThat(registry.find("jobpool.job.duration").functionTimers()).hasSize(3);
		assertThat(registry.find("jobpool.jobs.submitted").counters()).hasSize(1);
	}

	private JobPool start(MeterRegistry registry) {
		JobPool pool = builder().listener(this.heard).listener(JobPoolMetrics.bindOnStart(registry, Tags.empty()))
			.build();
		this.pools.add(pool);
		pool.start();
		return pool;
	}

	private JobPoolBuilder builder() {
		return JobPool.builder().name("timed").workerNum(4).queueSize(64).jobTimeout(Duration.ofSeconds(30))
			.processor(String.class, () -> (job) -> {
				if (job.data().equals("fail")) {
					throw new IllegalStateException("fail");
				}
			});
	}

	private void submitConcurrently(JobPool pool) throws Exception {
		ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
		try {
			List<Future<List<CompletableFuture<Void>>>> batches = new ArrayList<>();
			for (int s = 0; s < SUBMITTERS; s++) {
				batches.add(submitters.submit(() -> {
					List<CompletableFuture<Void>> futures = new ArrayList<>();
					for (int i = 0; i < JOBS_EACH; i++) {
						futures.add(pool.submit("ok"));
					}
					return futures;
				}));
			}
			List<CompletableFuture<Void>> all = new ArrayList<>();
			all.add(pool.submit("ok"));
			all.add(pool.submit("fail"));
			for (Future<List<CompletableFuture<Void>>> batch : batches) {
				all.addAll(batch.get(30, TimeUnit.SECONDS));
			}
			CompletableFuture.allOf(all.stream().map((f) -> f.handle((v, ex) -> v)).toArray(CompletableFuture[]::new))
				.get(30, TimeUnit.SECONDS);
		}
		finally {
			submitters.shutdownNow();
		}
	}

	// What Boot's management.metrics.distribution.* properties add to a registry.
	private static MeterFilter distribution(String name, DistributionStatisticConfig distribution) {
		return new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return id.getName().equals(name) ? distribution.merge(config) : config;
			}
		};
	}

	// The registry keeps totals in its base unit (seconds) as doubles: back in nanoseconds, round to the nearest.
	private static long nanos(double nanos) {
		return Math.round(nanos);
	}

	private static String seconds(long nanos) {
		return Double.toString(nanos / 1e9);
	}

	/** Sums the times every successful attempt is heard with: what the timers must add up to. */
	static final class Summing implements JobListener {

		final LongAdder queueWait = new LongAdder();

		final LongAdder run = new LongAdder();

		@Override
		public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
			this.queueWait.add(queueWaitNanos);
			this.run.add(runNanos);
		}

	}

}
