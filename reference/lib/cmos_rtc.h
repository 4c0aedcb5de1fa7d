/* The CMOS clock and its battery-backed RAM the guest sees at ports
 * 0x70/0x71 with platform=pc (contract section 15, "CMOS clock"): an
 * MC146818A real-time clock as PCs carry it. Pure state: the caller sets
 * the instant it shows, so the host unit tests drive it
 * (tests/unit/cmos_rtc_test.c). Register facts: Motorola MC146818A data
 * sheet ("Address map", "Register A" to "Register D"); the century byte at
 * 0x32 is the IBM PC AT's convention: plain RAM the clock does not keep, so
 * it holds the century in BCD until the guest writes it. */
#ifndef HV_CMOS_RTC_H
#define HV_CMOS_RTC_H
#include <stdbool.h>
#include <stdint.h>

/* Port 0x70: bits 6:0 select a register, bit 7 disables NMI on a PC. */
#define CMOS_INDEX_MASK   0x7F
#define CMOS_NMI_DISABLE  0x80

/* Registers. */
#define CMOS_SECONDS       0x00
#define CMOS_SECONDS_ALARM 0x01
#define CMOS_MINUTES       0x02
#define CMOS_MINUTES_ALARM 0x03
#define CMOS_HOURS         0x04
#define CMOS_HOURS_ALARM   0x05
#define CMOS_DAY_OF_WEEK   0x06   /* 1 = Sunday */
#define CMOS_DAY_OF_MONTH  0x07
#define CMOS_MONTH         0x08
#define CMOS_YEAR          0x09   /* 0-99 within the century */
#define CMOS_STATUS_A      0x0A
#define CMOS_STATUS_B      0x0B
#define CMOS_STATUS_C      0x0C
#define CMOS_STATUS_D      0x0D
#define CMOS_NVRAM_FIRST   0x0E   /* 114 bytes of RAM: 0x0E-0x7F */
#define CMOS_CENTURY       0x32   /* PC AT: RAM the firmware sets to the century in BCD */
#define CMOS_NREGS         0x80

#define CMOS_A_UIP         0x80   /* update in progress: read only */
#define CMOS_A_DEFAULT     0x26   /* 32.768 kHz time base, 1024 Hz periodic rate */
#define CMOS_B_SET         0x80   /* updates stopped while the guest sets the clock */
#define CMOS_B_UIE         0x10   /* update-ended interrupt enable: SET clears it */
#define CMOS_B_DM_BINARY   0x04   /* data mode: 1 binary, 0 BCD */
#define CMOS_B_24H         0x02   /* 1: 24-hour, 0: 12-hour with bit 7 of the hours = PM */
#define CMOS_B_DEFAULT     CMOS_B_24H   /* BCD, 24-hour */
#define CMOS_HOURS_PM      0x80
#define CMOS_D_VRT         0x80   /* valid RAM and time: the battery is good */

/* An instant, every field binary. */
struct cmos_time {
	uint8_t second, minute, hour;   /* hour 0-23 */
	uint8_t day_of_week;            /* 1-7, 1 = Sunday */
	uint8_t day, month;             /* 1-31, 1-12 */
	uint8_t year, century;          /* year = century * 100 + year */
};

/* The clock does not advance by itself: it shows the instant it was reset
 * to, or what the guest last wrote into it. */
struct cmos_rtc {
	uint8_t index;                  /* port 0x70 as last written */
	struct cmos_time now;
	uint8_t reg[CMOS_NREGS];        /* status A and B, alarms and RAM; time bytes unused */
};

void cmos_rtc_reset(struct cmos_rtc *c, const struct cmos_time *now);
void cmos_rtc_write_index(struct cmos_rtc *c, uint8_t value);
uint8_t cmos_rtc_read_index(const struct cmos_rtc *c);
/* The register the index selects, coded per status B (BCD or binary,
 * 12- or 24-hour). Status C reads 0: this clock raises no interrupts. */
uint8_t cmos_rtc_read_data(struct cmos_rtc *c);
/* Time registers are decoded per status B; status C and D are read only;
 * status A's UIP is read only. */
void cmos_rtc_write_data(struct cmos_rtc *c, uint8_t value);

#endif
