package io.jobpool.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.jobpool.JobPoolBuilder;
import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The {@link JobHandler @JobHandler} beans of a bean factory, classes and {@code @Bean} methods alike, by pool and
 * payload type; registers each with its pool as a processor generator. A prototype is asked for once per worker;
 * a singleton is looked up once and shared.
 */
final class JobHandlers {

	static final String DEFAULT_POOL = "";

	private static final Log logger = LogFactory.getLog(JobHandlers.class);

	private final ConfigurableListableBeanFactory beanFactory;

	private final SingletonSupplier<Map<String, Map<Class<?>, String>>> byPool;

	JobHandlers(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		this.byPool = SingletonSupplier.of(this::scan);
	}

	/**
	 * Check that every handler names a pool that exists and that every lane has a handler.
	 * @param lanes the names of the lanes
	 * @param defaultPool the name of the default pool
	 * @throws JobHandlerException naming the beans or lanes that are wrong
	 */
	void check(Set<String> lanes, String defaultPool) {
		Map<String, Map<Class<?>, String>> byPool = this.byPool.obtain();
		List<String> strays = byPool.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals(DEFAULT_POOL) && !lanes.contains(entry.getKey()))
			.flatMap((entry) -> entry.getValue().values().stream().map((bean) -> "'" + bean + "' names pool '"
					+ entry.getKey() + "'"))
			.toList();
		if (!strays.isEmpty()) {
			throw new JobHandlerException("@JobHandler beans name pools that are not configured: "
					+ String.join(", ", strays) + ". The pools are '" + defaultPool + "' (the default, "
					+ "@JobHandler without a pool)" + lanes.stream().map((lane) -> ", '" + lane + "'").collect(
							Collectors.joining()) + ".",
					"Define each of these pools under " + PoolLanes.PREFIX
							+ ".<name> (any pool.* property, such as worker-num, makes one), or fix the name in "
							+ "@JobHandler(pool = \"...\").");
		}
		List<String> idle = lanes.stream().filter((lane) -> !byPool.containsKey(lane)).toList();
		if (!idle.isEmpty()) {
			throw new JobHandlerException("Pools " + idle.stream()
				.map((lane) -> "'" + lane + "' (" + PoolLanes.prefix(lane) + ")")
				.collect(Collectors.joining(", ")) + " have no @JobHandler, so they could never run a job.",
					"Put a handler in each with @JobHandler(pool = \"<name>\"), or remove the pool from "
							+ PoolLanes.PREFIX + ".");
		}
	}

	/**
	 * The payload types of a pool's handlers.
	 * @param pool the name of a lane, or {@link #DEFAULT_POOL}
	 * @return the payload types
	 */
	Set<Class<?>> typesOf(String pool) {
		return this.byPool.obtain().getOrDefault(pool, Map.of()).keySet();
	}

	/**
	 * Register the handlers of one pool with its builder.
	 * @param builder the builder
	 * @param pool the name of a lane, or {@link #DEFAULT_POOL}
	 * @throws JobHandlerException naming the beans, if a handler is not a processor, its payload type cannot be
	 * read, or two handlers take the same payload type
	 */
	void registerWith(JobPoolBuilder builder, String pool) {
		this.byPool.obtain()
			.getOrDefault(pool, Map.of())
			.forEach((payload, name) -> register(builder, payload, generator(name)));
	}

	private Map<String, Map<Class<?>, String>> scan() {
		Map<Class<?>, List<Handler>> handlersByPayload = new LinkedHashMap<>();
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
			handlersByPayload.computeIfAbsent(payload, (key) -> new ArrayList<>()).add(new Handler(name, poolOf(name)));
		}
		check(notProcessors, unresolved, handlersByPayload);
		warnOfUnannotatedProcessors();
		Map<String, Map<Class<?>, String>> byPool = new LinkedHashMap<>();
		handlersByPayload.forEach((payload, handlers) -> byPool
			.computeIfAbsent(handlers.get(0).pool(), (pool) -> new LinkedHashMap<>())
			.put(payload, handlers.get(0).name()));
		return byPool;
	}

	private String poolOf(String name) {
		JobHandler annotation = this.beanFactory.findAnnotationOnBean(name, JobHandler.class, false);
		return (annotation != null) ? annotation.pool() : DEFAULT_POOL;
	}

	private void check(List<String> notProcessors, List<String> unresolved,
			Map<Class<?>, List<Handler>> handlersByPayload) {
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
							+ "'class OrderHandler implements JobProcessor<OrderPlaced>', or declare a @Bean method's "
							+ "return type as JobProcessor<OrderPlaced>, not as a raw type, a wildcard or an "
							+ "unresolved type variable.");
		}
		String duplicates = handlersByPayload.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().size() > 1)
			.map((entry) -> "payload type " + entry.getKey().getName() + " is taken by @JobHandler beans "
					+ entry.getValue().stream().map(Handler::describe).collect(Collectors.joining(", ")))
			.collect(Collectors.joining("; "));
		if (!duplicates.isEmpty()) {
			throw new JobHandlerException(
					"Each payload type needs exactly one @JobHandler, in one pool, but " + duplicates + ".",
					"Keep @JobHandler on one bean per payload type: remove it from the others, "
							+ "or give each handler its own payload type.");
		}
	}

	private void warnOfUnannotatedProcessors() {
		Set<String> annotated = Set.of(this.beanFactory.getBeanNamesForAnnotation(JobHandler.class));
		List<String> unannotated = Arrays.stream(this.beanFactory.getBeanNamesForType(JobProcessor.class, true, false))
			.filter((name) -> !annotated.contains(name) && !ScopedProxyUtils.isScopedTarget(name))
			.map((name) -> describe(name, this.beanFactory.getType(name, false)))
			.toList();
		if (!unannotated.isEmpty() && logger.isWarnEnabled()) {
			logger.warn("JobProcessor beans without @JobHandler are not registered with any pool: "
					+ String.join(", ", unannotated) + ". Annotate each with @JobHandler (on its class or its @Bean "
					+ "method) if a pool should run it.");
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

	private record Handler(String name, String pool) {

		String describe() {
			return "'" + this.name + "'" + (this.pool.equals(DEFAULT_POOL) ? "" : " (pool '" + this.pool + "')");
		}

	}

}
