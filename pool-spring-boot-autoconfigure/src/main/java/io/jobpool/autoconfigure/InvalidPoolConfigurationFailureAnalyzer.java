package io.jobpool.autoconfigure;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jobpool.InvalidPoolConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Reports a pool option the engine refused, under the name of its {@code pool.*} property, with the value, where
 * it was set, and what to set instead.
 */
class InvalidPoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPoolConfigurationException> {

	private static final String POOL = "pool";

	private static final Map<String, String> PROPERTIES = Map.of("autoscale", "autoscale.enabled", "loadFactor",
			"autoscale.load-factor", "resizePeriod", "autoscale.period", "resizeSuccessThreshold",
			"autoscale.success-threshold", "drainPeriod", "shutdown.drain-period", "retry", "retry");

	// Builder options in a reason or a fix; not method names, such as initializeSchema(true).
	private static final Pattern OPTION = Pattern.compile("\\b(retry\\.)?[a-z]+[A-Z][A-Za-z]*\\b(?!\\()");

	private final @Nullable Environment environment;

	InvalidPoolConfigurationFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPoolConfigurationException cause) {
		String option = cause.option();
		if ("processor".equals(option)) {
			return analyzeProcessor(cause);
		}
		if ("jdbc.type".equals(option)) {
			return analyzeTypeName(cause);
		}
		String prefix = prefixOf(rootFailure);
		String property = propertyOf(prefix, option);
		if (!prefix.equals(POOL) && originOf(property) == null && originOf(propertyOf(POOL, option)) != null) {
			property = propertyOf(POOL, option);
		}
		StringBuilder description = new StringBuilder();
		description.append("Invalid value '").append(valueOf(cause)).append("' for configuration property '");
		description.append(property).append("'");
		Origin origin = originOf(property);
		if (origin != null) {
			description.append(" (originating from '").append(origin).append("')");
		}
		description.append(": ").append(translate(prefix, cause.reason())).append(".");
		String action = "Update '" + property + "' in your application's configuration. " + translate(prefix, cause.fix());
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private FailureAnalysis analyzeProcessor(InvalidPoolConfigurationException cause) {
		if ("none".equals(cause.value())) {
			return new FailureAnalysis("The job pool has no processor: no bean is annotated with @JobHandler "
					+ "and no JobPoolBuilderCustomizer registers one.",
					"Annotate a bean that implements JobProcessor<PayloadType> with @JobHandler, "
							+ "or set 'pool.enabled' to false if the application does not need a job pool.",
					cause);
		}
		return new FailureAnalysis("The job pool's processors are invalid for '" + cause.value() + "': "
				+ cause.reason() + ".",
				cause.fix() + " Check the @JobHandler beans and the JobPoolBuilderCustomizer beans that register "
						+ "processors.",
				cause);
	}

	private FailureAnalysis analyzeTypeName(InvalidPoolConfigurationException cause) {
		return new FailureAnalysis("Invalid job type name '" + cause.value() + "' in the durable job pool: "
				+ cause.reason() + ".",
				cause.fix() + " A payload type is named by its @JobType annotation, or else by its simple class name.",
				cause);
	}

	/** The value as the property has it: the builder takes a boolean for the schema initialization mode. */
	private static @Nullable Object valueOf(InvalidPoolConfigurationException cause) {
		if ("jdbc.initializeSchema".equals(cause.option())) {
			return Boolean.TRUE.equals(cause.value()) ? "always" : "never";
		}
		return cause.value();
	}

	/** The prefix of the properties of the pool that failed: a lane's, or the top level's. */
	private String prefixOf(Throwable rootFailure) {
		LaneConfigurationException lane = findCause(rootFailure, LaneConfigurationException.class);
		return (lane != null) ? PoolLanes.prefix(lane.lane()) : POOL;
	}

	static String propertyOf(String option) {
		return propertyOf(POOL, option);
	}

	static String propertyOf(String prefix, String option) {
		String known = PROPERTIES.get(option);
		if (known != null) {
			return prefix + "." + known;
		}
		StringBuilder property = new StringBuilder();
		for (char c : option.toCharArray()) {
			if (Character.isUpperCase(c)) {
				property.append('-').append(Character.toLowerCase(c));
			}
			else {
				property.append(c);
			}
		}
		return prefix + "." + property.toString().toLowerCase(Locale.ROOT);
	}

	private static String translate(String prefix, String text) {
		Matcher matcher = OPTION.matcher(text);
		StringBuilder translated = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(translated, Matcher.quoteReplacement("'" + propertyOf(prefix, matcher.group()) + "'"));
		}
		matcher.appendTail(translated);
		return translated.toString();
	}

	private @Nullable Origin originOf(String property) {
		if (this.environment == null) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty candidate = source.getConfigurationProperty(name);
			if (candidate != null) {
				return candidate.getOrigin();
			}
		}
		return null;
	}

}
