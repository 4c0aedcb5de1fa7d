#!/usr/bin/env bash
# Benchmark (not a test, no points): the memory-virtualization figures of the
# reference, from the perf_mem probe. Under Bochs, RDTSC counts emulated
# instructions, so the tick figures repeat exactly from run to run.
# usage: ci/bench-memory.sh [--kernel IMAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/hvrun ] || { echo "bench-memory: build first (make all)" >&2; exit 2; }
out=$(build/bin/hvrun "$@" --probe perf_mem) || {
	echo "bench-memory: the perf_mem run did not end cleanly:" >&2
	printf '%s\n' "$out" | tail -5 >&2
	exit 1
}
line1=$(printf '%s\n' "$out" | grep -a '^perf: lazy_page_ticks=') || { echo "bench-memory: no figures" >&2; exit 1; }
line2=$(printf '%s\n' "$out" | grep -a '^perf: resident_page_ticks=') || { echo "bench-memory: no figures" >&2; exit 1; }
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
frames=$(field "$line1" host_frames)
pages=$(field "$line1" pages)
echo "emulated ticks per lazily filled page: $(field "$line1" lazy_page_ticks)"
echo "emulated ticks per MMIO read (test device): $(field "$line1" mmio_read_ticks)"
echo "emulated ticks per resident page touch: $(field "$line2" resident_page_ticks)"
echo "emulated ticks per RAM read: $(field "$line2" ram_read_ticks)"
echo "host frames per touched guest page: $frames / $pages = $(awk -v f="$frames" -v p="$pages" 'BEGIN { printf "%.3f", f / p }')"
