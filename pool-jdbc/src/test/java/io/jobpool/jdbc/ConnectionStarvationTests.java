package io.jobpool.jdbc;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import io.jobpool.jdbc.test.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Submits inside transactions that hold every connection of the pool while the queue is full cannot deadlock it:
 * each submit returns or is refused with a message naming the connection pool, within a bound.
 */
class ConnectionStarvationTests {

	private static final int CONNECTIONS = 10;

	private static final int SUBMITTERS = 16;

	private static final int SUBMITS_EACH = 20;

	private static final Duration BOUND = Duration.ofSeconds(60);

	private final String name = TestDatabase.uniqueName("starved");

	private final HikariDataSource dataSource = dataSource();

	private final AtomicLong payloadIds = new AtomicLong();

	private final Queue<JobFuture> accepted = new ConcurrentLinkedQueue<>();

	private final Queue<JobRejectedException> refused = new ConcurrentLinkedQueue<>();

	private final Map<String, Integer> otherFailures = new ConcurrentHashMap<>();

	private final AtomicInteger transactionsNotBegun = new AtomicInteger();

	private @Nullable JdbcJobPool pool;

	record Slow(long id) {
	}

	@AfterEach
	void stop() {
		if (this.pool != null) {
			this.pool.close(Duration.ofSeconds(10));
		}
		this.dataSource.close();
	}

	@Test
	void transactionalSubmitsOnAFullQueueWithEveryConnectionTakenNeverHang() throws Exception {
		JdbcJobPool pool = TestPools.builder(this.dataSource)
			.build(JobPool.builder()
				.name(this.name)
				.workerNum(3)
				.queueSize(50)
				.processor(Slow.class, () -> (job) -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20))));
		this.pool = pool;
		pool.start();
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
		try {
			for (int i = 0; i < SUBMITTERS; i++) {
				submitters.execute(() -> submitInTransactions(pool, transactions));
			}
			submitters.shutdown();
			assertThat(submitters.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS))
				.as("%d threads each submitting %d jobs in transactions, on %d connections, finished within %s (%d"
						+ " accepted, %d refused, %d transactions not begun so far)", SUBMITTERS, SUBMITS_EACH,
						CONNECTIONS, BOUND, this.accepted.size(), this.refused.size(), this.transactionsNotBegun.get())
				.isTrue();
		}
		finally {
			// Closing the pool (after each test) ends submits still blocked: they are refused as not running.
			submitters.shutdownNow();
		}
		assertThat(this.otherFailures).as("what submits threw other than JobRejectedException").isEmpty();
		assertThat(this.refused).as("refused submits").allSatisfy((rejected) -> {
			assertThat(rejected.reason()).isIn(Reason.STORE_UNAVAILABLE, Reason.QUEUE_FULL);
			assertThat(rejected.getMessage()).containsIgnoringCase("connection");
		});
		assertThat(CompletableFuture.allOf(this.accepted.toArray(CompletableFuture[]::new)))
			.as("the futures of the %d accepted jobs", this.accepted.size())
			.succeedsWithin(Duration.ofSeconds(30));
	}

	private void submitInTransactions(JdbcJobPool pool, TransactionTemplate transactions) {
		for (int i = 0; i < SUBMITS_EACH; i++) {
			try {
				JobFuture future = transactions.execute((status) -> pool.submit(new Slow(this.payloadIds.incrementAndGet())));
				this.accepted.add(future);
			}
			catch (JobRejectedException ex) {
				this.refused.add(ex);
			}
			catch (CannotCreateTransactionException ex) {
				// No connection for the transaction itself: the submit was never called.
				this.transactionsNotBegun.incrementAndGet();
			}
			catch (RuntimeException ex) {
				this.otherFailures.merge(ex.toString(), 1, Integer::sum);
			}
		}
	}

	private static HikariDataSource dataSource() {
		TestDatabase database = TestDatabase.get();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.url());
		config.setUsername(database.user());
		config.setPassword(database.password());
		config.setMaximumPoolSize(CONNECTIONS);
		config.setConnectionTimeout(Duration.ofSeconds(2).toMillis());
		config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
		return new HikariDataSource(config);
	}

}
