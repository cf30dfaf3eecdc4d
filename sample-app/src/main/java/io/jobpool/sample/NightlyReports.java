package io.jobpool.sample;

import java.time.ZonedDateTime;

import io.jobpool.spring.Recurring;

import org.springframework.stereotype.Component;

/**
 * The sales report of the day before, every night at 02:00 UTC. It runs in the {@code reports} lane, the pool whose
 * {@link ReportHandler} takes {@link ReportJob}s; {@code pool.recurring.nightly-sales-report.*} moves it or turns it
 * off.
 */
@Component
class NightlyReports {

	static final int PAGES = 20;

	@Recurring(cron = "0 0 2 * * *", zone = "UTC", overlap = false)
	ReportJob nightlySalesReport(ZonedDateTime slot) {
		return new ReportJob("sales-" + slot.toLocalDate().minusDays(1), PAGES);
	}

}
