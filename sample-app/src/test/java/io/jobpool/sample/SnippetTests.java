package io.jobpool.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Snippet}, and the jobs' {@code toString()} that log lines and failure reports print.
 */
class SnippetTests {

	@Test
	void shortTextIsShownAsIs() {
		assertThat(Snippet.of("sales-q3")).isEqualTo("sales-q3");
		assertThat(Snippet.of("x".repeat(Snippet.MAX_LENGTH))).isEqualTo("x".repeat(Snippet.MAX_LENGTH));
		assertThat(Snippet.of(null)).isEqualTo("null");
	}

	@Test
	void longTextIsCutAndSaysHowLongItWas() {
		assertThat(Snippet.of("x".repeat(5_000_000)))
			.isEqualTo("x".repeat(Snippet.MAX_LENGTH) + "... (5000000 characters)");
	}

	@Test
	void aCutNeverSplitsACharacterMadeOfTwoChars() {
		String text = "x".repeat(Snippet.MAX_LENGTH - 1) + "\uD83D\uDE00" + "x";
		assertThat(Snippet.of(text)).isEqualTo("x".repeat(Snippet.MAX_LENGTH - 1) + "... (42 characters)");
	}

	@Test
	void jobsShowTheirFieldsCut() {
		assertThat(new EmailJob("ada@example.com", "s".repeat(201))).hasToString(
				"EmailJob[to=ada@example.com, subject=" + "s".repeat(Snippet.MAX_LENGTH) + "... (201 characters)]");
		assertThat(new ReportJob("n".repeat(1000), 3))
			.hasToString("ReportJob[name=" + "n".repeat(Snippet.MAX_LENGTH) + "... (1000 characters), pages=3]");
	}

}
