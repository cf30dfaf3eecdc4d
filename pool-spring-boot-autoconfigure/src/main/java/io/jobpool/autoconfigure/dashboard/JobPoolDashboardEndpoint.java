package io.jobpool.autoconfigure.dashboard;

import java.util.Map;

import io.jobpool.autoconfigure.dashboard.DashboardPage.Asset;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code jobpooldashboard} endpoint: a page that shows every pool live, with charts of the last minutes and its
 * dead jobs. The page and its files come from the jar; it reads the pools and their dead jobs from the
 * {@code jobpool} endpoint, which decides what a user may see and change, and its charts from
 * {@code jobpooldashboard/history}.
 */
@WebEndpoint(id = JobPoolDashboardEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class JobPoolDashboardEndpoint {

	static final String ID = "jobpooldashboard";

	private static final String HISTORY = "history";

	private final DashboardSampler sampler;

	private final DashboardPage page;

	JobPoolDashboardEndpoint(DashboardSampler sampler, DashboardPage page) {
		this.sampler = sampler;
		this.page = page;
	}

	/**
	 * The page.
	 * @return the page's HTML
	 */
	@ReadOperation(produces = "text/html;charset=UTF-8")
	public String page() {
		return this.page.html();
	}

	/**
	 * Every pool's samples after a given one, for the charts.
	 * @param part {@code history}
	 * @param after the number of the last sample the caller has; all samples kept if not given
	 * @return the samples, or {@code null} (404) for any other part
	 */
	@ReadOperation
	public @Nullable DashboardHistory history(@Selector String part, @Nullable Long after) {
		return HISTORY.equals(part) ? this.sampler.history((after != null) ? after : 0) : null;
	}

	/**
	 * A file the page loads: its script, its style sheet or its icon.
	 * @param folder {@code assets}
	 * @param name the file's name
	 * @return the file, or {@code null} (404) if the page loads no such file
	 */
	@ReadOperation(produces = { "text/javascript", "text/css", "image/svg+xml" })
	public @Nullable WebEndpointResponse<byte[]> asset(@Selector String folder, @Selector String name) {
		Asset asset = DashboardPage.ASSETS.equals(folder) ? this.page.asset(name) : null;
		return (asset != null) ? new WebEndpointResponse<>(asset.content(), asset.type()) : null;
	}

	/**
	 * Every pool's history.
	 *
	 * @param last the number of the last sample
	 * @param interval milliseconds between two samples
	 * @param size how many samples each pool keeps
	 * @param pools the samples of each pool, by name
	 */
	public record DashboardHistory(long last, long interval, int size,
			Map<String, PoolHistoryDescriptor> pools) implements OperationResponseBody {
	}

	/**
	 * One pool's history.
	 *
	 * @param samples the samples, oldest first
	 * @param queueWait how long jobs waited in the queue over the last minute, or {@code null} if unknown
	 * @param run how long jobs ran over the last minute, or {@code null} if unknown
	 */
	public record PoolHistoryDescriptor(Samples samples, @Nullable Latency queueWait, @Nullable Latency run) {
	}

	/**
	 * Samples of a pool's figures, a column a figure, oldest first.
	 *
	 * @param time when each was taken, in milliseconds since the epoch
	 * @param queueDepth jobs waiting in the queue
	 * @param activeWorkers workers running a job
	 * @param workers live workers
	 * @param dispatchers dispatchers
	 * @param retrying jobs waiting for a retry
	 * @param succeeded jobs that succeeded, per second since the sample before
	 * @param failed jobs that failed for good, per second since the sample before
	 * @param rejected submits refused, per second since the sample before
	 */
	public record Samples(long[] time, int[] queueDepth, int[] activeWorkers, int[] workers, int[] dispatchers,
			int[] retrying, double[] succeeded, double[] failed, double[] rejected) {
	}

	/**
	 * Percentiles of job times over the last minute, each within 6.25 %, counting every attempt.
	 *
	 * @param count how many attempts were timed
	 * @param p50 the median, in nanoseconds
	 * @param p90 the 90th percentile, in nanoseconds
	 * @param p99 the 99th percentile, in nanoseconds
	 */
	public record Latency(long count, long p50, long p90, long p99) {
	}

}
