/* The tail segment's contents (boot_tail.h); assembled once per image,
 * with -DTAIL_BSS for boot_tail_bss. */
#include "boot_tail.h"

	.section .tail_data, "aw", @progbits
	.fill TAIL_FILL_BYTES, 1, TAIL_FILL
#ifdef TAIL_BSS
	.section .tail_bss, "aw", @nobits
	.skip TAIL_BSS_BYTES
#else
	.byte TAIL_LAST_BYTE
#endif
	.section .note.GNU-stack, "", @progbits
