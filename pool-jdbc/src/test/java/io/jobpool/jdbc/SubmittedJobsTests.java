package io.jobpool.jdbc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.jobpool.Job;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The futures of the jobs a durable pool submitted, on their own: which are looked up in the table in a round, and
 * a job that ends before its future is followed.
 */
class SubmittedJobsTests {

	private final SubmittedJobs submitted = new SubmittedJobs();

	@Test
	void aRoundLooksUpTheOldestAndTheOthersInTurnSoEveryJobIsLookedUpWithinAFewRounds() {
		LongStream.rangeClosed(1, 10).forEach((id) -> this.submitted.track(future(id)));
		assertThat(round(4)).containsExactly(1L, 2L, 3L, 4L);
		assertThat(round(4)).containsExactly(1L, 2L, 5L, 6L);
		assertThat(round(4)).containsExactly(1L, 2L, 7L, 8L);
		assertThat(round(4)).containsExactly(1L, 2L, 9L, 10L);
		assertThat(round(4)).as("round again from the oldest").containsExactly(1L, 2L, 3L, 4L);
		this.submitted.succeeded(1);
		this.submitted.succeeded(2);
		assertThat(round(4)).containsExactly(3L, 4L, 5L, 6L);
	}

	@Test
	void aRoundLooksUpEveryJobWhenFewerWaitThanItMayLookUp() {
		LongStream.rangeClosed(1, 3).forEach((id) -> this.submitted.track(future(id)));
		assertThat(round(10)).containsExactly(1L, 2L, 3L);
		assertThat(round(10)).containsExactly(1L, 2L, 3L);
		assertThat(new SubmittedJobs().idsInTurn(10, 5)).isEmpty();
	}

	@Test
	void aRoundGivesItsIdsInBatches() {
		LongStream.rangeClosed(1, 7).forEach((id) -> this.submitted.track(future(id)));
		assertThat(this.submitted.idsInTurn(7, 3)).extracting((batch) -> batch.length).containsExactly(3, 3, 1);
	}

	@Test
	void aJobThatEndedHereBeforeItsFutureWasFollowedEndsTheFutureOnceFollowed() {
		this.submitted.succeeded(7);
		this.submitted.failed(8, new IllegalStateException("failed"));
		JdbcJobFuture succeeded = future(7);
		JdbcJobFuture failed = future(8);
		this.submitted.track(succeeded);
		this.submitted.track(failed);
		assertThat(succeeded).isCompleted();
		assertThat(failed).isCompletedExceptionally();
		assertThat(this.submitted.find(7)).isNull();
		assertThat(this.submitted.find(8)).isNull();
	}

	@Test
	void anEndAndAFollowThatCrossEachOtherEndTheFutureOnce() throws Exception {
		for (int repetition = 0; repetition < 200; repetition++) {
			SubmittedJobs jobs = new SubmittedJobs();
			List<JdbcJobFuture> futures = new ArrayList<>();
			LongStream.range(0, 50).forEach((id) -> futures.add(future(id)));
			CountDownLatch go = new CountDownLatch(1);
			Thread ends = new Thread(() -> {
				await(go);
				futures.forEach((future) -> jobs.succeeded(future.jobId()));
			});
			Thread follows = new Thread(() -> {
				await(go);
				futures.forEach(jobs::track);
			});
			ends.start();
			follows.start();
			go.countDown();
			ends.join(TimeUnit.SECONDS.toMillis(30));
			follows.join(TimeUnit.SECONDS.toMillis(30));
			assertThat(futures).allSatisfy((future) -> assertThat(future).isCompleted());
			assertThat(jobs.ids(100)).isEmpty();
		}
	}

	private List<Long> round(int most) {
		List<Long> ids = new ArrayList<>();
		for (long[] batch : this.submitted.idsInTurn(most, 100)) {
			LongStream.of(batch).forEach(ids::add);
		}
		Set<Long> distinct = new HashSet<>(ids);
		assertThat(distinct).hasSameSizeAs(ids);
		return ids;
	}

	private static JdbcJobFuture future(long id) {
		return new JdbcJobFuture(null, new Job<>(id, "payload", 1, 0L));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
