package io.jobpool.autoconfigure.dashboard;

import io.jobpool.autoconfigure.dashboard.JobPoolDashboardEndpoint.Samples;

/**
 * The last samples of one pool's figures, in a ring of fixed size. The sampler writes once a sample interval and the
 * page reads about as often, so a plain lock is all it needs.
 */
final class PoolHistory {

	// Guarded by this: sample n (from 1) is at ring[(n - 1) % ring.length] while n > recorded - ring.length.
	private final Sample[] ring;

	private long recorded;

	PoolHistory(int size) {
		this.ring = new Sample[size];
	}

	/**
	 * Keep a sample, forgetting the oldest if the ring is full.
	 * @param sample the sample
	 */
	synchronized void record(Sample sample) {
		this.ring[(int) (this.recorded % this.ring.length)] = sample;
		this.recorded++;
	}

	/** How many samples were recorded, so the number of the last one. */
	synchronized long recorded() {
		return this.recorded;
	}

	/**
	 * The samples after a given one that the ring still holds, oldest first.
	 * @param after the number of the last sample the caller has; 0 for all
	 * @return the samples
	 */
	synchronized Samples after(long after) {
		long first = Math.max(Math.max(after, 0), this.recorded - this.ring.length) + 1;
		int count = (int) Math.max(0, this.recorded - first + 1);
		Samples samples = new Samples(new long[count], new int[count], new int[count], new int[count],
				new int[count], new int[count], new double[count], new double[count], new double[count]);
		for (int i = 0; i < count; i++) {
			this.ring[(int) ((first - 1 + i) % this.ring.length)].copyTo(samples, i);
		}
		return samples;
	}

	/**
	 * What a pool was doing at one moment, and how many jobs ended or were refused per second since the sample before.
	 *
	 * @param time when, in milliseconds since the epoch
	 * @param queueDepth jobs waiting in the queue
	 * @param activeWorkers workers running a job
	 * @param workers live workers
	 * @param dispatchers dispatchers
	 * @param retrying jobs waiting for a retry
	 * @param succeeded jobs that succeeded, per second
	 * @param failed jobs that failed for good, per second
	 * @param rejected submits refused, per second
	 */
	record Sample(long time, int queueDepth, int activeWorkers, int workers, int dispatchers, int retrying,
			double succeeded, double failed, double rejected) {

		void copyTo(Samples samples, int index) {
			samples.time()[index] = this.time;
			samples.queueDepth()[index] = this.queueDepth;
			samples.activeWorkers()[index] = this.activeWorkers;
			samples.workers()[index] = this.workers;
			samples.dispatchers()[index] = this.dispatchers;
			samples.retrying()[index] = this.retrying;
			samples.succeeded()[index] = this.succeeded;
			samples.failed()[index] = this.failed;
			samples.rejected()[index] = this.rejected;
		}

	}

}
