package io.jobpool;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * How a failed job is retried: up to {@code maxAttempts} runs in all, waiting an exponential backoff with
 * jitter between them. The default runs each job once.
 *
 * @param maxAttempts runs in all, at least 1; 1 means no retry
 * @param initialBackoff the wait before the first retry
 * @param multiplier how much each further wait grows, at least 1
 * @param maxBackoff the longest wait
 * @param jitter the fraction of each wait drawn at random, from 0 (none) to 1 (the whole wait)
 * @param retryOn which failures are retried
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
		double jitter, Predicate<Throwable> retryOn) {

	/** Retry exceptions, including timeouts, but not errors. */
	public static final Predicate<Throwable> EXCEPTIONS = (error) -> error instanceof Exception;

	/** Run each job once. */
	public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(100), 2.0, Duration.ofSeconds(30),
			0.5, EXCEPTIONS);

	/**
	 * Validate a policy.
	 */
	public RetryPolicy {
		if (maxAttempts < 1) {
			throw new InvalidPoolConfigurationException("retry.maxAttempts", maxAttempts,
					"a job runs at least once", "Set it to 1 for no retry, or more to retry failed jobs.");
		}
		requirePositive("retry.initialBackoff", initialBackoff);
		requirePositive("retry.maxBackoff", maxBackoff);
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new InvalidPoolConfigurationException("retry.multiplier", multiplier,
					"the backoff must not shrink", "Set a multiplier of at least 1.0, for example 2.0.");
		}
		if (!(jitter >= 0.0 && jitter <= 1.0)) {
			throw new InvalidPoolConfigurationException("retry.jitter", jitter, "jitter is a fraction",
					"Set a value from 0.0 (no jitter) to 1.0.");
		}
		if (retryOn == null) {
			throw new InvalidPoolConfigurationException("retry.retryOn", null, "it must not be null",
					"Use RetryPolicy.EXCEPTIONS to retry every exception.");
		}
	}

	/**
	 * Retry up to {@code maxAttempts} runs in all, with the default backoff.
	 * @param maxAttempts runs in all
	 * @return a policy
	 */
	public static RetryPolicy maxAttempts(int maxAttempts) {
		return NONE.withMaxAttempts(maxAttempts);
	}

	/**
	 * This policy with another number of attempts.
	 * @param attempts runs in all
	 * @return a new policy
	 */
	public RetryPolicy withMaxAttempts(int attempts) {
		return new RetryPolicy(attempts, this.initialBackoff, this.multiplier, this.maxBackoff, this.jitter,
				this.retryOn);
	}

	/**
	 * This policy with another backoff.
	 * @param initial the wait before the first retry
	 * @param growth how much each further wait grows
	 * @param max the longest wait
	 * @param jitterFraction the fraction of each wait drawn at random
	 * @return a new policy
	 */
	public RetryPolicy withBackoff(Duration initial, double growth, Duration max, double jitterFraction) {
		return new RetryPolicy(this.maxAttempts, initial, growth, max, jitterFraction, this.retryOn);
	}

	/**
	 * This policy, retrying only the failures the predicate accepts.
	 * @param predicate which failures to retry
	 * @return a new policy
	 */
	public RetryPolicy withRetryOn(Predicate<Throwable> predicate) {
		return new RetryPolicy(this.maxAttempts, this.initialBackoff, this.multiplier, this.maxBackoff, this.jitter,
				predicate);
	}

	/**
	 * Whether an attempt that failed should run again.
	 * @param attempt the attempt that failed, from 1
	 * @param error what it threw
	 * @return whether to retry it
	 */
	public boolean shouldRetry(int attempt, Throwable error) {
		return attempt < this.maxAttempts && this.retryOn.test(error);
	}

	/**
	 * The wait before the attempt after {@code attempt}, with jitter drawn.
	 * @param attempt the attempt that failed, from 1
	 * @return the wait, never more than the maximum backoff
	 */
	public Duration backoff(int attempt) {
		double base = this.initialBackoff.toNanos() * Math.pow(this.multiplier, attempt - 1);
		double capped = Math.min(base, this.maxBackoff.toNanos());
		double jittered = capped * (1.0 - this.jitter * ThreadLocalRandom.current().nextDouble());
		return Duration.ofNanos(Math.max(1L, (long) jittered));
	}

	private static void requirePositive(String option, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidPoolConfigurationException(option, value, "a backoff must be positive",
					"Set a positive duration, for example 100ms.");
		}
	}

}
