package io.jobpool.sample;

import java.util.List;

import io.jobpool.jdbc.JobType;
import org.jspecify.annotations.Nullable;

/**
 * A report to render: {@code {"type": "report", "name": "sales-q3", "pages": 12}}.
 *
 * @param name the report's name, up to 100 characters
 * @param pages how many pages to render, a whole number from 1 to 1000
 */
@JobType(ReportJob.TYPE)
public record ReportJob(@Nullable String name, int pages) implements JobRequest {

	static final String TYPE = "report";

	static final int MAX_NAME_LENGTH = 100;

	static final int MAX_PAGES = 1000;

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public List<String> problems() {
		Problems problems = new Problems();
		problems.text("name", this.name, MAX_NAME_LENGTH);
		if (this.pages < 1 || this.pages > MAX_PAGES) {
			problems.add("'pages' must be from 1 to " + MAX_PAGES + ", but was " + this.pages);
		}
		return problems.list();
	}

	@Override
	public String toString() {
		return "ReportJob[name=" + Snippet.of(this.name) + ", pages=" + this.pages + "]";
	}

}
