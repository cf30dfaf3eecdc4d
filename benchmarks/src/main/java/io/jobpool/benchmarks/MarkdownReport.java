package io.jobpool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A benchmark report being written in Markdown: its lines, the targets it marks met or missed, and its CSV input. */
public abstract class MarkdownReport {

	private final StringBuilder md = new StringBuilder();

	private final List<String[]> targets = new ArrayList<>();

	protected void line(String text) {
		this.md.append(text).append('\n');
	}

	/** Note a target, for {@link #targetsSection()}. */
	protected void target(String what, String result, boolean met) {
		this.targets.add(new String[] { what, result, met ? "✅ met" : "❌ missed" });
	}

	protected void targetsSection() {
		line("## Targets");
		line("");
		line("| target | result | met? |");
		line("|---|---|---|");
		for (String[] t : this.targets) {
			line("| " + t[0] + " | " + t[1] + " | " + t[2] + " |");
		}
		line("");
	}

	/** The report so far. */
	protected String text() {
		return this.md.toString();
	}

	public static String ratio(double r) {
		return String.format(Locale.ROOT, "%.2f ×", r);
	}

	/** The rows of a CSV file after its header, split into cells; none if there is no such file. */
	public static List<String[]> readCsv(Path file) throws IOException {
		List<String[]> rows = new ArrayList<>();
		if (!Files.exists(file)) {
			return rows;
		}
		List<String> lines = Files.readAllLines(file);
		for (int i = 1; i < lines.size(); i++) {
			if (!lines.get(i).isBlank()) {
				rows.add(split(lines.get(i)));
			}
		}
		return rows;
	}

	static String[] split(String line) {
		List<String> cells = new ArrayList<>();
		StringBuilder cell = new StringBuilder();
		boolean quoted = false;
		for (char c : line.toCharArray()) {
			if (c == '"') {
				quoted = !quoted;
			}
			else if (c == ',' && !quoted) {
				cells.add(cell.toString());
				cell.setLength(0);
			}
			else {
				cell.append(c);
			}
		}
		cells.add(cell.toString());
		return cells.toArray(new String[0]);
	}

}
