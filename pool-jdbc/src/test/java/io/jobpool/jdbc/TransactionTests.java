package io.jobpool.jdbc;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Submit joins the caller's transaction: the job exists exactly when the business data commits.
 */
class TransactionTests {

	record Shipment(String order) {
	}

	private final String name = TestDatabase.uniqueName("tx");

	private final AtomicInteger shipped = new AtomicInteger();

	private final JdbcJobPool pool = TestPools.start(TestDatabase.get().dataSource(),
			JobPool.builder().name(this.name).processor(Shipment.class, () -> (job) -> this.shipped.incrementAndGet()));

	private final TransactionTemplate transactions = new TransactionTemplate(
			new DataSourceTransactionManager(TestDatabase.get().dataSource()));

	@AfterEach
	void close() {
		this.pool.close(Duration.ofSeconds(10));
	}

	@Test
	void aJobSubmittedInATransactionRunsOnlyOnceItCommits() throws Exception {
		JobFuture future = this.transactions.execute((status) -> {
			TestDatabase.get().jdbc().update("INSERT INTO tx_orders (pool, id) VALUES (?, 'A-1')", this.name);
			JobFuture submitted = this.pool.submit(new Shipment("A-1"));
			assertThat(CompletableFuture.supplyAsync(() -> TestPools.rows(this.name)).join())
				.as("invisible outside the transaction")
				.isZero();
			return submitted;
		});
		future.get(30, TimeUnit.SECONDS);
		assertThat(this.shipped).hasValue(1);
		assertThat(this.pool.stats().accepted()).isOne();
	}

	@Test
	void aJobSubmittedInATransactionThatRollsBackNeverExists() {
		JobFuture[] submitted = new JobFuture[1];
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult((status) -> {
			submitted[0] = this.pool.submit(new Shipment("B-1"));
			throw new IllegalStateException("payment failed");
		}));
		assertThatExceptionOfType(CancellationException.class)
			.isThrownBy(() -> submitted[0].get(10, TimeUnit.SECONDS))
			.withMessageContaining("did not commit");
		assertThat(TestPools.rows(this.name)).isZero();
		assertThat(this.pool.stats().accepted()).isZero();
		assertThat(this.shipped).hasValue(0);
	}

	@Test
	void aJobSubmittedOutsideATransactionIsStoredAtOnce() {
		this.pool.pause();
		this.pool.submit(new Shipment("C-1"));
		assertThat(TestPools.rows(this.name)).isOne();
		this.pool.resume();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.shipped.get() == 1);
	}

	static {
		TestDatabase.get().jdbc().execute("CREATE TABLE IF NOT EXISTS tx_orders (pool text, id text)");
	}

}
