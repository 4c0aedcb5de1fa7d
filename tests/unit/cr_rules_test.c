/* Unit tests of cr_rules: which CR0/CR3/CR4 writes the processor refuses
 * (Intel SDM vol. 2 MOV CR, vol. 3A 2.5; AMD APM vol. 2 3.1) and what
 * CLTS and LMSW load. */
#include <atf-c.h>
#include <stdint.h>

#include "cr_rules.h"
#include "x86.h"

#define CR0_LONG   (CR0_PG | CR0_ET | CR0_PE)
#define CR4_TSD    (1ull << 2)
#define CR4_PCIDE  (1ull << 17)

static struct cr_context long_mode(void)
{
	return (struct cr_context){ .cr0 = CR0_LONG, .cr4 = CR4_PAE, .efer = EFER_LME | EFER_LMA,
				    .code64 = true, .cr4_writable = 0x7FF, .phys_addr_bits = 36 };
}

static struct cr_context protected_mode(void)
{
	return (struct cr_context){ .cr0 = CR0_ET | CR0_PE, .cr4 = 0, .efer = 0,
				    .code64 = false, .cr4_writable = 0x7FF, .phys_addr_bits = 36 };
}

ATF_TC_WITHOUT_HEAD(cr0_valid_writes);
ATF_TC_BODY(cr0_valid_writes, tc)
{
	struct cr_context c = long_mode();
	ATF_CHECK(cr0_write_ok(&c, CR0_LONG));
	ATF_CHECK(cr0_write_ok(&c, CR0_LONG | CR0_CD));
	ATF_CHECK(cr0_write_ok(&c, CR0_LONG | CR0_CD | CR0_NW | CR0_NE));
	struct cr_context p = protected_mode();
	ATF_CHECK(cr0_write_ok(&p, CR0_ET));   /* back to real mode */
	ATF_CHECK(cr0_write_ok(&p, CR0_PG | CR0_PE));   /* 32-bit paging */
}

ATF_TC_WITHOUT_HEAD(cr0_refused_writes);
ATF_TC_BODY(cr0_refused_writes, tc)
{
	struct cr_context c = long_mode();
	ATF_CHECK(!cr0_write_ok(&c, CR0_LONG | CR0_NW));
	ATF_CHECK(!cr0_write_ok(&c, CR0_LONG & ~CR0_PE));
	ATF_CHECK(!cr0_write_ok(&c, CR0_LONG | (1ull << 32)));
	ATF_CHECK(!cr0_write_ok(&c, CR0_LONG & ~CR0_PG));   /* leaving long mode from 64-bit code */
	struct cr_context p = protected_mode();
	ATF_CHECK(!cr0_write_ok(&p, CR0_PG));
	ATF_CHECK(!cr0_write_ok(&p, CR0_PE | CR0_NW));
	p.efer = EFER_LME;   /* long mode needs PAE */
	ATF_CHECK(!cr0_write_ok(&p, CR0_PE | CR0_PG));
	p.cr4 = CR4_PAE;
	ATF_CHECK(cr0_write_ok(&p, CR0_PE | CR0_PG));
}

ATF_TC_WITHOUT_HEAD(operand_width);
ATF_TC_BODY(operand_width, tc)
{
	struct cr_context c = long_mode(), p = protected_mode();
	ATF_CHECK_EQ(cr_operand(&c, 0x100000011ull), 0x100000011ull);
	ATF_CHECK_EQ(cr_operand(&p, 0xdead000000000011ull), 0x11ull);
}

ATF_TC_WITHOUT_HEAD(cr4_writes);
ATF_TC_BODY(cr4_writes, tc)
{
	struct cr_context c = long_mode();
	ATF_CHECK(cr4_write_ok(&c, CR4_PAE | CR4_TSD));
	ATF_CHECK(!cr4_write_ok(&c, CR4_PAE | CR4_VMXE));
	ATF_CHECK(!cr4_write_ok(&c, CR4_PAE | (1ull << 15)));
	ATF_CHECK(!cr4_write_ok(&c, CR4_PAE | (1ull << 32)));
	ATF_CHECK(!cr4_write_ok(&c, 0));   /* PAE off in long mode */
	struct cr_context p = protected_mode();
	ATF_CHECK(cr4_write_ok(&p, 0));
	ATF_CHECK(cr4_write_ok(&p, CR4_PSE));
}

ATF_TC_WITHOUT_HEAD(cr3_writes);
ATF_TC_BODY(cr3_writes, tc)
{
	struct cr_context c = long_mode();
	ATF_CHECK(cr3_write_ok(&c, 0xFFFFFF000ull));   /* below 2^36 */
	ATF_CHECK(!cr3_write_ok(&c, 1ull << 36));
	ATF_CHECK(!cr3_write_ok(&c, 1ull << 63));
	c.cr4 |= CR4_PCIDE;   /* bit 63: "do not flush", not stored */
	ATF_CHECK(cr3_write_ok(&c, (1ull << 63) | 0x1000));
	ATF_CHECK_EQ(cr3_stored(&c, (1ull << 63) | 0x1000), 0x1000ull);
	struct cr_context p = protected_mode();
	ATF_CHECK(cr3_write_ok(&p, 0xFFFFF000ull));
	ATF_CHECK_EQ(cr3_stored(&p, 0x1008), 0x1008ull);
}

ATF_TC_WITHOUT_HEAD(stored_clts_lmsw);
ATF_TC_BODY(stored_clts_lmsw, tc)
{
	ATF_CHECK_EQ(cr0_stored(CR0_PE | (1ull << 6)), CR0_PE | CR0_ET);   /* reserved 6 dropped, ET 1 */
	ATF_CHECK_EQ(cr0_after_clts(CR0_LONG | 0xE), CR0_LONG | 0x6);
	ATF_CHECK_EQ(cr0_after_lmsw(CR0_LONG, 0xE), CR0_LONG | 0xE);
	ATF_CHECK_EQ(cr0_after_lmsw(CR0_LONG | 0xE, 0), CR0_LONG);   /* PE stays */
	ATF_CHECK_EQ(cr0_after_lmsw(CR0_LONG, 0xFFF0), CR0_LONG);    /* bits 15:4 ignored */
	ATF_CHECK_EQ(cr0_after_lmsw(CR0_ET, 0x1), CR0_ET | CR0_PE);  /* LMSW can set PE */
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, cr0_valid_writes);
	ATF_TP_ADD_TC(tp, cr0_refused_writes);
	ATF_TP_ADD_TC(tp, operand_width);
	ATF_TP_ADD_TC(tp, cr4_writes);
	ATF_TP_ADD_TC(tp, cr3_writes);
	ATF_TP_ADD_TC(tp, stored_clts_lmsw);
	return atf_no_error();
}
