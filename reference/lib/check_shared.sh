#!/bin/bash
# The build's check of the shared-code rule (README, "Code shared between
# components"): the facts and helpers of reference/lib/ are defined there
# once, never again in reference/, guest-probes/, romboot/ or harness/.
# Usage: check_shared.sh ROOT. Prints file:line and the fix for each copy;
# exit status 1 if there is any.
set -euo pipefail
root=${1:?usage: check_shared.sh ROOT}
cd "$root"

found=0
report() { # $1 = grep -n output lines, $2 = what it is, $3 = where it lives
	local line
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		echo "$line: $2 defined again; include $3 instead (README: code shared between components)" >&2
		found=1
	done <<<"$1"
}

sources() {
	find reference guest-probes romboot harness -path reference/lib -prune -o \
		-type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) -print
}
mapfile -t files < <(sources | sort)

scan() { grep -nE "$1" "${files[@]}" /dev/null || true; }

# Ports and magic numbers: reference/lib/abi/ports.h, mb2.h, abi/gcov_stream.h.
report "$(scan '^[[:space:]]*#[[:space:]]*define[[:space:]]+[A-Za-z_0-9]+[[:space:]]+\(?0x0*(3[fF][89a-fA-F]|8900|[eE]9|[fF]4|[bB][bB])[uU]?\b')" \
	"a port number" "reference/lib/abi/ports.h"
report "$(scan '0x(0*[eE]85250[dD]6|0*36[dD]76289)')" "a Multiboot2 magic number" "reference/lib/mb2.h"
report "$(scan '^[[:space:]]*#[[:space:]]*define[[:space:]]+[A-Za-z_0-9]+[[:space:]]+\(?0x(811[cC]9[dD][cC]5|0*1000193)')" \
	"an FNV-1a constant" "reference/lib/abi/gcov_stream.h"
# Hypercall numbers, selectors, results: reference/lib/abi/hypercall.h.
report "$(scan '^[[:space:]]*#[[:space:]]*define[[:space:]]+HC_')" "a hypercall fact" "reference/lib/abi/hypercall.h"
# String functions and port I/O: hv_string.c, port_io.h.
report "$(scan '^[a-z_ ]*[ *](memcpy|memmove|memset|memcmp|strlen)\([^;]*$')" "a string function" "reference/lib/hv_string.h"
report "$(scan 'static inline [a-z0-9_]+ (in|out)[bwl]\(')" "a port I/O wrapper" "reference/lib/port_io.h"
report "$(scan 'static inline [a-z0-9_ ]+[ *](cpuid|rdmsr|wrmsr)\(')" "an instruction wrapper" "reference/lib/x86_insn.h"

exit "$found"
