package io.jobpool.sample;

import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;

/**
 * Sends e-mails. Prototype-scoped, so each worker gets its own instance: its name and its count of e-mails sent
 * are per-worker state, kept without locking.
 */
@JobHandler
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public class EmailHandler implements JobProcessor<EmailJob> {

	private static final Log logger = LogFactory.getLog(EmailHandler.class);

	private static final AtomicInteger instances = new AtomicInteger();

	private final String name = "email-handler-" + instances.incrementAndGet();

	private final SimulatedIo io;

	private final JobLedger ledger;

	private int sent;

	EmailHandler(SimulatedIo io, JobLedger ledger) {
		this.io = io;
		this.ledger = ledger;
	}

	@Override
	public void process(Job<EmailJob> job) throws InterruptedException {
		this.io.call();
		this.sent++;
		this.ledger.ran(EmailJob.TYPE, job.id(), this.name);
		logger.info(this.name + " sent job " + job.id() + " to " + Snippet.of(job.data().to()) + " ('"
				+ Snippet.of(job.data().subject()) + "'), its e-mail number " + this.sent);
	}

}
