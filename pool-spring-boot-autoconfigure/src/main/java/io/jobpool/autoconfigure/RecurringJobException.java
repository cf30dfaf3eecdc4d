package io.jobpool.autoconfigure;

/**
 * Thrown at start-up when a {@code @Recurring} method cannot be made a recurring job of a pool; says which methods
 * are wrong and how to fix them, and is reported as a {@link JobHandlerException} is.
 */
public class RecurringJobException extends JobHandlerException {

	/**
	 * Create an exception.
	 * @param description what is wrong, naming the methods
	 * @param action what to do about it
	 */
	public RecurringJobException(String description, String action) {
		super(description, action);
	}

}
