/* I/O instructions (contract section 6): the port map and string I/O. */
#include "vm.h"
#include "console.h"
#include "guest_mem.h"
#include "io_exit.h"
#include "platform.h"
#include "vm_end.h"
#include "x86.h"
#include "abi/ports.h"

#define COM1_LSR_IDLE      0x60    /* THR empty | transmitter empty */
#define IO_STRING_MAX_COUNT 65536  /* elements per exit; a longer REP resumes */

static uint32_t width_mask(unsigned width)
{
	return width == 4 ? 0xFFFFFFFFu : (1u << (8 * width)) - 1;
}

static uint32_t port_in(struct vcpu *v, const struct io_exit *io)
{
	uint32_t value;
	if (platform_port_in(v, io->port, io->width, &value))
		return value;
	/* hvspec-solution begin: pio_ports */
	if (io->port == PORT_LOG)
		hv_log("port 3 direction %s", io_exit_kev_name(io));
	if (io->port == PORT_QUEUE)
		return io_queue_pop(&v->vm->queue, io->width);
	if (io->port == PORT_COM1_LSR)
		return COM1_LSR_IDLE;
	if (io->port > PORT_COM1_THR && io->port <= PORT_COM1_LAST)
		return 0;
	return width_mask(io->width);
	/* hvspec-solution stub: pio_ports
	(void)v;
	(void)io;
	vm_end_not_implemented("pio_ports");
	hvspec-solution end: pio_ports */
}

static void port_out(struct vcpu *v, const struct io_exit *io, uint32_t value)
{
	if (platform_port_out(v, io->port, io->width, value))
		return;
	/* hvspec-solution begin: pio_ports */
	if (io->port == PORT_LOG)
		hv_log("port 3 direction %s", io_exit_kev_name(io));
	else if (io->port == PORT_QUEUE)
		io_queue_push(&v->vm->queue, value, io->width);
	else if (io->port == PORT_COM1_THR) {
		char c = (char)value;
		console_guest_write(&c, 1);
	}
	/* hvspec-solution stub: pio_ports
	(void)v;
	(void)io;
	(void)value;
	vm_end_not_implemented("pio_ports");
	hvspec-solution end: pio_ports */
}

/* hvspec-solution begin: pio_string */
static uint64_t addr_mask(unsigned bits)
{
	return bits == 64 ? ~0ull : (1ull << bits) - 1;
}

/* RCX/RSI/RDI after an update in the address size: a 16-bit write keeps
 * bits 63:16, a 32-bit one clears bits 63:32 (SDM vol. 1 3.4.1.1). */
static uint64_t addr_write(uint64_t old, uint64_t value, unsigned bits)
{
	return bits == 16 ? (old & ~addr_mask(16)) | (value & addr_mask(16)) : value & addr_mask(bits);
}

/* INS/OUTS: one element per iteration, RCX/RSI/RDI updated as the
 * processor would. A buffer that does not translate ends the loop with
 * #GP(0) at the instruction (contract section 6); registers reflect the
 * elements already done. */
static void string_io(struct vcpu *v, const struct io_exit *io)
{
	struct guest_cpu_state s;
	vcpu_cpu_state(v, &s);
	struct guest_mem_rw m = { guest_mem_of(v->vm), guest_phys_write };
	uint64_t amask = addr_mask(io->addr_bits);
	uint64_t *count = &v->regs.gpr[GPR_RCX];
	uint64_t *index = &v->regs.gpr[io->in ? GPR_RDI : GPR_RSI];
	int64_t step = vcpu_rflags(v) & RFLAGS_DF ? -(int64_t)io->width : io->width;
	uint64_t base = vcpu_segment_base(v, io->in ? SEGMENT_ES : io->segment);
	/* Outside 64-bit mode (compatibility mode too) base + offset wraps at
	 * 4 GiB: segmentation works as in 32-bit protected mode (SDM vol. 3A 3.2.4). */
	uint64_t linear_mask = vcpu_code_bits(v) == 64 ? addr_mask(64) : addr_mask(32);
	unsigned done = 0;
	while (!io->rep || (*count & amask)) {
		if (done == IO_STRING_MAX_COUNT)
			return;   /* RIP stays: the guest re-executes the REP with the rest */
		uint64_t gva = (base + (*index & amask)) & linear_mask;
		uint32_t value = 0;
		int rc;
		if (io->in) {
			value = port_in(v, io);
			rc = guest_copy_to_virt(&m, &s, gva, &value, io->width);
		} else {
			rc = guest_copy_from_virt(&m.mem, &s, gva, &value, io->width);
			if (rc == GUEST_XLATE_OK)
				port_out(v, io, value & width_mask(io->width));
		}
		if (rc != GUEST_XLATE_OK) {
			vcpu_inject_exception(v, X86_EXC_GP, true, 0);
			return;
		}
		*index = addr_write(*index, *index + (uint64_t)step, io->addr_bits);
		done++;
		if (!io->rep)
			break;
		*count = addr_write(*count, *count - 1, io->addr_bits);
	}
	vcpu_skip_instruction(v);
}
/* hvspec-solution stub: pio_string
static void string_io(struct vcpu *v, const struct io_exit *io)
{
	(void)v;
	(void)io;
	vm_end_not_implemented("pio_string");
}
hvspec-solution end: pio_string */

void handle_io(struct vcpu *v, const struct io_exit *io)
{
	if (io->string)
		return string_io(v, io);
	uint64_t *rax = &v->regs.gpr[GPR_RAX];
	if (io->in) {
		uint32_t value = port_in(v, io);
		/* IN writes AL/AX/EAX: narrower writes keep the rest of RAX, a
		 * 32-bit write zero-extends (SDM vol. 1 3.4.1.1). */
		if (io->width == 4)
			*rax = value;
		else
			*rax = (*rax & ~(uint64_t)width_mask(io->width)) | value;
	} else {
		port_out(v, io, (uint32_t)*rax & width_mask(io->width));
	}
	vcpu_skip_instruction(v);
}
