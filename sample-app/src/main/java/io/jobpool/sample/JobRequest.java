package io.jobpool.sample;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A job posted to {@code POST /jobs}: a JSON object whose {@code type} names the kind of job.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = EmailJob.class, name = EmailJob.TYPE),
		@JsonSubTypes.Type(value = ReportJob.class, name = ReportJob.TYPE) })
public sealed interface JobRequest permits EmailJob, ReportJob {

	/** The kind of job, as posted in {@code type}. */
	String type();

	/** What is wrong with the job's fields, one message per problem; empty if it is valid. */
	List<String> problems();

}
