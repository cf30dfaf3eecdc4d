package io.jobpool.engine;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobpool.Job;
import io.jobpool.JobListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Listeners}: every listener that overrides an event hears it, in order, whatever another one throws.
 */
class ListenersTests {

	private final Job<Object> job = new Job<>(1, "data", 1, 0);

	@Test
	void eachJobsEventsReachTheListenersThatOverrideThemInOrderPastOneThatThrows() {
		List<String> heard = new ArrayList<>();
		JobListener throwing = new JobListener() {
			@Override
			public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
				heard.add("throwing succeeded");
				throw new IllegalStateException("listener bug");
			}
		};
		JobListener recording = new JobListener() {
			@Override
			public void onAccepted(Job<?> job) {
				heard.add("accepted " + job.id());
			}

			@Override
			public void onStarted(Job<?> job, long queueWaitNanos) {
				heard.add("started " + queueWaitNanos);
			}

			@Override
			public void onSucceeded(Job<?> job, long queueWaitNanos, long runNanos) {
				heard.add("succeeded " + queueWaitNanos + " " + runNanos);
			}
		};
		Listeners listeners = new Listeners(List.of(throwing, new JobListener() {
		}, recording));
		listeners.onAccepted(this.job);
		listeners.onStarted(this.job, 5);
		listeners.onSucceeded(this.job, 5, 7);
		assertThat(heard).containsExactly("accepted 1", "started 5", "throwing succeeded", "succeeded 5 7");
	}

	@Test
	void aListenerThatThrowsFromAnEventOfEveryJobDoesNotStopTheOthersOfThatEvent() {
		List<String> heard = new ArrayList<>();
		JobListener throwing = new JobListener() {
			@Override
			public void onStarted(Job<?> job, long queueWaitNanos) {
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void onAccepted(Job<?> job) {
				throw new IllegalStateException("listener bug");
			}
		};
		JobListener recording = new JobListener() {
			@Override
			public void onStarted(Job<?> job, long queueWaitNanos) {
				heard.add("started");
			}

			@Override
			public void onAccepted(Job<?> job) {
				heard.add("accepted");
			}
		};
		Listeners listeners = new Listeners(List.of(throwing, recording));
		listeners.onAccepted(this.job);
		listeners.onStarted(this.job, 1);
		assertThat(heard).containsExactly("accepted", "started");
	}

}
