#!/usr/bin/env bash
# Benchmark (not a test): wall time of whole probe boots under the default
# engine, hypervisor start to power-off, through build/bin/hvrun.
# usage: ci/bench-boot.sh [RUNS] [PROBE...]   (default: 9 runs of hc_halt hc_print cpuid_leaves)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
shift || true
probes=("$@")
[ ${#probes[@]} -gt 0 ] || probes=(hc_halt hc_print cpuid_leaves)
[ -x build/bin/hvrun ] || { echo "bench-boot: build first (make all)" >&2; exit 2; }
all=()
for p in "${probes[@]}"; do
	times=()
	for ((i = 0; i < runs; i++)); do
		start=$(date +%s%N)
		build/bin/hvrun --probe "$p" >/dev/null 2>&1 || { echo "bench-boot: $p did not end cleanly" >&2; exit 1; }
		end=$(date +%s%N)
		times+=("$(( (end - start) / 1000000 ))")
	done
	sorted=($(printf '%s\n' "${times[@]}" | sort -n))
	echo "$p: median ${sorted[$((runs / 2))]} ms, min ${sorted[0]} ms, max ${sorted[$((runs - 1))]} ms over $runs boots"
	all+=("${times[@]}")
done
sorted=($(printf '%s\n' "${all[@]}" | sort -n))
echo "all: median ${sorted[$((${#sorted[@]} / 2))]} ms over ${#sorted[@]} boots"
