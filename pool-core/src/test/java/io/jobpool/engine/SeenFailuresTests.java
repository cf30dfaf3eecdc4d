package io.jobpool.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SeenFailures} knows a failure again by its class and the frame it was thrown from, and those of its root
 * cause, never by its message; it forgets the failure seen least recently once it holds its bound.
 */
class SeenFailuresTests {

	private final SeenFailures seen = new SeenFailures(2);

	@Test
	void theSameFailureThrownFromTheSamePlaceIsSeenOnce() {
		assertThat(this.seen.firstTime(thrownHere("one"))).isTrue();
		assertThat(this.seen.firstTime(thrownHere("two"))).isFalse();
	}

	@Test
	void anotherClassOrAnotherPlaceIsAnotherFailure() {
		assertThat(this.seen.firstTime(thrownHere("here"))).isTrue();
		assertThat(this.seen.firstTime(thrownThere())).isTrue();
		assertThat(this.seen.firstTime(new IllegalArgumentException("other class"))).isTrue();
	}

	@Test
	void theSameWrapperAroundAnotherRootCauseIsAnotherFailure() {
		assertThat(this.seen.firstTime(wrapped(thrownHere("cause")))).isTrue();
		assertThat(this.seen.firstTime(wrapped(thrownHere("again")))).isFalse();
		assertThat(this.seen.firstTime(wrapped(thrownThere()))).isTrue();
	}

	@Test
	void aFailureWithoutStackTraceIsKnownByItsClass() {
		IllegalStateException bare = thrownHere("bare");
		bare.setStackTrace(new StackTraceElement[0]);
		assertThat(this.seen.firstTime(bare)).isTrue();
		IllegalStateException other = thrownThere();
		other.setStackTrace(new StackTraceElement[0]);
		assertThat(this.seen.firstTime(other)).isFalse();
	}

	@Test
	void theFailureSeenLeastRecentlyIsForgottenPastTheBound() {
		this.seen.firstTime(thrownHere("first"));
		this.seen.firstTime(thrownThere());
		this.seen.firstTime(thrownHere("first, seen again"));
		assertThat(this.seen.firstTime(new IllegalArgumentException("third"))).isTrue();
		assertThat(this.seen.size()).isEqualTo(2);
		assertThat(this.seen.firstTime(thrownHere("first, still known"))).isFalse();
		assertThat(this.seen.firstTime(thrownThere())).isTrue();
	}

	private static IllegalStateException thrownHere(String message) {
		return new IllegalStateException(message);
	}

	private static IllegalStateException thrownThere() {
		return new IllegalStateException("there");
	}

	private static RuntimeException wrapped(Throwable cause) {
		return new RuntimeException("wrapped", cause);
	}

}
