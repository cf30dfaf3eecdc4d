package io.jobpool.sample;

import org.jspecify.annotations.Nullable;

/**
 * Text from a request, made short enough for a log line or an error message: a long value is cut, and says how
 * long it was.
 */
final class Snippet {

	static final int MAX_LENGTH = 40;

	private Snippet() {
	}

	/**
	 * The value as is if it is short, else its start followed by {@code "... (N characters)"}.
	 * @param value the text, possibly {@code null}
	 * @return the text to show
	 */
	static String of(@Nullable String value) {
		if (value == null || value.length() <= MAX_LENGTH) {
			return String.valueOf(value);
		}
		int end = Character.isHighSurrogate(value.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
		return value.substring(0, end) + "... (" + value.length() + " characters)";
	}

}
