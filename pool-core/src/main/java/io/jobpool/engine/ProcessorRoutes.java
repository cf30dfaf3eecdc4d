package io.jobpool.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.jobpool.JobProcessor;

/**
 * Chooses the processor for a payload: the one registered for the most specific supertype of its class.
 * The choice is made once per payload class and cached.
 */
final class ProcessorRoutes {

	private final Class<?>[] types;

	private final Supplier<? extends JobProcessor<?>>[] generators;

	private final ClassValue<Object> routes = new ClassValue<>() {
		@Override
		protected Object computeValue(Class<?> type) {
			return resolve(type);
		}
	};

	@SuppressWarnings("unchecked")
	ProcessorRoutes(Map<Class<?>, Supplier<? extends JobProcessor<?>>> processors) {
		this.types = processors.keySet().toArray(new Class<?>[0]);
		this.generators = new Supplier[this.types.length];
		for (int i = 0; i < this.types.length; i++) {
			this.generators[i] = processors.get(this.types[i]);
		}
	}

	/**
	 * The route of a payload class.
	 * @param type the payload's class
	 * @return the route index, or a {@code String} saying why there is none
	 */
	Object routeOf(Class<?> type) {
		return this.routes.get(type);
	}

	/** A new set of processors for one worker: each generator is asked once. */
	@SuppressWarnings("unchecked")
	JobProcessor<Object>[] newProcessors() {
		JobProcessor<Object>[] processors = new JobProcessor[this.generators.length];
		for (int i = 0; i < processors.length; i++) {
			processors[i] = (JobProcessor<Object>) this.generators[i].get();
			if (processors[i] == null) {
				throw new IllegalStateException("The processor generator for " + this.types[i].getName()
						+ " returned null; it must return a processor");
			}
		}
		return processors;
	}

	private Object resolve(Class<?> type) {
		List<Integer> candidates = new ArrayList<>();
		for (int i = 0; i < this.types.length; i++) {
			if (this.types[i].isAssignableFrom(type)) {
				candidates.add(i);
			}
		}
		List<Integer> mostSpecific = candidates.stream()
			.filter((i) -> candidates.stream().allMatch((j) -> this.types[j].isAssignableFrom(this.types[i])))
			.collect(Collectors.toList());
		if (mostSpecific.size() == 1) {
			return mostSpecific.get(0);
		}
		if (candidates.isEmpty()) {
			return "No processor is registered for payload type " + type.getName() + "; registered types are "
					+ names(allIndexes());
		}
		return "Payload type " + type.getName() + " matches processors of unrelated types " + names(candidates)
				+ " and none is more specific; register a processor for " + type.getName();
	}

	private List<Integer> allIndexes() {
		List<Integer> all = new ArrayList<>();
		for (int i = 0; i < this.types.length; i++) {
			all.add(i);
		}
		return all;
	}

	private String names(List<Integer> indexes) {
		return indexes.stream().map((i) -> this.types[i].getName()).collect(Collectors.joining(", ", "[", "]"));
	}

}
