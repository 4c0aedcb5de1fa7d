/* The SVM run loop: VMRUN, count the exit, then one handler per intercept,
 * each calling the vendor-neutral core (core/vm.h). An exit without a
 * handler goes to core's one FATAL path (arch_exit_unhandled). */
#include "svm.h"
#include "vmcb.h"
#include "io_exit.h"
#include "vm_end.h"
#include "x86.h"

/* Accounting only: RDMSR and WRMSR share exit code 7Ch; WRMSR is counted
 * under 17Ch, a code Appendix C leaves unused, so the line names rdmsr and
 * wrmsr as under VMX. */
#define SVM_ACCOUNT_WRMSR (0x100u + SVM_EXIT_MSR)

/* The code an exit counts under: WRMSR apart from RDMSR, every CR write as
 * one kind ("cr-access", as VMX's one exit reason 28). */
static unsigned account_code(uint32_t code, uint64_t info1)
{
	if (code == SVM_EXIT_MSR && info1 == MSR_EXIT_WRITE)
		return SVM_ACCOUNT_WRMSR;
	if (code == SVM_EXIT_CR3_WRITE || code == SVM_EXIT_CR4_WRITE ||
	    code == SVM_EXIT_CR8_READ || code == SVM_EXIT_CR8_WRITE)
		return SVM_EXIT_CR0_WRITE;
	return code;
}

/* Accounting names: the VMX layer's where the event is the same. A
 * VMCALL (#UD) counts as VMMCALL, the hypercall. */
/* One name per exception intercept (exit codes 40h + vector, APM vol. 2
 * appendix C), so that the exits line never repeats a name: the vector's
 * mnemonic (SDM vol. 3A 6.3.1 Table 6-1), its number where it has none. */
static const char *const exception_exit_names[SVM_EXIT_EXCP_LAST - SVM_EXIT_EXCP_BASE + 1] = {
	"exception-de", "exception-db", "exception-nmi", "exception-bp",
	"exception-of", "exception-br", "exception-ud", "exception-nm",
	"exception-df", "exception-9", "exception-ts", "exception-np",
	"exception-ss", "exception-gp", "exception-pf", "exception-15",
	"exception-mf", "exception-ac", "exception-mc", "exception-xm",
	"exception-ve", "exception-cp", "exception-22", "exception-23",
	"exception-24", "exception-25", "exception-26", "exception-27",
	"exception-hv", "exception-vc", "exception-sx", "exception-31",
};

const char *svm_exit_name(unsigned code)
{
	if (code >= SVM_EXIT_EXCP_BASE && code <= SVM_EXIT_EXCP_LAST)
		return exception_exit_names[code - SVM_EXIT_EXCP_BASE];
	switch (code) {
	case SVM_EXIT_CPUID: return "cpuid";
	case SVM_EXIT_INVD: return "invd";
	case SVM_EXIT_HLT: return "hlt";
	case SVM_EXIT_VINTR: return "interrupt-window";
	case SVM_EXIT_INTR: return "external-interrupt";
	case SVM_EXIT_INVLPGA: return "invlpga";
	case SVM_EXIT_IOIO: return "io";
	case SVM_EXIT_MSR: return "rdmsr";
	case SVM_ACCOUNT_WRMSR: return "wrmsr";
	case SVM_EXIT_SHUTDOWN: return "triple-fault";
	case SVM_EXIT_VMRUN: return "vmrun";
	case SVM_EXIT_VMMCALL: return "vmcall";
	case SVM_EXIT_VMLOAD: return "vmload";
	case SVM_EXIT_VMSAVE: return "vmsave";
	case SVM_EXIT_STGI: return "stgi";
	case SVM_EXIT_CLGI: return "clgi";
	case SVM_EXIT_SKINIT: return "skinit";
	case SVM_EXIT_XSETBV: return "xsetbv";
	case SVM_EXIT_NPF: return "ept-violation";
	case SVM_EXIT_CR0_WRITE: return "cr-access";
	}
	return 0;
}

/* The instruction bytes of the intercepts whose length RIP must skip
 * (APM vol. 3 CPUID, RDMSR, WRMSR, VMMCALL; Intel SDM vol. 2B VMCALL). */
