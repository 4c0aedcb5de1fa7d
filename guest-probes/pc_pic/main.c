/* pc_pic: the legacy PC interrupt controllers and timer of contract
 * section 15, run with the hypervisor option platform=pc and a disk (for
 * the virtio block device's IRQ 5). The probe keeps its own IDT of 256
 * gates (the runtime's 32 exception gates, irq_timer's stubs for 32-255)
 * and its own 8259A / 8254 facts (their data sheets), never the
 * hypervisor's headers.
 * Exercised: the reset state before ICW1; the ICW1-ICW4 sequence and
 * OCW1; 8254 counter 0 in modes 2 and 3 waking HLT once per period and
 * in modes 0 and 4 once, all at 1676 guest TSC ticks per count give or
 * take 5%; a masked line waiting in IRR and delivered right after it is
 * unmasked; IRR and ISR through OCW3; fixed priority, nesting,
 * non-specific and specific EOI; AEOI; poll; the vector base of ICW2; the
 * ELCR; a virtio FLUSH completion raising IRQ 5 (edge, then level
 * triggered); port 0x61 (and the intervals between changes of its refresh bit) and
 * counter 2 (gate, OUT2, latch, square wave);
 * section 6's ports kept.
 * Lines: `pic: ...`, `pit: ...`, `pc: ...`. Guest command line
 * mode=hlt-masked / hlt-idle / hlt-if0: one HLT nothing can wake (the VM
 * must end `hlt`); mode=vector0: ICW2 = 0, IRQ 0 as vector 0 waking HLT,
 * then pending at `sti; nop`;
 * mode=none, for a hypervisor without platform=pc. */
#include "cmdline.h"
#include "runtime.h"
#include "abi/virtio.h"
#include "../shared/irq_gates.h"

/* 8259A (data sheet 231468, ICW/OCW formats) at the PC/AT ports. */
#define PIC_M_CMD        0x20u
#define PIC_M_DATA       0x21u
#define PIC_S_CMD        0xA0u
#define PIC_S_DATA       0xA1u
#define ELCR_M           0x4D0u     /* PIIX3 ELCR1 */
#define ELCR_S           0x4D1u     /* PIIX3 ELCR2 */
#define ICW1_INIT_IC4    0x11u      /* ICW1: edge, cascade, ICW4 follows */
#define ICW3_MASTER      0x04u      /* slave on IR2 */
#define ICW3_SLAVE       0x02u      /* slave ID 2 */
#define ICW4_8086        0x01u
#define ICW4_8086_AEOI   0x03u
#define OCW2_EOI         0x20u      /* non-specific EOI */
#define OCW2_SPECIFIC    0x60u      /* specific EOI, | the line */
#define OCW3_READ_IRR    0x0Au
#define OCW3_READ_ISR    0x0Bu
#define OCW3_POLL        0x0Cu
#define MASTER_BASE      0x20u
#define SLAVE_BASE       0x28u
#define IRQ_PIT          0u
#define IRQ_VIRTIO       5u
/* 8254 (data sheet 231164, control word format) at 0x40-0x43. */
#define PIT_CH0          0x40u
#define PIT_CH2          0x42u
#define PIT_CONTROL      0x43u
#define CW_CH0           0x00u
#define CW_CH2           0x80u
#define CW_LSB_MSB       0x30u
#define CW_LATCH         0x00u
#define CW_MODE(m)       ((m) << 1)
#define PORT61           0x61u
#define P61_GATE2        0x01u
#define P61_REFRESH      0x10u
#define P61_OUT2         0x20u
/* Contract 15: one count per 1676 guest TSC ticks; cases accept 5% off. */
#define TICKS_LOW        1600u
#define TICKS_NOMINAL    1676u
#define TICKS_HIGH       1760u

#define LOG_MAX 8
static volatile unsigned taken;
static volatile uint64_t log_vector[LOG_MAX], log_tsc[LOG_MAX], log_ip[LOG_MAX];
/* What the handler does besides logging (default: EOI to the master). */
static void (*volatile hook)(uint64_t vector);

static void eoi(uint64_t vector)
{
	(void)vector;
	outb(PIC_M_CMD, OCW2_EOI);
}

