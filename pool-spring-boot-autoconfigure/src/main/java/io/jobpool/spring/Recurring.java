package io.jobpool.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.jobpool.RecurringJob.MissedSlots;

/**
 * Marks a bean method that makes the payload of a recurring job: at each slot of its {@link #cron() cron
 * expression} the pool calls the method and submits what it returns. The job runs in the pool whose
 * {@link JobHandler @JobHandler} takes the method's return type, a lane included.
 * <p>
 * The method is not static nor private, returns the payload, and takes either nothing or the slot's time: an
 * {@link java.time.Instant}, or a {@link java.time.ZonedDateTime} in the schedule's zone. It is called on the pool's
 * own thread, through the bean's proxy if it has one. A method that throws, or returns {@code null}, skips that
 * slot.
 * <p>
 * Properties under {@code pool.recurring.<name>} change the schedule, or turn it off, without a rebuild.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Recurring {

	/**
	 * The schedule: a Spring {@link org.springframework.scheduling.support.CronExpression cron expression} of six
	 * fields (second, minute, hour, day of month, month, day of week), such as {@code "0 0 2 * * *"} for 2 am every
	 * day, or a macro such as {@code "@daily"}.
	 * @return the cron expression
	 */
	String cron();

	/**
	 * The time zone the cron expression is read in, such as {@code "Europe/Berlin"}; empty for the JVM's default
	 * zone, as for Spring's {@code @Scheduled}.
	 * @return the zone's ID, or an empty string
	 */
	String zone() default "";

	/**
	 * The name of the recurring job, unique in the application: what {@code pool.recurring.<name>.*}, the
	 * {@code jobpool} endpoint and the logs call it. Lower-case letters, digits and dashes; empty for the method's
	 * name in that form ({@code nightlyReport} is {@code nightly-report}).
	 * @return the name, or an empty string
	 */
	String name() default "";

	/**
	 * What becomes of slots missed while the application was not running, or reached more than 10 seconds late.
	 * @return the policy
	 */
	MissedSlots missedSlots() default MissedSlots.RUN_LATEST;

	/**
	 * Whether a slot is submitted while the job of the last slot submitted has not ended; if not, that slot is skipped.
	 * @return whether slots may overlap
	 */
	boolean overlap() default true;

}
