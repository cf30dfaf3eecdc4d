package io.jobpool.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The failures whose stack trace a pool has logged, each known by its exception's class and the frame it was thrown
 * from (and the same of its root cause); past a bound, the failure seen least recently is forgotten.
 */
final class SeenFailures {

	private static final int MAX_CAUSES = 32;

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
