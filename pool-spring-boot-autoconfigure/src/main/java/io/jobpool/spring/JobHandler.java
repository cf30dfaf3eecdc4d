package io.jobpool.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.jobpool.JobProcessor;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a {@link JobProcessor} bean as the processor of the auto-configured pool for the payload type {@code T}
 * of its {@code JobProcessor<T>} signature.
 * <p>
 * The bean is a generator: the pool asks for it once per worker, so a prototype-scoped handler gives each worker
 * its own instance (its state needs no locking), while a singleton is shared by all workers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface JobHandler {

	/**
	 * The name of the bean, if any.
	 * @return the suggested bean name, or an empty string
	 */
	@AliasFor(annotation = Component.class)
	String value() default "";

}
