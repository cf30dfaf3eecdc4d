package io.jobpool.benchmarks.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One measured round of one queue, as a line of {@code durable.csv}.
 * @param queue which queue
 * @param round the round's number
 * @param jobs jobs submitted
 * @param submitSeconds from the first submit to the last submit's return
 * @param seconds from the first submit to the end of the last job
 * @param failed jobs that ended in failure
 * @param rowsLeft rows in the queue's table once every job had ended (0 expected)
 * @param status {@code ok}, or what went wrong
 */
public record Round(DurableQueue queue, int round, int jobs, double submitSeconds, double seconds, long failed,
		long rowsLeft, String status) {

	/** The header of {@code durable.csv}. */
	public static final String CSV_HEADER = "queue,round,jobs,submit_s,total_s,jobs_per_s,submits_per_s,failed,"
			+ "rows_left,status";

	/** Jobs run per second, submit to the end of the last job. */
	public double jobsPerSecond() {
		return this.jobs / this.seconds;
	}

	/** Submits per second, while the queue ran the jobs. */
	public double submitsPerSecond() {
		return this.jobs / this.submitSeconds;
	}

	String csv() {
		return String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.0f,%.0f,%d,%d,%s", this.queue.name(), this.round,
				this.jobs, this.submitSeconds, this.seconds, jobsPerSecond(), submitsPerSecond(), this.failed,
				this.rowsLeft, this.status.replace(',', ';'));
	}

	/** Read a line of {@code durable.csv}, split into cells. */
	public static Round parse(String[] cells) {
		return new Round(DurableQueue.valueOf(cells[0]), Integer.parseInt(cells[1]), Integer.parseInt(cells[2]),
				Double.parseDouble(cells[3]), Double.parseDouble(cells[4]), Long.parseLong(cells[7]),
				Long.parseLong(cells[8]), cells[9]);
	}

	/** From the last submit's return to the end of the last job. */
	public double drainSeconds() {
		return this.seconds - this.submitSeconds;
	}

	/** Whether the round ran every job, none failed, and no row was left. */
	public boolean clean() {
		return this.status.equals("ok") && this.failed == 0 && this.rowsLeft == 0;
	}

	/**
	 * The measured rounds of one queue.
	 * @param queue which queue
	 * @param rounds its rounds, in the order they ran
	 */
	public record Summary(DurableQueue queue, List<Round> rounds) {

		public double medianJobsPerSecond() {
			return median(this.rounds.stream().mapToDouble(Round::jobsPerSecond).sorted().toArray());
		}

		public double medianSubmitsPerSecond() {
			return median(this.rounds.stream().mapToDouble(Round::submitsPerSecond).sorted().toArray());
		}

		/** The longest a round took to finish after its last submit. */
		public double maxDrainSeconds() {
			return this.rounds.stream().mapToDouble(Round::drainSeconds).max().orElse(0);
		}

		/** Each round's jobs/s, in the order they ran. */
		public String eachJobsPerSecond() {
			return String.join(" / ", this.rounds.stream()
				.map((round) -> String.format(Locale.ROOT, "%,.0f", round.jobsPerSecond()))
				.toList());
		}

		public boolean clean() {
			return this.rounds.stream().allMatch(Round::clean);
		}

	}

	/** Group rounds by queue, in the order the queues first appear. */
	public static Map<DurableQueue, Summary> summarize(List<Round> rounds) {
		Map<DurableQueue, List<Round>> byQueue = new LinkedHashMap<>();
		for (Round round : rounds) {
			byQueue.computeIfAbsent(round.queue(), (queue) -> new ArrayList<>()).add(round);
		}
		Map<DurableQueue, Summary> summaries = new LinkedHashMap<>();
		byQueue.forEach((queue, list) -> summaries.put(queue, new Summary(queue, list)));
		return summaries;
	}

	private static double median(double[] sorted) {
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
