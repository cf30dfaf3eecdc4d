package io.jobpool.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.Job;
import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.JobPoolBuilder;
import io.jobpool.JobProcessor;
import io.jobpool.JobRejectedException;
import io.jobpool.RetryPolicy;
import io.jobpool.jdbc.test.FaultyDatabase;
import io.jobpool.jdbc.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle instance starts a job that another instance of its pool made ready (submitted, requeued, given back, due
 * for its retry) at once, told by a PostgreSQL notification. Every instance here polls every 20 s, so only a
 * notification explains a start within a second; instance A, which makes the jobs ready, is paused (or closing), so
 * that instance B runs them.
 */
class InstantPickupTests {

	private static final Duration POLL = Duration.ofSeconds(20);

	private static final Duration LEASE = Duration.ofSeconds(60);

	/** Well below the poll interval. */
	private static final Duration PROMPTLY = Duration.ofSeconds(1);

	private static final String LISTENING = "SELECT pid FROM pg_stat_activity WHERE application_name = ?"
			+ " AND query = 'LISTEN " + ReadyJobsNotifier.CHANNEL + "'";

	@RegisterExtension
	static final FaultyDatabase faultyDatabase = FaultyDatabase.get();

	private final String name = TestDatabase.uniqueName("pickup");

	private final List<JdbcJobPool> pools = new ArrayList<>();

	private final List<HikariDataSource> dataSources = new ArrayList<>();

	/** The jobs B started, in order. */
	private final Queue<Job<Errand>> startedOnB = new ConcurrentLinkedQueue<>();

	record Errand(int number) {
	}

	@AfterEach
	void close() {
		faultyDatabase.start();
		this.pools.forEach((pool) -> pool.close(Duration.ofSeconds(10)));
		this.dataSources.forEach(HikariDataSource::close);
		TestDatabase.get().jdbc().update("DELETE FROM jobpool_job WHERE pool = ?", this.name);
	}

	@Test
	void aJobSubmittedOnOneInstanceStartsAtOnceOnAnIdleOther() {
		startB(TestDatabase.get());
		JdbcJobPool a = startA(TestDatabase.get());

		a.submit(new Errand(1));

		await().atMost(PROMPTLY).until(() -> startedOnB(1, 1));
	}

	@Test
	void aJobSubmittedInATransactionStartsOnTheOtherOnceItCommits() {
		startB(TestDatabase.get());
		JdbcJobPool a = startA(TestDatabase.get());
		TransactionTemplate transactions = new TransactionTemplate(
				new DataSourceTransactionManager(dataSourceOf("a")));

		transactions.executeWithoutResult((status) -> a.submit(new Errand(2)));

		await().atMost(PROMPTLY).until(() -> startedOnB(2, 1));
	}

	@Test
	void aRequeuedDeadJobStartsAtOnceOnTheOther() {
		startB(TestDatabase.get(), (job) -> {
			if (job.attempt() == 1) {
				throw new IllegalStateException("The first attempt fails, and the job dies");
			}
		});
		JdbcJobPool a = startA(TestDatabase.get());
		JobFuture future = a.submit(new Errand(3));
		await().atMost(Duration.ofSeconds(10)).until(() -> !a.deadJobs(1).isEmpty());

		assertThat(a.requeueDeadJob(future.jobId())).isTrue();

		await().atMost(PROMPTLY).until(() -> startedOnB(3, 2));
	}

	@Test
	void aJobTheOtherHandsBackAsItClosesStartsAtOnce() throws Exception {
		JdbcJobPool b = startB(TestDatabase.get());
		b.pause();
		CountDownLatch runningOnA = new CountDownLatch(1);
		JdbcJobPool a = start("a", TestDatabase.get(), pool("a", (job) -> {
			runningOnA.countDown();
			Thread.sleep(Duration.ofMinutes(1).toMillis());
		}), true);
		a.submit(new Errand(4));
		assertThat(runningOnA.await(10, TimeUnit.SECONDS)).as("the job running on A").isTrue();
		b.resume();

		a.close(Duration.ofMillis(300));

		await().atMost(PROMPTLY).until(() -> startedOnB(4, 2));
	}

	@Test
	void aRetryStartsOnTheOtherOnceItsBackoffElapses() throws Exception {
		Duration backoff = Duration.ofMillis(500);
		JdbcJobPool b = startB(TestDatabase.get());
		b.pause();
		AtomicReference<JdbcJobPool> a = new AtomicReference<>();
		CountDownLatch failedOnA = new CountDownLatch(1);
		a.set(start("a", TestDatabase.get(), pool("a", (job) -> {
			a.get().pause();
			failedOnA.countDown();
			throw new IllegalStateException("The first attempt fails, on A, which pauses");
		}).retry(RetryPolicy.maxAttempts(2).withBackoff(backoff, 1.0, backoff, 0.0)), true));
		a.get().submit(new Errand(5));
		assertThat(failedOnA.await(10, TimeUnit.SECONDS)).as("the first attempt, on A").isTrue();
		b.resume();

		await().atMost(backoff.plus(PROMPTLY)).until(() -> startedOnB(5, 2));
	}

