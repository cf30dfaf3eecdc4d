package io.jobpool.sample;

import java.util.ArrayList;
import java.util.List;

import io.jobpool.jdbc.JobType;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * An e-mail to send: {@code {"type": "email", "to": "ada@example.com", "subject": "Hello"}}.
 *
 * @param to the recipient's address
 * @param subject the subject line, up to 200 characters
 */
@JobType(EmailJob.TYPE)
public record EmailJob(@Nullable String to, @Nullable String subject) implements JobRequest {

	static final String TYPE = "email";

	static final int MAX_SUBJECT_LENGTH = 200;

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (!StringUtils.hasText(this.to)) {
			problems.add("'to' is required");
		}
		else if (this.to.indexOf('@') < 1 || this.to.endsWith("@")) {
			problems.add("'to' must be an e-mail address, like ada@example.com, but was '" + this.to + "'");
		}
		if (!StringUtils.hasText(this.subject)) {
			problems.add("'subject' is required");
		}
		else if (this.subject.length() > MAX_SUBJECT_LENGTH) {
			problems.add("'subject' must have at most " + MAX_SUBJECT_LENGTH + " characters, but has "
					+ this.subject.length());
		}
		return problems;
	}

}
