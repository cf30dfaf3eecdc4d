package io.jobpool.autoconfigure.endpoint;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@link JobPoolEndpoint}.
 */
@ConfigurationProperties("management.endpoint.jobpool")
public class JobPoolEndpointProperties {

	/**
	 * When to show the payloads of dead jobs. A payload not shown reads '******'.
	 */
	private Show showPayloads = Show.NEVER;

	/**
	 * Roles that authorize a user to be shown the payloads of dead jobs. When empty, all authenticated users are
	 * authorized.
	 */
	private final Set<String> roles = new LinkedHashSet<>();

	public Show getShowPayloads() {
		return this.showPayloads;
	}

	public void setShowPayloads(Show showPayloads) {
		this.showPayloads = showPayloads;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

}
