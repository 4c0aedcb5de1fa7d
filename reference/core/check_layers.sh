#!/bin/bash
# The build's check of the layering of the reference (issue 12 section 1):
# core/ and lib/ know no virtualization vendor. They include no header of
# a vendor layer (reference/vmx/, reference/svm/, or any vmx*/svm*/vmcs*/
# vmcb* header) and execute no vendor instruction (VMX: SDM vol. 3 chapter
# 31; SVM: APM vol. 3 chapter 4). What core needs from a vendor goes
# through reference/core/arch.h.
# Usage: check_layers.sh ROOT. Prints file:line and the fix for each
# violation; exit status 1 if there is any.
set -euo pipefail
root=${1:?usage: check_layers.sh ROOT}
cd "$root"

vendor_dirs=(reference/vmx reference/svm)
neutral_dirs=(reference/core reference/lib)
# The instructions only a hypervisor of one vendor executes. VMCALL and
# VMMCALL are left out: they are the guest's hypercall (lib/abi/).
instructions='vmread|vmwrite|vmlaunch|vmresume|vmxon|vmxoff|vmclear|vmptrld|vmptrst|invept|invvpid|vmfunc|vmrun|vmload|vmsave|clgi|stgi|invlpga|skinit'

# Header names of the vendor layers, present or future.
declare -A vendor_header=()
for d in "${vendor_dirs[@]}"; do
	for h in "$d"/*.h; do
		[ -e "$h" ] && vendor_header[${h##*/}]=$d
	done
done

mapfile -t files < <(find "${neutral_dirs[@]}" -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | sort)
# One pass: blank out comments (/* */ across lines, and //) so prose may
# name an instruction, then look at the includes and the instructions.
violations=$(awk -v headers="${!vendor_header[*]}" -v dirs="${vendor_header[*]}" -v insns="$instructions" '
BEGIN {
	n = split(headers, h, " "); split(dirs, d, " ")
	for (i = 1; i <= n; i++) owner[h[i]] = d[i]
}
FNR == 1 { in_comment = 0 }
{
	line = $0; code = ""
	while (length(line) > 0) {
		if (in_comment) {
			end = index(line, "*/")
			if (!end) break
			line = substr(line, end + 2); in_comment = 0
		} else {
			start = index(line, "/*"); slash = index(line, "//")
			if (slash && (!start || slash < start)) { code = code substr(line, 1, slash - 1); break }
			if (!start) { code = code line; break }
			code = code substr(line, 1, start - 1); line = substr(line, start + 2); in_comment = 1
		}
	}
	if (match(code, /^[ \t]*#[ \t]*include[ \t]*["<][^">]+[">]/)) {
		inc = substr(code, RSTART, RLENGTH); sub(/^[^"<]*["<]/, "", inc); sub(/[">]$/, "", inc)
		name = inc; sub(/.*\//, "", name)
		if (name in owner)
			printf "%s:%d: includes %s, a header of %s/\n", FILENAME, FNR, inc, owner[name]
		else if (name ~ /^(vmx|svm|vmcs|vmcb)/)
			printf "%s:%d: includes %s, a vendor header by its name\n", FILENAME, FNR, inc
	}
	if (match(tolower(code), "(^|[^a-z0-9_])(" insns ")([^a-z0-9_]|$)")) {
		word = substr(tolower(code), RSTART, RLENGTH); gsub(/[^a-z]/, "", word)
		printf "%s:%d: uses the vendor instruction %s\n", FILENAME, FNR, toupper(word)
	}
}' "${files[@]}")
[ -z "$violations" ] && exit 0
while IFS= read -r v; do
	echo "$v; core/ and lib/ must not depend on a vendor layer: declare what is needed in reference/core/arch.h and implement it in reference/vmx/ or reference/svm/" >&2
done <<<"$violations"
exit 1
