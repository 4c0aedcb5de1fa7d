/* The exit table (ACRN style): basic exit reason -> handler and name.
 * Reasons without a handler end the VM with a FATAL register dump. */
#include "exit_table.h"

const struct exit_handler exit_table[EXIT_REASON_COUNT] = {
	[EXIT_EXCEPTION_NMI]  = { vmexit_exception, "exception" },
	[EXIT_EXTERNAL_INTERRUPT] = { 0, "external-interrupt" },
	[EXIT_TRIPLE_FAULT]   = { vmexit_triple_fault, "triple-fault" },
	[EXIT_CPUID]          = { vmexit_cpuid, "cpuid" },
	[EXIT_INTERRUPT_WINDOW] = { vmexit_interrupt_window, "interrupt-window" },
	[EXIT_PREEMPTION_TIMER] = { vmexit_preemption_timer, "preemption-timer" },
	[EXIT_HLT]            = { vmexit_hlt, "hlt" },
	[EXIT_VMCALL]         = { vmexit_vmcall, "vmcall" },
	[EXIT_CR_ACCESS]      = { vmexit_cr_access, "cr-access" },
	[EXIT_IO_INSTRUCTION] = { vmexit_io, "io" },
	[EXIT_RDMSR]          = { vmexit_rdmsr, "rdmsr" },
	[EXIT_WRMSR]          = { vmexit_wrmsr, "wrmsr" },
	[EXIT_EPT_VIOLATION]  = { vmexit_ept_violation, "ept-violation" },
	[EXIT_EPT_MISCONFIG]  = { vmexit_ept_misconfig, "ept-misconfig" },
};

const char *exit_reason_name(unsigned reason)
{
	return reason < EXIT_REASON_COUNT && exit_table[reason].name ? exit_table[reason].name : 0;
}

