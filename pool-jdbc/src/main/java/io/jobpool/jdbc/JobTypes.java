package io.jobpool.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.JobRejectedException;
import io.jobpool.JobRejectedException.Reason;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The allowlist of payload types a durable pool stores: each registered class under one logical name, written
 * and read as JSON. Only a registered name is ever turned back into a class; nothing in the database names a
 * class.
 */
final class JobTypes {

	private final Map<String, Class<?>> classes;

	private final Map<Class<?>, String> names = new LinkedHashMap<>();

	private final String[] allNames;

	private final JsonMapper json;

	/**
	 * Name every payload type.
	 * @param payloadTypes the types processors are registered for
	 * @param explicitNames names given in code, by type; the others come from {@link JobType} or the simple name
	 * @param json the mapper
	 */
	JobTypes(Set<Class<?>> payloadTypes, Map<Class<?>, String> explicitNames, JsonMapper json) {
		this.json = json;
		Map<String, Class<?>> classes = new LinkedHashMap<>();
		explicitNames.forEach((type, name) -> {
			if (!payloadTypes.contains(type)) {
				throw new InvalidPoolConfigurationException("jdbc.type", name,
						"no processor is registered for " + type.getName(),
						"Register a processor for " + type.getSimpleName() + ", or remove the type name.");
			}
		});
		for (Class<?> type : payloadTypes) {
			String name = explicitNames.getOrDefault(type, defaultName(type));
			if (name == null || name.isBlank() || name.length() > 200) {
				throw new InvalidPoolConfigurationException("jdbc.type", name,
						"the type name of " + type.getName() + " must be 1 to 200 characters",
						"Name it with @JobType(\"a-stable-name\").");
			}
			Class<?> other = classes.putIfAbsent(name, type);
			if (other != null) {
				throw new InvalidPoolConfigurationException("jdbc.type", name,
						"payload types " + other.getName() + " and " + type.getName() + " share this type name",
						"Give one of them its own name with @JobType(\"another-name\").");
			}
			this.names.put(type, name);
		}
		this.classes = classes;
		this.allNames = classes.keySet().toArray(new String[0]);
	}

	private static String defaultName(Class<?> type) {
		JobType annotation = type.getAnnotation(JobType.class);
		return (annotation != null) ? annotation.value() : type.getSimpleName();
	}

	/** The name of a payload's type, or {@code null} if it is not registered. */
	@Nullable String nameOf(Class<?> type) {
		return this.names.get(type);
	}

	/**
	 * Write a payload as JSON.
	 * @throws JobRejectedException with {@code INVALID_PAYLOAD} if it cannot be written, or PostgreSQL cannot hold it
	 */
	String write(Object payload) {
		String json;
		try {
			json = this.json.writeValueAsString(payload);
		}
		catch (RuntimeException ex) {
			throw new JobRejectedException(Reason.INVALID_PAYLOAD, "The payload of type " + payload.getClass().getName()
					+ " cannot be written as JSON: " + ex.getMessage(), ex);
		}
		String problem = PostgresText.problemIn(json);
		if (problem != null) {
			throw new JobRejectedException(Reason.INVALID_PAYLOAD, "The payload of type " + payload.getClass().getName()
					+ " cannot be stored: " + problem + ". Remove or replace that character; nothing was stored");
		}
		return json;
	}

	/** Every registered name. */
	String[] names() {
		return this.allNames;
	}

	/** The class registered under a name, or {@code null}. */
	@Nullable Class<?> classOf(String name) {
		return this.classes.get(name);
	}

	/**
	 * Read a stored payload.
	 * @throws UnreadablePayloadException saying why, if the name is not registered or the JSON does not fit the
	 * class
	 */
	Object read(String name, String payload) {
		Class<?> type = this.classes.get(name);
		if (type == null) {
			throw new UnreadablePayloadException("No payload type is registered under the name '" + name + "'");
		}
		try {
			return this.json.readValue(payload, type);
		}
		catch (JacksonException ex) {
			throw new UnreadablePayloadException(
					"The payload cannot be read as " + type.getName() + " (type '" + name + "'): "
							+ ex.getOriginalMessage());
		}
		catch (RuntimeException ex) {
			throw new UnreadablePayloadException(
					"Reading the payload as " + type.getName() + " (type '" + name + "') failed: " + ex);
		}
	}

	/** Why a stored payload cannot be read. */
	static final class UnreadablePayloadException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UnreadablePayloadException(String message) {
			super(message, null, false, false);
		}

	}

}
