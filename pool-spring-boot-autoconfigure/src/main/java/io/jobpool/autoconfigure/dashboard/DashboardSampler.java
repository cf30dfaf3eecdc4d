package io.jobpool.autoconfigure.dashboard;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.jobpool.JobPool;
import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.DashboardHistory;
import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.PoolHistoryDescriptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;

/**
 * Samples every pool once a sample interval, on one daemon thread named {@code jobpool-dashboard}, into a history of
 * fixed size per pool. It runs from the end of the application's start-up (after the pools have started) until it
 * begins to close (before they stop), and only where the dashboard is enabled and exposed.
 */
final class DashboardSampler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DashboardSampler.class);

	private static final Duration MIN_SAMPLE_INTERVAL = Duration.ofMillis(100);

	private static final int MAX_SAMPLES = 3600;

	private final Supplier<Collection<JobPool>> pools;

	private final JobTimesByPool times;

	private final Duration interval;

	private final int historySize;

	// Written before the thread starts, read by it and by the endpoint: the samplers never change once started.
	private volatile Map<String, PoolSampler> samplers = Map.of();

	// Held for a whole tick and a whole read, so that a read sees every pool sampled the same number of times.
	private final Object tick = new Object();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create a sampler.
	 * @param pools the pools to sample, read when the sampler starts; pools sharing a name after the first are left out
	 * @param times the job times of the pools that have them
	 * @param properties the dashboard's properties
	 * @throws InvalidConfigurationPropertyValueException if the interval or history are out of range
	 */
	DashboardSampler(Supplier<Collection<JobPool>> pools, JobTimesByPool times, DashboardProperties properties) {
		this.pools = pools;
		this.times = times;
		this.interval = properties.getSampleInterval();
		this.historySize = historySize(properties);
	}

	private static int historySize(DashboardProperties properties) {
		Duration interval = properties.getSampleInterval();
		if (interval.compareTo(MIN_SAMPLE_INTERVAL) < 0) {
			throw new InvalidConfigurationPropertyValueException("pool.dashboard.sample-interval", text(interval),
					"It must be at least " + text(MIN_SAMPLE_INTERVAL) + ".");
		}
		Duration history = properties.getHistory();
		long samples = history.toMillis() / interval.toMillis();
		if (samples < 1 || samples > MAX_SAMPLES) {
			throw new InvalidConfigurationPropertyValueException("pool.dashboard.history", text(history),
					"It must hold from 1 to " + MAX_SAMPLES + " samples of 'pool.dashboard.sample-interval' ("
							+ text(interval) + "), not " + samples + ".");
		}
		return (int) samples;
	}

	private static String text(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 60_000 == 0 && millis != 0) {
			return (millis / 60_000) + "m";
		}
		return (millis % 1000 == 0 && millis != 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		long nanoTime = System.nanoTime();
		Map<String, PoolSampler> samplers = new LinkedHashMap<>();
		this.pools.get()
			.forEach((pool) -> samplers.computeIfAbsent(pool.name(),
					(name) -> new PoolSampler(pool, this.times, this.historySize, nanoTime)));
		this.samplers = samplers;
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "jobpool-dashboard");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.interval.toNanos();
		executor.scheduleAtFixedRate(this::sample, period, period, TimeUnit.NANOSECONDS);
		this.executor = executor;
	}

	private void sample() {
		long time = System.currentTimeMillis();
		long nanoTime = System.nanoTime();
		synchronized (this.tick) {
			this.samplers.forEach((name, sampler) -> {
				try {
					sampler.sample(time, nanoTime);
				}
				catch (RuntimeException ex) {
					logger.debug("Could not sample pool '" + name + "'", ex);
				}
			});
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Every pool's samples after a given one.
	 * @param after the number of the last sample the caller has; 0 for all that are kept
	 * @return the history
	 */
	DashboardHistory history(long after) {
		Map<String, PoolHistoryDescriptor> pools = new LinkedHashMap<>();
		long last = 0;
		synchronized (this.tick) {
			for (Map.Entry<String, PoolSampler> entry : this.samplers.entrySet()) {
				last = Math.max(last, entry.getValue().sampled());
				pools.put(entry.getKey(), entry.getValue().describe(after));
			}
		}
		return new DashboardHistory(last, this.interval.toMillis(), this.historySize, pools);
	}

}
