package io.jobpool.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Job;
import io.jobpool.JobPool;
import io.jobpool.JobProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Go library's README example through Spring: a {@link JobHandler} sums 1 to 10 on 2 dispatchers of 5 workers.
 */
@SpringBootTest(properties = { "pool.init-pool-num=2", "pool.worker-num=5" })
class JobHandlerApplicationTests {

	@Autowired
	private JobPool pool;

	@Autowired
	private SumHandler sum;

	@Test
	void jobHandlerShouldSumOneToTenBeforeThePoolCloses() {
		assertThat(this.pool.figures().dispatchers()).isEqualTo(2);
		assertThat(this.pool.figures().workers()).isEqualTo(10);
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			futures.add(this.pool.submit(i));
		}
		this.pool.close();
		assertThat(this.pool.isClosed()).isTrue();
		assertThat(futures).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
		assertThat(this.sum.total).hasValue(55);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(SumHandler.class)
	static class SumApplication {

	}

	@JobHandler
	static class SumHandler implements JobProcessor<Integer> {

		final AtomicInteger total = new AtomicInteger();

		@Override
		public void process(Job<Integer> job) {
			this.total.addAndGet(job.data());
		}

	}

}
