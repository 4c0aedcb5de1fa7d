/* Unit tests of the virtual x2APIC (reference/lib/x2apic.c) against the
 * SDM's rules (vol. 3A chapter 11) as spec/events-design.md states them.
 * Expected values are written out here, not taken from x2apic.h. */
#include <atf-c.h>
#include <stdint.h>

#include "x2apic.h"

static uint64_t rd(struct x2apic *a, uint32_t msr, uint64_t now)
{
	uint64_t v = 0xdeadbeef;
	ATF_REQUIRE_EQ_MSG(x2apic_read(a, msr, now, &v), X2APIC_OK, "read of 0x%x", msr);
	return v;
}

static void wr(struct x2apic *a, uint32_t msr, uint64_t value, uint64_t now)
{
	ATF_REQUIRE_EQ_MSG(x2apic_write(a, msr, value, now), X2APIC_OK, "write of 0x%x", msr);
}

/* Reset, then software-enable with spurious vector 0xFF. */
static void enabled(struct x2apic *a)
{
	x2apic_reset(a);
	wr(a, 0x80F, 0x1FF, 0);
}

ATF_TC_WITHOUT_HEAD(reset_values);
ATF_TC_BODY(reset_values, tc)
{
	static struct x2apic a;
	x2apic_reset(&a);
	ATF_CHECK_EQ(rd(&a, 0x1B, 0), 0xFEE00D00u);
	ATF_CHECK_EQ(rd(&a, 0x802, 0), 0);
	ATF_CHECK_EQ(rd(&a, 0x803, 0), 0x00030014u);
	ATF_CHECK_EQ(rd(&a, 0x808, 0), 0);
	ATF_CHECK_EQ(rd(&a, 0x80A, 0), 0);
	ATF_CHECK_EQ(rd(&a, 0x80D, 0), 1);
	ATF_CHECK_EQ(rd(&a, 0x80F, 0), 0xFF);
	ATF_CHECK_EQ(rd(&a, 0x828, 0), 0);
	for (uint32_t m = 0x832; m <= 0x837; m++)
		if (m == 0x832 || m >= 0x835)
			ATF_CHECK_EQ_MSG(rd(&a, m, 0), 0x10000u, "LVT 0x%x", m);
	ATF_CHECK_EQ(rd(&a, 0x838, 0), 0);
	ATF_CHECK_EQ(rd(&a, 0x839, 0), 0);
	ATF_CHECK_EQ(rd(&a, 0x83E, 0), 0);
	ATF_CHECK_EQ(rd(&a, 0x6E0, 0), 0);
	for (uint32_t m = 0x810; m < 0x828; m++)
		ATF_CHECK_EQ_MSG(rd(&a, m, 0), 0, "0x%x", m);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	ATF_CHECK_EQ(x2apic_next_event(&a), UINT64_MAX);
}

