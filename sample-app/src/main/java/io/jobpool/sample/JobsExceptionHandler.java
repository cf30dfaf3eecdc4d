package io.jobpool.sample;

import java.util.stream.Collectors;

import io.jobpool.JobRejectedException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidTypeIdException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers the failures of {@link JobsController} with RFC 9457 problem details: 400 for a job that cannot be read
 * or is not valid, 503 with {@code Retry-After} when the pool cannot take it now.
 */
@RestControllerAdvice(assignableTypes = JobsController.class)
public class JobsExceptionHandler extends ResponseEntityExceptionHandler {

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
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage());
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

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason(ex) + " " + EXPECTED);
		problem.setTitle("Unreadable job");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	private static String reason(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof InvalidTypeIdException invalidType) {
			return (invalidType.getTypeId() != null) ? "\"type\" '" + invalidType.getTypeId() + "' is not a kind of job."
					: "\"type\" is missing.";
		}
		if (cause instanceof JacksonException jackson) {
			return "The body could not be read as a job" + field(jackson) + ": " + jackson.getOriginalMessage() + ".";
		}
		return (ex.getCause() != null) ? "The body could not be read as a job." : "The body is missing.";
	}

	private static String field(JacksonException ex) {
		String field = ex.getPath()
			.stream()
			.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]")
			.collect(Collectors.joining("."));
		return field.isEmpty() ? "" : " (at '" + field + "')";
	}

}
