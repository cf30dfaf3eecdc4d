package io.jobpool.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.jobpool.InvalidPoolConfigurationException;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The lanes of an application: the pools defined under {@code pool.pools.<name>}, each taking every {@code pool.*}
 * property it does not set itself from the top level, but for its name and its thread name prefix.
 */
final class PoolLanes {

	static final String PREFIX = "pool.pools";

	private final Map<String, PoolProperties> lanes;

	private PoolLanes(Map<String, PoolProperties> lanes) {
		this.lanes = lanes;
	}

	/**
	 * Read the lanes from the environment.
	 * @param environment the environment
	 * @param defaultName the name of the default pool
	 * @return the lanes
	 * @throws InvalidPoolConfigurationException if a lane is named as the default pool, renames itself or has
	 * lanes of its own
	 */
	static PoolLanes bind(Environment environment, String defaultName) {
		Binder binder = Binder.get(environment);
		Map<String, PoolProperties> lanes = new LinkedHashMap<>();
		for (String name : names(binder)) {
			lanes.put(name, bindLane(binder, name, defaultName));
		}
		return new PoolLanes(Collections.unmodifiableMap(lanes));
	}

	/**
	 * The names of the lanes the environment defines.
	 * @param environment the environment
	 * @return the names, in the order they are defined
	 */
	static Set<String> names(Environment environment) {
		return names(Binder.get(environment));
	}

	private static Set<String> names(Binder binder) {
		return binder.bind(PREFIX, Bindable.mapOf(String.class, PoolProperties.class))
			.map(Map::keySet)
			.orElse(Set.of());
	}

	private static PoolProperties bindLane(Binder binder, String name, String defaultName) {
		String prefix = prefix(name);
		if (name.isBlank() || name.equals(defaultName)) {
			throw new InvalidPoolConfigurationException("pools", name, "a lane needs a name of its own, "
					+ "and '" + name + "' is " + (name.isBlank() ? "blank" : "the name of the default pool"),
					"Rename the lane under " + PREFIX + ".");
		}
		if (binder.bind(prefix + ".name", String.class).isBound()) {
			throw new InvalidPoolConfigurationException("pools", name,
					"a lane is named by its key under " + PREFIX + ", so it cannot set a name",
					"Remove " + prefix + ".name, or rename the key.");
		}
		if (binder.bind(prefix + ".enabled", Boolean.class).isBound()) {
			throw new InvalidPoolConfigurationException("pools", name,
					"a lane is enabled with the others by pool.enabled, and cannot be turned off alone",
					"Remove " + prefix + ".enabled; to drop the lane, remove " + prefix + " and move its handlers.");
		}
		PoolProperties lane = binder.bindOrCreate("pool", PoolProperties.class);
		lane.getPools().clear();
		lane.getRecurring().clear();
		binder.bind(prefix, Bindable.ofInstance(lane));
		if (!lane.getPools().isEmpty()) {
			throw new InvalidPoolConfigurationException("pools", name,
					"lanes are defined at the top level only, and lane '" + name + "' defines lanes of its own",
					"Move them up to " + PREFIX + ".");
		}
		if (!lane.getRecurring().isEmpty()) {
			throw new InvalidPoolConfigurationException("pools", name, "a recurring job runs in the pool of the "
					+ "handler of its payload, and is configured under pool.recurring only",
					"Move " + prefix + ".recurring.* to pool.recurring.*.");
		}
		lane.setName(name);
		if (!binder.bind(prefix + ".thread-name-prefix", String.class).isBound()) {
			lane.setThreadNamePrefix(null);
		}
		return lane;
	}

	/** The prefix of a lane's properties. */
	static String prefix(String lane) {
		return PREFIX + "." + lane;
	}

	Set<String> names() {
		return this.lanes.keySet();
	}

	PoolProperties get(String lane) {
		PoolProperties properties = this.lanes.get(lane);
		if (properties == null) {
			throw new IllegalArgumentException("No lane named '" + lane + "'");
		}
		return properties;
	}

}
