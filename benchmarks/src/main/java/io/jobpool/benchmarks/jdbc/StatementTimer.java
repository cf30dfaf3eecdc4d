package io.jobpool.benchmarks.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import javax.sql.DataSource;

/**
 * Times the statements a pool runs through a {@link DataSource}: each execution of a prepared statement whose SQL
 * one of the watched kinds recognises, in milliseconds, each kind apart. Give the pool the {@link #wrap wrapped}
 * data source, and read the times as it runs.
 */
final class StatementTimer {

	private final List<Kind> kinds = new ArrayList<>();

	/**
	 * Time the statements whose SQL this recognises.
	 * @param name the kind's name, for {@link #times(String)}
	 * @param recognises whether an SQL text is of this kind
	 * @return this timer
	 */
	StatementTimer watch(String name, Predicate<String> recognises) {
		this.kinds.add(new Kind(name, recognises, Collections.synchronizedList(new ArrayList<>())));
		return this;
	}

	/** The times of the statements of a kind so far, in milliseconds, in the order they ran. */
	List<Double> times(String name) {
		Kind kind = this.kinds.stream()
			.filter((candidate) -> candidate.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No kind of statement is called " + name));
		synchronized (kind.millis()) {
			return List.copyOf(kind.millis());
		}
	}

	/** Forget the times so far. */
	void clear() {
		this.kinds.forEach((kind) -> kind.millis().clear());
	}

	/** The data source, the statements of its connections timed. */
	DataSource wrap(DataSource dataSource) {
		return proxy(DataSource.class, dataSource, null, (result, args) -> (result instanceof Connection connection)
				? proxy(Connection.class, connection, null, this::timedStatement) : result);
	}

	private Object timedStatement(Object result, Object[] args) {
		if (result instanceof PreparedStatement statement && args.length > 0 && args[0] instanceof String sql) {
			for (Kind kind : this.kinds) {
				if (kind.recognises().test(sql)) {
					return proxy(PreparedStatement.class, statement, kind.millis(), (value, ignored) -> value);
				}
			}
		}
		return result;
	}

	/**
	 * A proxy that passes each call to its target and wraps what comes back; it times the calls that execute a
	 * statement into {@code millis}, if given.
	 */
	private static <T> T proxy(Class<T> type, T target, List<Double> millis, BiFunction<Object, Object[], Object> wrap) {
		return type.cast(Proxy.newProxyInstance(StatementTimer.class.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> {
					long start = System.nanoTime();
					Object result;
					try {
						result = method.invoke(target, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
					if (millis != null && method.getName().startsWith("execute")) {
						millis.add((System.nanoTime() - start) / 1e6);
					}
					return wrap.apply(result, (args != null) ? args : new Object[0]);
				}));
	}

	private record Kind(String name, Predicate<String> recognises, List<Double> millis) {
	}

}