static const uint8_t OPC_CPUID[] = { 0x0F, 0xA2 };
static const uint8_t OPC_RDMSR[] = { 0x0F, 0x32 };
static const uint8_t OPC_WRMSR[] = { 0x0F, 0x30 };
static const uint8_t OPC_VMMCALL[] = { 0x0F, 0x01, 0xD9 };
static const uint8_t OPC_VMCALL[] = { 0x0F, 0x01, 0xC1 };
static const uint8_t OPC_HLT[] = { 0xF4 };

/* What svm_skip_instruction() knows of the current exit's instruction:
 * nothing (an exit without one: skipping is a bug), its next RIP
 * (IOIO's EXITINFO2), or its opcode (NRIPS's next_rip, else decoded). */
static struct {
	enum { NEXT_RIP_NONE, NEXT_RIP_KNOWN, NEXT_RIP_OF_OPCODE } how;
	uint64_t next_rip;
	const uint8_t *opcode;
	unsigned opcode_len;
} current;

static void expect_opcode(const uint8_t *opcode, unsigned len)
{
	current.how = NEXT_RIP_OF_OPCODE;
	current.opcode = opcode;
	current.opcode_len = len;
}

static void advance_rip(struct vcpu *v)
{
	int len = 0;
	switch (current.how) {
	case NEXT_RIP_KNOWN:
		return svm_set_rip(v, current.next_rip);
	case NEXT_RIP_OF_OPCODE:
		if (svm_nrips)
			return svm_set_rip(v, VMCB_FIELD(svm_vmcb, uint64_t, VMCB_NEXT_RIP));
		len = svm_insn_length(v, current.opcode, current.opcode_len);
		if (len > 0)
			return svm_set_rip(v, svm_rip(v) + (unsigned)len);
		break;   /* the instruction that just exited cannot be read back */
	case NEXT_RIP_NONE:
		break;
	}
	arch_exit_unhandled(v, VMCB_FIELD(svm_vmcb, uint32_t, VMCB_EXITCODE),
			    VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EXITINFO1));
}

void svm_skip_instruction(struct vcpu *v)
{
	advance_rip(v);
	/* The shadow of an STI or MOV SS covers one instruction: this one (15.21.5). */
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_INTERRUPT_SHADOW) &= ~INTERRUPT_SHADOW_ACTIVE;
}

/* IOIO EXITINFO1 (15.10.2) as core's io_exit; EXITINFO2 is the next RIP.
 * The segment of OUTS, and the address size when no size bit is set
 * (QEMU TCG sets none), come from the instruction's prefixes (the SEG
 * field needs decode assists). */
static void exit_io(struct vcpu *v, uint64_t info1)
{
	struct io_exit io = {
		.port = (uint16_t)(info1 >> IOIO_PORT_SHIFT),
		.width = info1 & IOIO_SZ32 ? 4 : info1 & IOIO_SZ16 ? 2 : 1,
		.in = info1 & IOIO_TYPE_IN,
		.string = info1 & IOIO_STRING,
		.rep = info1 & IOIO_REP,
		.imm_operand = false,   /* not reported; no core handler reads it */
	};
	if (io.string) {
		unsigned segment, addr_bits;
		svm_insn_string_io(v, &segment, &addr_bits);
		io.addr_bits = info1 & IOIO_A64 ? 64 : info1 & IOIO_A32 ? 32
			     : info1 & IOIO_A16 ? 16 : (uint8_t)addr_bits;
		io.segment = io.in ? SEGMENT_ES : (uint8_t)segment;
	}
	current.how = NEXT_RIP_KNOWN;
	current.next_rip = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EXITINFO2);
	handle_io(v, &io);
}

/* Nested page fault (15.25.6): EXITINFO2 is the GPA. */
static void exit_npf(struct vcpu *v, uint64_t info1)
{
	enum stage2_access access = info1 & NPF_FETCH ? STAGE2_ACCESS_FETCH
				  : info1 & NPF_WRITE ? STAGE2_ACCESS_WRITE : STAGE2_ACCESS_READ;
	handle_stage2_fault(v, VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EXITINFO2), access);
}

/* The KeV hypercall is VMCALL, which raises #UD on AMD: a #UD at a VMCALL
 * is the hypercall and counts as the code VMMCALL would have. */
static uint32_t classify_ud(struct vcpu *v)
{
	return svm_insn_length(v, OPC_VMCALL, sizeof OPC_VMCALL) > 0 ? SVM_EXIT_VMMCALL : SVM_EXIT_EXCP_UD;
}

