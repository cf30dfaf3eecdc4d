# Sourced by run.sh and durable.sh, with $here (this folder), $root and $raw set: picks the JVM ($java), builds
# the benchmarks jar ($jar) unless BENCH_SKIP_BUILD=1, empties $raw and notes the commit and the load in env.txt.

if [[ -n "${BENCH_JAVA:-}" ]]; then java="$BENCH_JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"
else java="$(command -v java)"; fi

if [[ "${BENCH_SKIP_BUILD:-}" == 1 && -f "$here/target/benchmarks.jar" ]]; then
	echo "== Using the benchmarks jar built before (BENCH_SKIP_BUILD=1)"
else
	echo "== Building the benchmarks module"
	(cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi
jar="$here/target/benchmarks.jar"

rm -rf "$raw"
mkdir -p "$raw"
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
echo -n "Commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%MZ); \
load average at start $(loadavg)" > "$raw/env.txt"
