#!/bin/bash
# check_layout.sh ELF END KIND: the boot_tail image's highest PT_LOAD
# segment must end at END (p_paddr + p_memsz), one byte past a 4-KiB
# boundary, with bss (p_memsz > p_filesz) when KIND is bss and none when it
# is file; the build stops otherwise, so a toolchain that lays the image out
# differently cannot silently move the end the boot cases expect.
set -euo pipefail
if [ $# -ne 3 ] || [ "$3" != file ] && [ "$3" != bss ]; then
	echo "usage: check_layout.sh ELF END file|bss" >&2
	exit 2
fi
elf=$1 want_end=$(($2)) kind=$3
# readelf -lW: "LOAD offset vaddr paddr filesz memsz flags align"
read -r paddr filesz memsz < <(readelf -lW "$elf" | awk '$1 == "LOAD" { print $4, $5, $6 }' |
	while read -r p f m; do printf '%d %d %d\n' $((p + m)) "$((f))" "$((m))"; done |
	sort -n | tail -1)
end=$paddr
problem=
if [ "$end" -ne "$want_end" ]; then
	problem=$(printf 'its highest PT_LOAD segment ends at 0x%x, not 0x%x' "$end" "$want_end")
elif [ $((end % 4096)) -ne 1 ]; then
	problem=$(printf 'its highest PT_LOAD segment ends at 0x%x, not one byte past a page boundary' "$end")
elif [ "$kind" = bss ] && [ "$memsz" -le "$filesz" ]; then
	problem="its highest PT_LOAD segment has no bss (p_memsz $memsz <= p_filesz $filesz)"
elif [ "$kind" = file ] && [ "$memsz" -ne "$filesz" ]; then
	problem="its highest PT_LOAD segment has bss (p_memsz $memsz != p_filesz $filesz)"
fi
if [ -n "$problem" ]; then
	echo "check_layout.sh: $elf: $problem (guest-probes/boot_tail/link.ld, boot_tail.h)" >&2
	exit 1
fi
