/* Host tests of the batch results file (schema hvspec-run-2): every verdict
 * under its own outcome name and count, and JSON that stays valid for any
 * bytes a guest printed. */
#include "report/batch_json.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <stdlib.h>
#include <string.h>

ATF_TC_WITHOUT_HEAD(every_verdict_named_and_counted);
ATF_TC_BODY(every_verdict_named_and_counted, tc)
{
	struct spec_case cases[VERDICT_COUNT];
	struct batch_entry entries[VERDICT_COUNT];
	memset(cases, 0, sizeof(cases));
	memset(entries, 0, sizeof(entries));
	for (int i = 0; i < VERDICT_COUNT; i++) {
		cases[i] = (struct spec_case){ .id = "a.b", .area = "a", .file = "spec/a.lua",
					       .line = i + 1, .points = 1 };
		entries[i] = (struct batch_entry){ .c = &cases[i], .verdict = (enum verdict)i,
						   .rerun = "hvrun a.b" };
		entries[i].r.reason = "r";
		entries[i].r.details = "d\x01\xff";
	}
	struct batch_summary s = { .image_path = "/i.elf", .image_sha256 = "ab", .engine = "bochs" };
	char *json = batch_results_json(&s, entries, VERDICT_COUNT);
	ATF_CHECK(strstr(json, "\"schema\": \"hvspec-run-2\"") != NULL);
	static const char *const names[] = { "pass", "fail", "crash", "timeout", "error", "skip",
					     "not_run" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *outcome = xasprintf("\"outcome\": \"%s\"", names[i]);
		char *count = xasprintf("\"%s\": 1", names[i]);
		ATF_CHECK_MSG(strstr(json, outcome) != NULL, "no %s in %s", outcome, json);
		ATF_CHECK_MSG(strstr(json, count) != NULL, "no %s in %s", count, json);
		free(outcome);
		free(count);
	}
	/* A control byte is escaped; a byte that is not UTF-8 becomes U+FFFD. */
	ATF_CHECK(strstr(json, "\"details\": \"d\\u0001\\ufffd\"") != NULL);
	ATF_CHECK(strstr(json, "\"budget_s\": null") != NULL);
	free(json);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, every_verdict_named_and_counted);
	return atf_no_error();
}
