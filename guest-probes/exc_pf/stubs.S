/* exc_pf's exception entries and fault sites (64-bit, SDM vol. 3A 6.14).
 *
 * Each entry records the frame the processor (or the hypervisor's
 * injection) pushed, exactly as pushed, with CR2 read first, into
 * exc_seen (struct seen in main.c), then either repairs the fault (writes
 * seen.fix_value into the entry at seen.fix_pte and returns to the
 * faulting instruction, the way a demand-paging kernel does) or resumes
 * at seen.resume. The 64-bit frame: [error code,] RIP, CS, RFLAGS, RSP, SS.
 *
 * Each site function stores the RSP the faulting instruction runs with
 * (seen.site_rsp) and runs it with RFLAGS = SITE_FLAGS, so the frame can
 * be compared word by word with what the processor must push. */
	.set SEEN_VECTOR, 0
	.set SEEN_ERROR, 8
	.set SEEN_RIP, 16
	.set SEEN_CS, 24
	.set SEEN_RFLAGS, 32
	.set SEEN_RSP, 40
	.set SEEN_SS, 48
	.set SEEN_CR2, 56
	.set SEEN_COUNT, 64
	.set SEEN_RESUME, 72
	.set SEEN_FIX_PTE, 80
	.set SEEN_FIX_VALUE, 88
	.set SEEN_SITE_RSP, 96
	.set SEEN_FIRST_VECTOR, 104
	.set SEEN_FIRST_ERROR, 112
	.set SEEN_FIRST_RIP, 120
	.set SEEN_FIRST_CR2, 128
	.set SEEN_KERNEL_RSP, 136
	.set SEEN_TO_KERNEL, 144
	/* Selectors of main.c's GDT (user_mode_init): ring 0 code and data,
	 * ring 3 data and 64-bit code, RPL 3 (vol. 3A 3.4.2, 5.5). */
	.set KERNEL_CS, 0x08
	.set KERNEL_SS, 0x10
	.set USER_SS, 0x23
	.set USER_CS, 0x2b
	/* CF, bit 1, PF, ZF, SF, OF; IF clear (Figure 3-8 of vol. 1) */
	.set SITE_FLAGS, 0x8c7

	.text
	.code64

/* The entry of one vector: \err says whether the processor pushes an
 * error code (Table 6-1); without one a 0 takes its place. */
.macro ENTRY name, vector, err
	.globl \name
\name:
.if \err == 0
	pushq $0
.endif
	pushq %rax
	movq %cr2, %rax
	movq %rax, exc_seen+SEEN_CR2(%rip)
	movq $\vector, exc_seen+SEEN_VECTOR(%rip)
	movq 8(%rsp), %rax
	movq %rax, exc_seen+SEEN_ERROR(%rip)
	movq 16(%rsp), %rax
	movq %rax, exc_seen+SEEN_RIP(%rip)
	movq 24(%rsp), %rax
	movq %rax, exc_seen+SEEN_CS(%rip)
	movq 32(%rsp), %rax
	movq %rax, exc_seen+SEEN_RFLAGS(%rip)
	movq 40(%rsp), %rax
	movq %rax, exc_seen+SEEN_RSP(%rip)
	movq 48(%rsp), %rax
	movq %rax, exc_seen+SEEN_SS(%rip)
	jmp entry_count
.endm

	ENTRY exc_entry_pf, 14, 1
	ENTRY exc_entry_df, 8, 1
	ENTRY exc_entry_gp, 13, 1
	ENTRY exc_entry_ud, 6, 0

/* The first fault since the count was reset is kept apart too. */
entry_count:
	cmpq $0, exc_seen+SEEN_COUNT(%rip)
	jne entry_finish
	movq exc_seen+SEEN_VECTOR(%rip), %rax
	movq %rax, exc_seen+SEEN_FIRST_VECTOR(%rip)
	movq exc_seen+SEEN_ERROR(%rip), %rax
	movq %rax, exc_seen+SEEN_FIRST_ERROR(%rip)
	movq exc_seen+SEEN_RIP(%rip), %rax
	movq %rax, exc_seen+SEEN_FIRST_RIP(%rip)
	movq exc_seen+SEEN_CR2(%rip), %rax
	movq %rax, exc_seen+SEEN_FIRST_CR2(%rip)

/* Repair and retry, or resume; then drop the error code and return. */
entry_finish:
	incq exc_seen+SEEN_COUNT(%rip)
	pushq %rbx
	movq exc_seen+SEEN_FIX_PTE(%rip), %rax
	testq %rax, %rax
	jz 1f
	movq exc_seen+SEEN_FIX_VALUE(%rip), %rbx
	movq %rbx, (%rax)
	movq $0, exc_seen+SEEN_FIX_PTE(%rip)
	movq exc_seen+SEEN_CR2(%rip), %rax
	invlpg (%rax)
	jmp 2f
