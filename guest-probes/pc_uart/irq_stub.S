/* pc_uart mode=irq: the interrupt handlers. com1_irq_entry (vector 0x24,
 * IRQ 4) counts, reads IIR (which acknowledges THRE) into com1_irq_iir and
 * sends the master 8259A a non-specific EOI; other_irq_entry counts any
 * other vector of the two 8259As. */
	.text
	.code64
	.globl com1_irq_entry, other_irq_entry
com1_irq_entry:
	push %rax
	push %rdx
	incl com1_irq_count(%rip)
	mov $0x3fa, %dx           /* COM1 IIR */
	in %dx, %al
	mov %al, com1_irq_iir(%rip)
	mov $0x20, %al            /* OCW2: non-specific EOI */
	out %al, $0x20
	pop %rdx
	pop %rax
	iretq

other_irq_entry:
	push %rax
	incl other_irq_count(%rip)
	mov $0x20, %al
	out %al, $0xa0
	out %al, $0x20
	pop %rax
	iretq

	.section .note.GNU-stack,"",@progbits
