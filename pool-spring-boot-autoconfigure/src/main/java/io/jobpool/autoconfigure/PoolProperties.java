package io.jobpool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jobpool.RecurringJob.MissedSlots;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the auto-configured job pool.
 */
@ConfigurationProperties("pool")
public class PoolProperties {

	/**
	 * Whether to auto-configure the job pool.
	 */
	private boolean enabled = true;

	/**
	 * Name of the pool, used in thread names, logs and metric tags.
	 */
	private String name = "jobpool";

	/**
	 * Number of dispatchers to start with.
	 */
	private int initPoolNum = 1;

	/**
	 * Maximum number of dispatchers that autoscaling or a resize may reach. Defaults to the initial number.
	 */
	private @Nullable Integer maxPoolNum;

	/**
	 * Number of workers each dispatcher runs.
	 */
	private int workerNum = 50;

	/**
	 * Maximum number of jobs waiting in the queue. Submitting blocks while the queue is full.
	 */
	private int queueSize = 1000;

	/**
	 * Maximum number of jobs waiting for their time, submitted with schedule(...) for later. Scheduling blocks while
	 * they are that many. Defaults to the queue size.
	 */
	private @Nullable Integer scheduleSize;

	/**
	 * Maximum time a job may run before its worker is interrupted and the job fails. Unlimited if not set.
	 */
	private @Nullable Duration jobTimeout;

	/**
	 * Prefix of the names of worker threads. Defaults to the pool's name followed by a dash.
	 */
	private @Nullable String threadNamePrefix;

	/**
	 * Whether to run workers on virtual threads. Requires Java 21 or later.
	 */
	private boolean virtualThreads;

	/**
	 * Where jobs wait to run: in memory, or in a PostgreSQL table shared by every instance of the application
	 * (requires io.jobpool:pool-jdbc and a DataSource).
	 */
	private Store store = Store.MEMORY;

	private final Autoscale autoscale = new Autoscale();

	private final Retry retry = new Retry();

	private final Shutdown shutdown = new Shutdown();

	private final Jdbc jdbc = new Jdbc();

	/**
	 * Lanes: pools of their own, by name, each running the handlers annotated @JobHandler(pool = "<name>"). A lane
	 * takes every pool.* property, and any it does not set is the top-level value, but for its name (its key) and
	 * its thread name prefix (its name and a dash).
	 */
	private final Map<String, PoolProperties> pools = new LinkedHashMap<>();

	/**
	 * Recurring jobs, by the name of their @Recurring method: changes to its schedule that take the place of the
	 * annotation's values.
	 */
	private final Map<String, Recurrence> recurring = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public int getInitPoolNum() {
		return this.initPoolNum;
	}

	public void setInitPoolNum(int initPoolNum) {
		this.initPoolNum = initPoolNum;
	}

	public @Nullable Integer getMaxPoolNum() {
		return this.maxPoolNum;
	}

	public void setMaxPoolNum(@Nullable Integer maxPoolNum) {
		this.maxPoolNum = maxPoolNum;
	}

	public int getWorkerNum() {
		return this.workerNum;
	}

	public void setWorkerNum(int workerNum) {
		this.workerNum = workerNum;
	}

	public int getQueueSize() {
		return this.queueSize;
	}

	public void setQueueSize(int queueSize) {
		this.queueSize = queueSize;
	}

	public @Nullable Integer getScheduleSize() {
		return this.scheduleSize;
	}

	public void setScheduleSize(@Nullable Integer scheduleSize) {
		this.scheduleSize = scheduleSize;
	}

	public @Nullable Duration getJobTimeout() {
		return this.jobTimeout;
	}

	public void setJobTimeout(@Nullable Duration jobTimeout) {
		this.jobTimeout = jobTimeout;
	}

	public @Nullable String getThreadNamePrefix() {
		return this.threadNamePrefix;
	}

	public void setThreadNamePrefix(@Nullable String threadNamePrefix) {
		this.threadNamePrefix = threadNamePrefix;
	}

