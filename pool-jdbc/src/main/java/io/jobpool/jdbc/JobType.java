package io.jobpool.jdbc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a payload type in the durable queue. The name is stored with each job and is the only thing read back
 * to choose the class: keep it stable across renames and releases. Without it, a payload type is named by its
 * simple class name.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface JobType {

	/** The logical type name, such as {@code "order-placed"}. */
	String value();

}
