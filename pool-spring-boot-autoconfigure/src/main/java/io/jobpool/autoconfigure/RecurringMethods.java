package io.jobpool.autoconfigure;

import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.jobpool.InvalidPoolConfigurationException;
import io.jobpool.JobPoolBuilder;
import io.jobpool.RecurringJob;
import io.jobpool.autoconfigure.PoolProperties.Recurrence;
import io.jobpool.spring.Recurring;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The {@link Recurring @Recurring} methods of a bean factory's beans, each made the {@link RecurringJob} of the
 * pool whose {@code @JobHandler} takes its return type, with its {@code pool.recurring.<name>.*} properties in the
 * place of the annotation's values. Found once, on first use, and checked as a whole: a method a pool cannot
 * call, two methods of one name, properties of an unknown name, a bad cron expression or zone, and a payload type
 * no pool takes each stop start-up.
 */
final class RecurringMethods {

	static final String PREFIX = "pool.recurring";

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

	private final ConfigurableListableBeanFactory beanFactory;

	private final PoolProperties properties;

	private final JobHandlers handlers;

	private final Set<String> lanes;

	private final SingletonSupplier<Map<String, List<RecurringJob>>> byPool;

	RecurringMethods(ConfigurableListableBeanFactory beanFactory, PoolProperties properties, JobHandlers handlers,
			Set<String> lanes) {
		this.beanFactory = beanFactory;
		this.properties = properties;
		this.handlers = handlers;
		this.lanes = lanes;
		this.byPool = SingletonSupplier.of(this::scan);
	}

	/**
	 * Register the recurring jobs of one pool with its builder.
	 * @param builder the builder
	 * @param pool the name of a lane, or {@link JobHandlers#DEFAULT_POOL}
	 * @throws RecurringJobException naming the methods that are wrong
	 * @throws InvalidPoolConfigurationException naming the {@code pool.recurring.*} property that is wrong
	 */
	void registerWith(JobPoolBuilder builder, String pool) {
		this.byPool.obtain().getOrDefault(pool, List.of()).forEach(builder::recurring);
	}

	/**
	 * Find and check every recurring job, so that a mistake is reported as such, not as one of the pool it falls
	 * in.
	 */
	void check() {
		this.byPool.obtain();
	}

	private Map<String, List<RecurringJob>> scan() {
		Map<String, RecurringMethod> byName = named(find());
		Map<ConfigurationPropertyName, Recurrence> changes = changes(byName.keySet());
		Map<String, List<RecurringJob>> byPool = new LinkedHashMap<>();
		List<String> homeless = new ArrayList<>();
		byName.forEach((name, method) -> {
			Recurrence change = changes.get(ConfigurationPropertyName.of(name));
			if (change != null && !change.isEnabled()) {
				return;
			}
			String pool = poolOf(method.payloadType());
			if (pool == null) {
				homeless.add(method.describe() + " returns " + method.payloadType().getName());
				return;
			}
			byPool.computeIfAbsent(pool, (key) -> new ArrayList<>()).add(job(name, method, change));
		});
		if (!homeless.isEmpty()) {
			throw new RecurringJobException("The payload of a @Recurring method runs in the pool whose @JobHandler "
					+ "takes its type, but no @JobHandler takes the payload of " + String.join(", ", homeless)
					+ ". The payload types taken are " + takenTypes() + ".",
					"Declare each method's return type as the payload type of a @JobHandler, or add a @JobHandler "
							+ "for it (JobProcessor<PayloadType>).");
		}
		return byPool;
	}

