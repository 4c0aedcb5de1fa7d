#include "hv_options.h"
#include <stdbool.h>
#include "hv_string.h"

static bool parse_size(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	if (s == end)
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	unsigned shift = 0;
	if (s < end) {
		switch (*s++) {
		case 'K': case 'k': shift = 10; break;
		case 'M': case 'm': shift = 20; break;
		case 'G': case 'g': shift = 30; break;
		default: return false;
		}
	}
	if (s != end || v > (UINT64_MAX >> shift))
		return false;
	*out = v << shift;
	return true;
}

static bool starts_with(const char *s, const char *end, const char *prefix)
{
	for (; *prefix; prefix++, s++)
		if (s >= end || *s != *prefix)
			return false;
	return true;
}

static bool word_is(const char *s, const char *end, const char *word)
{
	return starts_with(s, end, word) && s + strlen(word) == end;
}

/* The refused option [s, end) into bad (truncated to bad_cap): -1. */
static int refuse(const char *s, const char *end, char *bad, unsigned bad_cap)
{
	unsigned n = 0;
	for (; s < end && n + 1 < bad_cap; s++)
		bad[n++] = *s;
	if (bad_cap)
		bad[n] = 0;
	return -1;
}

int hv_options_parse(const char *cmdline, struct hv_options *out, char *bad, unsigned bad_cap)
{
	out->guest_ram = HV_GUEST_RAM_DEFAULT;
	out->inject = HV_INJECT_NONE;
	out->apic = false;
	out->intercept_pf = false;
	out->platform_pc = false;
	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		if (end == p)
			break;
		if (word_is(p, end, "apic=x2apic") || word_is(p, end, "apic=none")) {
			out->apic = word_is(p, end, "apic=x2apic");
			p = end;
			continue;
		}
		if (word_is(p, end, "platform=pc") || word_is(p, end, "platform=none")) {
			out->platform_pc = word_is(p, end, "platform=pc");
			p = end;
			continue;
		}
		if (word_is(p, end, "intercept=pf") || word_is(p, end, "intercept=none")) {
			out->intercept_pf = word_is(p, end, "intercept=pf");
			p = end;
			continue;
		}
		uint64_t ram;
		bool ok = true;
		if (word_is(p, end, "inject=bad-guest-state"))
			out->inject = HV_INJECT_BAD_GUEST_STATE;
		else if (word_is(p, end, "inject=bad-controls"))
			out->inject = HV_INJECT_BAD_CONTROLS;
		else if (starts_with(p, end, "mem=") && parse_size(p + 4, end, &ram) &&
			 ram >= HV_GUEST_RAM_MIN && ram <= HV_GUEST_RAM_MAX && ram % HV_GUEST_RAM_ALIGN == 0)
			out->guest_ram = ram;
		else
			ok = false;
		if (!ok)
			return refuse(p, end, bad, bad_cap);
		p = end;
	}
	if (out->platform_pc && out->apic) {
		/* One interrupt controller only: the 8259A pair or the x2APIC. */
		const char *word = "platform=pc";
		return refuse(word, word + strlen(word), bad, bad_cap);
	}
	return 0;
}
