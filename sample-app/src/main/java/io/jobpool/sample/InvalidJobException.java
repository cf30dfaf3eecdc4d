package io.jobpool.sample;

import java.util.List;

/**
 * Thrown for a job whose fields are not valid; answered with 400 and one message per problem.
 */
public class InvalidJobException extends RuntimeException {

	private final List<String> problems;

	InvalidJobException(String type, List<String> problems) {
		super("Invalid " + type + " job: " + String.join("; ", problems));
		this.problems = List.copyOf(problems);
	}

	/** What is wrong with the job, one message per problem. */
	public List<String> problems() {
		return this.problems;
	}

}
