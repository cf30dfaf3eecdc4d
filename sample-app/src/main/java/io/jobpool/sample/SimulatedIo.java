package io.jobpool.sample;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Stands in for the slow call a real handler makes (an SMTP server, a renderer): it waits
 * {@code sample.work-delay}.
 */
@Component
public class SimulatedIo {

	private final Duration delay;

	SimulatedIo(SampleProperties properties) {
		this.delay = properties.workDelay();
	}

	/**
	 * Wait as long as the simulated call takes.
	 * @throws InterruptedException if the worker is interrupted, as a job timeout or a forced stop does
	 */
	void call() throws InterruptedException {
		TimeUnit.NANOSECONDS.sleep(this.delay.toNanos());
	}

}