ATF_TC_WITHOUT_HEAD(gp_rules);
ATF_TC_BODY(gp_rules, tc)
{
	static struct x2apic a;
	uint64_t v;
	enabled(&a);
	/* Write-only registers fault on read, read-only ones on write. */
	ATF_CHECK_EQ(x2apic_read(&a, 0x80B, 0, &v), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_read(&a, 0x83F, 0, &v), X2APIC_GP);
	const uint32_t ro[] = { 0x802, 0x803, 0x80A, 0x80D, 0x810, 0x817, 0x818, 0x820, 0x827, 0x839 };
	for (unsigned i = 0; i < sizeof ro / sizeof ro[0]; i++)
		ATF_CHECK_EQ_MSG(x2apic_write(&a, ro[i], 0, 0), X2APIC_GP, "0x%x", ro[i]);
	/* Registers outside the subset: ICR, CMCI, thermal, perf, 0x8FF. */
	const uint32_t absent[] = { 0x800, 0x830, 0x82F, 0x833, 0x834, 0x83A, 0x8FF };
	for (unsigned i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		ATF_CHECK_EQ_MSG(x2apic_read(&a, absent[i], 0, &v), X2APIC_GP, "0x%x", absent[i]);
		ATF_CHECK_EQ_MSG(x2apic_write(&a, absent[i], 0, 0), X2APIC_GP, "0x%x", absent[i]);
	}
	/* Reserved bits. */
	ATF_CHECK_EQ(x2apic_write(&a, 0x808, 0x100, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x808, 1ull << 32, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x80F, 0x200, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x832, 0x60000, 0), X2APIC_GP);   /* mode 11b */
	ATF_CHECK_EQ(x2apic_write(&a, 0x832, 0x1000, 0), X2APIC_GP);    /* delivery status */
	ATF_CHECK_EQ(x2apic_write(&a, 0x837, 0x700, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x83E, 0x4, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x838, 1ull << 32, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x83F, 0x100, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x80B, 1, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x828, 1, 0), X2APIC_GP);
	ATF_CHECK_EQ(x2apic_write(&a, 0x1B, 0xFEE00C00u, 0), X2APIC_GP);   /* EXTD stays */
	ATF_CHECK_EQ(x2apic_write(&a, 0x1B, 0xFEE00D00u, 0), X2APIC_OK);
	/* Nothing changed by the faulting writes. */
	ATF_CHECK_EQ(rd(&a, 0x808, 0), 0);
	ATF_CHECK_EQ(rd(&a, 0x80F, 0), 0x1FF);
	ATF_CHECK_EQ(rd(&a, 0x832, 0), 0x10000);
	/* Not the device's MSRs. */
	ATF_CHECK_EQ(x2apic_read(&a, 0x7FF, 0, &v), X2APIC_NOT_MINE);
	ATF_CHECK_EQ(x2apic_write(&a, 0x900, 0, 0), X2APIC_NOT_MINE);
	ATF_CHECK(x2apic_owns(0x800) && x2apic_owns(0x8FF) && x2apic_owns(0x1B) && x2apic_owns(0x6E0));
	ATF_CHECK(!x2apic_owns(0x7FF) && !x2apic_owns(0x900) && !x2apic_owns(0xABC));
}

ATF_TC_WITHOUT_HEAD(software_disabled_masks);
ATF_TC_BODY(software_disabled_masks, tc)
{
	static struct x2apic a;
	x2apic_reset(&a);
	wr(&a, 0x832, 0x40, 0);   /* unmask while disabled: stays masked */
	ATF_CHECK_EQ(rd(&a, 0x832, 0), 0x10040);
	wr(&a, 0x80F, 0x1FF, 0);
	wr(&a, 0x832, 0x40, 0);
	ATF_CHECK_EQ(rd(&a, 0x832, 0), 0x40);
	wr(&a, 0x836, 0xA741, 0);
	ATF_CHECK_EQ(rd(&a, 0x836, 0), 0xA741);
	wr(&a, 0x80F, 0x0FF, 0);  /* disabling masks every LVT */
	ATF_CHECK_EQ(rd(&a, 0x832, 0), 0x10040);
	ATF_CHECK_EQ(rd(&a, 0x836, 0), 0x1A741);
}

ATF_TC_WITHOUT_HEAD(one_shot);
ATF_TC_BODY(one_shot, tc)
{
	static struct x2apic a;
	enabled(&a);
	wr(&a, 0x83E, 0xB, 100);          /* divide by 1 */
	wr(&a, 0x832, 0x40, 100);         /* one-shot, vector 0x40 */
	wr(&a, 0x838, 1000, 100);
	ATF_CHECK_EQ(rd(&a, 0x839, 100), 1000);
	ATF_CHECK_EQ(rd(&a, 0x839, 350), 750);
	ATF_CHECK_EQ(x2apic_next_event(&a), 1100);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	x2apic_update(&a, 1099);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	x2apic_update(&a, 1100);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x40);
	ATF_CHECK_EQ(rd(&a, 0x822, 1100), 1);   /* IRR bit 0x40 */
	ATF_CHECK_EQ(rd(&a, 0x839, 1100), 0);
	ATF_CHECK_EQ(rd(&a, 0x838, 1100), 1000);
	ATF_CHECK_EQ(x2apic_next_event(&a), UINT64_MAX);
	/* Fires once. */
	x2apic_accept(&a, 0x40);
	x2apic_update(&a, 5000);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	ATF_CHECK_EQ(rd(&a, 0x812, 5000), 1);   /* ISR bit 0x40 */
	wr(&a, 0x80B, 0, 5000);
	ATF_CHECK_EQ(rd(&a, 0x812, 5000), 0);
	/* Stopping a timer that already expired keeps its interrupt. */
	wr(&a, 0x838, 100, 5000);
	wr(&a, 0x838, 0, 5200);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x40);
	x2apic_accept(&a, 0x40);
	wr(&a, 0x80B, 0, 5200);
	/* Initial count 0 stops a running timer. */
	wr(&a, 0x838, 10, 6000);
	wr(&a, 0x838, 0, 6005);
	x2apic_update(&a, 7000);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
}

