package io.jobpool.jdbc;

import java.util.List;
import java.util.function.Supplier;

import io.jobpool.Job;
import io.jobpool.JobProcessor;

/**
 * The local engine's processor for claimed jobs, one per worker: it passes each job to the worker's own processor
 * for the job's type, made by asking each registered generator once.
 */
final class ClaimedJobRouter implements JobProcessor<ClaimedJob> {

	private final JobProcessor<Object>[] processors;

	@SuppressWarnings("unchecked")
	ClaimedJobRouter(List<Supplier<? extends JobProcessor<?>>> generators) {
		this.processors = new JobProcessor[generators.size()];
		for (int i = 0; i < this.processors.length; i++) {
			this.processors[i] = (JobProcessor<Object>) generators.get(i).get();
			if (this.processors[i] == null) {
				throw new IllegalStateException("A processor generator returned null; it must return a processor");
			}
		}
	}

	@Override
	public void process(Job<ClaimedJob> job) throws Exception {
		ClaimedJob claimed = job.data();
		this.processors[claimed.route].process(claimed.job);
	}

}
