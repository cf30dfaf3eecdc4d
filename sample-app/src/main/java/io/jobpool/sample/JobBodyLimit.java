package io.jobpool.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses a job whose body has more than {@code sample.max-body-size} bytes with 413, having read no more of it than
 * that. Neither the server's properties nor Jackson's bound a JSON body, so the bound is kept here.
 */
@ControllerAdvice(assignableTypes = JobsController.class)
public class JobBodyLimit extends RequestBodyAdviceAdapter {

	private final int maxBytes;

	JobBodyLimit(SampleProperties properties) {
		this.maxBytes = Math.toIntExact(properties.maxBodySize().toBytes());
	}

	@Override
	public boolean supports(MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		byte[] body = input.getBody().readNBytes(this.maxBytes + 1);
		if (body.length > this.maxBytes) {
			throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
					"The body must have at most " + this.maxBytes + " bytes.");
		}
		HttpHeaders headers = input.getHeaders();
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return new ByteArrayInputStream(body);
			}

			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}

		};
	}

}