1:	movq exc_seen+SEEN_RESUME(%rip), %rax
	movq %rax, 24(%rsp)
	/* A fault in ring 3 resumes in ring 0 on the kernel stack it left. */
	cmpq $0, exc_seen+SEEN_TO_KERNEL(%rip)
	je 2f
	movq $KERNEL_CS, 32(%rsp)
	movq exc_seen+SEEN_KERNEL_RSP(%rip), %rax
	movq %rax, 48(%rsp)
	movq $KERNEL_SS, 56(%rsp)
2:	popq %rbx
	popq %rax
	addq $8, %rsp
	iretq

/* Site prologue: resume at local label 1, record the RSP, load SITE_FLAGS.
 * Leaves RAX free; the caller's flags are saved on the stack. */
.macro SITE_BEGIN
	pushfq
	leaq 1f(%rip), %rax
	movq %rax, exc_seen+SEEN_RESUME(%rip)
	movq %rsp, exc_seen+SEEN_SITE_RSP(%rip)
	pushq $SITE_FLAGS
	popfq
.endm

/* uint64_t exc_site_read(uint64_t va): reads the qword at va. */
	.globl exc_site_read, exc_site_read_insn
exc_site_read:
	xorl %eax, %eax
	SITE_BEGIN
exc_site_read_insn:
	movq (%rdi), %rax
1:	popfq
	ret

/* void exc_site_write(uint64_t va, uint64_t value) */
	.globl exc_site_write, exc_site_write_insn
exc_site_write:
	SITE_BEGIN
exc_site_write_insn:
	movq %rsi, (%rdi)
1:	popfq
	ret

/* uint64_t exc_site_call(uint64_t va): calls code at va (RAX back); on a
 * fault the resume point drops the return address CALL pushed. */
	.globl exc_site_call, exc_site_call_insn
exc_site_call:
	xorl %eax, %eax
	SITE_BEGIN
exc_site_call_insn:
	call *%rdi
	jmp 2f
1:	addq $8, %rsp
2:	popfq
	ret

/* uint64_t exc_site_rdmsr(uint32_t msr) */
	.globl exc_site_rdmsr, exc_site_rdmsr_insn
exc_site_rdmsr:
	movl %edi, %ecx
	SITE_BEGIN
exc_site_rdmsr_insn:
	rdmsr
1:	popfq
	ret

/* void exc_site_wrmsr(uint32_t msr, uint64_t value) */
	.globl exc_site_wrmsr, exc_site_wrmsr_insn
exc_site_wrmsr:
	movl %edi, %ecx
	movq %rsi, %rdx
	shrq $32, %rdx
	movl %esi, %eax
	SITE_BEGIN
exc_site_wrmsr_insn:
	wrmsr
1:	popfq
	ret

/* void exc_site_ud2(void) */
	.globl exc_site_ud2, exc_site_ud2_insn
exc_site_ud2:
	SITE_BEGIN
exc_site_ud2_insn:
	ud2
1:	popfq
	ret

/* uint64_t exc_site_ud_vmcall_tail(uint64_t rax): PUSH ES (06h, #UD in
 * 64-bit mode: SDM vol. 2 PUSH) followed by 01 C1, the last two bytes of
 * VMCALL (0F 01 C1), with RAX = rax; returns RAX as the resume point finds
 * it. Not a hypercall: #UD reaches the guest (contract {#hc.abi.other-ud}). */
	.globl exc_site_ud_vmcall_tail, exc_site_ud_vmcall_tail_insn
exc_site_ud_vmcall_tail:
	SITE_BEGIN
	movq %rdi, %rax
exc_site_ud_vmcall_tail_insn:
	.byte 0x06, 0x01, 0xC1
1:	popfq
	ret

/* void exc_site_insb(uint64_t va, uint16_t port): one INSB to ES:RDI. */
	.globl exc_site_insb, exc_site_insb_insn
exc_site_insb:
	movl %esi, %edx
	SITE_BEGIN
exc_site_insb_insn:
	insb
1:	popfq
	ret

/* The timer's entry (mode=timer): records the interrupted RIP and RFLAGS
 * and how many exceptions came before it, then EOI (x2APIC MSR 0x80B). */
	.globl exc_entry_timer
exc_entry_timer:
	pushq %rax
	pushq %rcx
	pushq %rdx
	movq 24(%rsp), %rax
	movq %rax, exc_timer+8(%rip)
	movq 40(%rsp), %rax
	movq %rax, exc_timer+24(%rip)
	movq exc_seen+SEEN_COUNT(%rip), %rax
	movq %rax, exc_timer+16(%rip)
	incq exc_timer(%rip)
	movl $0x80b, %ecx
	xorl %eax, %eax
	xorl %edx, %edx
	wrmsr
	popq %rdx
	popq %rcx
	popq %rax
	iretq

/* uint64_t exc_site_sti_read(uint64_t va): STI, then the read in its shadow. */
	.globl exc_site_sti_read, exc_site_sti_read_insn
exc_site_sti_read:
	xorl %eax, %eax
	SITE_BEGIN
	sti
exc_site_sti_read_insn:
	movq (%rdi), %rax
1:	popfq
	ret

