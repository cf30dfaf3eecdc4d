package io.jobpool;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a pool is built with an option it cannot run with; names the option, the value and the fix.
 */
public class InvalidPoolConfigurationException extends IllegalArgumentException {

	private final String option;

	private final transient @Nullable Object value;

	private final String reason;

	private final String fix;

	/**
	 * Create an exception.
	 * @param option the builder option, in camel case (for example {@code workerNum})
	 * @param value the value that was given
	 * @param reason what is wrong with it
	 * @param fix what to set instead
	 */
	public InvalidPoolConfigurationException(String option, @Nullable Object value, String reason, String fix) {
		super("Invalid value '" + value + "' for " + option + ": " + reason + ". " + fix);
		this.option = option;
		this.value = value;
		this.reason = reason;
		this.fix = fix;
	}

	/** The builder option, in camel case (for example {@code workerNum}). */
	public String option() {
		return this.option;
	}

	/** The value that was given. */
	public @Nullable Object value() {
		return this.value;
	}

	/** What is wrong with the value. */
	public String reason() {
		return this.reason;
	}

	/** What to set instead. */
	public String fix() {
		return this.fix;
	}

}
