package io.jobpool;

import java.io.Serializable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job names its payload's type by the class's simple name, as logs and meters show it.
 */
class JobTests {

	@Test
	void theTypeNameOfAJobIsThePayloadsSimpleClassName() {
		assertThat(Job.of("text").typeName()).isEqualTo("String");
		assertThat(Job.of(new Report("q3")).typeName()).isEqualTo("Report");
	}

	@Test
	void theTypeNameOfAnAnonymousPayloadIsItsClassNameWithoutThePackage() {
		Serializable anonymous = new Serializable() {
		};
		assertThat(Job.of(anonymous).typeName()).isEqualTo("JobTests$1");
	}

	record Report(String name) {
	}

}
