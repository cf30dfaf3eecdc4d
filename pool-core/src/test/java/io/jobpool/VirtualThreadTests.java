package io.jobpool;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Workers on virtual threads (Java 21 and newer) keep the same bounded queue and the same accounting; on
 * Java 17 asking for them fails when the pool is built.
 */
class VirtualThreadTests {

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "Virtual threads exist from Java 21; the failure shows on older JDKs only")
	void askingForVirtualThreadsBeforeJava21FailsTheBuild() {
		assertThatExceptionOfType(InvalidPoolConfigurationException.class)
			.isThrownBy(() -> JobPool.builder().virtualThreads(true).processor(String.class, () -> (job) -> {
			}).build())
			.withMessageContaining("Java 21")
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("virtualThreads"));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "Virtual threads need Java 21 or newer")
	void virtualWorkersRunJobsWithTheSameBoundsAndAccounting() throws Exception {
		Set<Boolean> virtual = ConcurrentHashMap.newKeySet();
		CountDownLatch release = new CountDownLatch(1);
		LongAdder done = new LongAdder();
		JobPool pool = JobPool.builder()
			.initPoolNum(2)
			.workerNum(4)
			.queueSize(5)
			.virtualThreads(true)
			.processor(Integer.class, () -> (job) -> {
				virtual.add(isVirtual(Thread.currentThread()));
				release.await(5, TimeUnit.SECONDS);
				done.increment();
			})
			.build();
		pool.start();
		for (int i = 0; i < 8 + 5; i++) {
			pool.submit(i);
		}
		await().atMost(Duration.ofSeconds(2)).until(() -> pool.activeWorkers() == 8);
		assertThat(pool.queueDepth()).isEqualTo(5);
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> pool.trySubmit(99, Duration.ofMillis(20)));
		release.countDown();
		for (int i = 0; i < 200; i++) {
			pool.submit(i);
		}
		pool.close();
		assertThat(virtual).containsExactly(true);
		assertThat(done.sum()).isEqualTo(213);
		JobPoolStats stats = pool.stats();
		assertThat(stats.accepted()).isEqualTo(stats.succeeded() + stats.failed() + stats.handedBack());
	}

	private static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
