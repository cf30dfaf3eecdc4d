package io.jobpool.jdbc;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What PostgreSQL cannot hold in {@code text} and {@code jsonb}: the NUL character U+0000 (in JSON, its escape)
 * and surrogates that do not pair up into a character. Payloads with them are refused; error texts
 * are cleaned, so that recording why a job failed never fails.
 */
final class PostgresText {

	private PostgresText() {
	}

	/**
	 * What is wrong with a JSON payload, if anything.
	 * @param json the payload as written
	 * @return why PostgreSQL cannot store it, or {@code null} if it can
	 */
	static @Nullable String problemIn(String json) {
		int backslashes = 0;
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			if (c == '\\') {
				backslashes++;
				continue;
			}
			boolean escaped = (backslashes % 2) == 1;
			backslashes = 0;
			if (c == 0 || (escaped && json.startsWith("u0000", i))) {
				return "it holds the NUL character (\\u0000) at position " + i
						+ ", which PostgreSQL cannot store in text or jsonb";
			}
			if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return "it holds a lone surrogate (\\u" + Integer.toHexString(c).toUpperCase(Locale.ROOT)
						+ ") at position " + i + ", half of a character that is not valid UTF-8";
			}
		}
		return null;
	}

	/**
	 * Make a text storable: NUL characters become their visible JSON escape, and lone surrogates the replacement
	 * character U+FFFD.
	 * @param text any text
	 * @return the text PostgreSQL can store
	 */
	static String clean(String text) {
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1));
			boolean bad = c == 0 || (!pair && Character.isSurrogate(c));
			if (bad && out == null) {
				out = new StringBuilder(text.length() + 8).append(text, 0, i);
			}
			if (out != null) {
				if (c == 0) {
					out.append("\\u0000");
				}
				else if (bad) {
					out.append('\uFFFD');
				}
				else {
					out.append(c);
					if (pair) {
						out.append(text.charAt(i + 1));
					}
				}
			}
			if (pair) {
				i++;
			}
		}
		return (out != null) ? out.toString() : text;
	}

}
