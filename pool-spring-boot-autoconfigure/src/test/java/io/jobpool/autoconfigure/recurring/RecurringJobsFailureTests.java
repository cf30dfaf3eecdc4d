package io.jobpool.autoconfigure.recurring;

import java.time.Instant;
import java.time.ZoneOffset;

import io.jobpool.autoconfigure.FailureAnalyses;
import io.jobpool.autoconfigure.recurring.RecurringBeans.Digest;
import io.jobpool.spring.Recurring;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for recurring jobs that are configured wrong, by their {@code pool.recurring.<name>.*} properties or by
 * their {@link Recurring @Recurring} methods: each stops start-up with a failure analysis that names the property
 * or the method, and the fix.
 */
class RecurringJobsFailureTests {

	private final ApplicationContextRunner contextRunner = RecurringBeans.contextRunner();

	@Test
	void aBadCronPropertyNamesThePropertyTheValueAndTheFix() {
		this.contextRunner.withPropertyValues("pool.recurring.hourly-report.cron=0 * * * *").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).isEqualTo("Invalid value '0 * * * *' for configuration property "
					+ "'pool.recurring.hourly-report.cron': it is not a cron expression (Cron expression must "
					+ "consist of 6 fields (found 5 in \"0 * * * *\")).");
			assertThat(analysis.getAction()).isEqualTo("Update 'pool.recurring.hourly-report.cron' in your "
					+ "application's configuration. Give six fields, second minute hour day-of-month month "
					+ "day-of-week, such as '0 0 2 * * *' for 2 am every day, or a macro such as '@daily'.");
		});
	}

	@Test
	void anUnknownZonePropertyNamesThePropertyTheValueAndTheFix() {
		this.contextRunner.withPropertyValues("pool.recurring.minutely-digest.zone=Europe/Atlantis").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).isEqualTo("Invalid value 'Europe/Atlantis' for configuration "
					+ "property 'pool.recurring.minutely-digest.zone': it is not a time zone (Unknown time-zone "
					+ "ID: Europe/Atlantis).");
			assertThat(analysis.getAction()).isEqualTo("Update 'pool.recurring.minutely-digest.zone' in your "
					+ "application's configuration. Give a region such as 'Europe/Berlin', or 'UTC'.");
		});
	}

	@Test
	void aPropertyOfANameNoRecurringMethodHasNamesTheJobsThereAre() {
		this.contextRunner.withPropertyValues("pool.recurring.hourly-reprot.missed-slots=skip").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).isEqualTo("Invalid value 'skip' for configuration property "
					+ "'pool.recurring.hourly-reprot.missed-slots': no @Recurring method is named 'hourly-reprot', "
					+ "and the recurring jobs are 'minutely-digest', 'hourly-report'.");
			assertThat(analysis.getAction()).isEqualTo("Update 'pool.recurring.hourly-reprot.missed-slots' in your "
					+ "application's configuration. Use the name of a @Recurring method: its name attribute, or else "
					+ "the method's name in lower case with a dash before each word. Or remove "
					+ "pool.recurring.hourly-reprot.");
		});
	}

	@Test
	void aRecurringJobConfiguredUnderALaneFailsStartUp() {
		this.contextRunner.withPropertyValues("pool.pools.reports.recurring.hourly-report.enabled=false")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("a recurring job runs in the pool of the handler of "
						+ "its payload, and is configured under pool.recurring only");
				assertThat(analysis.getAction())
					.contains("Move pool.pools.reports.recurring.* to pool.recurring.*.");
			});
	}

	@Test
	void aBadCronInTheAnnotationNamesTheMethodAndTheProperty() {
		this.contextRunner.withBean(BadCron.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).startsWith("Invalid cron expression 'every day' in @Recurring "
					+ "method daily() of bean '")
				.endsWith("(" + BadCron.class.getName() + "): it is not a cron expression (Cron expression must "
						+ "consist of 6 fields (found 2 in \"every day\")).");
			assertThat(analysis.getAction()).endsWith("or a macro such as '@daily'. Or set "
					+ "pool.recurring.daily.cron.");
		});
	}

	@Test
	void aBadCronInTheAnnotationIsReplacedByAGoodOneFromAProperty() {
		this.contextRunner.withBean(BadCron.class)
			.withPropertyValues("pool.recurring.daily.cron=@daily")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void anUnknownZoneInTheAnnotationNamesTheMethod() {
		this.contextRunner.withBean(BadZone.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).startsWith("Invalid zone 'Berlin' in @Recurring method daily()")
				.contains("it is not a time zone");
			assertThat(analysis.getAction()).isEqualTo("Give a region such as 'Europe/Berlin', or 'UTC'. Or set "
					+ "pool.recurring.daily.zone.");
		});
	}

	@Test
	void aPayloadTypeNoPoolTakesNamesTheMethodAndTheTypesThePoolsTake() {
		this.contextRunner.withBean(Homeless.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).startsWith("The payload of a @Recurring method runs in the pool "
					+ "whose @JobHandler takes its type, but no @JobHandler takes the payload of method text() of "
					+ "bean '")
				.contains("returns java.lang.String")
				.endsWith("The payload types taken are " + Digest.class.getName() + " (pool 'jobpool'), "
						+ RecurringBeans.Report.class.getName() + " (pool 'reports').");
			assertThat(analysis.getAction()).isEqualTo("Declare each method's return type as the payload type of a "
					+ "@JobHandler, or add a @JobHandler for it (JobProcessor<PayloadType>).");
		});
	}

	@Test
	void methodsAPoolCannotCallAreNamedWithWhatIsWrong() {
		this.contextRunner.withBean(Uncallable.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("method nothing() of bean '")
				.contains("returns nothing")
				.contains("method twoTimes() of bean '")
				.contains("takes (Instant, Instant)")
				.contains("method hidden() of bean '")
				.contains("is private");
			assertThat(analysis.getAction()).isEqualTo("Make each of these methods return the payload for the "
					+ "slot, taking at most the slot's time, or remove @Recurring from it.");
		});
	}

	@Test
	void twoMethodsOfOneNameAreNamedWithTheFix() {
		this.contextRunner.withBean(SameName.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).startsWith("Each recurring job needs a name of its own, but "
					+ "'minutely-digest' is the name of method minutelyDigest() of bean '")
				.contains(" and method digest() of bean '");
			assertThat(analysis.getAction()).startsWith("Give each of these methods its own name with "
					+ "@Recurring(name = \"...\")");
		});
	}

	@Test
	void aNameThatIsNotAPropertyKeyIsRefused() {
		this.contextRunner.withBean(BadName.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).startsWith("The name of a recurring job is a key of "
					+ "pool.recurring.<name>: lower-case letters, digits and dashes, but method daily() of bean '")
				.endsWith("is named 'Daily_Digest'.");
		});
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		return FailureAnalyses.analyze(context.getStartupFailure());
	}

	static class BadCron {

		@Recurring(cron = "every day")
		Digest daily() {
			return new Digest(Instant.EPOCH.atZone(ZoneOffset.UTC));
		}

	}

	static class BadZone {

		@Recurring(cron = "@daily", zone = "Berlin")
		Digest daily() {
			return new Digest(Instant.EPOCH.atZone(ZoneOffset.UTC));
		}

	}

	static class Homeless {

		@Recurring(cron = "@daily")
		String text() {
			return "no handler takes me";
		}

	}

	static class Uncallable {

		@Recurring(cron = "@daily")
		void nothing() {
		}

		@Recurring(cron = "@daily")
		Digest twoTimes(Instant one, Instant two) {
			return new Digest(one.atZone(ZoneOffset.UTC));
		}

		@Recurring(cron = "@daily")
		private Digest hidden() {
			return new Digest(Instant.EPOCH.atZone(ZoneOffset.UTC));
		}

	}

	static class SameName {

		@Recurring(cron = "@daily", name = "minutely-digest")
		Digest digest() {
			return new Digest(Instant.EPOCH.atZone(ZoneOffset.UTC));
		}

	}

	static class BadName {

		@Recurring(cron = "@daily", name = "Daily_Digest")
		Digest daily() {
			return new Digest(Instant.EPOCH.atZone(ZoneOffset.UTC));
		}

	}

}
