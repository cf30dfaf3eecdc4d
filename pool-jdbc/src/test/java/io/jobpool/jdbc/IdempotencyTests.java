package io.jobpool.jdbc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idempotency key makes enqueue idempotent while a job with that key is stored.
 */
class IdempotencyTests {

	record Refund(String order) {
	}

	private final String name = TestDatabase.uniqueName("once");

	private final AtomicInteger refunds = new AtomicInteger();

	private final JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(),
			JobPool.builder().name(this.name).processor(Refund.class, () -> (job) -> this.refunds.incrementAndGet()));

	@AfterEach
	void close() {
		this.pool.close(Duration.ofSeconds(10));
	}

	@Test
	void theSameKeyTwiceStoresOneJobAndBothFuturesFollowIt() throws Exception {
		this.pool.pause();
		JobFuture first = this.pool.submit(new Refund("R-1"), "refund:R-1");
		JobFuture second = this.pool.submit(new Refund("R-1"), "refund:R-1");
		JobFuture other = this.pool.submit(new Refund("R-2"), "refund:R-2");
		assertThat(second.jobId()).isEqualTo(first.jobId());
		assertThat(other.jobId()).isNotEqualTo(first.jobId());
		assertThat(TestPools.rows(this.name)).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.queueDepth() == 2);
		this.pool.resume();
		first.get(30, TimeUnit.SECONDS);
		second.get(30, TimeUnit.SECONDS);
		other.get(30, TimeUnit.SECONDS);
		assertThat(this.refunds).hasValue(2);
	}

}