void interrupt_dispatch(struct exception_frame *f)
{
	unsigned n = taken;
	if (n < LOG_MAX) {
		log_vector[n] = f->vector;
		log_tsc[n] = read_tsc();
		log_ip[n] = f->ip;
	}
	taken = n + 1;
	hook(f->vector);
}

static void reset_log(void (*h)(uint64_t))
{
	taken = 0;
	hook = h;
}

static void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static void sti_hlt_cli(void) { __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory"); }
static void sti_nop_cli(void) { __asm__ volatile("sti\n\tnop\n\tnop\n\tcli" ::: "memory"); }

static void spin_ticks(uint64_t ticks)
{
	uint64_t t0 = read_tsc();
	while (read_tsc() - t0 < ticks)
		__asm__ volatile("pause");
}

static void spin_counts(uint64_t counts)
{
	spin_ticks(counts * TICKS_HIGH);
}

/* ticks for counts input pulses within the contract's band. */
static bool ticks_ok(uint64_t ticks, uint64_t counts)
{
	return ticks >= counts * TICKS_LOW && ticks <= counts * TICKS_HIGH;
}

static uint8_t read_irr(unsigned cmd)
{
	outb(cmd, OCW3_READ_IRR);
	return inb(cmd);
}

static uint8_t read_isr(unsigned cmd)
{
	outb(cmd, OCW3_READ_ISR);
	uint8_t v = inb(cmd);
	outb(cmd, OCW3_READ_IRR);
	return v;
}

static void init_pics(uint8_t master_base, uint8_t icw4)
{
	outb(PIC_M_CMD, ICW1_INIT_IC4);
	outb(PIC_M_DATA, master_base);
	outb(PIC_M_DATA, ICW3_MASTER);
	outb(PIC_M_DATA, icw4);
	outb(PIC_S_CMD, ICW1_INIT_IC4);
	outb(PIC_S_DATA, SLAVE_BASE);
	outb(PIC_S_DATA, ICW3_SLAVE);
	outb(PIC_S_DATA, icw4);
}

static void mask(uint8_t master)
{
	outb(PIC_M_DATA, master);
	outb(PIC_S_DATA, 0xFF);
}

static void pit_start(unsigned port, unsigned mode, unsigned count)
{
	unsigned channel = port - PIT_CH0;
	outb(PIT_CONTROL, (uint8_t)(channel << 6 | CW_LSB_MSB | CW_MODE(mode)));
	outb(port, (uint8_t)count);
	outb(port, (uint8_t)(count >> 8));
}

/* A control word without a count: the counter stops (data sheet). */
static void pit_stop(unsigned port)
{
	outb(PIT_CONTROL, (uint8_t)((port - PIT_CH0) << 6 | CW_LSB_MSB));
}

static uint16_t pit_latch_read(unsigned port)
{
	outb(PIT_CONTROL, (uint8_t)((port - PIT_CH0) << 6 | CW_LATCH));
	uint8_t lo = inb(port);
	return (uint16_t)(lo | inb(port) << 8);
}

/* ---- virtio block device: a FLUSH request whose completion raises IRQ 5 */
#define VQ_NUM 4u
struct vq_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vq_avail { uint16_t flags, idx, ring[VQ_NUM]; };
struct vq_used_elem { uint32_t id, len; };
struct vq_used { uint16_t flags, idx; struct vq_used_elem ring[VQ_NUM]; };
#define VIRTIO_BLK_T_FLUSH 4u
static struct vq_desc descs[VQ_NUM] __attribute__((aligned(16)));
static volatile struct vq_avail avail __attribute__((aligned(4)));
static volatile struct vq_used used __attribute__((aligned(4)));
static struct { uint32_t type, reserved; uint64_t sector; } flush_header = { VIRTIO_BLK_T_FLUSH, 0, 0 };
static volatile uint8_t status_byte;

static uint32_t vio_rd(unsigned off)
{
	return *(volatile uint32_t *)(VIRTIO_BLK_MMIO_BASE + off);
}

static void vio_wr(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(VIRTIO_BLK_MMIO_BASE + off) = v;
}

static void vio_addr(unsigned low, const volatile void *p)
{
	vio_wr(low, (uint32_t)(uint64_t)p);
	vio_wr(low + 4, (uint32_t)((uint64_t)p >> 32));
}

static void virtio_init(void)
{
	vio_wr(VIRTIO_MMIO_STATUS, 0);
	vio_wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vio_wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	vio_wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
	vio_wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vio_wr(VIRTIO_MMIO_DRIVER_FEATURES, 0);
	vio_wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	vio_wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	vio_wr(VIRTIO_MMIO_QUEUE_NUM, VQ_NUM);
	vio_addr(VIRTIO_MMIO_QUEUE_DESC_LOW, descs);
	vio_addr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, &avail);
	vio_addr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, &used);
	vio_wr(VIRTIO_MMIO_QUEUE_READY, 1);
	vio_wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				   VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	descs[0] = (struct vq_desc){ (uint64_t)&flush_header, sizeof flush_header, VIRTQ_DESC_F_NEXT, 1 };
	descs[1] = (struct vq_desc){ (uint64_t)&status_byte, 1, VIRTQ_DESC_F_WRITE, 0 };
}

