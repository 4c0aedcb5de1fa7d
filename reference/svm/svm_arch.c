/* The SVM layer as core sees it (core/arch.h). */
#include "svm.h"

const struct arch_ops svm_arch = {
	.name = "svm",
	.enable = svm_enable,
	.guest_init = svm_guest_init,
	.run = svm_run_loop,
	.rip = svm_rip,
	.set_rip = svm_set_rip,
	.skip_instruction = svm_skip_instruction,
	.rflags = svm_rflags,
	.cpu_state = svm_cpu_state,
	.segment_base = svm_segment_base,
	.code_bits = svm_code_bits,
	.read_field = svm_read_field,
	.write_field = svm_write_field,
	.set_cr = svm_set_cr,
	.cr_limits = svm_cr_limits,
	.inject_exception = svm_inject_exception,
	.interruptible = svm_interruptible,
	.inject_interrupt = svm_inject_interrupt,
	.interrupt_window = svm_interrupt_window,
	.timer_deadline = svm_timer_deadline,
	.guest_tsc = svm_guest_tsc,
	.advance_tsc = svm_advance_tsc,
	.stage2_flush = svm_stage2_flush,
	.exit_name = svm_exit_name,
};
