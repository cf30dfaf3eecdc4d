package io.jobpool.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The failures whose stack trace a pool has logged, known by class and throw site, the least recent forgotten first.
 */
final class SeenFailures {

	private static final int MAX_CAUSES = 32;

	// A failure is its exception's class and top frame, and those of its root cause; never its message.

	// Guarded by this; in access order, so that the eldest entry is the one seen least recently.
	private final Map<Signature, Boolean> seen;

	/**
	 * Create an empty memory.
	 * @param capacity how many failures it remembers at most
	 */
	SeenFailures(int capacity) {
		this.seen = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Signature, Boolean> eldest) {
				return size() > capacity;
			}

		};
	}

	/**
	 * Remember a failure.
	 * @param error what was thrown
	 * @return whether no failure like it was remembered
	 */
	boolean firstTime(Throwable error) {
		Signature signature = Signature.of(error);
		synchronized (this) {
			return this.seen.put(signature, Boolean.TRUE) == null;
		}
	}

	/** How many failures are remembered. */
	synchronized int size() {
		return this.seen.size();
	}

	private record Signature(String type, @Nullable StackTraceElement thrownAt, String rootType,
			@Nullable StackTraceElement rootThrownAt) {

		static Signature of(Throwable error) {
			Throwable root = error;
			for (int i = 0; i < MAX_CAUSES && root.getCause() != null && root.getCause() != root; i++) {
				root = root.getCause();
			}
			return new Signature(error.getClass().getName(), topFrame(error), root.getClass().getName(),
					topFrame(root));
		}

		private static @Nullable StackTraceElement topFrame(Throwable error) {
			StackTraceElement[] frames = error.getStackTrace();
			return (frames.length > 0) ? frames[0] : null;
		}

	}

}
