package io.jobpool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports {@code @JobHandler} beans and {@code @Recurring} methods that cannot be registered with their pool.
 */
class JobHandlerFailureAnalyzer extends AbstractFailureAnalyzer<JobHandlerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, JobHandlerException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