/* Publishes one FLUSH request and notifies: the device completes it at once. */
static void virtio_flush(void)
{
	status_byte = 0xEE;
	avail.ring[avail.idx % VQ_NUM] = 0;
	__asm__ volatile("" ::: "memory");
	avail.idx = avail.idx + 1;
	vio_wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

static void virtio_ack(void)
{
	vio_wr(VIRTIO_MMIO_INTERRUPT_ACK, vio_rd(VIRTIO_MMIO_INTERRUPT_STATUS));
}

/* ---- the checks, in the order they run */

static void reset_state(void)
{
	uint8_t m = inb(PIC_M_DATA), s = inb(PIC_S_DATA);
	reset_log(eoi);
	pit_start(PIT_CH0, 2, 100);
	outb(PIC_M_DATA, 0);   /* IMR 0 before any ICW: still no interrupt */
	sti();
	spin_counts(300);
	cli();
	pit_stop(PIT_CH0);
	printf("pic: reset imr_master=0x%x imr_slave=0x%x taken_before_icw=%u\n", m, s, taken);
}

static void icw(void)
{
	outb(PIC_M_DATA, 0x5A);
	init_pics(MASTER_BASE, ICW4_8086);
	uint8_t m = inb(PIC_M_DATA), s = inb(PIC_S_DATA);
	uint8_t isr = read_isr(PIC_M_CMD);
	outb(PIC_M_DATA, 0xA5);
	outb(PIC_S_DATA, 0x5A);
	uint8_t m2 = inb(PIC_M_DATA), s2 = inb(PIC_S_DATA);
	mask(0xFF);
	printf("pic: icw imr_after_icw=0x%x,0x%x isr=0x%x ocw1 master=0x%x slave=0x%x\n", m, s, isr, m2, s2);
}

static void pit_periodic(unsigned mode)
{
	const unsigned n = 2000;
	mask((uint8_t)~(1u << IRQ_PIT));
	reset_log(eoi);
	pit_start(PIT_CH0, mode, n);
	for (int i = 0; i < 3; i++)
		sti_hlt_cli();
	pit_stop(PIT_CH0);
	mask(0xFF);
	bool ok = taken == 3;
	for (unsigned i = 1; i < 3 && ok; i++)
		ok = ticks_ok(log_tsc[i] - log_tsc[i - 1], n);
	printf("pit: mode%u taken=%u vectors=0x%lx,0x%lx,0x%lx period_ok=%u\n", mode, taken,
	       log_vector[0], log_vector[1], log_vector[2], ok);
}

/* Modes 0 and 4 (Linux's one-shot clock event): one interrupt each. */
static void pit_one_shot(unsigned mode)
{
	const unsigned n = 1000;
	mask((uint8_t)~(1u << IRQ_PIT));
	reset_log(eoi);
	pit_start(PIT_CH0, mode, n);
	uint64_t t0 = read_tsc();
	sti_hlt_cli();
	sti();
	spin_counts(3 * n);
	cli();
	mask(0xFF);
	bool on_time = taken >= 1 && log_tsc[0] - t0 <= (n + 1) * TICKS_HIGH &&
		       log_tsc[0] - t0 + 2 * TICKS_NOMINAL >= n * TICKS_LOW;
	printf("pit: mode%u taken=%u vector=0x%lx on_time=%u\n", mode, taken, log_vector[0], on_time);
}

static volatile uint8_t seen_isr, seen_irr, seen_isr2;

static void read_in_handler(uint64_t vector)
{
	(void)vector;
	seen_isr = read_isr(PIC_M_CMD);
	seen_irr = read_irr(PIC_M_CMD);
	outb(PIC_M_CMD, OCW2_EOI);
	seen_isr2 = read_isr(PIC_M_CMD);
}

static void masked_line(void)
{
	mask(0xFF);
	reset_log(read_in_handler);
	pit_start(PIT_CH0, 0, 200);
	sti();
	spin_counts(600);
	cli();
	uint8_t irr = read_irr(PIC_M_CMD);
	unsigned while_masked = taken;
	sti();
	outb(PIC_M_DATA, (uint8_t)~(1u << IRQ_PIT));
	__asm__ volatile("nop");
	cli();
	mask(0xFF);
	printf("pic: masked irr_while_masked=0x%x taken_while_masked=%u taken_after_unmask=%u vector=0x%lx "
	       "isr_in_handler=0x%x irr_in_handler=0x%x isr_after_eoi=0x%x\n",
	       irr & 1u, while_masked, taken, log_vector[0], seen_isr & 1u, seen_irr & 1u, seen_isr2 & 1u);
}

static volatile uint32_t seen_int_status;

static void virtio_handler(uint64_t vector)
{
	(void)vector;
	seen_int_status = vio_rd(VIRTIO_MMIO_INTERRUPT_STATUS);
	virtio_ack();
	outb(PIC_M_CMD, OCW2_EOI);
}

static void virtio_irq(void)
{
	virtio_init();
	mask((uint8_t)~(1u << IRQ_VIRTIO));
	reset_log(virtio_handler);
	sti();
	virtio_flush();
	__asm__ volatile("nop");
	cli();
	mask(0xFF);
	printf("pc: virtio_irq taken=%u vector=0x%lx interrupt_status=0x%x status_byte=0x%x used_idx=%u\n",
	       taken, log_vector[0], seen_int_status, status_byte, used.idx);
	/* Edge triggered (the default), masked: the request stays in IRR
	 * after the line falls; level triggered (ELCR), IRR follows the line. */
	virtio_flush();
	unsigned edge_high = read_irr(PIC_M_CMD) >> IRQ_VIRTIO & 1;
	virtio_ack();
	unsigned edge_after = read_irr(PIC_M_CMD) >> IRQ_VIRTIO & 1;
	outb(ELCR_M, 1u << IRQ_VIRTIO);
	virtio_flush();
	unsigned level_high = read_irr(PIC_M_CMD) >> IRQ_VIRTIO & 1;
	/* ICW1 clears only the requests latched from edges: the level line
	 * is still high, so IRR bit 5 still follows it (IF is 0 here). */
	init_pics(MASTER_BASE, ICW4_8086);
	unsigned level_after_icw1 = read_irr(PIC_M_CMD) >> IRQ_VIRTIO & 1;
	mask(0xFF);
	virtio_ack();
	unsigned level_after = read_irr(PIC_M_CMD) >> IRQ_VIRTIO & 1;
	outb(ELCR_M, 0);
	printf("pic: trigger edge_irr=%u edge_irr_after_ack=%u level_irr=%u level_irr_after_icw1=%u "
	       "level_irr_after_ack=%u\n",
	       edge_high, edge_after, level_high, level_after_icw1, level_after);
	outb(ELCR_M, 0xFF);
	outb(ELCR_S, 0xFF);
	uint8_t em = inb(ELCR_M), es = inb(ELCR_S);
	outb(ELCR_M, 0);
	outb(ELCR_S, 0);
	printf("pic: elcr master=0x%x slave=0x%x\n", em, es);
}

static void no_eoi(uint64_t vector)
{
	if (vector == MASTER_BASE + IRQ_VIRTIO)
		virtio_ack();
}

/* IRQ 0 and IRQ 5 pending together: IRQ 0 first; IRQ 5 waits for its EOI. */
static void priority(void)
{
	/* Clear IRQ 5's edge left in IRR by virtio_irq: a new ICW1 does. */
	init_pics(MASTER_BASE, ICW4_8086);
	mask((uint8_t)~(1u << IRQ_PIT | 1u << IRQ_VIRTIO));
	reset_log(no_eoi);
	pit_start(PIT_CH0, 0, 100);
	virtio_flush();
	spin_counts(300);
	sti_nop_cli();
	unsigned first_only = taken == 1;
	outb(PIC_M_CMD, OCW2_EOI);
	sti_nop_cli();
	printf("pic: priority first=0x%lx lower_waited_for_eoi=%u second=0x%lx taken=%u\n",
	       log_vector[0], first_only, log_vector[1], taken);
	outb(PIC_M_CMD, OCW2_EOI);

	/* IRQ 5 in service, IRQ 0 nests; a non-specific EOI ends the
	 * highest-priority one in service, a specific EOI names its line. */
	reset_log(no_eoi);
	virtio_flush();
	sti_nop_cli();
	uint8_t isr_one = read_isr(PIC_M_CMD);
	pit_start(PIT_CH0, 0, 100);
	sti();
	spin_counts(300);
	cli();
	uint8_t isr_both = read_isr(PIC_M_CMD);
	outb(PIC_M_CMD, OCW2_EOI);
	uint8_t after_ns = read_isr(PIC_M_CMD);
	outb(PIC_M_CMD, OCW2_SPECIFIC | IRQ_VIRTIO);
	uint8_t after_sp = read_isr(PIC_M_CMD);
	mask(0xFF);
	printf("pic: eoi order=0x%lx,0x%lx isr_one=0x%x isr_both=0x%x after_nonspecific=0x%x after_specific=0x%x\n",
	       log_vector[0], log_vector[1], isr_one, isr_both, after_ns, after_sp);
}

static void aeoi(void)
{
	init_pics(MASTER_BASE, ICW4_8086_AEOI);
	mask((uint8_t)~(1u << IRQ_PIT));
	reset_log(read_in_handler);
	seen_isr = 0xFF;
	pit_start(PIT_CH0, 0, 100);
	sti();
	spin_counts(300);
	cli();
	mask(0xFF);
	printf("pic: aeoi taken=%u isr_in_handler=0x%x\n", taken, seen_isr);
	init_pics(MASTER_BASE, ICW4_8086);
	mask(0xFF);
}

static void poll(void)
{
	mask((uint8_t)~(1u << IRQ_PIT));
	pit_start(PIT_CH0, 0, 100);
	spin_counts(300);
	outb(PIC_M_CMD, OCW3_POLL);
	uint8_t word = inb(PIC_M_CMD);
	uint8_t isr = read_isr(PIC_M_CMD);
	outb(PIC_M_CMD, OCW2_EOI);
	outb(PIC_M_CMD, OCW3_POLL);
	uint8_t empty = inb(PIC_M_CMD);
	mask(0xFF);
	printf("pic: poll word=0x%x isr_after=0x%x empty=0x%x\n", word, isr, empty);
}

static void vector_base(void)
{
	init_pics(0x37, ICW4_8086);
	mask((uint8_t)~(1u << IRQ_PIT));
	reset_log(eoi);
	pit_start(PIT_CH0, 0, 100);
	sti_hlt_cli();
	mask(0xFF);
	printf("pic: vector_base icw2=0x37 taken=%u vector=0x%lx\n", taken, log_vector[0]);
	init_pics(MASTER_BASE, ICW4_8086);
	mask(0xFF);
}


/* mode=vector0: ICW2 = 0 puts IRQ 0 on vector 0, which the 8259A and the
 * processor allow (an external interrupt may use any vector, SDM vol. 3A
 * 6.2-6.3). Gate 0 goes to stubs.S's vector0_stub, which logs
 * VECTOR0_MARK. Nothing here divides: a delivery from the HLT (the frame's
 * RIP just after it) with ISR bit 0 set is the timer, not a #DE. */
#define VECTOR0_MARK     256u       /* stubs.S: no real vector */
#define VECTOR_NONE      0xFFFFu    /* logged when nothing was taken */
extern const char vector0_stub[];

static void vector_zero(void)
{
	init_pics(0x00, ICW4_8086);   /* master base 0; the slave's stays 0x28 */
	irq_gate_set(0, (uint64_t)vector0_stub);
	mask((uint8_t)~(1u << IRQ_PIT));
	reset_log(read_in_handler);
	log_vector[0] = VECTOR_NONE;
	seen_isr = 0;
	seen_isr2 = 0xFF;
	pit_start(PIT_CH0, 0, 1000);
	printf("pic: vector0 halting\n");
	uint64_t after_hlt;
	__asm__ volatile("lea 1f(%%rip), %0\n\tsti\n\thlt\n1:\tcli" : "=r"(after_hlt) :: "memory");
	pit_stop(PIT_CH0);
	mask(0xFF);
	uint64_t v = log_vector[0] == VECTOR0_MARK ? 0 : log_vector[0];
	printf("pic: vector0 icw2=0x0 taken=%u vector=0x%lx from_hlt=%u isr_in_handler=0x%x isr_after_eoi=0x%x\n",
	       taken, v, taken >= 1 && log_ip[0] == after_hlt, seen_isr & 1u, seen_isr2 & 1u);
}

/* mode=vector0, second part: IRQ 0 becomes pending as vector 0 while IF=0
 * (its edge while masked, then unmasked; seen in IRR through OCW3 before
 * and after), then `sti; nop` and a loop that counts
 * without exits. Blocking by STI covers only the NOP (SDM vol. 3A 6.8.3),
 * so the handler must run before the loop's first count. */
#define STI_LOOP_COUNTS  20000u
#define IRR_WAIT_READS   100000u
#define COUNT_NONE       0xFFFFFFFFu  /* logged when nothing was taken */
static volatile uint64_t sti_count, count_at_delivery;

static void record_count(uint64_t vector)
{
	count_at_delivery = sti_count;
	eoi(vector);
}

static void vector_zero_after_sti(void)
{
	reset_log(record_count);
	log_vector[0] = VECTOR_NONE;
	sti_count = 0;
	count_at_delivery = COUNT_NONE;
	pit_start(PIT_CH0, 0, 10);   /* masked: the edge only sets IRR */
	unsigned irr = 0;
	for (unsigned i = 0; i < IRR_WAIT_READS && !irr; i++)
		irr = read_irr(PIC_M_CMD) & 1u;
	/* IF = 1 for a while with nothing deliverable: an exit a hypervisor
	 * has waiting for the guest's IF (its own timer, on SVM) comes here,
	 * not after the STI below. */
	sti();
	spin_counts(2);
	cli();
	mask((uint8_t)~(1u << IRQ_PIT));
	irr &= read_irr(PIC_M_CMD) & 1u;
	uint64_t after_nop;
	__asm__ volatile("lea 1f(%%rip), %0\n\tsti\n\tnop\n"
			 "1:\tmov %2, %%ecx\n"
			 "2:\tincq %1\n\tdec %%ecx\n\tjnz 2b\n\tcli"
			 : "=&r"(after_nop), "+m"(sti_count) : "i"(STI_LOOP_COUNTS) : "rcx", "memory");
	pit_stop(PIT_CH0);
	mask(0xFF);
	uint64_t v = log_vector[0] == VECTOR0_MARK ? 0 : log_vector[0];
	printf("pic: vector0_sti irr_before=%u taken=%u vector=0x%lx after_nop=%u count_at_delivery=%lu\n",
	       irr, taken, v, taken >= 1 && log_ip[0] == after_nop, count_at_delivery);
}

static void port61(void)
{
	outb(PORT61, 0x0E);
	uint8_t v = inb(PORT61);
	unsigned seen0 = 0, seen1 = 0;
	uint64_t t0 = read_tsc();
	while (!(seen0 && seen1) && read_tsc() - t0 < 100 * 18 * TICKS_HIGH) {
		if (inb(PORT61) & P61_REFRESH)
			seen1 = 1;
		else
			seen0 = 1;
	}
	outb(PORT61, 0);
	printf("pit: port61 stored=0x%x high_bits=0x%x refresh_toggles=%u\n", v & 0x0Fu, v & 0xC0u,
	       seen0 && seen1);
}

/* Contract 15: port 0x61 bit 4 toggles every 18 input pulses. Each IN
 * exits to the hypervisor, so a change is seen up to one sample late; the
 * window around 18 allows that (and the 5% clock band), not a level that
 * lasts a whole refresh period longer or shorter. One sample took up to
 * 663 ticks under QEMU and 722 under Bochs (reference, 2026-12-07): under
 * half a pulse, so 6 pulses either side leave room for slower exits. */
#define REFRESH_PULSES      18u
#define REFRESH_INTERVALS   8u
#define REFRESH_MIN_PULSES  12u
#define REFRESH_MAX_PULSES  26u

static void refresh_intervals(void)
{
	uint64_t change_tsc[REFRESH_INTERVALS + 1];
	unsigned long pulses[REFRESH_INTERVALS] = { 0 };
	unsigned changes = 0, level = inb(PORT61) & P61_REFRESH;
	uint64_t t0 = read_tsc(), prev = t0, max_gap = 0;
	while (changes <= REFRESH_INTERVALS &&
	       prev - t0 < 4 * (REFRESH_INTERVALS + 1) * REFRESH_PULSES * TICKS_HIGH) {
		uint64_t now = read_tsc();
		unsigned bit = inb(PORT61) & P61_REFRESH;
		if (now - prev > max_gap)
			max_gap = now - prev;
		prev = now;
		if (bit != level) {
			level = bit;
			change_tsc[changes++] = now;
		}
	}
	unsigned in_window = 0;
	for (unsigned i = 1; i < changes; i++) {
		pulses[i - 1] = (change_tsc[i] - change_tsc[i - 1] + TICKS_NOMINAL / 2) / TICKS_NOMINAL;
		if (pulses[i - 1] >= REFRESH_MIN_PULSES && pulses[i - 1] <= REFRESH_MAX_PULSES)
			in_window++;
	}
	/* 0 stands for an interval never seen (bit 4 stopped changing). */
	printf("pit: refresh intervals=%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu pulses (sample gap up to %lu ticks) "
	       "in_%u_to_%u=%u/%u\n",
	       pulses[0], pulses[1], pulses[2], pulses[3], pulses[4], pulses[5], pulses[6], pulses[7],
	       (unsigned long)max_gap, REFRESH_MIN_PULSES, REFRESH_MAX_PULSES, in_window, REFRESH_INTERVALS);
}

static unsigned out2(void)
{
	return (inb(PORT61) & P61_OUT2) != 0;
}

static void channel2(void)
{
	const unsigned n = 5000;
	outb(PORT61, 0);
	pit_start(PIT_CH2, 0, n);
	unsigned at_start = out2();
	spin_counts(2 * n);
	unsigned gated = out2();
	outb(PORT61, P61_GATE2);
	uint64_t t0 = read_tsc(), t1 = t0;
	while (!out2() && (t1 = read_tsc()) - t0 < 3 * n * TICKS_HIGH)
		;
	t1 = read_tsc();
	unsigned rose = out2();
	printf("pit: channel2 out_at_start=%u out_while_gated=%u rose=%u on_time=%u\n", at_start, gated,
	       rose, t1 - t0 <= n * TICKS_HIGH && t1 - t0 + 2 * TICKS_NOMINAL >= n * TICKS_LOW);

	/* Counter latch: the count falls at the input clock's rate; a latched
	 * value waits until it is read. */
	pit_start(PIT_CH2, 2, 60000);
	uint64_t a_tsc = read_tsc();
	uint16_t a = pit_latch_read(PIT_CH2);
	spin_counts(20000);
	uint64_t b_tsc = read_tsc();
	uint16_t b = pit_latch_read(PIT_CH2);
	uint64_t d = (uint64_t)(a - b);
	bool rate_ok = a > b && d * TICKS_LOW <= b_tsc - a_tsc + 4 * TICKS_HIGH &&
		       b_tsc - a_tsc <= d * TICKS_HIGH + 4 * TICKS_HIGH;
	outb(PIT_CONTROL, CW_CH2 | CW_LATCH);
	spin_counts(5000);
	uint8_t lo = inb(PIT_CH2);
	uint16_t held = (uint16_t)(lo | inb(PIT_CH2) << 8);
	lo = inb(PIT_CH2);
	uint16_t live = (uint16_t)(lo | inb(PIT_CH2) << 8);
	printf("pit: latch falling=%u rate_ok=%u held=%u\n", a > b, rate_ok, held > live && held - live >= 4000);

	/* Mode 3 on counter 2: OUT2 a square wave, high for half the period. */
	const unsigned sq = 10000;
	pit_start(PIT_CH2, 3, sq);
	while (out2())
		;
	while (!out2())
		;
	uint64_t r1 = read_tsc();
	while (out2())
		;
	uint64_t f1 = read_tsc();
	while (!out2())
		;
	uint64_t r2 = read_tsc();
	outb(PORT61, 0);
	uint64_t period = r2 - r1, high = f1 - r1;
	printf("pit: square period_ok=%u high_half=%u\n", ticks_ok(period, sq),
	       high * 100 >= period * 45 && high * 100 <= period * 55);
}

/* Mode 2 on counter 2: OUT2 is low for one input pulse once every count
 * pulses, high otherwise. Sampled in a tight loop over RATE_PERIODS periods
 * of RATE_COUNT pulses, it falls again and again (once a period when a
 * sample lands in every low pulse; some samples may miss one) and is high
 * most of the time. */
#define RATE_COUNT   4u
#define RATE_PERIODS 50u

static void channel2_rate(void)
{
	outb(PORT61, P61_GATE2);
	pit_start(PIT_CH2, 2, RATE_COUNT);
	spin_counts(2 * RATE_COUNT);
	unsigned falls = 0, lows = 0, samples = 0, level = out2();
	uint64_t t0 = read_tsc(), max_gap = 0, last = t0;
	while (read_tsc() - t0 < (uint64_t)RATE_PERIODS * RATE_COUNT * TICKS_NOMINAL) {
		unsigned now = out2();
		uint64_t t = read_tsc();
		if (t - last > max_gap)
			max_gap = t - last;
		last = t;
		samples++;
		lows += !now;
		falls += level && !now;
		level = now;
	}
	outb(PORT61, 0);
	printf("pit: rate falls=%u lows=%u samples=%u (sample gap up to %lu ticks)\n", falls, lows, samples,
	       (unsigned long)max_gap);
	printf("pit: rate falls_often=%u mostly_high=%u\n", falls >= RATE_PERIODS / 5, lows * 2 < samples);
}

static void ports_kept(void)
{
	outb(PORT_QUEUE, 0x12);
	outw(PORT_QUEUE, 0x3456);
	unsigned b = inb(PORT_QUEUE), w = inw(PORT_QUEUE);
	printf("pc: ports fifo=%u port3=0x%x\n", b == 0x12 && w == 0x3456, inb(PORT_LOG));
}

static bool same(const char *a, const char *b)
{
	size_t n = strlen(b);
	return strlen(a) == n && !memcmp(a, b, n);
}

static void hlt_forever(const char *mode)
{
	init_pics(MASTER_BASE, ICW4_8086);
	bool if0 = same(mode, "hlt-if0");
	if (same(mode, "hlt-masked"))
		mask(0xFF);
	else
		mask(0);
	if (!same(mode, "hlt-idle"))
		pit_start(PIT_CH0, 2, 1000);
	reset_log(eoi);
	printf("pc: %s halting\n", mode);
	if (if0)
		__asm__ volatile("cli\n\thlt" ::: "memory");
	else
		__asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
	printf("pc: %s woke taken=%u\n", mode, taken);
}

static void no_platform(void)
{
	printf("pc: none pic=0x%x pic_slave=0x%x pit=0x%x port61=0x%x elcr=0x%x\n", inb(PIC_M_DATA),
	       inb(PIC_S_DATA), inb(PIT_CH0), inb(PORT61), inb(ELCR_M));
}

void probe_main(void)
{
	irq_gates_install();
	char mode[16];
	cmdline_copy(boot_cmdline(), "mode", mode, sizeof mode);
	if (same(mode, "none"))
		return no_platform();
	if (same(mode, "vector0")) {
		vector_zero();
		return vector_zero_after_sti();
	}
	if (mode[0])
		return hlt_forever(mode);
	reset_state();
	icw();
	pit_periodic(2);
	pit_periodic(3);
	pit_one_shot(0);
	pit_one_shot(4);
	masked_line();
	virtio_irq();
	priority();
	aeoi();
	poll();
	vector_base();
	port61();
	refresh_intervals();
	channel2();
	channel2_rate();
	ports_kept();
}
