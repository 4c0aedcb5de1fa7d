/* The VMX layer as core sees it (core/arch.h). */
#include "exit_table.h"
#include "vmx.h"

const struct arch_ops vmx_arch = {
	.name = "vmx",
	.enable = vmx_enable,
	.guest_init = vmx_guest_init,
	.run = vmx_run_loop,
	.rip = vmx_rip,
	.set_rip = vmx_set_rip,
	.skip_instruction = vmx_skip_instruction,
	.rflags = vmx_rflags,
	.cpu_state = vmx_cpu_state,
	.segment_base = vmx_segment_base,
	.code_bits = vmx_code_bits,
	.read_field = vmx_read_field,
	.write_field = vmx_write_field,
	.set_cr = vmx_set_cr,
	.cr_limits = vmx_cr_limits,
	.inject_exception = vmx_inject_exception,
	.intercept_exception = vmx_intercept_exception,
	.set_cr2 = vmx_set_cr2,
	.interruptible = vmx_interruptible,
	.inject_interrupt = vmx_inject_interrupt,
	.interrupt_window = vmx_interrupt_window,
	.timer_deadline = vmx_timer_deadline,
	.guest_tsc = vmx_guest_tsc,
	.advance_tsc = vmx_advance_tsc,
	.stage2_flush = vmx_stage2_flush,
	.exit_name = exit_reason_name,
};
