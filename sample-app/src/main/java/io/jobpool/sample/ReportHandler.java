package io.jobpool.sample;

import java.util.concurrent.atomic.AtomicLong;

import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Renders reports, in a lane of their own ({@code pool.pools.reports}), so that slow reports never take the workers
 * of e-mails. A singleton, shared by all workers, so its one piece of state, the pages rendered in total, is an
 * atomic counter.
 */
@JobHandler(pool = "reports")
public class ReportHandler implements JobProcessor<ReportJob> {

	private static final Log logger = LogFactory.getLog(ReportHandler.class);

	private static final String NAME = "report-handler";

	private final AtomicLong pagesRendered = new AtomicLong();

	private final SimulatedIo io;

	private final JobLedger ledger;

	ReportHandler(SimulatedIo io, JobLedger ledger) {
		this.io = io;
		this.ledger = ledger;
	}

	@Override
	public void process(Job<ReportJob> job) throws InterruptedException {
		this.io.call();
		long total = this.pagesRendered.addAndGet(job.data().pages());
		this.ledger.ran(ReportJob.TYPE, job.id(), NAME);
		logger.info(NAME + " rendered job " + job.id() + ", report '" + Snippet.of(job.data().name()) + "' of "
				+ job.data().pages() + " pages (" + total + " pages in total)");
	}

}
