package io.jobpool.autoconfigure;

/**
 * Thrown at start-up when the {@code @JobHandler} beans cannot be registered with the pool; says which beans are
 * wrong and how to fix them.
 */
public class JobHandlerException extends IllegalStateException {

	private final String action;

	/**
	 * Create an exception.
	 * @param description what is wrong, naming the beans
	 * @param action what to do about it
	 */
	public JobHandlerException(String description, String action) {
		super(description);
		this.action = action;
	}

	/** What to do about it. */
	public String getAction() {
		return this.action;
	}

}
