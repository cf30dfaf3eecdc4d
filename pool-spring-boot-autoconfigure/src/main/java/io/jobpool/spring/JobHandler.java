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
 * Marks a {@link JobProcessor} bean as the processor, in the pool named by {@link #pool()}, of the payload type
 * {@code T} of its {@code JobProcessor<T>} signature.
 * <p>
 * It goes on a class, or on a {@code @Bean} method whose declared return type is {@code JobProcessor<T>} (the
 * bean may then be a lambda or a method reference). The bean is a generator: the pool asks for it once per
 * worker, so a prototype-scoped handler gives each worker its own instance (its state needs no locking), while a
 * singleton is shared by all workers.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface JobHandler {

	/**
	 * The name of the bean, if any; ignored on a {@code @Bean} method, which names its bean itself.
	 * @return the suggested bean name, or an empty string
	 */
	@AliasFor(annotation = Component.class)
	String value() default "";

	/**
	 * The pool (lane) this handler runs in: the name of a pool defined under {@code pool.pools.<name>}, or empty
	 * for the default pool.
	 * @return the name of the pool, or an empty string for the default pool
	 */
	String pool() default "";

}
