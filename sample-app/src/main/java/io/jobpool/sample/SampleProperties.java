package io.jobpool.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample application.
 *
 * @param workDelay time each job spends in its simulated I/O
 * @param submitWait maximum time a request waits for room in a full queue before it is answered 503
 * @param retryAfter time a client is asked to wait, in the {@code Retry-After} header of a 503
 * @param maxBodySize maximum size of a job's request body; a larger one is answered 413
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("200ms") Duration workDelay, @DefaultValue("50ms") Duration submitWait,
		@DefaultValue("1s") Duration retryAfter, @DefaultValue("16KB") DataSize maxBodySize) {

	/** The {@code Retry-After} header value: whole seconds, at least one. */
	String retryAfterSeconds() {
		long seconds = this.retryAfter.plusMillis(999).toSeconds();
		return Long.toString(Math.max(1, seconds));
	}

}
