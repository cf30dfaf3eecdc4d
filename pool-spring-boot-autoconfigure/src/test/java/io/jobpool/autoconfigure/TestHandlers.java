package io.jobpool.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobpool.Job;
import io.jobpool.JobProcessor;
import io.jobpool.spring.JobHandler;
import org.slf4j.MDC;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;

/**
 * Handlers and payloads used by the tests.
 */
final class TestHandlers {

	private TestHandlers() {
	}

	record Greeting(String text) {
	}

	record Invoice(int id) {
	}

	/** Records each greeting with the worker thread and the MDC value it saw. */
	@JobHandler
	static class GreetingHandler implements JobProcessor<Greeting> {

		final List<String> greetings = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		final List<String> requestIds = new CopyOnWriteArrayList<>();

		@Override
		public void process(Job<Greeting> job) {
			this.greetings.add(job.data().text());
			this.threads.add(Thread.currentThread().getName());
			this.requestIds.add(String.valueOf(MDC.get("requestId")));
		}

	}

	/** Another handler for greetings. */
	@JobHandler
	static class OtherGreetingHandler implements JobProcessor<Greeting> {

		@Override
		public void process(Job<Greeting> job) {
		}

	}

	/** A handler that is not a processor. */
	@JobHandler
	static class NotAProcessor {

	}

	/** A handler whose payload type is a raw type. */
	@JobHandler
	@SuppressWarnings("rawtypes")
	static class RawHandler implements JobProcessor {

		@Override
		public void process(Job job) {
		}

	}

	/** A handler whose payload type is a type variable. */
	@JobHandler
	static class GenericHandler<T> implements JobProcessor<T> {

		@Override
		public void process(Job<T> job) {
		}

	}

	/**
	 * Blocks each invoice until {@code parties} invoices are running at once, then records which instance ran it
	 * on which thread.
	 */
	abstract static class RendezvousHandler implements JobProcessor<Invoice> {

		static final AtomicInteger created = new AtomicInteger();

		static final Map<String, Object> instanceByThread = new ConcurrentHashMap<>();

		static volatile CountDownLatch rendezvous = new CountDownLatch(0);

		static void reset(int parties) {
			created.set(0);
			instanceByThread.clear();
			rendezvous = new CountDownLatch(parties);
		}

		RendezvousHandler() {
			created.incrementAndGet();
		}

		@Override
		public void process(Job<Invoice> job) throws InterruptedException {
			Object previous = instanceByThread.putIfAbsent(Thread.currentThread().getName(), this);
			if (previous != null && previous != this) {
				throw new IllegalStateException("A worker saw two processor instances");
			}
			CountDownLatch latch = rendezvous;
			latch.countDown();
			if (!latch.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Invoices did not run at the same time");
			}
		}

	}

	/** A prototype-scoped {@link RendezvousHandler}. */
	@JobHandler
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	static class PrototypeInvoiceHandler extends RendezvousHandler {

	}

	/** A singleton {@link RendezvousHandler}. */
	@JobHandler
	static class SingletonInvoiceHandler extends RendezvousHandler {

	}

	/** Blocks every invoice until interrupted or released. */
	@JobHandler
	static class BlockingInvoiceHandler implements JobProcessor<Invoice> {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public void process(Job<Invoice> job) throws InterruptedException {
			this.started.countDown();
			this.release.await();
		}

	}

}
