/* bzboot's initrd: BZBOOT_INITRD_BYTES bytes, byte k = (k * MUL + ADD) mod
 * 256 (bzboot.h). spec/linux.lua computes its checksum from the same rule. */
#include "bzboot.h"

	.section .initrd, "a"
	.set k, 0
	.rept BZBOOT_INITRD_BYTES
	.byte (k * BZBOOT_INITRD_MUL + BZBOOT_INITRD_ADD) & 0xff
	.set k, k + 1
	.endr
