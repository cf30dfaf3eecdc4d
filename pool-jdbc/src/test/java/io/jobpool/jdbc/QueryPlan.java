package io.jobpool.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plan as PostgreSQL's {@code EXPLAIN (FORMAT JSON)} gives it, and the scans in it that read a pool table
 * whole: a sequential scan of {@code jobpool_job} or {@code jobpool_recurring}, or a scan of one of their indexes
 * with no condition on the index, which reads all its entries (an index that only holds the rows of one state still
 * holds, until vacuum, an entry for every row that passed through it).
 */
final class QueryPlan {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Set<String> TABLES = Set.of(JobTable.TABLE, RecurringSlots.TABLE);

	private static final Set<String> INDEX_SCANS = Set.of("Index Scan", "Index Only Scan", "Bitmap Index Scan");

	private final JsonNode plan;

	QueryPlan(String explained) {
		this.plan = json.readTree(explained).get(0).get("Plan");
	}

	/** What reads a pool table whole, one line each; empty if nothing does. */
	List<String> fullScans() {
		List<String> found = new ArrayList<>();
		collect(this.plan, found);
		return found;
	}

	private static void collect(JsonNode node, List<String> found) {
		String type = text(node, "Node Type");
		String index = text(node, "Index Name");
		if (type.equals("Seq Scan") && TABLES.contains(text(node, "Relation Name"))) {
			found.add("a sequential scan of " + text(node, "Relation Name"));
		}
		if (INDEX_SCANS.contains(type) && index.startsWith("jobpool_") && !node.has("Index Cond")) {
			found.add("a full scan of index " + index + " (" + type + " with no Index Cond)");
		}
		for (JsonNode child : node.path("Plans")) {
			collect(child, found);
		}
	}

	private static String text(JsonNode node, String field) {
		return node.has(field) ? node.get(field).asString() : "";
	}

	@Override
	public String toString() {
		return json.writerWithDefaultPrettyPrinter().writeValueAsString(this.plan);
	}

}
