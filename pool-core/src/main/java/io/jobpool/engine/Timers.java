package io.jobpool.engine;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The engine's timer threads: one daemon thread each, whose cancelled tasks leave at once.
 */
final class Timers {

	private Timers() {
	}

	static ScheduledThreadPoolExecutor start(String threadName) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (work) -> {
			Thread thread = new Thread(work, threadName);
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/** Stop a timer, waiting a moment for a task under way. */
	static void stop(@Nullable ScheduledThreadPoolExecutor executor) {
		if (executor == null) {
			return;
		}
		executor.shutdownNow();
		try {
			executor.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
