package io.jobpool.benchmarks.jdbc;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whether the benchmark's PostgreSQL makes each commit durable: {@code fsync-off} is zonky's embedded default (no
 * disk flush, commits acknowledged before their WAL is written), {@code fsync-on} is how production databases run.
 * The command line and the file names use {@link #label()}.
 */
public enum Durability {

	/** fsync, synchronous_commit and full_page_writes off: a commit costs no disk flush. */
	FSYNC_OFF("fsync-off", "off"),

	/** fsync, synchronous_commit and full_page_writes on: a commit returns once its WAL is flushed to disk. */
	FSYNC_ON("fsync-on", "on");

	private final String label;

	private final String setting;

	Durability(String label, String setting) {
		this.label = label;
		this.setting = setting;
	}

	/** How the command line and the file names call it. */
	public String label() {
		return this.label;
	}

	/** The server settings that decide what a commit costs. */
	Map<String, String> serverConfig() {
		return Map.of("fsync", this.setting, "synchronous_commit", this.setting, "full_page_writes", this.setting);
	}

	/**
	 * The durability with this label.
	 * @param label {@code fsync-off} or {@code fsync-on}
	 * @return the durability
	 * @throws IllegalArgumentException for another label
	 */
	public static Durability of(String label) {
		return Arrays.stream(values())
			.filter((durability) -> durability.label.equals(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown durability '" + label + "'; use one of "
					+ Arrays.stream(values()).map(Durability::label).collect(Collectors.joining(", "))));
	}

}
