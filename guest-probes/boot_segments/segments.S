/* boot_segment_check: called by the runtime's entry (record_boot_state.inc)
 * before it loads its own GDT, while CS, DS, ES, FS, GS and SS still hold
 * what the hypervisor started the guest with (contract 2: flat 32-bit code
 * and data). Paging is off, so offsets are guest-physical addresses: each
 * segment reads the guest ROM's first dword at 0xcafe2000 (base 0, limit
 * above 3 GiB, readable, CS included), each data segment writes a dword of
 * the no-execute page at 0xcafe3000 and reads it back (writable), and a
 * push with ESP = 0x20000 shows whether SS is a 32-bit stack (B = 1: ESP
 * becomes 0x1fffc; a 16-bit stack would only wrap SP). Results go to
 * boot_segment_facts (main.c prints them). No IDT exists yet: a segment
 * that faults ends the VM with a triple fault. */
#define GUEST_ROM_GPA 0xcafe2000      /* contract 9 */
#define NOEXEC_PAGE_GPA 0xcafe3000    /* contract 9: read/write data page */
#define WRITE_PATTERN 0x5e600000
#define STACK_PROBE_ESP 0x20000       /* low 16 bits zero */

/* Offsets into boot_segment_facts (main.c's struct boot_segment_facts). */
#define ROM(i) (4 * (i))
#define RW(i) (24 + 4 * (i))
#define PUSH_ESP 48

	.section .text, "ax"
	.code32
	.globl boot_segment_check
boot_segment_check:
	movl %cs:GUEST_ROM_GPA, %eax
	movl %eax, boot_segment_facts + ROM(0)

.macro DATA_SEGMENT seg, i
	movl %\seg:GUEST_ROM_GPA, %eax
	movl %eax, boot_segment_facts + ROM(\i)
	movl $(WRITE_PATTERN + \i), %\seg:(NOEXEC_PAGE_GPA + 4 * \i)
	movl %\seg:(NOEXEC_PAGE_GPA + 4 * \i), %eax
	movl %eax, boot_segment_facts + RW(\i)
.endm
	DATA_SEGMENT ds, 1
	DATA_SEGMENT es, 2
	DATA_SEGMENT fs, 3
	DATA_SEGMENT gs, 4
	DATA_SEGMENT ss, 5

	movl %esp, %edx
	movl $STACK_PROBE_ESP, %esp
	pushl $0
	movl %esp, boot_segment_facts + PUSH_ESP
	movl %edx, %esp
	ret
