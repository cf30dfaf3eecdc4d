package io.jobpool.sample;

import java.util.stream.Collectors;

import io.jobpool.JobRejectedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the failures of {@link JobsController} with RFC 9457 problem details in the sample's own words: 400 for a
 * job that cannot be read or is not valid, 503 with {@code Retry-After} when the pool cannot take it now. Other
 * failures, of any request, are answered by Boot's problem details ({@code spring.mvc.problemdetails.enabled}), which
 * come after this advice.
 */
@RestControllerAdvice(assignableTypes = JobsController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class JobsExceptionHandler {

	private static final Log logger = LogFactory.getLog(JobsExceptionHandler.class);

	private static final String EXPECTED = "Post a JSON object with a \"type\" of \"email\" (fields \"to\", \"subject\") "
			+ "or \"report\" (fields \"name\", \"pages\").";

	private final SampleProperties properties;

	JobsExceptionHandler(SampleProperties properties) {
		this.properties = properties;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidJob(InvalidJobException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid job");
		problem.setProperty("problems", ex.problems());
		return ResponseEntity.badRequest().body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rejectedJob(JobRejectedException ex) {
		if (ex.reason() == JobRejectedException.Reason.NO_PROCESSOR) {
			logger.error(ex.getMessage());
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
					"No handler takes this kind of job.");
			problem.setTitle("No handler for this job");
			return ResponseEntity.internalServerError().body(problem);
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				(ex.reason() == JobRejectedException.Reason.QUEUE_FULL)
						? "The job queue is full; retry after " + this.properties.retryAfterSeconds() + " s."
						: "The job pool is not taking jobs now (" + ex.reason().tagValue() + "); retry later.");
		problem.setTitle("Job pool busy");
		problem.setProperty("reason", ex.reason().tagValue());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, this.properties.retryAfterSeconds())
			.body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadableJob(HttpMessageNotReadableException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason(ex) + " " + EXPECTED);
		problem.setTitle("Unreadable job");
		return ResponseEntity.badRequest().body(problem);
	}

	private static String reason(HttpMessageNotReadableException ex) {
		if (!(ex.getCause() instanceof JacksonException cause)) {
			return (ex.getCause() != null) ? "The body could not be read as a job." : "The body is missing.";
		}
		if (cause instanceof InvalidTypeIdException invalidType) {
			return (invalidType.getTypeId() != null)
					? "\"type\" '" + Snippet.of(invalidType.getTypeId()) + "' is not a kind of job."
					: "\"type\" is missing.";
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return "'" + Snippet.of(unknown.getPropertyName()) + "' is not a field of this kind of job.";
		}
		if (cause instanceof MismatchedInputException || cause instanceof InputCoercionException) {
			String field = field(cause);
			return field.isEmpty() ? "The body must be one JSON object."
					: "'" + field + "' must be " + kind(cause) + ".";
		}
		TokenStreamLocation at = cause.getLocation();
		return (at != null)
				? "The body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."
				: "The body is not valid JSON.";
	}

	private static String field(JacksonException ex) {
		String field = ex.getPath()
			.stream()
			.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]")
			.collect(Collectors.joining("."));
		return Snippet.of(field);
	}

	private static String kind(JacksonException ex) {
		Class<?> type = (ex instanceof MismatchedInputException mismatch) ? mismatch.getTargetType()
				: ((InputCoercionException) ex).getTargetType();
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return "a whole number";
		}
		return (type == String.class) ? "a string" : "a value of another type";
	}

}
