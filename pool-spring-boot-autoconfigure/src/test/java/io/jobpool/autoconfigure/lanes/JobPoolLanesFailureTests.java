package io.jobpool.autoconfigure.lanes;

import io.jobpool.autoconfigure.FailureAnalyses;
import io.jobpool.autoconfigure.JobPoolAutoConfiguration;
import io.jobpool.autoconfigure.lanes.LaneHandlers.DefaultReportHandler;
import io.jobpool.autoconfigure.lanes.LaneHandlers.EmailHandler;
import io.jobpool.autoconfigure.lanes.LaneHandlers.MisnamedReportHandler;
import io.jobpool.autoconfigure.lanes.LaneHandlers.ReportHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for lanes that are configured wrong: each stops start-up with a failure analysis that names the fix.
 */
class JobPoolLanesFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobPoolAutoConfiguration.class))
		.withBean(EmailHandler.class);

	@Test
	void aHandlerInAnUnknownLaneFailsStartUp() {
		this.contextRunner.withBean("misnamedReportHandler", MisnamedReportHandler.class)
			.withPropertyValues("pool.pools.reports.worker-num=2")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).isEqualTo("@JobHandler beans name pools that are not "
						+ "configured: 'misnamedReportHandler' names pool 'reprots'. The pools are 'jobpool' "
						+ "(the default, @JobHandler without a pool), 'reports'.");
				assertThat(analysis.getAction()).isEqualTo("Define each of these pools under pool.pools.<name> "
						+ "(any pool.* property, such as worker-num, makes one), or fix the name in "
						+ "@JobHandler(pool = \"...\").");
			});
	}

	@Test
	void aPayloadTypeInTwoPoolsFailsStartUp() {
		this.contextRunner.withBean("reportHandler", ReportHandler.class)
			.withBean("defaultReportHandler", DefaultReportHandler.class)
			.withPropertyValues("pool.pools.reports.worker-num=2")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("payload type " + LaneHandlers.Report.class.getName()
						+ " is taken by @JobHandler beans ")
					.contains("'reportHandler' (pool 'reports')")
					.contains("'defaultReportHandler'");
				assertThat(analysis.getAction()).contains("Keep @JobHandler on one bean per payload type");
			});
	}

	@Test
	void aLaneWithoutHandlersFailsStartUp() {
		this.contextRunner.withPropertyValues("pool.pools.audit.worker-num=1").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Pools 'audit' (pool.pools.audit) have no @JobHandler, so they could never run a job.");
			assertThat(analysis.getAction()).isEqualTo("Put a handler in each with @JobHandler(pool = \"<name>\"), "
					+ "or remove the pool from pool.pools.");
		});
	}

	@Test
	void aLaneNamedAsTheDefaultPoolFailsStartUp() {
		this.contextRunner.withPropertyValues("pool.name=mail", "pool.pools.mail.worker-num=1").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("Invalid value 'mail' for configuration property "
					+ "'pool.pools': a lane needs a name of its own, and 'mail' is the name of the default pool.");
			assertThat(analysis.getAction()).contains("Rename the lane under pool.pools.");
		});
	}

	@Test
	void aLaneThatSetsANameFailsStartUp() {
		this.contextRunner.withBean(ReportHandler.class)
			.withPropertyValues("pool.pools.reports.name=slow")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("a lane is named by its key under pool.pools");
				assertThat(analysis.getAction()).contains("Remove pool.pools.reports.name, or rename the key.");
			});
	}

	@Test
	void aLaneThatTurnsItselfOffFailsStartUp() {
		this.contextRunner.withBean(ReportHandler.class)
			.withPropertyValues("pool.pools.reports.enabled=false")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getAction())
				.contains("Remove pool.pools.reports.enabled"));
	}

	@Test
	void aBadValueOfALaneNamesTheLanesProperty() {
		this.contextRunner.withBean(ReportHandler.class)
			.withPropertyValues("pool.pools.reports.queue-size=0")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.startsWith("Invalid value '0' for configuration property 'pool.pools.reports.queue-size'");
				assertThat(analysis.getAction())
					.startsWith("Update 'pool.pools.reports.queue-size' in your application's configuration.");
			});
	}

	private static FailureAnalysis analysis(Throwable failure) {
		return FailureAnalyses.analyze(failure);
	}

}