	private List<RecurringMethod> find() {
		List<RecurringMethod> methods = new ArrayList<>();
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			if (ScopedProxyUtils.isScopedTarget(beanName)
					|| this.beanFactory.getMergedBeanDefinition(beanName).isAbstract()) {
				continue;
			}
			Class<?> targetClass = targetClass(beanName);
			if (targetClass == null || !AnnotationUtils.isCandidateClass(targetClass, Recurring.class)) {
				continue;
			}
			Map<Method, Recurring> annotated = MethodIntrospector.selectMethods(targetClass,
					(MethodIntrospector.MetadataLookup<Recurring>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, Recurring.class));
			annotated.entrySet()
				.stream()
				.sorted(Comparator.comparing((entry) -> entry.getKey().toGenericString()))
				.forEach((entry) -> methods.add(new RecurringMethod(beanName, targetClass, entry.getKey(),
						entry.getValue())));
		}
		List<String> wrong = methods.stream()
			.filter((method) -> method.problem() != null)
			.map((method) -> method.describe() + " " + method.problem())
			.toList();
		if (!wrong.isEmpty()) {
			throw new RecurringJobException("A @Recurring method returns the payload of a slot, is neither static "
					+ "nor private, and takes nothing, the slot's Instant or the slot's ZonedDateTime, but "
					+ String.join("; ", wrong) + ".",
					"Make each of these methods return the payload for the slot, taking at most the slot's time, "
							+ "or remove @Recurring from it.");
		}
		return methods;
	}

	private @Nullable Class<?> targetClass(String beanName) {
		Class<?> type = null;
		if (this.beanFactory.containsBeanDefinition(beanName)) {
			Object original = this.beanFactory.getMergedBeanDefinition(beanName)
				.getAttribute(AutoProxyUtils.ORIGINAL_TARGET_CLASS_ATTRIBUTE);
			type = (original instanceof Class<?> originalClass) ? originalClass : null;
		}
		if (type == null) {
			type = this.beanFactory.getType(beanName, false);
		}
		if (type != null && this.beanFactory.containsSingleton(beanName)) {
			Object bean = this.beanFactory.getSingleton(beanName);
			if (type.isInstance(bean)) {
				type = AopProxyUtils.ultimateTargetClass(bean);
			}
		}
		return (type != null) ? ClassUtils.getUserClass(type) : null;
	}

	private Map<String, RecurringMethod> named(List<RecurringMethod> methods) {
		Map<String, List<RecurringMethod>> byName = new LinkedHashMap<>();
		List<String> badNames = new ArrayList<>();
		for (RecurringMethod method : methods) {
			String name = nameOf(method);
			if (!NAME.matcher(name).matches()) {
				badNames.add(method.describe() + " is named '" + name + "'");
			}
			byName.computeIfAbsent(name, (key) -> new ArrayList<>()).add(method);
		}
		if (!badNames.isEmpty()) {
			throw new RecurringJobException("The name of a recurring job is a key of " + PREFIX + ".<name>: "
					+ "lower-case letters, digits and dashes, but " + String.join(", ", badNames) + ".",
					"Give each of these methods a name of that form with @Recurring(name = \"...\").");
		}
		String duplicates = byName.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().size() > 1)
			.map((entry) -> "'" + entry.getKey() + "' is the name of "
					+ entry.getValue().stream().map(RecurringMethod::describe).collect(Collectors.joining(" and ")))
			.collect(Collectors.joining("; "));
		if (!duplicates.isEmpty()) {
			throw new RecurringJobException("Each recurring job needs a name of its own, but " + duplicates + ".",
					"Give each of these methods its own name with @Recurring(name = \"...\"), or, for one class "
							+ "that is two beans, move the method to a bean of its own.");
		}
		Map<String, RecurringMethod> named = new LinkedHashMap<>();
		byName.forEach((name, list) -> named.put(name, list.get(0)));
		return named;
	}

	private static String nameOf(RecurringMethod method) {
		String name = method.annotation().name();
		return name.isEmpty() ? kebabCase(method.method().getName()) : name;
	}

	private static String kebabCase(String methodName) {
		StringBuilder name = new StringBuilder();
		for (int i = 0; i < methodName.length(); i++) {
			char c = methodName.charAt(i);
			if (Character.isUpperCase(c)) {
				boolean startsWord = i > 0 && !Character.isUpperCase(methodName.charAt(i - 1));
				boolean endsAcronym = i > 0 && i + 1 < methodName.length()
						&& Character.isLowerCase(methodName.charAt(i + 1));
				if (startsWord || (endsAcronym && name.length() > 0)) {
					name.append('-');
				}
				name.append(Character.toLowerCase(c));
			}
			else {
				name.append(c);
			}
		}
		return name.toString();
	}

	private Map<ConfigurationPropertyName, Recurrence> changes(Set<String> names) {
		Set<ConfigurationPropertyName> known = names.stream()
			.map(ConfigurationPropertyName::of)
			.collect(Collectors.toSet());
		Map<ConfigurationPropertyName, Recurrence> changes = new LinkedHashMap<>();
		this.properties.getRecurring().forEach((key, change) -> {
			ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
			if (!known.contains(name)) {
				throw unknown(name.toString(), change, names);
			}
			changes.put(name, change);
		});
		return changes;
	}

	private static InvalidPoolConfigurationException unknown(String name, Recurrence change, Set<String> names) {
		String property = "enabled";
		Object value = change.isEnabled();
		if (change.getCron() != null) {
			property = "cron";
			value = change.getCron();
		}
		else if (change.getZone() != null) {
			property = "zone";
			value = change.getZone();
		}
		else if (change.getMissedSlots() != null) {
			property = "missedSlots";
			value = change.getMissedSlots().name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
		else if (change.getOverlap() != null) {
			property = "overlap";
			value = change.getOverlap();
		}
		String known = names.isEmpty() ? "there is no @Recurring method"
				: "the recurring jobs are " + names.stream().map((each) -> "'" + each + "'")
					.collect(Collectors.joining(", "));
		return new InvalidPoolConfigurationException("recurring." + name + "." + property, value,
				"no @Recurring method is named '" + name + "', and " + known,
				"Use the name of a @Recurring method: its name attribute, or else the method's name in lower case "
						+ "with a dash before each word. Or remove " + PREFIX + "." + name + ".");
	}

	private RecurringJob job(String name, RecurringMethod method, @Nullable Recurrence change) {
		Recurring annotation = method.annotation();
		String cronProperty = (change != null) ? change.getCron() : null;
		String zoneProperty = (change != null) ? change.getZone() : null;
		CronExpression cron = cron(name, method, (cronProperty != null) ? cronProperty : annotation.cron(),
				cronProperty != null);
		ZoneId zone = zone(name, method, (zoneProperty != null) ? zoneProperty : annotation.zone(),
				zoneProperty != null);
		RecurringJob.MissedSlots missedSlots = (change != null && change.getMissedSlots() != null)
				? change.getMissedSlots() : annotation.missedSlots();
		boolean overlap = (change != null && change.getOverlap() != null) ? change.getOverlap()
				: annotation.overlap();
		return new RecurringJob(name, RecurringMethod.slots(cron, zone), method.payloads(this.beanFactory, zone),
				missedSlots, overlap);
	}

	private static CronExpression cron(String name, RecurringMethod method, String cron, boolean fromProperty) {
		try {
			return CronExpression.parse(cron);
		}
		catch (IllegalArgumentException ex) {
			String reason = "it is not a cron expression (" + ex.getMessage() + ")";
			String fix = "Give six fields, second minute hour day-of-month month day-of-week, such as "
					+ "'0 0 2 * * *' for 2 am every day, or a macro such as '@daily'.";
			if (fromProperty) {
				throw new InvalidPoolConfigurationException("recurring." + name + ".cron", cron, reason, fix);
			}
			throw new RecurringJobException("Invalid cron expression '" + cron + "' in @Recurring " + method.describe()
					+ ": " + reason + ".", fix + " Or set " + PREFIX + "." + name + ".cron.");
		}
	}

	private static ZoneId zone(String name, RecurringMethod method, String zone, boolean fromProperty) {
		if (zone.isEmpty()) {
			return ZoneId.systemDefault();
		}
		try {
			return ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			String reason = "it is not a time zone (" + ex.getMessage() + ")";
			String fix = "Give a region such as 'Europe/Berlin', or 'UTC'.";
			if (fromProperty) {
				throw new InvalidPoolConfigurationException("recurring." + name + ".zone", zone, reason, fix);
			}
			throw new RecurringJobException("Invalid zone '" + zone + "' in @Recurring " + method.describe() + ": "
					+ reason + ".", fix + " Or set " + PREFIX + "." + name + ".zone.");
		}
	}

	private @Nullable String poolOf(Class<?> payloadType) {
		Class<?> best = null;
		String pool = null;
		for (String candidatePool : pools()) {
			for (Class<?> type : this.handlers.typesOf(candidatePool)) {
				if (type.isAssignableFrom(payloadType) && (best == null || best.isAssignableFrom(type))) {
					best = type;
					pool = candidatePool;
				}
			}
		}
		return pool;
	}

	private List<String> pools() {
		List<String> pools = new ArrayList<>();
		pools.add(JobHandlers.DEFAULT_POOL);
		pools.addAll(this.lanes);
		return pools;
	}

	private String takenTypes() {
		String taken = pools().stream()
			.flatMap((pool) -> this.handlers.typesOf(pool)
				.stream()
				.map((type) -> type.getName() + " (pool '"
						+ (pool.equals(JobHandlers.DEFAULT_POOL) ? this.properties.getName() : pool) + "')"))
			.collect(Collectors.joining(", "));
		return taken.isEmpty() ? "none" : taken;
	}

}
