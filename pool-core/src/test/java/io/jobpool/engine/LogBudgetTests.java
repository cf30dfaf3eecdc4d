package io.jobpool.engine;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LogBudget} allows so many lines a second, on a clock the test sets, and counts the lines it refused
 * until the next line it allows or until they are taken.
 */
class LogBudgetTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private final LogBudget budget = new LogBudget(3);

	@Test
	void allowsSoManyLinesInASecondAndRefusesTheRest() {
		long start = -5 * SECOND;
		assertThat(takes(start, start + 1, start + 2)).containsExactly(0, 0, 0);
		assertThat(this.budget.take(start + SECOND - 1)).isEqualTo(LogBudget.REFUSED);
		assertThat(this.budget.take(start + SECOND - 1)).isEqualTo(LogBudget.REFUSED);
	}

	@Test
	void theFirstLineOfTheNextSecondSaysHowManyWereRefused() {
		takes(0, 0, 0, 0, 0);
		assertThat(this.budget.take(SECOND)).isEqualTo(2);
		assertThat(this.budget.take(SECOND + 1)).isZero();
	}

	@Test
	void aSecondStartsAtTheFirstLineAfterTheLastSecondEnded() {
		takes(0, 0, 0);
		assertThat(this.budget.take(5 * SECOND + 7)).isZero();
		assertThat(takes(6 * SECOND + 6, 6 * SECOND + 6)).containsExactly(0, 0);
		assertThat(this.budget.take(6 * SECOND + 6)).isEqualTo(LogBudget.REFUSED);
		assertThat(this.budget.take(6 * SECOND + 7)).isEqualTo(1);
	}

	@Test
	void takingTheLeftOutCountResetsIt() {
		takes(0, 0, 0, 0, 0, 0);
		assertThat(this.budget.takeLeftOut()).isEqualTo(3);
		assertThat(this.budget.takeLeftOut()).isZero();
		assertThat(this.budget.take(SECOND)).isZero();
	}

	private long[] takes(long... times) {
		long[] results = new long[times.length];
		for (int i = 0; i < times.length; i++) {
			results[i] = this.budget.take(times[i]);
		}
		return results;
	}

}
