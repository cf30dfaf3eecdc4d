package io.jobpool.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Analyzes a start-up failure with every {@link FailureAnalyzer} registered in {@code META-INF/spring.factories},
 * as Spring Boot does when an application fails to start; analyzers whose classes are absent are skipped.
 */
public final class FailureAnalyses {

	private FailureAnalyses() {
	}

	public static FailureAnalysis analyze(@Nullable Throwable failure) {
		return analyze(failure, new StandardEnvironment());
	}

	public static FailureAnalysis analyze(@Nullable Throwable failure, Environment environment) {
		assertThat(failure).as("start-up failure").isNotNull();
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, environment)
				.and(BeanFactory.class, new DefaultListableBeanFactory()),
					FailureHandler.handleMessage((message, skipped) -> {
					}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No failure analyzer reported " + failure);
	}

}
