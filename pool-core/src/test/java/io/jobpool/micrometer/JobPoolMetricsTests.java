package io.jobpool.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.JobRejectedException;
import io.jobpool.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The {@code jobpool.*} meters, read from a real registry after known jobs.
 */
class JobPoolMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final JobPoolMetrics metrics = new JobPoolMetrics();

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<JobPool> pools = new ArrayList<>();

	@AfterEach
	void stopPools() {
		this.release.countDown();
		this.pools.forEach(JobPool::shutdownNow);
		this.metrics.close();
	}

	@Test
	void jobsWaitingForTheirTimeAreGaugedAndCounted() {
		JobPool pool = bind(builder().scheduleSize(7));
		pool.schedule("ok", Duration.ofHours(1));
		pool.schedule("ok", Duration.ofHours(2));
		assertThat(gauge("jobpool.schedule.depth")).isEqualTo(2);
		assertThat(gauge("jobpool.schedule.capacity")).isEqualTo(7);
		assertThat(count("jobpool.jobs.scheduled")).isEqualTo(2);
		assertThat(count("jobpool.jobs.submitted")).isEqualTo(2);
		assertThat(count("jobpool.jobs.recurring")).isZero();
	}

	@Test
	void timersAndCountersCountEachOutcome() {
		JobPool pool = bind(builder().jobTimeout(Duration.ofMillis(200)));
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (String data : List.of("ok", "ok", "ok", "fail", "fail", "hang")) {
			futures.add(pool.submit(data));
		}
		awaitSettled(futures);
		assertThat(count("jobpool.jobs.submitted")).isEqualTo(6);
		assertThat(completed("success")).isEqualTo(3);
		assertThat(completed("failure")).isEqualTo(3);
		assertThat(duration("success").count()).isEqualTo(3);
		assertThat(duration("failure").count()).isEqualTo(2);
		assertThat(duration("timeout").count()).isEqualTo(1);
		assertThat(duration("timeout").totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
		assertThat(queueWait("success").count()).isEqualTo(3);
		assertThat(queueWait("failure").count()).isEqualTo(2);
		assertThat(queueWait("timeout").count()).isEqualTo(1);
		assertThat(count("jobpool.jobs.retried")).isZero();
		assertThat(count("jobpool.jobs.handed.back")).isZero();
		assertThat(this.registry.get("jobpool.jobs.rejected").counters()).allSatisfy((c) -> assertThat(c.count()).isZero());
	}

	@Test
	void aRetriedAttemptIsCountedAndTimedAsAFailure() {
		JobPool pool = bind(builder().retry(
				RetryPolicy.maxAttempts(3).withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0)));
		awaitSettled(List.of(pool.submit("flaky")));
		assertThat(count("jobpool.jobs.retried")).isEqualTo(1);
		assertThat(duration("failure").count()).isEqualTo(1);
		assertThat(duration("success").count()).isEqualTo(1);
		assertThat(completed("success")).isEqualTo(1);
		assertThat(completed("failure")).isZero();
		assertThat(queueWait("failure").count()).isEqualTo(1);
		assertThat(queueWait("success").count()).isEqualTo(1);
	}

	@Test
	void rejectionsAreCountedByReason() {
		JobPool pool = builder().workerNum(1).queueSize(2).listener(this.metrics).build();
		this.pools.add(pool);
		this.metrics.monitor(pool).bindTo(this.registry);
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit("before start"));
		pool.start();
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit(42));
		pool.submit("block");
		await().atMost(WAIT).until(() -> pool.activeWorkers() == 1);
		pool.submit("block");
		pool.submit("block");
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> pool.trySubmit("block", Duration.ZERO));
		assertThat(rejected("not-running")).isEqualTo(1);
		assertThat(rejected("no-processor")).isEqualTo(1);
		assertThat(rejected("queue-full")).isEqualTo(1);
		assertThat(rejected("interrupted")).isZero();
		assertThat(count("jobpool.jobs.submitted")).isEqualTo(3);
	}

	@Test
	void gaugesReportAPoolHeldBusy() {
		JobPool pool = bind(builder().initPoolNum(1).maxPoolNum(3).workerNum(2).queueSize(10));
		holdBusy(pool, 2, 5);
		assertThat(gauge("jobpool.queue.depth")).isEqualTo(5);
		assertThat(gauge("jobpool.workers.active")).isEqualTo(2);
		assertThat(gauge("jobpool.queue.capacity")).isEqualTo(10);
		assertThat(gauge("jobpool.workers")).isEqualTo(2);
		assertThat(gauge("jobpool.dispatchers")).isEqualTo(1);
		assertThat(gauge("jobpool.jobs.retrying")).isZero();
		pool.resizeDispatchers(2);
		assertThat(gauge("jobpool.dispatchers")).isEqualTo(2);
		await().atMost(WAIT).until(() -> gauge("jobpool.workers.active") == 4);
		assertThat(gauge("jobpool.queue.depth")).isEqualTo(3);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadWorkersReportTheSameMeters() {
		JobPool pool = bind(builder().workerNum(2).queueSize(10).virtualThreads(true));
		holdBusy(pool, 2, 5);
		assertThat(gauge("jobpool.queue.depth")).isEqualTo(5);
		assertThat(gauge("jobpool.workers.active")).isEqualTo(2);
		this.release.countDown();
		await().atMost(WAIT).until(() -> pool.stats().succeeded() == 7);
		assertThat(duration("success").count()).isEqualTo(7);
		assertThat(count("jobpool.jobs.submitted")).isEqualTo(7);
	}

	@Test
	void jobsHandedBackByAForcedStopAreCounted() {
		JobPool pool = builder().workerNum(1).queueSize(10).build();
		this.pools.add(pool);
		this.metrics.monitor(pool).bindTo(this.registry);
		pool.start();
		holdBusy(pool, 1, 3);
		assertThat(pool.shutdownNow()).hasSize(3);
		assertThat(count("jobpool.jobs.handed.back")).isEqualTo(3);
	}

	@Test
	void aBinderBuiltIntoAPoolRemovesItsMetersWhenThePoolTerminates() throws Exception {
		JobPool pool = bind(builder());
		awaitSettled(List.of(pool.submit("ok")));
		assertThat(this.registry.getMeters()).isNotEmpty();
		pool.close();
		assertThat(pool.awaitTermination(WAIT)).isTrue();
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void aBinderMadeToBindOnStartMeasuresThePoolItIsBuiltIntoFromItsStartToItsTermination() throws Exception {
		JobPoolMetrics onStart = JobPoolMetrics.bindOnStart(this.registry, Tags.of("region", "eu"));
		JobPool pool = builder().listener(onStart).build();
		this.pools.add(pool);
		assertThat(this.registry.getMeters()).isEmpty();
		pool.start();
		assertThat(onStart.pool()).isSameAs(pool);
		awaitSettled(List.of(pool.submit("ok"), pool.submit("fail")));
		assertThat(count("jobpool.jobs.submitted")).isEqualTo(2);
		assertThat(duration("success").count()).isEqualTo(1);
		assertThat(duration("failure").count()).isEqualTo(1);
		assertThat(gauge("jobpool.queue.capacity")).isEqualTo(10);
		assertThat(this.registry.get("jobpool.workers").tag("region", "eu").gauge()).isNotNull();
		pool.close();
		assertThat(pool.awaitTermination(WAIT)).isTrue();
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void aBinderMadeToBindOnStartBindsNothingForAPoolNeverStarted() {
		JobPool pool = builder().listener(JobPoolMetrics.bindOnStart(this.registry, Tags.empty())).build();
		pool.close();
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void everyMeterIsTaggedWithThePoolNameAndTheExtraTags() {
		JobPoolMetrics tagged = new JobPoolMetrics(Tags.of("region", "eu"));
		JobPool pool = builder().name("orders").listener(tagged).build();
		this.pools.add(pool);
		tagged.monitor(pool).bindTo(this.registry);
		try {
			assertThat(this.registry.getMeters()).isNotEmpty().allSatisfy((meter) -> {
				assertThat(meter.getId().getName()).startsWith("jobpool.");
				assertThat(meter.getId().getTag("pool")).isEqualTo("orders");
				assertThat(meter.getId().getTag("region")).isEqualTo("eu");
			});
		}
		finally {
			tagged.close();
		}
	}

	@Test
	void closeRemovesEveryMeter() {
		JobPool pool = bind(builder());
		awaitSettled(List.of(pool.submit("ok")));
		assertThat(duration("success").count()).isEqualTo(1);
		this.metrics.close();
		assertThat(this.registry.getMeters()).isEmpty();
		this.metrics.close();
	}

	@Test
	void bindingNeedsAPoolAndOnlyOne() {
		assertThatIllegalStateException().isThrownBy(() -> this.metrics.bindTo(this.registry))
			.withMessageContaining("monitor(pool)");
		JobPool pool = builder().build();
		this.metrics.monitor(pool);
		assertThatIllegalStateException().isThrownBy(() -> this.metrics.monitor(builder().build()));
		this.metrics.bindTo(this.registry);
		assertThatIllegalStateException().isThrownBy(() -> this.metrics.bindTo(new SimpleMeterRegistry()));
	}

	private JobPoolBuilder builder() {
		return JobPool.builder().name("test").workerNum(2).queueSize(10).processor(String.class, () -> (job) -> {
			switch (job.data()) {
				case "fail" -> throw new IllegalStateException("fail");
				case "flaky" -> {
					if (job.attempt() == 1) {
						throw new IllegalStateException("flaky");
					}
				}
				case "hang" -> new CountDownLatch(1).await();
				case "block" -> this.release.await();
				default -> {
				}
			}
		});
	}

	private JobPool bind(JobPoolBuilder builder) {
		JobPool pool = builder.listener(this.metrics).build();
		this.pools.add(pool);
		this.metrics.monitor(pool).bindTo(this.registry);
		pool.start();
		return pool;
	}

	private void holdBusy(JobPool pool, int workers, int queued) {
		for (int i = 0; i < workers + queued; i++) {
			pool.submit("block");
		}
		await().atMost(WAIT).until(() -> pool.activeWorkers() == workers && pool.queueDepth() == queued);
	}

	private void awaitSettled(List<CompletableFuture<Void>> futures) {
		CompletableFuture.allOf(futures.stream().map((f) -> f.handle((v, ex) -> v)).toArray(CompletableFuture[]::new))
			.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
			.join();
	}

	private FunctionTimer queueWait(String outcome) {
		return this.registry.get("jobpool.queue.wait").tag("pool", "test").tag("outcome", outcome).functionTimer();
	}

	private double gauge(String name) {
		return this.registry.get(name).tag("pool", "test").gauge().value();
	}

	private double count(String name) {
		return this.registry.get(name).tag("pool", "test").meter().measure().iterator().next().getValue();
	}

	private double completed(String outcome) {
		return this.registry.get("jobpool.jobs.completed").tag("outcome", outcome).functionCounter().count();
	}

	private double rejected(String reason) {
		return this.registry.get("jobpool.jobs.rejected").tag("reason", reason).counter().count();
	}

	private FunctionTimer duration(String outcome) {
		return this.registry.get("jobpool.job.duration").tag("outcome", outcome).functionTimer();
	}

}