/* Ring-3 site prologue: a fault resumes in ring 0 at local label 1 on
 * this kernel stack (USER_SITE_END there); pushes the IRETQ frame but RIP
 * (USER_CS, SITE_FLAGS, the user stack in \stack). Leaves RAX free. */
.macro USER_SITE_BEGIN stack
	pushfq
	leaq 1f(%rip), %rax
	movq %rax, exc_seen+SEEN_RESUME(%rip)
	movq %rsp, exc_seen+SEEN_KERNEL_RSP(%rip)
	movq \stack, exc_seen+SEEN_SITE_RSP(%rip)
	movq $1, exc_seen+SEEN_TO_KERNEL(%rip)
	pushq $USER_SS
	pushq \stack
	pushq $SITE_FLAGS
	pushq $USER_CS
.endm

.macro USER_SITE_END
1:	movq $0, exc_seen+SEEN_TO_KERNEL(%rip)
	popfq
	ret
.endm

/* void exc_site_user(uint64_t va, uint64_t user_stack_top, int write):
 * IRETQ to ring 3 (USER_CS, SITE_FLAGS, the given stack), where one read
 * or write of va faults; the entry resumes in ring 0 at 1. */
	.globl exc_site_user, exc_site_user_read_insn, exc_site_user_write_insn
exc_site_user:
	USER_SITE_BEGIN %rsi
	leaq exc_site_user_read_insn(%rip), %rax
	testl %edx, %edx
	jz 2f
	leaq exc_site_user_write_insn(%rip), %rax
2:	pushq %rax
	iretq
exc_site_user_read_insn:
	movq (%rdi), %rax
	ud2
exc_site_user_write_insn:
	movq %rax, (%rdi)
	ud2
	USER_SITE_END

/* uint64_t exc_site_user_print(uint64_t gva, uint64_t size, uint64_t
 * user_stack_top) (mode=user-hypercall, contract {#hc.abi.any-cpl}): IRETQ
 * to ring 3, where VMCALL makes the Print hypercall (RAX = 1, RDI = gva,
 * RSI = size; contract 5, reference/lib/abi/hypercall.h HC_PRINT); the
 * UD2 after it enters the #UD entry, which resumes in ring 0 at 1 with
 * the hypercall's RAX restored. */
	.set HC_PRINT_NR, 1
	.globl exc_site_user_print, exc_site_user_print_insn
exc_site_user_print:
	USER_SITE_BEGIN %rdx
	leaq exc_site_user_print_insn(%rip), %rax
	pushq %rax
	movl $HC_PRINT_NR, %eax
	iretq
exc_site_user_print_insn:
	vmcall
	ud2
	USER_SITE_END

/* mode=softint: the entries of the software-interrupt forms (no error
 * code: Table 6-1 for #BP and #DB, none for INT n), through ENTRY. */
	.set SOFT_VECTOR, 0x30
	.set SOFT_IST_VECTOR, 0x31
	ENTRY exc_entry_soft, SOFT_VECTOR, 0
	ENTRY exc_entry_soft_ist, SOFT_IST_VECTOR, 0
	ENTRY exc_entry_bp, 3, 0
	ENTRY exc_entry_db, 1, 0

/* A site that runs one software-interrupt instruction with RSP = the top
 * of a page it never touched (first argument), so the frame's push is the
 * page's first access; the resume point (after the instruction) goes back
 * to the caller's stack. SITE_FLAGS are loaded before the switch: pushing
 * them there would touch the page first. RSI keeps the caller's RSP. */
.macro SOFT_SITE name
	.globl \name, \name\()_insn, \name\()_next
\name:
	pushfq
	leaq 1f(%rip), %rax
	movq %rax, exc_seen+SEEN_RESUME(%rip)
	movq %rdi, exc_seen+SEEN_SITE_RSP(%rip)
	movq %rsp, %rsi
	pushq $SITE_FLAGS
	popfq
	movq %rdi, %rsp
\name\()_insn:
.endm

.macro SOFT_SITE_END name
\name\()_next:
1:	movq %rsi, %rsp
	popfq
	ret
.endm

/* void exc_site_int_n(uint64_t stack_top): INT 0x30 (CD 30). */
	SOFT_SITE exc_site_int_n
	int $SOFT_VECTOR
	SOFT_SITE_END exc_site_int_n

/* void exc_site_int3(uint64_t stack_top): INT3 (CC). */
	SOFT_SITE exc_site_int3
	int3
	SOFT_SITE_END exc_site_int3

/* void exc_site_int1(uint64_t stack_top): INT1 / ICEBP (F1). */
	SOFT_SITE exc_site_int1
	.byte 0xf1
	SOFT_SITE_END exc_site_int1

/* void exc_site_int_ist(uint64_t stack_top): INT 0x31, whose gate names
 * IST1 (a fresh page): the stack argument is the caller's own here. */
	SOFT_SITE exc_site_int_ist
	int $SOFT_IST_VECTOR
	SOFT_SITE_END exc_site_int_ist
