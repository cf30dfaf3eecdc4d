package io.jobpool.engine;

import java.lang.reflect.Method;

/**
 * Makes worker threads: platform threads, or virtual threads on Java 21 and newer (reached reflectively, as
 * the engine is compiled for Java 17).
 */
final class WorkerThreads {

	private static final Method[] VIRTUAL = virtualBuilderMethods();

	private final String prefix;

	private final boolean virtual;

	WorkerThreads(String prefix, boolean virtual) {
		this.prefix = prefix;
		this.virtual = virtual;
	}

	static boolean virtualThreadsAvailable() {
		return VIRTUAL != null;
	}

	Thread newThread(String suffix, Runnable work) {
		String name = this.prefix + suffix;
		if (!this.virtual) {
			return new Thread(work, name);
		}
		try {
			Object builder = VIRTUAL[0].invoke(null);
			builder = VIRTUAL[1].invoke(builder, name);
			return (Thread) VIRTUAL[2].invoke(builder, work);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not create virtual thread " + name, ex);
		}
	}

	private static Method[] virtualBuilderMethods() {
		if (Runtime.version().feature() < 21) {
			return null;
		}
		try {
			Class<?> builder = Class.forName("java.lang.Thread$Builder");
			return new Method[] { Thread.class.getMethod("ofVirtual"), builder.getMethod("name", String.class),
					builder.getMethod("unstarted", Runnable.class) };
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

}
