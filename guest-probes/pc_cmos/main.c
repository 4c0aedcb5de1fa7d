/* pc_cmos: the CMOS clock at ports 0x70/0x71 with the hypervisor option
 * platform=pc (contract section 15, "CMOS clock"): status B's default
 * format (BCD, 24-hour), status D's valid-time bit, the time registers
 * read as Linux does (after status A's UIP reads 0) and checked for a valid
 * date and time in that format, the clock set in BCD and in binary and
 * read back, the 114 bytes of RAM at 0x0E-0x7F, and the NMI bit of the
 * index port. The instant itself, and whether it advances, are the
 * hypervisor's own: printed, never judged. Every wait is bounded. */
#include "runtime.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

/* MC146818A registers and bits. */
#define SECONDS 0x00
#define MINUTES 0x02
#define HOURS 0x04
#define DAY_OF_WEEK 0x06
#define DAY 0x07
#define MONTH 0x08
#define YEAR 0x09
#define STATUS_A 0x0A
#define STATUS_B 0x0B
#define STATUS_D 0x0D
#define RAM_FIRST 0x0E
#define CENTURY 0x32
#define RAM_END 0x80
#define A_UIP 0x80
#define B_SET 0x80
#define B_BINARY 0x04
#define B_24H 0x02
#define NMI_DISABLE 0x80

#define POLL_LIMIT 1000000u

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

static bool wait_no_uip(void)
{
	for (unsigned i = 0; i < POLL_LIMIT; i++)
		if (!(cmos_read(STATUS_A) & A_UIP))
			return true;
	return false;
}

static bool is_bcd(uint8_t v)
{
	return (v & 0x0F) <= 9 && (v >> 4) <= 9;
}

static unsigned value(uint8_t v, bool binary)
{
	return binary ? v : (unsigned)(v >> 4) * 10 + (v & 0x0F);
}

static unsigned days_in(unsigned month, unsigned year)
{
	static const uint8_t days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month == 2 && year % 4)
		return 28;
	return days[month - 1];
}

struct reading {
	uint8_t sec, min, hour, wday, day, month, year;
};

static void read_time(struct reading *r)
{
	r->sec = cmos_read(SECONDS);
	r->min = cmos_read(MINUTES);
	r->hour = cmos_read(HOURS);
	r->wday = cmos_read(DAY_OF_WEEK);
	r->day = cmos_read(DAY);
	r->month = cmos_read(MONTH);
	r->year = cmos_read(YEAR);
}

/* Every field in range for its register, coded as status B says
 * (24-hour: hours 0-23). */
static void check_time(const char *what, const struct reading *r, bool binary)
{
	const uint8_t raw[7] = { r->sec, r->min, r->hour, r->wday, r->day, r->month, r->year };
	bool coded = true;
	for (int i = 0; i < 7; i++)
		if (!binary && !is_bcd(raw[i]))
			coded = false;
	unsigned sec = value(r->sec, binary), min = value(r->min, binary), hour = value(r->hour, binary);
	unsigned wday = value(r->wday, binary), day = value(r->day, binary);
	unsigned month = value(r->month, binary), year = value(r->year, binary);
	bool in_range = sec <= 59 && min <= 59 && hour <= 23 && wday >= 1 && wday <= 7 &&
			month >= 1 && month <= 12 && year <= 99 && day >= 1 && day <= days_in(month, year);
	printf("pc_cmos: %s raw=%02x-%02x-%02x %02x:%02x:%02x wday=%x coded=%u in_range=%u\n", what,
	       r->year, r->month, r->day, r->hour, r->min, r->sec, r->wday, coded, in_range);
}

