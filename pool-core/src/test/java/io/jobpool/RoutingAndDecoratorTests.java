package io.jobpool;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static io.jobpool.AccountingTests.cause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each payload goes to the processor of its most specific registered type; decorators run on the
 * submitting thread and wrap the run on the worker.
 */
class RoutingAndDecoratorTests {

	@Test
	void theMostSpecificRegisteredTypeWins() {
		List<String> seen = new CopyOnWriteArrayList<>();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.processor(Object.class, () -> (job) -> seen.add("object:" + job.data()))
			.processor(Number.class, () -> (job) -> seen.add("number:" + job.data()))
			.processor(Integer.class, () -> (job) -> seen.add("integer:" + job.data()))
			.build();
		pool.start();
		pool.submit(1);
		pool.submit(2L);
		pool.submit("three");
		pool.close();
		assertThat(seen).containsExactly("integer:1", "number:2", "object:three");
	}

	@Test
	void aPayloadNobodyHandlesIsRejectedAtSubmitNamingItsType() {
		JobPool pool = JobPool.builder().processor(Integer.class, () -> (job) -> {
		}).build();
		pool.start();
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit("text"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(JobRejectedException.Reason.NO_PROCESSOR))
			.withMessageContaining("java.lang.String")
			.withMessageContaining("java.lang.Integer");
		assertThat(pool.stats().rejected()).isEqualTo(1);
		assertThat(pool.stats().accepted()).isZero();
		pool.close();
	}

	@Test
	void aPayloadMatchingUnrelatedTypesIsRejectedAsAmbiguous() {
		JobPool pool = JobPool.builder()
			.processor(Serializable.class, () -> (job) -> {
			})
			.processor(CharSequence.class, () -> (job) -> {
			})
			.build();
		pool.start();
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> pool.submit("both"))
			.withMessageContaining("none is more specific");
		pool.close();
	}

	@Test
	void decoratorsCaptureOnTheSubmittingThreadAndWrapTheRunOnTheWorker() {
		ThreadLocal<String> context = new ThreadLocal<>();
		List<String> seen = new CopyOnWriteArrayList<>();
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.decorator((job, execution) -> {
				String captured = context.get();
				return () -> {
					context.set(captured);
					try {
						execution.run();
					}
					finally {
						context.remove();
					}
				};
			})
			.decorator((job, execution) -> () -> {
				seen.add("outer sees " + context.get());
				execution.run();
			})
			.processor(String.class, () -> (job) -> seen.add(job.data() + " sees " + context.get()))
			.build();
		pool.start();
		context.set("request-1");
		pool.submit("job");
		context.remove();
		pool.close();
		assertThat(seen).containsExactly("outer sees null", "job sees request-1");
	}

	@Test
	void aFailureInsideADecoratedRunStillFailsTheJob() {
		JobPool pool = JobPool.builder()
			.initPoolNum(1)
			.workerNum(1)
			.decorator((job, execution) -> execution)
			.processor(String.class, () -> (job) -> {
				throw new IllegalStateException("inside");
			})
			.build();
		pool.start();
		JobFuture future = pool.submit("x");
		pool.close();
		assertThat(cause(future)).hasMessage("inside");
	}

}
