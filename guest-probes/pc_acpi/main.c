/* pc_acpi: the ACPI PM1 register blocks of platform=pc (contract section
 * 15, "ACPI power management ports"; ACPI 6.0 4.8.3.1-4.8.3.2). Reads the
 * reset values, writes every register at widths 1, 2 and 4 (status bits
 * are write-1-to-clear and never set; PM1a_EN keeps its defined bits;
 * PM1a_CNT keeps BM_RLD and SLP_TYP, SCI_EN reads 1, GBL_RLS and SLP_EN
 * read 0, SLP_EN with a sleep type other than S5 does nothing), then
 * powers off the way Linux's acpi_hw_legacy_sleep does: clear the status
 * bits, write SLP_TYP, then SLP_TYP | SLP_EN. The VM must end with `acpi
 * power off`; a probe that is still running says so and halts 0xbad.
 *
 * Command line mode=byte: power off with a single byte write of the control
 * register's high byte. mode=none, for a boot without platform=pc: the
 * ports are section 6's unknown ports (all-ones, writes ignored), so the
 * S5 write does nothing and the probe halts 0. mode=tables: the ACPI tables
 * (tables.c), then halt 0. */
#include "runtime.h"
#include "cmdline.h"
#include "tables.h"

/* The ports and values the contract fixes (section 15). */
#define PM1A_STS 0x600
#define PM1A_EN  0x602
#define PM1A_CNT 0x604
#define PM1_BLOCK_END 0x606          /* first port after the block */
#define SLP_TYP_S5 5
/* PM1 bits (ACPI 6.0 Tables 4-16 to 4-18). */
#define STS_ALL_FIXED 0xc731          /* every defined status bit (ACPICA's ACPI_BITMASK_ALL_FIXED_STATUS covers these) */
#define CNT_SCI_EN 0x0001
#define CNT_BM_RLD 0x0002
#define CNT_GBL_RLS 0x0004
#define CNT_SLP_TYP(t) ((uint16_t)((t) << 10))
#define CNT_SLP_EN 0x2000
#define STILL_RUNNING 0xbad

static bool mode_is(const char *name)
{
	return cmdline_is(boot_cmdline(), "mode", name);
}

static void reset_values(void)
{
	printf("pc_acpi: reset sts=0x%x en=0x%x cnt=0x%x\n", inw(PM1A_STS), inw(PM1A_EN), inw(PM1A_CNT));
}

static void status_w1c(void)
{
	outw(PM1A_STS, 0xffff);
	uint32_t w = inw(PM1A_STS);
	outb(PM1A_STS + 1, 0xff);
	printf("pc_acpi: sts after_w1c=0x%x byte0=0x%x byte1=0x%x\n", w, inb(PM1A_STS), inb(PM1A_STS + 1));
}

static void enable_bits(void)
{
	outw(PM1A_EN, 0xffff);
	uint32_t all = inw(PM1A_EN);
	outw(PM1A_EN, 0x0121);                 /* TMR_EN, GBL_EN, PWRBTN_EN */
	uint32_t some = inw(PM1A_EN);
	outb(PM1A_EN + 1, 0x04);               /* high byte alone: RTC_EN */
	uint32_t byte_hi = inw(PM1A_EN);
	uint32_t dword = inl(PM1A_STS);        /* status in bits 15:0, enable in 31:16 */
	outw(PM1A_EN, 0);
	printf("pc_acpi: en all=0x%x some=0x%x byte_hi=0x%x dword=0x%x cleared=0x%x\n",
	       all, some, byte_hi, dword, inw(PM1A_EN));
}

static void control_bits(void)
{
	outw(PM1A_CNT, CNT_BM_RLD);
	uint32_t bm_rld = inw(PM1A_CNT);
	outw(PM1A_CNT, CNT_SLP_TYP(7) | CNT_BM_RLD | CNT_GBL_RLS);
	uint32_t typ7 = inw(PM1A_CNT);
	outw(PM1A_CNT, 0);                     /* SCI_EN written 0: stays 1 */
	uint32_t cleared = inw(PM1A_CNT);
	outw(PM1A_CNT, CNT_SLP_TYP(3) | CNT_SLP_EN);   /* S3: not offered, nothing happens */
	uint32_t s3 = inw(PM1A_CNT);
	uint32_t dword = inl(PM1A_CNT);        /* bytes 0x606, 0x607 are past the block */
	outw(PM1A_CNT, 0);
	printf("pc_acpi: cnt bm_rld=0x%x typ7=0x%x cleared=0x%x slp_en_s3=0x%x survived=1 dword=0x%x\n",
	       bm_rld, typ7, cleared, s3, dword);
	printf("pc_acpi: past_block in8=0x%x\n", inb(PM1_BLOCK_END));
}

/* acpi_hw_legacy_sleep's order for S5 (ACPICA hwsleep.c). */
static void power_off_like_linux(void)
{
	outw(PM1A_STS, STS_ALL_FIXED);
	uint16_t cnt = (uint16_t)(inw(PM1A_CNT) & ~(CNT_SLP_TYP(7) | CNT_SLP_EN));
	cnt |= CNT_SLP_TYP(SLP_TYP_S5);
	outw(PM1A_CNT, cnt);
	printf("pc_acpi: s5 slp_typ_written cnt=0x%x\n", inw(PM1A_CNT));
	printf("pc_acpi: powering off via=word\n");
	outw(PM1A_CNT, (uint16_t)(cnt | CNT_SLP_EN));
}

static void power_off_byte(void)
{
	printf("pc_acpi: powering off via=byte\n");
	outb(PM1A_CNT + 1, (uint8_t)((CNT_SLP_TYP(SLP_TYP_S5) | CNT_SLP_EN) >> 8));
}

static void without_platform(void)
{
	printf("pc_acpi: none sts=0x%x en=0x%x cnt=0x%x\n", inw(PM1A_STS), inw(PM1A_EN), inw(PM1A_CNT));
	outw(PM1A_CNT, CNT_SLP_TYP(SLP_TYP_S5) | CNT_SLP_EN);
	printf("pc_acpi: none s5_write survived=1\n");
}

void probe_main(void)
{
	if (mode_is("none")) {
		without_platform();
		return;
	}
	if (mode_is("tables")) {
		acpi_tables_report();
		return;
	}
	if (mode_is("byte")) {
		power_off_byte();
	} else {
		reset_values();
		status_w1c();
		enable_bits();
		control_bits();
		power_off_like_linux();
	}
	printf("pc_acpi: still running after the S5 write\n");
	hv_halt(STILL_RUNNING);
}
