/* The host's local APIC timer interrupt (svm_host_timer.c): EOI (SDM vol.
 * 3A 11.8.5, any value written to the EOI register) and return. */
	.text
	.globl svm_host_timer_isr
svm_host_timer_isr:
	pushq %rax
	movq svm_host_apic_eoi(%rip), %rax
	movl $0, (%rax)
	popq %rax
	iretq
