package io.jobpool.autoconfigure.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the job pools' dashboard.
 */
@ConfigurationProperties("pool.dashboard")
public class DashboardProperties {

	/**
	 * Whether to serve the dashboard as the 'jobpooldashboard' actuator endpoint and keep the history its charts
	 * draw. The endpoint must also be exposed, like any other.
	 */
	private boolean enabled;

	/**
	 * Time between two samples of each pool's figures, and between two refreshes of the page. At least 100ms.
	 */
	private Duration sampleInterval = Duration.ofSeconds(1);

	/**
	 * Length of the history kept of each pool in a buffer of fixed size, and so how far back the charts go. At most
	 * 3600 samples.
	 */
	private Duration history = Duration.ofMinutes(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getSampleInterval() {
		return this.sampleInterval;
	}

	public void setSampleInterval(Duration sampleInterval) {
		this.sampleInterval = sampleInterval;
	}

	public Duration getHistory() {
		return this.history;
	}

	public void setHistory(Duration history) {
		this.history = history;
	}

}
