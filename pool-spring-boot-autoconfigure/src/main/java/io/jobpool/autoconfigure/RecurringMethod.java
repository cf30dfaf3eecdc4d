package io.jobpool.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.jobpool.spring.Recurring;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link Recurring @Recurring} method of a bean: what it may take and return, and, for a slot, the payload it
 * makes, called on the bean as the bean factory has it, through its proxy if it has one.
 *
 * @param beanName the bean's name
 * @param targetClass the bean's class, behind any proxy
 * @param method the method, as declared on that class
 * @param annotation the method's annotation
 */
record RecurringMethod(String beanName, Class<?> targetClass, Method method, Recurring annotation) {

	/** The payload type: the method's return type, resolved against the bean's class. */
	Class<?> payloadType() {
		Class<?> type = ResolvableType.forMethodReturnType(this.method, this.targetClass).resolve(Object.class);
		return ClassUtils.resolvePrimitiveIfNecessary(type);
	}

	/**
	 * What is wrong with the method's signature.
	 * @return why a pool cannot call it, or {@code null} if it can
	 */
	@Nullable String problem() {
		int modifiers = this.method.getModifiers();
		if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) {
			return "is " + (Modifier.isStatic(modifiers) ? "static" : "private");
		}
		if (this.method.getReturnType() == void.class) {
			return "returns nothing";
		}
		Class<?>[] parameters = this.method.getParameterTypes();
		if (parameters.length > 1 || (parameters.length == 1 && parameters[0] != Instant.class
				&& parameters[0] != ZonedDateTime.class)) {
			return "takes (" + String.join(", ", Arrays.stream(parameters).map(Class::getSimpleName).toList()) + ")";
		}
		return null;
	}

	/** The method, named by its bean and class. */
	String describe() {
		return "method " + this.method.getName() + "() of bean '" + this.beanName + "' ("
				+ this.targetClass.getName() + ")";
	}

	/**
	 * The payload of each slot, from the bean the factory gives when the slot comes.
	 * @param beanFactory the bean factory
	 * @param zone the schedule's zone, in which a {@code ZonedDateTime} parameter is given
	 * @return the payload of a slot; throws when the method throws or returns {@code null}
	 */
	Function<Instant, Object> payloads(BeanFactory beanFactory, ZoneId zone) {
		return (slot) -> {
			Object bean = beanFactory.getBean(this.beanName);
			Method invocable = AopUtils.selectInvocableMethod(this.method, bean.getClass());
			ReflectionUtils.makeAccessible(invocable);
			Object payload = invoke(invocable, bean, arguments(slot, zone));
			if (payload == null) {
				throw new IllegalStateException("@Recurring " + describe() + " returned null for slot " + slot);
			}
			return payload;
		};
	}

	private Object[] arguments(Instant slot, ZoneId zone) {
		if (this.method.getParameterCount() == 0) {
			return new Object[0];
		}
		return new Object[] { (this.method.getParameterTypes()[0] == Instant.class) ? slot : slot.atZone(zone) };
	}

	private @Nullable Object invoke(Method invocable, Object bean, Object[] arguments) {
		try {
			return invocable.invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable thrown = ex.getTargetException();
			if (thrown instanceof RuntimeException || thrown instanceof VirtualMachineError) {
				ReflectionUtils.rethrowRuntimeException(thrown);
			}
			throw new IllegalStateException("@Recurring " + describe() + " threw " + thrown, thrown);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("@Recurring " + describe() + " cannot be called", ex);
		}
	}

	/**
	 * The slots of a cron expression read in a zone.
	 * @param cron the cron expression
	 * @param zone the zone
	 * @return the first slot strictly after a time, or {@code null} when there is none
	 */
	static UnaryOperator<@Nullable Instant> slots(CronExpression cron, ZoneId zone) {
		return (after) -> {
			ZonedDateTime next = cron.next(after.atZone(zone));
			return (next != null) ? next.toInstant() : null;
		};
	}

}
