package io.jobpool.sample;

import java.util.List;

import io.jobpool.jdbc.JobType;
import org.jspecify.annotations.Nullable;

/**
 * An e-mail to send: {@code {"type": "email", "to": "ada@example.com", "subject": "Hello"}}.
 *
 * @param to the recipient's address, up to 254 characters
 * @param subject the subject line, up to 200 characters
 */
@JobType(EmailJob.TYPE)
public record EmailJob(@Nullable String to, @Nullable String subject) implements JobRequest {

	static final String TYPE = "email";

	static final int MAX_TO_LENGTH = 254;

	static final int MAX_SUBJECT_LENGTH = 200;

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public List<String> problems() {
		Problems problems = new Problems();
		if (problems.text("to", this.to, MAX_TO_LENGTH) && (this.to.indexOf('@') < 1 || this.to.endsWith("@"))) {
			problems.add("'to' must be an e-mail address, like ada@example.com, but was '" + Snippet.of(this.to) + "'");
		}
		problems.text("subject", this.subject, MAX_SUBJECT_LENGTH);
		return problems.list();
	}

	@Override
	public String toString() {
		return "EmailJob[to=" + Snippet.of(this.to) + ", subject=" + Snippet.of(this.subject) + "]";
	}

}
