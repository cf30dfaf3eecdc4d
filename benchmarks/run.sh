#!/usr/bin/env bash
# Builds the benchmarks module, runs every benchmark and writes benchmarks/results/RESULTS.md,
# throughput.png and flood.png. Raw output goes to benchmarks/results/raw/ (not committed).
#
#   bash benchmarks/run.sh            full suite (about 7 minutes on 2 cores)
#   bash benchmarks/run.sh --smoke    everything once, very short: checks that it all runs (CI); its report
#                                     goes to benchmarks/results/raw/, leaving the committed results alone
#   bash benchmarks/run.sh --profile  also profile JobPool on no-op throughput (-prof gc, -prof stack)
#
# BENCH_SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar instead of building it first.
# The JVM that runs the benchmarks is $BENCH_JAVA, else $JAVA_HOME/bin/java, else java on the PATH.
# The virtual-thread executor needs Java 21+ and is skipped on older JVMs; the thread-per-job flood uses a
# virtual thread per job on Java 21+ (looked for in $JAVA21_HOME and /usr/lib/jvm when the main JVM is older).
# The durable queue on PostgreSQL has its own script: benchmarks/durable.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
results="$here/results"
raw="$results/raw"

mode=full
profile=false
for arg in "$@"; do
	case "$arg" in
		--smoke) mode=smoke ;;
		--profile) profile=true ;;
		-h|--help) sed -n '2,14p' "$0"; exit 0 ;;
		*) echo "Unknown option: $arg" >&2; exit 2 ;;
	esac
done

# shellcheck source=setup.sh
source "$here/setup.sh"

feature() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1; }
java_feature="$(feature "$java")"

if [[ "$mode" == smoke ]]; then
	jmh_opts=(-f 0 -wi 0 -i 1 -r 200ms)
	io_opts=(-f 0 -wi 0 -i 1 -r 500ms)
	latency_seconds=1
	flood_payloads=100000
	flood_timeout=15
else
	jmh_opts=()
	io_opts=()
	latency_seconds=10
	flood_payloads=5000000
	flood_timeout=180
fi

# Targets and flood modes are named by their enum constants' names (Target, FloodMain.Mode).
impls="JOBPOOL,JOBPOOL_METRICS,TPE,TPE_EXECUTE,SPRING,FORKJOIN"
if (( java_feature >= 21 )); then
	impls="$impls,VIRTUAL"
else
	echo "NOTE: $java is Java $java_feature; the virtual-thread executor needs Java 21+ and is skipped."
fi

jmh() { "$java" -jar "$jar" "$@"; }

for producers in 2 4; do
	echo "== Throughput, no-op jobs, $producers producers"
	jmh ThroughputBenchmark -t "$producers" -p impl="$impls" "${jmh_opts[@]}" \
		-rf csv -rff "$raw/throughput-t$producers.csv" -o "$raw/throughput-t$producers.txt"
	tail -n "$(( $(tr ',' '\n' <<< "$impls" | wc -l) + 2 ))" "$raw/throughput-t$producers.txt"
done

echo "== I/O-like jobs (sleep 1 ms), 50 workers"
jmh IoBenchmark "${io_opts[@]}" -rf csv -rff "$raw/io.csv" -o "$raw/io.txt"
tail -n 4 "$raw/io.txt"

echo "== Latency, submit-to-start, paced producer"
"$java" -Xms256m -Xmx256m -cp "$jar" io.jobpool.benchmarks.LatencyMain "$raw/latency.csv" "$latency_seconds" \
	JOBPOOL,JOBPOOL_METRICS,TPE,TPE_EXECUTE 0.5,0.9 "$raw/latency-profile.csv"

echo "== Flood: $flood_payloads payloads of 1 KB, -Xmx64m"
flood_java="$java"
if (( java_feature < 21 )); then
	for candidate in "${JAVA21_HOME:-}" /usr/lib/jvm/*; do
		if [[ -n "$candidate" && -x "$candidate/bin/java" ]] && (( $(feature "$candidate/bin/java") >= 21 )); then
			flood_java="$candidate/bin/java"
			break
		fi
	done
fi
for flood_mode in JOBPOOL THREAD_PER_JOB UNBOUNDED_TPE; do
	run_java="$java"
	if [[ "$flood_mode" == THREAD_PER_JOB ]]; then run_java="$flood_java"; fi
	echo "-- $flood_mode ($("$run_java" -version 2>&1 | head -1))"
	set +e
	timeout $(( flood_timeout + 60 )) "$run_java" -Xmx64m -cp "$jar" io.jobpool.benchmarks.FloodMain "$flood_mode" \
		"$raw/flood-$flood_mode.csv" "$flood_payloads" 5 "$flood_timeout" > "$raw/flood-$flood_mode.out" 2>&1
	status=$?
	set -e
	grep '^RESULT' "$raw/flood-$flood_mode.out" || echo "no result, exit status $status"
done

if [[ "$profile" == true ]]; then
	echo "== Profiling JobPool, no-op throughput, 2 producers"
	jmh ThroughputBenchmark -t 2 -p impl=JOBPOOL,JOBPOOL_METRICS,TPE -prof gc -o "$raw/profile-gc.txt"
	jmh ThroughputBenchmark -t 2 -p impl=JOBPOOL -prof 'stack:lines=5;top=25;detailLine=true' \
		-o "$raw/profile-stack.txt"
	jmh ThroughputBenchmark -t 2 -p impl=JOBPOOL_METRICS -prof 'stack:lines=5;top=25;detailLine=true' \
		-o "$raw/profile-stack-metrics.txt"
fi

echo ", at end $(loadavg) (above the CPU count means other work shared the machine: expect noise)." \
	>> "$raw/env.txt"

# A smoke run's report stays beside the raw output, so it never replaces the committed results.
report_dir="$results"
if [[ "$mode" == smoke ]]; then report_dir="$raw"; fi
echo "== Writing the report"
"$java" -Djava.awt.headless=true -cp "$jar" io.jobpool.benchmarks.Report "$raw" "$report_dir" "$mode" \
	"bash benchmarks/run.sh$([[ $mode == smoke ]] && echo ' --smoke')" > "$raw/report.txt"
echo "Wrote $report_dir/RESULTS.md"
grep -A 30 '^## Targets' "$report_dir/RESULTS.md"