	@Test
	void aBurstOfSubmitsSendsFewNotifications() throws Exception {
		JdbcJobPool a = start("a", TestDatabase.get(), pool("a", (job) -> {
		}).queueSize(5000), true);
		a.pause();
		int jobs = 2000;
		int threads = 8;
		try (Connection listener = rawConnection(TestDatabase.get())) {
			execute(listener, "LISTEN " + ReadyJobsNotifier.CHANNEL);
			long began = System.nanoTime();
			ExecutorService submitters = Executors.newFixedThreadPool(threads);
			try {
				List<Future<?>> submitted = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					submitted.add(submitters.submit(() -> {
						for (int i = 0; i < jobs / threads; i++) {
							a.submit(new Errand(i));
						}
					}));
				}
				for (Future<?> done : submitted) {
					done.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				submitters.shutdownNow();
			}
			long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
			int notifications = notificationsOf(this.name, listener);
			assertThat(TestPools.rows(this.name)).isEqualTo(jobs);
			// One notification per window at most, and many submits to each: how fast they come depends on the machine.
			assertThat(notifications).as("notifications of %d submits over %d ms", jobs, burstMillis)
				.isPositive()
				.isLessThanOrEqualTo((int) (burstMillis / ReadyJobsNotifier.WINDOW.toMillis()) + 2)
				.isLessThan(jobs / 4);
		}
	}

	@Test
	void withNotificationsOffNothingListensAndJobsRunByPolling() {
		Duration poll = Duration.ofMillis(200);
		start("b", TestDatabase.get(), pool("b", this::recordStart), false, poll);
		JdbcJobPool a = start("a", TestDatabase.get(), pool("a", this::recordStart), false, poll);
		a.pause();

		a.submit(new Errand(6));

		await().atMost(Duration.ofSeconds(10)).until(() -> startedOnB(6, 1));
		assertThat(listeningBackends("a")).isEmpty();
		assertThat(listeningBackends("b")).isEmpty();
		assertThat(notificationThreads()).isEmpty();
	}

	@Test
	void closingAnInstanceEndsItsNotificationThreadsAndItsListening() {
		JdbcJobPool b = startB(TestDatabase.get());
		JdbcJobPool a = startA(TestDatabase.get());
		assertThat(notificationThreads()).hasSize(4);

		a.close(Duration.ofSeconds(10));
		b.close(Duration.ofSeconds(10));

		assertThat(notificationThreads()).isEmpty();
		assertThat(listeningBackends("a")).isEmpty();
		assertThat(listeningBackends("b")).isEmpty();
	}

