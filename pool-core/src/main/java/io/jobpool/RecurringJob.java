package io.jobpool;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * A schedule that submits a payload at each of its slots: the times its next-slot function gives, one after the
 * other. On a store shared by several instances, each slot is submitted by one of them only.
 *
 * @param name the schedule's name, unique in its pool
 * @param nextSlot the first slot strictly after a given time, or {@code null} when the schedule has no more
 * @param payload the payload of a slot, given the slot's time; called only for a slot that is submitted
 * @param missedSlots what becomes of slots missed while no instance was running
 * @param overlap whether a slot is submitted while the job of the last slot submitted has not ended
 */
public record RecurringJob(String name, UnaryOperator<@Nullable Instant> nextSlot, Function<Instant, ?> payload,
		MissedSlots missedSlots, boolean overlap) {

	/** Validate the schedule. */
	public RecurringJob {
		if (name == null || name.isBlank()) {
			throw new InvalidPoolConfigurationException("recurring", name, "a recurring job needs a name",
					"Give each recurring job a non-empty name, unique in its pool.");
		}
		Objects.requireNonNull(nextSlot, "nextSlot must not be null");
		Objects.requireNonNull(payload, "payload must not be null");
		Objects.requireNonNull(missedSlots, "missedSlots must not be null");
	}

	/**
	 * A schedule that runs the latest missed slot once and lets slots overlap.
	 * @param name the schedule's name
	 * @param nextSlot the first slot strictly after a given time, or {@code null} when there are no more
	 * @param payload the payload of a slot
	 * @return the schedule
	 */
	public static RecurringJob of(String name, UnaryOperator<@Nullable Instant> nextSlot, Function<Instant, ?> payload) {
		return new RecurringJob(name, nextSlot, payload, MissedSlots.RUN_LATEST, true);
	}

	/**
	 * This schedule with another policy for missed slots.
	 * @param missedSlots the policy
	 * @return a new schedule
	 */
	public RecurringJob withMissedSlots(MissedSlots missedSlots) {
		return new RecurringJob(this.name, this.nextSlot, this.payload, missedSlots, this.overlap);
	}

	/**
	 * This schedule, letting slots overlap or not.
	 * @param overlap whether a slot is submitted while the job of the last slot submitted has not ended
	 * @return a new schedule
	 */
	public RecurringJob withOverlap(boolean overlap) {
		return new RecurringJob(this.name, this.nextSlot, this.payload, this.missedSlots, overlap);
	}

	/** The key that a store keeps the job of one slot under. */
	public String slotKey(Instant slot) {
		return "recurring:" + this.name + ":" + slot;
	}

	/**
	 * What becomes of the slots of a recurring job that passed while no instance of the pool was running, or that
	 * an instance reached late.
	 */
	public enum MissedSlots {

		/** Submit the latest missed slot once, and none of the earlier ones. */
		RUN_LATEST,

		/** Submit none of the missed slots; go on with the next one to come. */
		SKIP

	}

}
