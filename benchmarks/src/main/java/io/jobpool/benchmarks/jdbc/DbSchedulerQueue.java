package io.jobpool.benchmarks.jdbc;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.jobpool.benchmarks.Tally;

/**
 * db-scheduler: a one-time task scheduled for now per job, {@code workers} threads, immediate execution on, and
 * either its default polling strategy ({@code fetch-and-lock-on-execute}) or {@code lock-and-fetch}
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}) with the limits its documentation gives for high throughput. A job
 * has ended when the scheduler reports its execution complete, which is after its row is deleted.
 */
final class DbSchedulerQueue implements DurableQueue.Running {

	/** db-scheduler's table, emptied between rounds. */
	static final String TABLE = "scheduled_tasks";

	/** lock-and-fetch limits, as fractions of the threads: fetch again below 1×, up to 4× (high throughput). */
	static final double LOWER_LIMIT = 1.0;

	static final double UPPER_LIMIT = 4.0;

	private final OneTimeTask<Void> task = Tasks.oneTime("bench-noop").execute((instance, context) -> {
	});

	private final Scheduler scheduler;

	DbSchedulerQueue(DataSource dataSource, int workers, Duration pollInterval, boolean lockAndFetch, Tally tally) {
		SchedulerBuilder builder = Scheduler.create(dataSource, this.task)
			.threads(workers)
			.pollingInterval(pollInterval)
			.enableImmediateExecution()
			.schedulerName(new SchedulerName.Fixed("bench"))
			.shutdownMaxWait(Duration.ofSeconds(30))
			.addSchedulerListener(new AbstractSchedulerListener() {

				@Override
				public void onExecutionComplete(ExecutionComplete complete) {
					if (complete.getResult() == ExecutionComplete.Result.OK) {
						tally.succeeded();
					}
					else {
						tally.failed(complete.getCause().orElseGet(() -> new IllegalStateException("failed")));
					}
				}

			});
		if (lockAndFetch) {
			builder.pollUsingLockAndFetch(LOWER_LIMIT, UPPER_LIMIT);
		}
		this.scheduler = builder.build();
		this.scheduler.start();
	}

	@Override
	public void submit(int seq) {
		this.scheduler.schedule(this.task.instance(Integer.toString(seq)), Instant.now());
	}

	@Override
	public void close() {
		this.scheduler.stop();
	}

}