ATF_TC_WITHOUT_HEAD(divide_values);
ATF_TC_BODY(divide_values, tc)
{
	/* Figure 11-10: code -> divisor. */
	const struct { uint32_t code; uint64_t div; } t[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xA, 128 }, { 0xB, 1 },
	};
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
		static struct x2apic a;
		enabled(&a);
		wr(&a, 0x83E, t[i].code, 0);
		wr(&a, 0x832, 0x30, 0);
		wr(&a, 0x838, 10, 0);
		ATF_CHECK_EQ_MSG(x2apic_next_event(&a), 10 * t[i].div, "code 0x%x", t[i].code);
		ATF_CHECK_EQ_MSG(rd(&a, 0x839, 3 * t[i].div), 7, "code 0x%x", t[i].code);
	}
}

ATF_TC_WITHOUT_HEAD(periodic);
ATF_TC_BODY(periodic, tc)
{
	static struct x2apic a;
	enabled(&a);
	wr(&a, 0x83E, 0x0, 0);            /* divide by 2 */
	wr(&a, 0x832, 0x20040, 0);        /* periodic, vector 0x40 */
	wr(&a, 0x838, 50, 0);             /* period 100 ticks */
	ATF_CHECK_EQ(x2apic_next_event(&a), 100);
	x2apic_update(&a, 100);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x40);
	ATF_CHECK_EQ(x2apic_next_event(&a), 200);
	ATF_CHECK_EQ(rd(&a, 0x839, 150), 25);
	x2apic_accept(&a, 0x40);
	wr(&a, 0x80B, 0, 150);
	/* Three periods pass unseen: one interrupt, the phase kept. */
	ATF_CHECK_EQ(rd(&a, 0x839, 420), 40);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x40);
	ATF_CHECK_EQ(x2apic_next_event(&a), 500);
	/* Masked: keeps counting, makes nothing pending, no event ahead. */
	x2apic_accept(&a, 0x40);
	wr(&a, 0x80B, 0, 420);
	wr(&a, 0x832, 0x30040, 420);
	ATF_CHECK_EQ(x2apic_next_event(&a), UINT64_MAX);
	x2apic_update(&a, 900);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	ATF_CHECK_EQ(rd(&a, 0x839, 950), 25);
}

ATF_TC_WITHOUT_HEAD(tsc_deadline);
ATF_TC_BODY(tsc_deadline, tc)
{
	static struct x2apic a;
	enabled(&a);
	wr(&a, 0x6E0, 500, 0);            /* not deadline mode: ignored */
	ATF_CHECK_EQ(rd(&a, 0x6E0, 0), 0);
	wr(&a, 0x832, 0x40050, 0);        /* TSC-deadline, vector 0x50 */
	wr(&a, 0x838, 10, 0);             /* ignored in this mode */
	ATF_CHECK_EQ(rd(&a, 0x838, 0), 0);
	wr(&a, 0x6E0, 500, 10);
	ATF_CHECK_EQ(rd(&a, 0x6E0, 10), 500);
	ATF_CHECK_EQ(rd(&a, 0x839, 10), 0);
	ATF_CHECK_EQ(x2apic_next_event(&a), 500);
	x2apic_update(&a, 499);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	x2apic_update(&a, 500);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x50);
	ATF_CHECK_EQ(rd(&a, 0x6E0, 500), 0);
	ATF_CHECK_EQ(x2apic_next_event(&a), UINT64_MAX);
	/* A deadline already past fires at once; 0 disarms. */
	x2apic_accept(&a, 0x50);
	wr(&a, 0x80B, 0, 600);
	wr(&a, 0x6E0, 100, 600);
	x2apic_update(&a, 600);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x50);
	x2apic_accept(&a, 0x50);
	wr(&a, 0x80B, 0, 600);
	wr(&a, 0x6E0, 700, 600);
	wr(&a, 0x6E0, 0, 650);
	x2apic_update(&a, 800);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	/* Leaving deadline mode disarms (11.5.4.1). */
	wr(&a, 0x6E0, 900, 800);
	wr(&a, 0x832, 0x50, 800);
	ATF_CHECK_EQ(rd(&a, 0x6E0, 800), 0);
	x2apic_update(&a, 1000);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
}

