package io.jobpool;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Go library's README example, through the Java API: sum 1..10 with 2 dispatchers of 5 workers.
 */
class GoReadmeExampleTests {

	@Test
	void sumsOneToTenWithTwoDispatchersOfFiveWorkers() {
		AtomicInteger sum = new AtomicInteger();
		JobPool pool = JobPool.builder()
			.initPoolNum(2)
			.workerNum(5)
			.processor(Integer.class, () -> (job) -> sum.addAndGet(job.data()))
			.build();
		pool.start();
		assertThat(pool.figures().dispatchers()).isEqualTo(2);
		assertThat(pool.figures().workers()).isEqualTo(10);
		for (int i = 1; i <= 10; i++) {
			pool.submit(i);
		}
		pool.close();
		assertThat(pool.isClosed()).isTrue();
		assertThat(sum.get()).isEqualTo(55);
		assertThat(pool.stats().succeeded()).isEqualTo(10);
	}

}