/* IDT gate sizes (APM vol. 2 8.2: 4-byte real-mode vectors, 8-byte
 * protected-mode gates, 16-byte long-mode gates). */
#define IVT_ENTRY_BYTES    4u
#define GATE32_BYTES       8u
#define GATE64_BYTES       16u

/* A #DF whose gate lies beyond the IDT limit cannot be delivered: that is
 * a triple fault (APM vol. 2 8.2.9). Bochs 2.7 never takes the SHUTDOWN
 * intercept, so the #DF intercept catches the case its probe makes; any
 * other #DF goes on to the guest, and a failing delivery then ends in
 * SHUTDOWN on the processors that have it. */
static void exit_double_fault(struct vcpu *v)
{
	uint64_t efer = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EFER);
	unsigned gate = efer & EFER_LMA ? GATE64_BYTES
		      : VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR0) & CR0_PE ? GATE32_BYTES : IVT_ENTRY_BYTES;
	uint32_t limit = VMCB_FIELD(svm_vmcb, uint32_t, VMCB_IDTR + VMCB_SEG_LIMIT);
	if (limit < (X86_EXC_DF + 1) * gate - 1)
		vm_end("triple fault rip=0x%lx", svm_rip(v));
	/* A #PF while delivering this #DF is a triple fault too, which Bochs
	 * 2.7 turns into a panic: from now on #PF exits, so core's double-
	 * fault rules see it (core/exit_exception.c; spec/events-design.md). */
	svm_intercept_exception(v, X86_EXC_PF);
	svm_inject_exception(v, X86_EXC_DF, true, 0);
}

/* Runs the handler of one exit; EXIT_UNHANDLED when there is none. */
static enum exit_status dispatch(struct vcpu *v, uint32_t code, uint64_t info1)
{
	current.how = NEXT_RIP_NONE;
	switch (code) {
	case SVM_EXIT_CPUID:
		expect_opcode(OPC_CPUID, sizeof OPC_CPUID);
		handle_cpuid(v);
		return EXIT_RESUME;
	case SVM_EXIT_HLT:
		expect_opcode(OPC_HLT, sizeof OPC_HLT);
		handle_hlt(v);
		return EXIT_RESUME;
	case SVM_EXIT_VINTR:   /* the interrupt window: irq_before_entry delivers */
		return EXIT_RESUME;
	case SVM_EXIT_EXCP_DB:   /* the end of a single step out of an interrupt shadow */
		return svm_step_done() ? EXIT_RESUME : EXIT_UNHANDLED;
	case SVM_EXIT_INTR:   /* the host's timer: the deadline irq_before_entry set */
		svm_host_interrupt();
		return EXIT_RESUME;
	case SVM_EXIT_IOIO:
		exit_io(v, info1);
		return EXIT_RESUME;
	case SVM_EXIT_MSR:
		if (info1 == MSR_EXIT_WRITE) {
			expect_opcode(OPC_WRMSR, sizeof OPC_WRMSR);
			handle_wrmsr(v);
		} else {
			expect_opcode(OPC_RDMSR, sizeof OPC_RDMSR);
			handle_rdmsr(v);
		}
		return EXIT_RESUME;
	case SVM_EXIT_SHUTDOWN:   /* what a triple fault becomes (15.13.3) */
		vm_end("triple fault rip=0x%lx", svm_rip(v));
	case SVM_EXIT_VMMCALL:   /* or the #UD of a VMCALL */
		if (VMCB_FIELD(svm_vmcb, uint32_t, VMCB_EXITCODE) == SVM_EXIT_EXCP_UD)
			expect_opcode(OPC_VMCALL, sizeof OPC_VMCALL);
		else
			expect_opcode(OPC_VMMCALL, sizeof OPC_VMMCALL);
		handle_hypercall(v);
		return EXIT_RESUME;
	case SVM_EXIT_EXCP_UD:   /* any #UD but a VMCALL's goes back to the guest */
		if (svm_insn_length(v, OPC_VMCALL, sizeof OPC_VMCALL) == SVM_INSN_UNREADABLE)
			return EXIT_UNHANDLED;   /* not guessed at: it may be a VMCALL */
		/* fall through */
	case SVM_EXIT_VMRUN: case SVM_EXIT_VMLOAD: case SVM_EXIT_VMSAVE: case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI: case SVM_EXIT_SKINIT: case SVM_EXIT_INVLPGA:
		/* #UD, as the processor does while EFER.SVME reads 0 (15.4) */
		svm_inject_exception(v, X86_EXC_UD, false, 0);
		return EXIT_RESUME;
	case SVM_EXIT_EXCP_DF:
		exit_double_fault(v);
		return EXIT_RESUME;
	case SVM_EXIT_NPF:
		exit_npf(v, info1);
		return EXIT_RESUME;
	case SVM_EXIT_EXCP_PF:   /* intercept=pf (svm_exceptions.c) */
		svm_exit_page_fault(v, info1);
		return EXIT_RESUME;
	case SVM_EXIT_CR0_WRITE: case SVM_EXIT_CR3_WRITE: case SVM_EXIT_CR4_WRITE:
	case SVM_EXIT_CR8_READ: case SVM_EXIT_CR8_WRITE:
		/* MOV to CR0/CR3/CR4, CLTS, LMSW, MOV to/from CR8 (svm_cr.c) */
		current.how = NEXT_RIP_KNOWN;
		return svm_cr_write(v, &current.next_rip) ? EXIT_RESUME : EXIT_UNHANDLED;
	}
	return EXIT_UNHANDLED;
}

