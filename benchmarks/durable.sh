#!/usr/bin/env bash
# Builds the benchmarks module, runs the durable queue's benchmarks on an embedded PostgreSQL each starts itself,
# and writes benchmarks/results/DURABLE.md. Raw output goes to benchmarks/results/raw-durable/ (not committed).
#
#   bash benchmarks/durable.sh          full suite (about 25 minutes on 2 cores)
#   bash benchmarks/durable.sh --smoke  everything once, very short: checks that it all runs (CI); its report
#                                       goes to benchmarks/results/raw-durable/, leaving the committed results alone
#
# BENCH_SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar instead of building it first.
# The JVM that runs the benchmarks is $BENCH_JAVA, else $JAVA_HOME/bin/java, else java on the PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
results="$here/results"
raw="$results/raw-durable"

mode=full
for arg in "$@"; do
	case "$arg" in
		--smoke) mode=smoke ;;
		-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
		*) echo "Unknown option: $arg" >&2; exit 2 ;;
	esac
done

# shellcheck source=setup.sh
source "$here/setup.sh"

if [[ "$mode" == smoke ]]; then
	throughput=(2000 1 0)
	throughput_workers=(8)
	scale=(2000 1 0 8 1,2)
	pickup=(--smoke)
	depth=(--smoke --rounds=1)
else
	throughput=(20000 5 1)
	throughput_workers=(8 32)
	scale=(20000 3 1 8 1,2,4)
	pickup=(200)
	depth=(--rounds=3)
fi

run() { "$java" -cp "$jar" "$@"; }

for durability in fsync-off fsync-on; do
	for workers in "${throughput_workers[@]}"; do
		echo "== JdbcJobPool vs db-scheduler, ${throughput[0]} jobs a round, $workers workers, $durability"
		# jobs a round, measured rounds, warm-up rounds, workers, durability
		run io.jobpool.benchmarks.jdbc.DurableQueueMain "$raw" "${throughput[@]}" "$workers" "$durability" \
			| tee "$raw/durable-$workers-$durability.txt"
	done
done

echo "== Pickup across instances: submit on one, start on another"
# jobs per mode
run io.jobpool.benchmarks.jdbc.PickupLatencyMain "$raw" "${pickup[@]}" | tee "$raw/pickup.txt"

echo "== Depth and churn: a million ready rows, a million jobs run"
run io.jobpool.benchmarks.jdbc.DepthMain "$raw" "${depth[@]}" | tee "$raw/depth.txt"

echo "== Scale curve: instances in JVMs of their own"
# jobs a round, measured rounds, warm-up rounds, workers each, instances
run io.jobpool.benchmarks.jdbc.ScaleMain "$raw" "${scale[@]}" | tee "$raw/scale.txt"

echo ", at end $(loadavg) (above the CPU count means other work shared the machine: expect noise)." \
	>> "$raw/env.txt"

# A smoke run's report stays beside the raw output, so it never replaces the committed results.
report_dir="$results"
if [[ "$mode" == smoke ]]; then report_dir="$raw"; fi
echo "== Writing the report"
run io.jobpool.benchmarks.jdbc.DurableReport "$raw" "$report_dir" "$mode" \
	"bash benchmarks/durable.sh$([[ $mode == smoke ]] && echo ' --smoke')" > "$raw/report.txt"
echo "Wrote $report_dir/DURABLE.md"
grep -A 20 '^## Targets' "$report_dir/DURABLE.md"
