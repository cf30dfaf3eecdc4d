package io.jobpool.spi;

import java.util.Objects;

import io.jobpool.JobFuture;
import org.jspecify.annotations.Nullable;

/**
 * What became of one slot of a recurring job that a store was asked to submit: its job, or why there is none.
 *
 * @param future the slot's job, when this instance submitted it
 * @param notSubmitted why this instance did not submit it, when it did not
 */
public record SlotSubmission(@Nullable JobFuture future, @Nullable String notSubmitted) {

	/**
	 * The slot's job was submitted here.
	 * @param future its future
	 * @return the submission
	 */
	public static SlotSubmission submitted(JobFuture future) {
		return new SlotSubmission(Objects.requireNonNull(future, "future must not be null"), null);
	}

	/** Another instance sharing the store submitted the slot. */
	public static SlotSubmission takenElsewhere() {
		return new SlotSubmission(null, "taken elsewhere");
	}

	/**
	 * The slot was skipped.
	 * @param reason why
	 * @return the submission
	 */
	public static SlotSubmission skipped(String reason) {
		return new SlotSubmission(null, "skipped: " + reason);
	}

}
