/* The CMOS clock with platform=pc (see pc_cmos.h). The clock shows one
 * fixed instant, 2026-01-01 00:00:00 (a Thursday), and does not advance:
 * every run reads the same, and the contract leaves the value free. */
#include "pc_cmos.h"
#include "cmos_rtc.h"

static const struct cmos_time boot_instant = {
	.second = 0, .minute = 0, .hour = 0, .day_of_week = 5,
	.day = 1, .month = 1, .year = 26, .century = 20,
};

static struct cmos_rtc cmos;
static bool cmos_ready;

static struct cmos_rtc *device(void)
{
	if (!cmos_ready) {
		cmos_rtc_reset(&cmos, &boot_instant);
		cmos_ready = true;
	}
	return &cmos;
}

/* 8-bit ISA ports: a wider access reaches them one byte at a time; bytes
 * past 0x71 read all-ones and are dropped (contract section 6). */
static uint8_t in_byte(unsigned port)
{
	if (port == PC_CMOS_INDEX_PORT)
		return cmos_rtc_read_index(device());
	if (port == PC_CMOS_DATA_PORT)
		return cmos_rtc_read_data(device());
	return 0xFF;
}

uint32_t pc_cmos_in(struct vcpu *v, uint16_t port, unsigned width)
{
	(void)v;
	uint32_t value = 0;
	for (unsigned i = 0; i < width; i++)
		value |= (uint32_t)in_byte(port + i) << (8 * i);
	return value;
}

void pc_cmos_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value)
{
	(void)v;
	for (unsigned i = 0; i < width; i++) {
		uint8_t b = (uint8_t)(value >> (8 * i));
		if (port + i == PC_CMOS_INDEX_PORT)
			cmos_rtc_write_index(device(), b);
		else if (port + i == PC_CMOS_DATA_PORT)
			cmos_rtc_write_data(device(), b);
	}
}
