package io.jobpool.sample;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * What is wrong with a job's fields, one message per problem, each naming its field and the limit it broke.
 */
final class Problems {

	private final List<String> messages = new ArrayList<>();

	/**
	 * Check a required text field.
	 * @param field the field's name
	 * @param value its value
	 * @param maxLength the most characters it may have
	 * @return whether the value is there and not too long
	 */
	boolean text(String field, @Nullable String value, int maxLength) {
		if (!StringUtils.hasText(value)) {
			add("'" + field + "' is required");
			return false;
		}
		if (value.length() > maxLength) {
			add("'" + field + "' must have at most " + maxLength + " characters, but has " + value.length());
			return false;
		}
		return true;
	}

	void add(String message) {
		this.messages.add(message);
	}

	List<String> list() {
		return List.copyOf(this.messages);
	}

}
