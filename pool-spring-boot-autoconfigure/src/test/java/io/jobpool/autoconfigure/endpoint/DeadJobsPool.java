package io.jobpool.autoconfigure.endpoint;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jobpool.DeadJob;
import io.jobpool.DeadJobs;
import io.jobpool.JobPool;

/**
 * An in-memory pool that keeps the dead jobs a test gives it, as a durable pool keeps those of its table. It is a
 * real {@link JobPool} behind a proxy that also implements {@link DeadJobs}, so it follows changes to
 * {@code JobPool} without edits.
 */
final class DeadJobsPool implements DeadJobs {

	private final List<DeadJob> jobs;

	private DeadJobsPool(List<DeadJob> jobs) {
		this.jobs = List.copyOf(jobs);
	}

	/**
	 * A started pool that keeps these dead jobs.
	 * @param name the pool's name
	 * @param jobs the dead jobs, most recent first
	 * @return the pool, a {@link JobPool} and {@link DeadJobs}
	 */
	static JobPool of(String name, List<DeadJob> jobs) {
		JobPool pool = JobPool.builder()
			.name(name)
			.workerNum(1)
			.queueSize(1)
			.drainPeriod(Duration.ofSeconds(1))
			.processor(String.class, () -> (job) -> {
			})
			.build();
		pool.start();
		DeadJobsPool dead = new DeadJobsPool(jobs);
		return (JobPool) Proxy.newProxyInstance(DeadJobsPool.class.getClassLoader(),
				new Class<?>[] { JobPool.class, DeadJobs.class }, (proxy, method, args) -> {
					if (method.getName().equals("equals") && method.getParameterCount() == 1) {
						return proxy == args[0];
					}
					Object target = (method.getDeclaringClass() == DeadJobs.class) ? dead : pool;
					try {
						return method.invoke(target, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	/**
	 * Dead jobs of type {@code report} with ids from 1, each with this payload and error, most recent first.
	 * @param count how many
	 * @param payload the payload of each
	 * @param error the error of each
	 * @return the jobs
	 */
	static List<DeadJob> deadJobs(int count, String payload, String error) {
		Instant now = Instant.parse("2026-12-01T10:15:30Z");
		List<DeadJob> jobs = new ArrayList<>();
		for (int id = count; id >= 1; id--) {
			jobs.add(new DeadJob(id, "report", payload, 3, now.minusSeconds(count - id), error));
		}
		return jobs;
	}

	@Override
	public long deadJobCount() {
		return this.jobs.size();
	}

	@Override
	public List<DeadJob> deadJobs(int limit) {
		return this.jobs.subList(0, Math.min(limit, this.jobs.size()));
	}

	@Override
	public boolean requeueDeadJob(long id) {
		return false;
	}

	@Override
	public int requeueDeadJobs() {
		return 0;
	}

}