	@Test
	void connectionsThatDoNotUnwrapToThePostgresDriverAreLeftToPolling() {
		Duration poll = Duration.ofMillis(200);
		HikariDataSource real = dataSource(TestDatabase.get(), "b");
		JdbcJobPool b = JdbcJobPool.builder(opaque(real))
			.lease(LEASE)
			.pollInterval(poll)
			.build(pool("b", this::recordStart));
		this.pools.add(b);
		b.start();
		JdbcJobPool a = startA(TestDatabase.get());

		a.submit(new Errand(7));

		await().atMost(Duration.ofSeconds(10)).until(() -> startedOnB(7, 1));
		assertThat(listeningBackends("b")).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> notificationThreads().size() == 3);
	}

	@Test
	void aKilledListeningBackendIsReplacedAndAJobSubmittedMeanwhileStartsPromptly() {
		startB(faultyDatabase);
		JdbcJobPool a = startA(faultyDatabase);
		List<Integer> killed = listeningBackends("b");
		assertThat(killed).hasSize(1);

		assertThat(new JdbcTemplate(dataSourceOf("a")).queryForObject("SELECT pg_terminate_backend(?)", Boolean.class,
				killed.get(0))).isTrue();
		a.submit(new Errand(8));

		await().atMost(Duration.ofSeconds(3)).until(() -> startedOnB(8, 1));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> listeningBackends("b").size() == 1 && !listeningBackends("b").equals(killed));
		a.submit(new Errand(9));
		await().atMost(PROMPTLY).until(() -> startedOnB(9, 1));
	}

	@Test
	void afterPostgresRestartsPickupIsPromptAgain() {
		startB(faultyDatabase);
		JdbcJobPool a = startA(faultyDatabase);
		List<Integer> before = listeningBackends("b");

		faultyDatabase.stop();
		faultyDatabase.start();

		await().atMost(Duration.ofSeconds(15))
			.ignoreExceptions()
			.until(() -> listeningBackends("b").size() == 1 && !listeningBackends("b").equals(before));
		await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(JobRejectedException.class).until(() -> {
			a.submit(new Errand(10));
			return true;
		});
		await().atMost(PROMPTLY).until(() -> startedOnB(10, 1));
	}

	private JdbcJobPool startA(Object database) {
		JdbcJobPool a = start("a", database, pool("a", (job) -> {
			throw new IllegalStateException("A runs nothing: it is paused");
		}), true);
		a.pause();
		return a;
	}

	private JdbcJobPool startB(Object database) {
		return startB(database, (job) -> {
		});
	}

	private JdbcJobPool startB(Object database, JobProcessor<Errand> processor) {
		return start("b", database, pool("b", (job) -> {
			recordStart(job);
			processor.process(job);
		}), true);
	}

	private void recordStart(Job<Errand> job) {
		this.startedOnB.add(job);
	}

	private JobPoolBuilder pool(String label, JobProcessor<Errand> processor) {
		return JobPool.builder()
			.name(this.name)
			.workerNum(2)
			.threadNamePrefix(this.name + "-" + label + "-")
			.retry(RetryPolicy.NONE)
			.processor(Errand.class, () -> processor);
	}

	private JdbcJobPool start(String label, Object database, JobPoolBuilder pool, boolean notifications) {
		return start(label, database, pool, notifications, POLL);
	}

	/** Start an instance, and wait until it listens if it is to. */
	private JdbcJobPool start(String label, Object database, JobPoolBuilder pool, boolean notifications,
			Duration poll) {
		JdbcJobPool instance = JdbcJobPool.builder(dataSource(database, label))
			.lease(LEASE)
			.pollInterval(poll)
			.notifications(notifications)
			.build(pool);
		this.pools.add(instance);
		instance.start();
		if (notifications) {
			await("instance " + label + " listening").atMost(Duration.ofSeconds(10))
				.until(() -> listeningBackends(label).size() == 1);
		}
		return instance;
	}

	private boolean startedOnB(int number, int attempt) {
		return this.startedOnB.stream()
			.anyMatch((job) -> job.data().number() == number && job.attempt() == attempt);
	}

	/** The backends of an instance whose last statement was a LISTEN on the channel. */
	private List<Integer> listeningBackends(String label) {
		return new JdbcTemplate(dataSourceOf(label)).queryForList(LISTENING, Integer.class, applicationName(label));
	}

	private List<String> notificationThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((thread) -> thread.startsWith(this.name + "-"))
			.filter((thread) -> thread.endsWith("-notifier") || thread.endsWith("-notify-listener"))
			.toList();
	}

	private String applicationName(String label) {
		return this.name + "-" + label;
	}

	private DataSource dataSourceOf(String label) {
		String applicationName = applicationName(label);
		return this.dataSources.stream()
			.filter((dataSource) -> applicationName.equals(dataSource.getPoolName()))
			.findFirst()
			.orElseThrow();
	}

	/** A data source of an instance, on the test database or the faulty one, its sessions named for it. */
	private HikariDataSource dataSource(Object database, String label) {
		String applicationName = applicationName(label);
		HikariDataSource dataSource;
		if (database instanceof FaultyDatabase faulty) {
			dataSource = faulty.dataSource(applicationName, 10, Duration.ofSeconds(2));
		}
		else {
			TestDatabase test = (TestDatabase) database;
			HikariConfig config = new HikariConfig();
			config.setPoolName(applicationName);
			config.setJdbcUrl(test.url());
			config.setUsername(test.user());
			config.setPassword(test.password());
			config.addDataSourceProperty("ApplicationName", applicationName);
			config.setMaximumPoolSize(16);
			dataSource = new HikariDataSource(config);
		}
		this.dataSources.add(dataSource);
		return dataSource;
	}

	private static Connection rawConnection(TestDatabase database) throws SQLException {
		return DriverManager.getConnection(database.url(), database.user(), database.password());
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/** Count the notifications for a pool that arrive until none has for a second. */
	private static int notificationsOf(String pool, Connection listener) throws SQLException {
		PGConnection postgres = listener.unwrap(PGConnection.class);
		AtomicInteger count = new AtomicInteger();
		for (;;) {
			PGNotification[] notifications = postgres.getNotifications(1000);
			if (notifications == null || notifications.length == 0) {
				return count.get();
			}
			for (PGNotification notification : notifications) {
				if (notification.getParameter().endsWith(" " + pool)) {
					count.incrementAndGet();
				}
			}
		}
	}

	/** A data source whose connections neither are nor unwrap to the PostgreSQL driver's. */
	private static DataSource opaque(DataSource real) {
		return (DataSource) Proxy.newProxyInstance(InstantPickupTests.class.getClassLoader(),
				new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
					Object result = invoke(real, method, args);
					return (result instanceof Connection connection) ? opaque(connection) : result;
				});
	}

	private static Connection opaque(Connection real) {
		return (Connection) Proxy.newProxyInstance(InstantPickupTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> switch (method.getName()) {
					case "isWrapperFor" -> false;
					case "unwrap" -> throw new SQLFeatureNotSupportedException("Nothing to unwrap");
					default -> invoke(real, method, args);
				});
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
