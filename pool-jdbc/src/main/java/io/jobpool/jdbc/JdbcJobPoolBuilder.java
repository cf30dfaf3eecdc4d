package io.jobpool.jdbc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.JobPoolBuilder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a {@link JdbcJobPool}: how it uses the database here, and everything else (sizes, processors, retries,
 * listeners) from a {@link JobPoolBuilder}:
 * <pre class="code">
 * JdbcJobPool pool = JdbcJobPool.builder(dataSource)
 *     .initializeSchema(true)
 *     .build(JobPool.builder().name("orders").workerNum(8).processor(OrderPlaced.class, OrderHandler::new));
 * pool.start();
 * </pre>
 */
public final class JdbcJobPoolBuilder {

	private final DataSource dataSource;

	private @Nullable JsonMapper json;

	private final Map<Class<?>, String> typeNames = new LinkedHashMap<>();

	private Duration lease = Duration.ofSeconds(30);

	private Duration pollInterval = Duration.ofSeconds(1);

	private boolean initializeSchema;

	private boolean notifications = true;

	JdbcJobPoolBuilder(DataSource dataSource) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
	}

	/**
	 * Set the mapper that writes and reads payloads as JSON; a plain {@link JsonMapper} by default.
	 * @param json the mapper
	 * @return this builder
	 */
	public JdbcJobPoolBuilder jsonMapper(JsonMapper json) {
		this.json = Objects.requireNonNull(json, "json must not be null");
		return this;
	}

	/**
	 * Name a payload type in the table, instead of its {@link JobType @JobType} or simple class name.
	 * @param type a type a processor is registered for
	 * @param name its stable name
	 * @return this builder
	 */
	public JdbcJobPoolBuilder type(Class<?> type, String name) {
		this.typeNames.put(Objects.requireNonNull(type, "type must not be null"), name);
		return this;
	}

	/**
	 * Set how long a claim holds: a heartbeat renews it every third of that, and a job whose pool stopped renewing
	 * it runs again elsewhere once it expires.
	 * @param lease at least 100 ms; 30 s by default
	 * @return this builder
	 */
	public JdbcJobPoolBuilder lease(Duration lease) {
		this.lease = lease;
		return this;
	}

	/**
	 * Set how often an idle pool looks for jobs other pools submitted (it looks at once when they
	 * {@link #notifications(boolean) notify} it), and how often it returns expired leases, counts its jobs and
	 * completes the futures of its jobs that ended elsewhere.
	 * @param pollInterval at least 10 ms; 1 s by default
	 * @return this builder
	 */
	public JdbcJobPoolBuilder pollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
		return this;
	}

	/**
	 * Create the {@code jobpool_job} table at start when it is missing; off by default.
	 * @param initializeSchema whether to create it
	 * @return this builder
	 */
	public JdbcJobPoolBuilder initializeSchema(boolean initializeSchema) {
		this.initializeSchema = initializeSchema;
		return this;
	}

	/**
	 * Set whether the pool's instances tell each other with a PostgreSQL notification ({@code NOTIFY}) when jobs
	 * become ready, so that an idle instance starts a job submitted elsewhere at once rather than at its next poll;
	 * on by default. Each instance then holds one connection of the {@code DataSource} to {@code LISTEN} on.
	 * @param notifications whether to notify and listen
	 * @return this builder
	 */
	public JdbcJobPoolBuilder notifications(boolean notifications) {
		this.notifications = notifications;
		return this;
	}

	/**
	 * Build the pool, not yet started.
	 * @param pool everything else about the pool
	 * @return a new durable pool
	 * @throws InvalidPoolConfigurationException naming the option, the value and the fix, for a bad option
	 */
	public JdbcJobPool build(JobPoolBuilder pool) {
		atLeast("jdbc.lease", this.lease, Duration.ofMillis(100), "Set a lease of 100ms or more, for example 30s.");
		atLeast("jdbc.pollInterval", this.pollInterval, Duration.ofMillis(10),
				"Set a poll interval of 10ms or more, for example 1s.");
		if (this.pollInterval.compareTo(this.lease) >= 0) {
			throw new InvalidPoolConfigurationException("jdbc.pollInterval", this.pollInterval,
					"it must be shorter than the lease (" + this.lease + "), or expired leases return late",
					"Set a poll interval shorter than the lease.");
		}
		JsonMapper mapper = (this.json != null) ? this.json : JsonMapper.builder().build();
		return JdbcJobPool.create(pool.settings(), new JdbcOptions(this.dataSource, mapper, Map.copyOf(this.typeNames),
				this.lease, this.pollInterval, this.initializeSchema, this.notifications));
	}

	private static void atLeast(String option, @Nullable Duration value, Duration minimum, String fix) {
		if (value == null || value.compareTo(minimum) < 0) {
			throw new InvalidPoolConfigurationException(option, value, "it must be at least " + minimum, fix);
		}
	}

}
