package io.jobpool.autoconfigure;

import io.jobpool.InvalidPoolConfigurationException;

/**
 * Thrown at start-up when a lane's options are refused, so that the failure names the lane's properties.
 */
final class LaneConfigurationException extends IllegalStateException {

	private final String lane;

	LaneConfigurationException(String lane, InvalidPoolConfigurationException cause) {
		super("Invalid configuration of pool '" + lane + "': " + cause.getMessage(), cause);
		this.lane = lane;
	}

	/** The name of the lane. */
	String lane() {
		return this.lane;
	}

}
