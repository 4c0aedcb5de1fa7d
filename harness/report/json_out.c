#include "report/json_out.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when there is none. */
static size_t utf8_sequence(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	size_t n;
	unsigned min;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_add_bytes(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	strbuf_adds(sb, "\"");
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			strbuf_add(sb, "\\", 1);
			strbuf_add(sb, (const char *)&p[i], 1);
			i++;
		} else if (c == '\n') {
			strbuf_adds(sb, "\\n");
			i++;
		} else if (c == '\t') {
			strbuf_adds(sb, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(sb, "\\u%04x", c);
			i++;
		} else {
			size_t n = utf8_sequence(p + i, len - i);
			if (n == 0) {
				strbuf_adds(sb, "\\ufffd");
				i++;
			} else {
				strbuf_add(sb, (const char *)&p[i], n);
				i += n;
			}
		}
	}
	strbuf_adds(sb, "\"");
}

void json_add_string(struct strbuf *sb, const char *s)
{
	json_add_bytes(sb, s ? s : "", s ? strlen(s) : 0);
}

void json_add_field_string(struct strbuf *sb, int first, const char *name, const char *value)
{
	if (!first)
		strbuf_adds(sb, ", ");
	json_add_string(sb, name);
	strbuf_adds(sb, ": ");
	json_add_string(sb, value);
}
