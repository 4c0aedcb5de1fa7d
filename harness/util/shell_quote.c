#include "util/shell_quote.h"

#include <string.h>

void shell_quote(struct strbuf *sb, const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_-./=:,+@%";
	if (*s && strspn(s, safe) == strlen(s)) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_adds(sb, "'");
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_add(sb, s, 1);
	}
	strbuf_adds(sb, "'");
}
