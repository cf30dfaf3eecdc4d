package io.jobpool.autoconfigure.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.util.MimeType;

/**
 * The dashboard's page and the files it loads, read from the jar. The page is told, as the actuator exposes them over
 * HTTP, where it is, where the {@code jobpool} endpoint is, and whether that endpoint takes writes.
 */
final class DashboardPage {

	static final String ASSETS = "assets";

	private static final EndpointId JOBPOOL = EndpointId.of("jobpool");

	private static final Map<String, MimeType> ASSET_TYPES = Map.of("dashboard.js",
			MimeType.valueOf("text/javascript;charset=UTF-8"), "dashboard.css",
			MimeType.valueOf("text/css;charset=UTF-8"), "favicon.svg", MimeType.valueOf("image/svg+xml"));

	private final Map<String, Asset> assets = new HashMap<>();

	private final ObjectProvider<WebEndpointsSupplier> endpoints;

	private volatile @Nullable String html;

	DashboardPage(ObjectProvider<WebEndpointsSupplier> endpoints) {
		this.endpoints = endpoints;
		ASSET_TYPES.forEach((name, type) -> this.assets.put(name, new Asset(read(name), type)));
	}

	/** The page, made when first asked for: the endpoints are all known by then. */
	String html() {
		String html = this.html;
		if (html == null) {
			html = render();
			this.html = html;
		}
		return html;
	}

	private String render() {
		ExposableWebEndpoint self = find(EndpointId.of(JobPoolDashboardEndpoint.ID));
		String selfPath = (self != null) ? self.getRootPath() : JobPoolDashboardEndpoint.ID;
		ExposableWebEndpoint jobpool = find(JOBPOOL);
		boolean writes = jobpool != null
				&& jobpool.getOperations().stream().anyMatch((operation) -> operation.getType() == OperationType.WRITE);
		return new String(read("dashboard.html"), StandardCharsets.UTF_8)
			.replace("{{assets}}", escape(selfPath.substring(selfPath.lastIndexOf('/') + 1) + "/" + ASSETS))
			.replace("{{self}}", escape(selfPath))
			.replace("{{jobpool}}", escape((jobpool != null) ? jobpool.getRootPath() : ""))
			.replace("{{writes}}", Boolean.toString(writes));
	}

	private @Nullable ExposableWebEndpoint find(EndpointId id) {
		WebEndpointsSupplier endpoints = this.endpoints.getIfUnique();
		if (endpoints == null) {
			return null;
		}
		return endpoints.getEndpoints()
			.stream()
			.filter((endpoint) -> endpoint.getEndpointId().equals(id))
			.findFirst()
			.orElse(null);
	}

	/**
	 * One of the files the page loads.
	 * @param name the file's name
	 * @return the file, or {@code null} if the page loads no file of that name
	 */
	@Nullable Asset asset(String name) {
		return this.assets.get(name);
	}

	private static byte[] read(String name) {
		try (InputStream in = DashboardPage.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("The dashboard's file '" + name + "' is missing from the jar");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	/**
	 * A file the page loads.
	 *
	 * @param content its content
	 * @param type its type
	 */
	record Asset(byte[] content, MimeType type) {
	}

}
