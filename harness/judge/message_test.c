/* Host tests of the verdict type and the words the harness says about it. */
#include "judge/message.h"
#include "judge/verdict.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <stdlib.h>
#include <string.h>

ATF_TC_WITHOUT_HEAD(names_round_trip);
ATF_TC_BODY(names_round_trip, tc)
{
	static const char *const want[VERDICT_COUNT] = { "pass", "fail", "crash", "timeout",
							 "error", "skip", "not_run" };
	for (int i = 0; i < VERDICT_COUNT; i++) {
		ATF_CHECK_STREQ(want[i], verdict_name((enum verdict)i));
		enum verdict back;
		ATF_CHECK(verdict_from_name(want[i], &back) && back == (enum verdict)i);
	}
	enum verdict v;
	ATF_CHECK(!verdict_from_name("broken", &v));
	ATF_CHECK(!verdict_from_name("PASS", &v));
	ATF_CHECK_STREQ("?", verdict_name((enum verdict)VERDICT_COUNT));
}

ATF_TC_WITHOUT_HEAD(failures_are_the_hypervisors);
ATF_TC_BODY(failures_are_the_hypervisors, tc)
{
	ATF_CHECK(verdict_is_failure(VERDICT_FAIL));
	ATF_CHECK(verdict_is_failure(VERDICT_CRASH));
	ATF_CHECK(verdict_is_failure(VERDICT_TIMEOUT));
	ATF_CHECK(!verdict_is_failure(VERDICT_PASS));
	ATF_CHECK(!verdict_is_failure(VERDICT_ERROR));
	ATF_CHECK(!verdict_is_failure(VERDICT_SKIP));
	ATF_CHECK(!verdict_is_failure(VERDICT_NOT_RUN));
}

ATF_TC_WITHOUT_HEAD(labels_and_reasons);
ATF_TC_BODY(labels_and_reasons, tc)
{
	ATF_CHECK_STREQ("CRASH", message_label(VERDICT_CRASH));
	ATF_CHECK_STREQ("TIMEOUT", message_label(VERDICT_TIMEOUT));
	ATF_CHECK_STREQ("NOT RUN", message_label(VERDICT_NOT_RUN));
	struct strbuf sb = STRBUF_INIT;
	message_reason_start(&sb, VERDICT_CRASH);
	strbuf_adds(&sb, "no line");
	message_reason_rerun(&sb, "hvrun x.y");
	ATF_CHECK_STREQ("CRASH: no line (rerun: hvrun x.y)", strbuf_str(&sb));
	strbuf_reset(&sb);
	message_verdict(&sb, VERDICT_TIMEOUT);
	ATF_CHECK_STREQ("verdict: TIMEOUT: the machine did not power off within its time limit; "
			"the emulator was killed\n", strbuf_str(&sb));
	strbuf_release(&sb);
	char *refused = message_refused("config variable %s is empty", "kernel");
	ATF_CHECK_STREQ("ERROR: config variable kernel is empty; nothing was judged", refused);
	free(refused);
	for (int i = 0; i < VERDICT_COUNT; i++)
		ATF_CHECK(strlen(message_meaning((enum verdict)i)) > 10);
}

ATF_TC_WITHOUT_HEAD(summary_counts_every_verdict);
ATF_TC_BODY(summary_counts_every_verdict, tc)
{
	int counts[VERDICT_COUNT] = { 1, 2, 3, 4, 5, 6, 7 };
	struct strbuf sb = STRBUF_INIT;
	message_summary(&sb, counts, 5, 40);
	ATF_CHECK_STREQ("1 passed, 2 failed, 3 crashed, 4 timed out, 5 errors, 6 skipped, 7 not run; "
			"5/40 points", strbuf_str(&sb));
	strbuf_reset(&sb);
	message_case_line(&sb, "cpuid.leaf0_vendor", VERDICT_TIMEOUT, 0, 2);
	ATF_CHECK_STREQ("cpuid.leaf0_vendor  ->  timeout  [0/2 points]", strbuf_str(&sb));
	strbuf_release(&sb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, names_round_trip);
	ATF_TP_ADD_TC(tp, failures_are_the_hypervisors);
	ATF_TP_ADD_TC(tp, labels_and_reasons);
	ATF_TP_ADD_TC(tp, summary_counts_every_verdict);
	return atf_no_error();
}