	public boolean isVirtualThreads() {
		return this.virtualThreads;
	}

	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public Autoscale getAutoscale() {
		return this.autoscale;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Map<String, PoolProperties> getPools() {
		return this.pools;
	}

	public Map<String, Recurrence> getRecurring() {
		return this.recurring;
	}

	/**
	 * Autoscaling of dispatchers between the initial and the maximum number.
	 */
	public static class Autoscale {

		/**
		 * Whether to add and remove dispatchers by load.
		 */
		private boolean enabled;

		/**
		 * Fraction of the queue size above which the pool counts as overloaded.
		 */
		private double loadFactor = 0.75;

		/**
		 * Time between two looks at the load.
		 */
		private Duration period = Duration.ofSeconds(30);

		/**
		 * Number of looks in a row that must agree before a dispatcher is added or removed.
		 */
		private int successThreshold = 2;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getLoadFactor() {
			return this.loadFactor;
		}

		public void setLoadFactor(double loadFactor) {
			this.loadFactor = loadFactor;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		public int getSuccessThreshold() {
			return this.successThreshold;
		}

		public void setSuccessThreshold(int successThreshold) {
			this.successThreshold = successThreshold;
		}

	}

	/**
	 * Retry of failed jobs.
	 */
	public static class Retry {

		/**
		 * Maximum number of runs of a job, the first included. 1 means no retry.
		 */
		private int maxAttempts = 1;

		/**
		 * Time to wait before the first retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(100);

		/**
		 * Multiplier applied to the backoff after each retry.
		 */
		private double multiplier = 2.0;

		/**
		 * Maximum time to wait between two runs.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		/**
		 * Fraction of each backoff drawn at random, from 0 (none) to 1 (the whole backoff).
		 */
		private double jitter = 0.5;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * Shutdown of the pool.
	 */
	public static class Shutdown {

		/**
		 * Maximum time to let queued and running jobs finish on shutdown before the rest are handed back.
		 */
		private Duration drainPeriod = Duration.ofSeconds(30);

		public Duration getDrainPeriod() {
			return this.drainPeriod;
		}

		public void setDrainPeriod(Duration drainPeriod) {
			this.drainPeriod = drainPeriod;
		}

	}

	/**
	 * The durable store of jobs, when {@code pool.store} is {@code jdbc}.
	 */
	public static class Jdbc {

		/**
		 * Whether to create the jobpool_job table at start-up when it is missing.
		 */
		private SchemaInitialization initializeSchema = SchemaInitialization.NEVER;

		/**
		 * How long a claimed job stays with its instance without a heartbeat. Once it expires, the job runs again
		 * elsewhere. At least 100ms.
		 */
		private Duration lease = Duration.ofSeconds(30);

		/**
		 * How often an idle pool looks for jobs submitted elsewhere (at once when notified), returns expired leases
		 * and counts its jobs. At least 10ms, and shorter than the lease.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * Whether to tell the pool's other instances with a PostgreSQL notification (NOTIFY) when jobs become ready,
		 * and to listen (LISTEN) for theirs, so that an idle instance starts a job submitted elsewhere at once rather
		 * than at its next poll. Each instance then holds one connection to listen on.
		 */
		private boolean notifications = true;

		public SchemaInitialization getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(SchemaInitialization initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public boolean isNotifications() {
			return this.notifications;
		}

		public void setNotifications(boolean notifications) {
			this.notifications = notifications;
		}

	}

	/**
	 * The schedule of one recurring job, each value taking the place of its @Recurring method's.
	 */
	public static class Recurrence {

		/**
		 * Whether to submit the job's slots. When false, the job is not registered with its pool.
		 */
		private boolean enabled = true;

		/**
		 * Cron expression of six fields (second minute hour day-of-month month day-of-week), or a macro such as
		 * '@daily'.
		 */
		private @Nullable String cron;

		/**
		 * Time zone the cron expression is read in, such as 'Europe/Berlin' or 'UTC'.
		 */
		private @Nullable String zone;

		/**
		 * What becomes of slots missed while the application was not running, or reached more than 10 seconds
		 * late: the latest runs once, or none runs.
		 */
		private @Nullable MissedSlots missedSlots;

		/**
		 * Whether a slot is submitted while the job of the last slot submitted has not ended.
		 */
		private @Nullable Boolean overlap;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable String getZone() {
			return this.zone;
		}

		public void setZone(@Nullable String zone) {
			this.zone = zone;
		}

		public @Nullable MissedSlots getMissedSlots() {
			return this.missedSlots;
		}

		public void setMissedSlots(@Nullable MissedSlots missedSlots) {
			this.missedSlots = missedSlots;
		}

		public @Nullable Boolean getOverlap() {
			return this.overlap;
		}

		public void setOverlap(@Nullable Boolean overlap) {
			this.overlap = overlap;
		}

	}

	/**
	 * Where jobs wait to run.
	 */
	public enum Store {

		/**
		 * In a bounded queue in memory: queued jobs are lost when the application stops.
		 */
		MEMORY,

		/**
		 * In a PostgreSQL table, shared by every pool of the same name on that database: jobs survive a restart.
		 */
		JDBC

	}

	/**
	 * Whether the durable pool creates its table, with Spring Boot's names for the modes that apply to
	 * PostgreSQL.
	 */
	public enum SchemaInitialization {

		/**
		 * Create the table at start-up when it is missing.
		 */
		ALWAYS,

		/**
		 * Never create the table: it must be there, for example from a database migration.
		 */
		NEVER

	}

}