static void defaults(void)
{
	bool settled = wait_no_uip();
	uint8_t b = cmos_read(STATUS_B), d = cmos_read(STATUS_D), century = cmos_read(CENTURY);
	printf("pc_cmos: status uip_clears=%u b_binary=%u b_24h=%u b_set=%u d=0x%x century=0x%x\n", settled,
	       !!(b & B_BINARY), !!(b & B_24H), !!(b & B_SET), d, century);
	struct reading r;
	read_time(&r);
	check_time("now", &r, b & B_BINARY);
}

/* Set the clock (SET stops updates), read back the fields no second's
 * tick can change; seconds were written as 16 and may have advanced. */
static void set_and_read(bool binary)
{
	uint8_t b = (binary ? B_BINARY : 0) | B_24H;
	cmos_write(STATUS_B, b | B_SET);
	/* 2031-07-15 21:43:16, a Tuesday (3). */
	const struct reading w = binary ? (struct reading){ 16, 43, 21, 3, 15, 7, 31 }
					: (struct reading){ 0x16, 0x43, 0x21, 3, 0x15, 0x07, 0x31 };
	cmos_write(SECONDS, w.sec);
	cmos_write(MINUTES, w.min);
	cmos_write(HOURS, w.hour);
	cmos_write(DAY_OF_WEEK, w.wday);
	cmos_write(DAY, w.day);
	cmos_write(MONTH, w.month);
	cmos_write(YEAR, w.year);
	cmos_write(STATUS_B, b);
	wait_no_uip();
	struct reading r;
	read_time(&r);
	unsigned sec = value(r.sec, binary);
	printf("pc_cmos: set mode=%s read=%u-%u-%u %u:%u wday=%u sec_16_to_19=%u\n",
	       binary ? "binary" : "bcd", value(r.year, binary), value(r.month, binary),
	       value(r.day, binary), value(r.hour, binary), value(r.min, binary),
	       value(r.wday, binary), sec >= 16 && sec <= 19);
	check_time(binary ? "set_binary" : "set_bcd", &r, binary);
}

/* 12-hour mode (status B bit 1 clear, BCD): hours 1-12, bit 7 set for PM
 * (MC146818A data sheet, Table 3). Each hour written with SET reads back
 * as written once SET is clear: 9 AM, 9 PM, 12 AM (midnight), 12 PM (noon). */
static void set_12_hour(void)
{
	static const uint8_t hours[] = { 0x09, 0x89, 0x12, 0x92 };
	uint8_t read[4];
	for (unsigned i = 0; i < 4; i++) {
		cmos_write(STATUS_B, B_SET);
		cmos_write(MINUTES, 0x30);
		cmos_write(HOURS, hours[i]);
		cmos_write(STATUS_B, 0);
		wait_no_uip();
		read[i] = cmos_read(HOURS);
	}
	printf("pc_cmos: set12 am9=0x%02x pm9=0x%02x am12=0x%02x pm12=0x%02x\n", read[0], read[1], read[2],
	       read[3]);
}

static void ram(void)
{
	unsigned n = 0, matched = 0;
	for (unsigned reg = RAM_FIRST; reg < RAM_END; reg++)
		cmos_write((uint8_t)reg, (uint8_t)(reg * 7 + 0x5A));
	for (unsigned reg = RAM_FIRST; reg < RAM_END; reg++, n++)
		if (cmos_read((uint8_t)reg) == (uint8_t)(reg * 7 + 0x5A))
			matched++;
	/* Bit 7 of the index (NMI disable) selects the same register. */
	cmos_write(0x40, 0xC3);
	outb(CMOS_INDEX, NMI_DISABLE | 0x40);
	uint8_t with_nmi_bit = inb(CMOS_DATA);
	outb(CMOS_INDEX, 0x40);
	printf("pc_cmos: ram bytes=%u matched=%u nmi_bit_read=0x%x\n", n, matched, with_nmi_bit);
}

void probe_main(void)
{
	defaults();
	set_and_read(false);
	set_and_read(true);
	set_12_hour();
	cmos_write(STATUS_B, B_24H);
	ram();
	printf("pc_cmos: done\n");
}
