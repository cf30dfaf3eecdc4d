package io.jobpool.sample;

import java.util.ArrayList;
import java.util.List;

import io.jobpool.jdbc.JobType;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * A report to render: {@code {"type": "report", "name": "sales-q3", "pages": 12}}.
 *
 * @param name the report's name
 * @param pages how many pages to render, from 1 to 1000
 */
@JobType(ReportJob.TYPE)
public record ReportJob(@Nullable String name, int pages) implements JobRequest {

	static final String TYPE = "report";

	static final int MAX_PAGES = 1000;

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (!StringUtils.hasText(this.name)) {
			problems.add("'name' is required");
		}
		if (this.pages < 1 || this.pages > MAX_PAGES) {
			problems.add("'pages' must be from 1 to " + MAX_PAGES + ", but was " + this.pages);
		}
		return problems;
	}

}