/* The event an exit interrupted (EXITINTINFO, 15.7.2), for EVENTINJ at
 * the next entry. The software interrupt of INTn (type 4) and the #BP and
 * #OF of INT3 and INTO are not injected: EVENTINJ would push the VMCB's
 * RIP, which still points at the instruction, where the processor pushes
 * the address after it (15.20; without NRIPS the layer has no length).
 * RIP left there, the instruction runs again and delivers its event with
 * the right frame. */
static uint64_t requeued_event(uint64_t pending)
{
	if (!(pending & EVENT_VALID))
		return 0;
	uint64_t type = pending & EVENT_TYPE_MASK, vector = pending & EVENT_VECTOR_MASK;
	if (type == EVENT_TYPE_SOFT_INT ||
	    (type == EVENT_TYPE_EXCEPTION && (vector == X86_EXC_BP || vector == X86_EXC_OF)))
		return 0;
	return pending;
}

void svm_run_loop(struct vcpu *v)
{
	for (;;) {
		irq_before_entry(v);
		/* The instruction of an STI or MOV SS shadow has not completed
		 * while RIP is where the entry left it and no injected event ran
		 * first, so its shadow still holds (15.21.5). QEMU 7.2 reports it
		 * gone when a host interrupt (INTR intercept) exits at VMRUN,
		 * before that instruction (irq_timer's MOV SS block,
		 * spec/events-design.md): the layer puts it back. */
		uint64_t entry_rip = svm_rip(v);
		bool entry_shadow = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_INTERRUPT_SHADOW) & INTERRUPT_SHADOW_ACTIVE &&
				    !(VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EVENTINJ) & EVENT_VALID);
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RAX) = v->regs.gpr[GPR_RAX];
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RSP) = v->regs.gpr[GPR_RSP];
		svm_run(&v->regs, (uint64_t)svm_vmcb, svm_host_save_pa);
		v->regs.gpr[GPR_RAX] = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RAX);
		v->regs.gpr[GPR_RSP] = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RSP);
		VMCB_FIELD(svm_vmcb, uint8_t, VMCB_TLB_CONTROL) = TLB_CONTROL_DO_NOTHING;
		uint32_t code = VMCB_FIELD(svm_vmcb, uint32_t, VMCB_EXITCODE);
		uint64_t info1 = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EXITINFO1);
		if (code == SVM_EXIT_INVALID)
			vm_end("vm entry failed: invalid vmcb");
		if (entry_shadow && svm_rip(v) == entry_rip)
			VMCB_FIELD(svm_vmcb, uint64_t, VMCB_INTERRUPT_SHADOW) |= INTERRUPT_SHADOW_ACTIVE;
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EVENTINJ) = requeued_event(VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EXITINTINFO));
		if (code == SVM_EXIT_EXCP_UD)
			code = classify_ud(v);
		arch_count_exit(account_code(code, info1));
		if (dispatch(v, code, info1) == EXIT_UNHANDLED)
			arch_exit_unhandled(v, code, info1);
	}
}
