package io.jobpool.jdbc.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A pool's clock that stands still until a test moves it forward, so that what is due is decided by the test,
 * not by the time the test takes.
 */
public final class TestClock extends Clock {

	private volatile Instant now;

	public TestClock(Instant start) {
		this.now = start;
	}

	/** Move the clock forward. */
	public synchronized void advance(Duration by) {
		this.now = this.now.plus(by);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A test clock keeps UTC");
	}

}
