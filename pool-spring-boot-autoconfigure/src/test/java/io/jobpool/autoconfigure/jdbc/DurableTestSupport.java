package io.jobpool.autoconfigure.jdbc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.jdbc.JobType;
import io.jobpool.jdbc.test.TestDatabase;
import io.jobpool.spring.JobHandler;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Payloads, handlers and data sources of the durable pool's tests, on the {@link TestDatabase}.
 */
final class DurableTestSupport {

	private DurableTestSupport() {
	}

	/** The test database's shared data source, which a closing context leaves open. */
	static DataSource sharedDataSource() {
		return new DelegatingDataSource(TestDatabase.get().dataSource());
	}

	/**
	 * A data source whose connections see only the given schema, created empty; closing it is the caller's job.
	 * @param schema a schema name no other test uses
	 * @return the data source
	 */
	static HikariDataSource dataSourceOnNewSchema(String schema) {
		TestDatabase database = TestDatabase.get();
		database.jdbc().execute("CREATE SCHEMA " + schema);
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.url());
		config.setUsername(database.user());
		config.setPassword(database.password());
		config.setSchema(schema);
		config.setMaximumPoolSize(5);
		return new HikariDataSource(config);
	}

	/** Drop a schema made by {@link #dataSourceOnNewSchema(String)}, with what is in it. */
	static void dropSchema(String schema) {
		TestDatabase.get().jdbc().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
	}

	/** The stored jobs of a pool: type, state and payload of each row, oldest first. */
	static List<Map<String, Object>> storedJobs(String pool) {
		return TestDatabase.get()
			.jdbc()
			.queryForList("SELECT type, state, payload::text AS payload FROM jobpool_job WHERE pool = ? ORDER BY id",
					pool);
	}

	/** A payload stored under a stable type name. */
	@JobType("greeting")
	record Greeting(String greetingText) {
	}

	/** A payload whose handler fails while told to. */
	@JobType("chore")
	record Chore(String name) {
	}

	/** Records each greeting with the thread that ran it. */
	@JobHandler
	static class GreetingHandler implements JobProcessor<Greeting> {

		final List<String> greetings = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void process(Job<Greeting> job) {
			this.greetings.add(job.data().greetingText());
			this.threads.add(Thread.currentThread().getName());
		}

	}

	/** Fails every chore until told to succeed, counting the runs of each. */
	@JobHandler
	static class ChoreHandler implements JobProcessor<Chore> {

		final AtomicBoolean failing = new AtomicBoolean(true);

		final Map<String, Integer> runs = new ConcurrentHashMap<>();

		@Override
		public void process(Job<Chore> job) {
			this.runs.merge(job.data().name(), 1, Integer::sum);
			if (this.failing.get()) {
				throw new IllegalStateException("Chore '" + job.data().name() + "' failed");
			}
		}

	}

}
