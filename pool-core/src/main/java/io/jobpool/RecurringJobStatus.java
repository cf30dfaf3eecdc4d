package io.jobpool;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where a recurring job of a pool stands: its next slot, and its last slot and what became of it.
 *
 * @param name the schedule's name
 * @param nextSlot the next slot to come, or {@code null} when the schedule has no more
 * @param lastSlot the last slot this instance handled, or {@code null} before the first
 * @param lastOutcome what became of the last slot: {@code submitted}, {@code succeeded}, {@code failed},
 * {@code handed back}, {@code taken elsewhere} (another instance submitted it), {@code skipped: ...} or
 * {@code refused: ...}; {@code null} before the first
 */
public record RecurringJobStatus(String name, @Nullable Instant nextSlot, @Nullable Instant lastSlot,
		@Nullable String lastOutcome) {
}
