package io.jobpool.autoconfigure.lanes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;

/**
 * Handlers in lanes, and their payloads, used by the tests.
 */
final class LaneHandlers {

	private LaneHandlers() {
	}

	record Email(String to) {
	}

	record Report(String name) {
	}

	/** Records the thread each e-mail ran on, in the default pool. */
	@JobHandler
	static class EmailHandler implements JobProcessor<Email> {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void process(Job<Email> job) {
			this.threads.add(Thread.currentThread().getName());
		}

	}

	/** Records the thread each report ran on, in the {@code reports} lane. */
	@JobHandler(pool = "reports")
	static class ReportHandler implements JobProcessor<Report> {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void process(Job<Report> job) {
			this.threads.add(Thread.currentThread().getName());
		}

	}

	/** A handler in a lane that nobody configured. */
	@JobHandler(pool = "reprots")
	static class MisnamedReportHandler implements JobProcessor<Report> {

		@Override
		public void process(Job<Report> job) {
		}

	}

	/** A second handler of reports, in the default pool. */
	@JobHandler
	static class DefaultReportHandler implements JobProcessor<Report> {

		@Override
		public void process(Job<Report> job) {
		}

	}

}
