/* VMCALL: the KeV hypercall ABI (contract section 5). */
#include "vm.h"
#include "console.h"
#include "frames.h"
#include "guest_mem.h"
#include "hc_disk.h"
#include "hypercall.h"
#include "vm_end.h"

static int64_t hc_print(struct vcpu *v, uint64_t gva, uint64_t size)
{
	/* hvspec-solution begin: hypercall_print */
	static char buf[HC_PRINT_MAX];
	struct guest_cpu_state s;
	vcpu_cpu_state(v, &s);
	int64_t err = hypercall_print_check(&s, gva, size);
	if (err)
		return err;
	struct guest_mem m = guest_mem_of(v->vm);
	int rc = guest_copy_from_virt(&m, &s, gva, buf, size);
	if (rc == GUEST_XLATE_BAD_RANGE)
		return HC_EINVAL;
	if (rc != GUEST_XLATE_OK)
		return HC_EFAULT;
	console_guest_write(buf, size);
	return (int64_t)size;
	/* hvspec-solution stub: hypercall_print
	(void)v;
	(void)gva;
	(void)size;
	vm_end_not_implemented("hypercall_print");
	hvspec-solution end: hypercall_print */
}

static int64_t hc_mem_stats(struct vcpu *v, uint64_t which)
{
	/* hvspec-solution begin: mem_stats */
	const struct vm *vm = v->vm;
	switch (which) {
	case HC_STAT_PAGES_POPULATED: return (int64_t)vm->pager.pages_populated;
	case HC_STAT_FAULTS_SERVED: return (int64_t)vm->pager.faults_served;
	case HC_STAT_EPT_TABLE_FRAMES: return (int64_t)vm->stage2.table_frames;
	case HC_STAT_HOST_FRAMES: return (int64_t)(frames_in_use() - vm->frames_baseline);
	}
	return HC_EINVAL;
	/* hvspec-solution stub: mem_stats
	(void)v;
	(void)which;
	vm_end_not_implemented("mem_stats");
	hvspec-solution end: mem_stats */
}

void handle_hypercall(struct vcpu *v)
{
	struct hypercall hc;
	hypercall_decode(&v->regs, &hc);
	switch (hc.nr) {
	case HC_HALT_CPU:
		vm_end("halted code=0x%lx", hc.arg[0]);
	case HC_PRINT:
		v->regs.gpr[GPR_RAX] = (uint64_t)hc_print(v, hc.arg[0], hc.arg[1]);
		break;
	case HC_MEM_STATS:
		v->regs.gpr[GPR_RAX] = (uint64_t)hc_mem_stats(v, hc.arg[0]);
		break;
	case HC_DISK_INFO:
		v->regs.gpr[GPR_RAX] = (uint64_t)hc_disk_info(hc.arg[0]);
		break;
	case HC_DISK_READ:
		v->regs.gpr[GPR_RAX] = (uint64_t)hc_disk_read(v, hc.arg[0], hc.arg[1], hc.arg[2]);
		break;
	case HC_DISK_WRITE:
		v->regs.gpr[GPR_RAX] = (uint64_t)hc_disk_write(v, hc.arg[0], hc.arg[1], hc.arg[2]);
		break;
	default:
		v->regs.gpr[GPR_RAX] = (uint64_t)(int64_t)HC_ENOSYS;
	}
	vcpu_skip_instruction(v);
}
