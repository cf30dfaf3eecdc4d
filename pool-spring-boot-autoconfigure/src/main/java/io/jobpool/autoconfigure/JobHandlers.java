package io.jobpool.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.jobpool.JobPoolBuilder;
import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Registers the {@link JobHandler @JobHandler} beans of a bean factory as processor generators, one per payload
 * type. A prototype is asked for once per worker; a singleton is looked up once and shared.
 */
final class JobHandlers {

	private final ConfigurableListableBeanFactory beanFactory;

	JobHandlers(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Register every {@code @JobHandler} bean with the builder.
	 * @param builder the builder
	 * @throws JobHandlerException naming the beans, if a handler is not a processor, its payload type cannot be
	 * read, or two handlers take the same payload type
	 */
	void registerWith(JobPoolBuilder builder) {
		Map<Class<?>, List<String>> handlersByPayload = new LinkedHashMap<>();
		List<String> notProcessors = new ArrayList<>();
		List<String> unresolved = new ArrayList<>();
		for (String name : this.beanFactory.getBeanNamesForAnnotation(JobHandler.class)) {
			if (ScopedProxyUtils.isScopedTarget(name)) {
				continue;
			}
			Class<?> beanType = this.beanFactory.getType(name, false);
			if (beanType == null || !JobProcessor.class.isAssignableFrom(beanType)) {
				notProcessors.add(describe(name, beanType));
				continue;
			}
			Class<?> payload = payloadType(name, beanType);
			if (payload == null) {
				unresolved.add(describe(name, beanType));
				continue;
			}
			handlersByPayload.computeIfAbsent(payload, (key) -> new ArrayList<>()).add(name);
		}
		check(notProcessors, unresolved, handlersByPayload);
		handlersByPayload.forEach((payload, names) -> register(builder, payload, generator(names.get(0))));
	}

	private void check(List<String> notProcessors, List<String> unresolved,
			Map<Class<?>, List<String>> handlersByPayload) {
		if (!notProcessors.isEmpty()) {
			throw new JobHandlerException(
					"@JobHandler beans must implement " + JobProcessor.class.getName() + ", but these do not: "
							+ String.join(", ", notProcessors) + ".",
					"Make each of these beans implement JobProcessor<PayloadType>, or remove @JobHandler from it.");
		}
		if (!unresolved.isEmpty()) {
			throw new JobHandlerException(
					"The payload type of @JobHandler " + String.join(", ", unresolved)
							+ " cannot be read from its JobProcessor<T> signature.",
					"Implement JobProcessor with a concrete payload type, for example "
							+ "'class OrderHandler implements JobProcessor<OrderPlaced>', "
							+ "not with a raw type, a wildcard or an unresolved type variable.");
		}
		Map<Class<?>, List<String>> duplicates = handlersByPayload.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().size() > 1)
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
		if (!duplicates.isEmpty()) {
			String description = duplicates.entrySet()
				.stream()
				.map((entry) -> "payload type " + entry.getKey().getName() + " is taken by @JobHandler beans "
						+ entry.getValue().stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", ")))
				.collect(Collectors.joining("; "));
			throw new JobHandlerException("Each payload type needs exactly one @JobHandler, but " + description + ".",
					"Keep @JobHandler on one bean per payload type: remove it from the others, "
							+ "or give each handler its own payload type.");
		}
	}

	private @Nullable Class<?> payloadType(String name, Class<?> beanType) {
		Class<?> payload = null;
		if (this.beanFactory.containsBeanDefinition(name)) {
			payload = payloadOf(this.beanFactory.getMergedBeanDefinition(name).getResolvableType());
		}
		if (payload == null) {
			payload = payloadOf(ResolvableType.forClass(ClassUtils.getUserClass(beanType)));
		}
		if (payload == null && this.beanFactory.isSingleton(name)) {
			Object bean = this.beanFactory.getBean(name);
			payload = payloadOf(ResolvableType.forClass(AopProxyUtils.ultimateTargetClass(bean)));
		}
		return payload;
	}

	private static @Nullable Class<?> payloadOf(ResolvableType type) {
		ResolvableType processor = type.as(JobProcessor.class);
		if (processor == ResolvableType.NONE || processor.hasUnresolvableGenerics()) {
			return null;
		}
		return processor.resolveGeneric(0);
	}

	@SuppressWarnings("rawtypes")
	private Supplier<JobProcessor> generator(String name) {
		Supplier<JobProcessor> lookup = () -> this.beanFactory.getBean(name, JobProcessor.class);
		return this.beanFactory.isSingleton(name) ? SingletonSupplier.of(lookup) : lookup;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void register(JobPoolBuilder builder, Class<?> payload, Supplier<JobProcessor> generator) {
		builder.processor((Class) payload, (Supplier) generator);
	}

	private static String describe(String name, @Nullable Class<?> type) {
		return "bean '" + name + "'" + ((type != null) ? " (" + ClassUtils.getUserClass(type).getName() + ")" : "");
	}

}