ATF_TC_WITHOUT_HEAD(priority_and_tpr);
ATF_TC_BODY(priority_and_tpr, tc)
{
	static struct x2apic a;
	enabled(&a);
	wr(&a, 0x83F, 0x41, 0);
	wr(&a, 0x83F, 0x35, 0);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x41);
	/* TPR class 4 holds back 0x41 and 0x35. */
	wr(&a, 0x808, 0x40, 0);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	ATF_CHECK_EQ(rd(&a, 0x80A, 0), 0x40);
	wr(&a, 0x808, 0x3F, 0);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x41);
	wr(&a, 0x808, 0, 0);
	/* In service 0x41: class 4 and below wait, class 5 nests. */
	x2apic_accept(&a, 0x41);
	ATF_CHECK_EQ(rd(&a, 0x80A, 0), 0x40);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	wr(&a, 0x83F, 0x45, 0);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	wr(&a, 0x83F, 0x52, 0);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x52);
	x2apic_accept(&a, 0x52);
	ATF_CHECK_EQ(rd(&a, 0x812, 0), 0x40002u);   /* 0x41 and 0x52 */
	/* EOI ends the highest in service first. */
	wr(&a, 0x80B, 0, 0);
	ATF_CHECK_EQ(rd(&a, 0x812, 0), 0x2);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);      /* 0x45 still below ISR class 4 */
	wr(&a, 0x80B, 0, 0);
	ATF_CHECK_EQ(rd(&a, 0x812, 0), 0);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x45);
	/* PPR: TPR wins when its class is at least ISRV's. */
	x2apic_accept(&a, 0x45);
	wr(&a, 0x808, 0x47, 0);
	ATF_CHECK_EQ(rd(&a, 0x80A, 0), 0x47);
	wr(&a, 0x808, 0x21, 0);
	ATF_CHECK_EQ(rd(&a, 0x80A, 0), 0x40);
	/* EOI with nothing in service changes nothing. */
	wr(&a, 0x80B, 0, 0);
	wr(&a, 0x80B, 0, 0);
	ATF_CHECK_EQ(rd(&a, 0x812, 0), 0);
}

ATF_TC_WITHOUT_HEAD(illegal_vectors);
ATF_TC_BODY(illegal_vectors, tc)
{
	static struct x2apic a;
	enabled(&a);
	wr(&a, 0x83F, 0x0F, 0);
	ATF_CHECK_EQ(x2apic_pending(&a), -1);
	ATF_CHECK_EQ(rd(&a, 0x828, 0), 0);        /* latched only by a write */
	wr(&a, 0x828, 0, 0);
	ATF_CHECK_EQ(rd(&a, 0x828, 0), 0x20);
	wr(&a, 0x837, 0x33, 0);                   /* error LVT unmasked */
	wr(&a, 0x832, 0x05, 0);
	wr(&a, 0x838, 1, 0);
	x2apic_update(&a, 2);
	ATF_CHECK_EQ(x2apic_pending(&a), 0x33);
	wr(&a, 0x828, 0, 2);
	ATF_CHECK_EQ(rd(&a, 0x828, 2), 0x40);
	wr(&a, 0x828, 0, 2);
	ATF_CHECK_EQ(rd(&a, 0x828, 2), 0);
}

ATF_TC_WITHOUT_HEAD(divide_change_keeps_count);
ATF_TC_BODY(divide_change_keeps_count, tc)
{
	static struct x2apic a;
	enabled(&a);
	wr(&a, 0x83E, 0xB, 0);            /* divide by 1 */
	wr(&a, 0x832, 0x40, 0);
	wr(&a, 0x838, 100, 0);
	wr(&a, 0x83E, 0x0, 40);           /* now by 2: 60 counts left = 120 ticks */
	ATF_CHECK_EQ(rd(&a, 0x839, 40), 60);
	ATF_CHECK_EQ(x2apic_next_event(&a), 160);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reset_values);
	ATF_TP_ADD_TC(tp, gp_rules);
	ATF_TP_ADD_TC(tp, software_disabled_masks);
	ATF_TP_ADD_TC(tp, one_shot);
	ATF_TP_ADD_TC(tp, divide_values);
	ATF_TP_ADD_TC(tp, periodic);
	ATF_TP_ADD_TC(tp, tsc_deadline);
	ATF_TP_ADD_TC(tp, priority_and_tpr);
	ATF_TP_ADD_TC(tp, illegal_vectors);
	ATF_TP_ADD_TC(tp, divide_change_keeps_count);
	return atf_no_error();
}
