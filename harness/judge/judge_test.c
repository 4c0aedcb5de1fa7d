/* Host tests of the judge on hand-written transcripts. */
#include "judge/judge.h"
#include "spec/pattern.h"
#include "spec/spec.h"
#include "util/strbuf.h"
#include "judge/transcript.h"

#include <atf-c.h>

#include <stdlib.h>
#include <string.h>

/* A transcript of a well-behaved run, as the contract describes one. */
static const char good_run[] =
	"[hv] hvspec reference hypervisor\n"
	"[hv] guest: ram=0x4000000 entry=0x100000\n"
	"probe: start\n"
	"probe: value=42\n"
	"[hv] exits: total=3 vmcall=1 io=2\n"
	"[hv] end: halted code=0xcafe\n"
	"[hv] power off\n";


static struct spec_list make_list(const char *const *items)
{
	struct spec_list l = { NULL, 0 };
	while (items && items[l.count])
		l.count++;
	l.items = (char **)items;
	return l;
}

/* Judges text against an expectation built from the arguments; lists are
 * NULL-terminated arrays or NULL. */
static void run_judge(const char *text, const char *report, bool pattern,
		      const char *const *lines, const char *const *ordered,
		      const char *const *forbid, struct judgement *j)
{
	struct spec_expect e;
	memset(&e, 0, sizeof(e));
	e.report = (char *)report;
	e.report_is_pattern = pattern;
	e.lines = make_list(lines);
	e.ordered = make_list(ordered);
	e.forbid = make_list(forbid);
	struct transcript t;
	transcript_split(text, strlen(text), &t);
	struct pattern_matcher *m = pattern_matcher_new();
	ATF_REQUIRE(m != NULL);
	judge_transcript(&e, &t, m, j);
	pattern_matcher_free(m);
	transcript_free(&t);
}

static void require_problem(const struct judgement *j, size_t index, const char *text)
{
	ATF_REQUIRE_MSG(j->problems.count > index, "only %zu problems, wanted #%zu: %s",
			j->problems.count, index, text);
	ATF_CHECK_STREQ(text, j->problems.items[index]);
}

ATF_TC_WITHOUT_HEAD(exact_report_passes);
ATF_TC_BODY(exact_report_passes, tc)
{
	const char *lines[] = { "probe: value=42", "[hv] hvspec reference hypervisor", NULL };
	const char *ordered[] = { "^probe: start$", "value=%d+", "^%[hv%] exits:", NULL };
	const char *forbid[] = { "FATAL", "^probe: value=41$", NULL };
	struct judgement j;
	run_judge(good_run, "halted code=0xcafe", false, lines, ordered, forbid, &j);
	ATF_CHECK_EQ(VERDICT_PASS, j.verdict);
	ATF_CHECK_EQ(0, j.problems.count);
	ATF_CHECK_STREQ("halted code=0xcafe", j.report_seen);
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(report_mismatch_fails);
ATF_TC_BODY(report_mismatch_fails, tc)
{
	struct judgement j;
	run_judge(good_run, "halted code=0xcaf", false, NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	ATF_CHECK_EQ(1, j.problems.count);
	require_problem(&j, 0, "report: expected 'halted code=0xcaf', seen 'halted code=0xcafe'");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(report_pattern);
ATF_TC_BODY(report_pattern, tc)
{
	struct judgement j;
	run_judge(good_run, "^halted code=0x%x+$", true, NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_PASS, j.verdict);
	judgement_free(&j);

	run_judge(good_run, "^triple fault rip=0x%x+$", true, NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	require_problem(&j, 0, "report: expected a match for pattern '^triple fault "
			       "rip=0x%x+$', seen 'halted code=0xcafe'");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(no_end_line_is_a_crash);
ATF_TC_BODY(no_end_line_is_a_crash, tc)
{
	struct judgement j;
	run_judge("[hv] hvspec reference hypervisor\nprobe: start\n", "halted code=0x0", false,
		  NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_CRASH, j.verdict);
	ATF_CHECK(j.report_seen == NULL);
	require_problem(&j, 0, "no '[hv] end: ' line: the run ended without a report");
	judgement_free(&j);

	run_judge("", "halted code=0x0", false, NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_CRASH, j.verdict);
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(end_line_must_start_the_line);
ATF_TC_BODY(end_line_must_start_the_line, tc)
{
	/* Guest output that leaves a line open must be ended by the
	 * hypervisor before its own line (contract section 3). */
	struct judgement j;
	run_judge("probe: partial[hv] end: halted code=0x0\n[hv] power off\n", "halted code=0x0",
		  false, NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_CRASH, j.verdict);
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(second_end_line_fails);
ATF_TC_BODY(second_end_line_fails, tc)
{
	struct judgement j;
	run_judge("[hv] end: halted code=0x0\n[hv] power off\n[hv] end: halted code=0x1\n",
		  "halted code=0x0", false, NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	ATF_CHECK_STREQ("halted code=0x0", j.report_seen);
	require_problem(&j, 0, "'[hv] end: ' appears 2 times (lines 1 and 3); a VM ends with "
			       "exactly one");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(missing_power_off_fails);
ATF_TC_BODY(missing_power_off_fails, tc)
{
	struct judgement j;
	run_judge("[hv] power off\nx\n[hv] end: halted code=0x0\n", "halted code=0x0", false,
		  NULL, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	require_problem(&j, 0, "no '[hv] power off' line after the end line (line 3)");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(lines_must_match_whole);
ATF_TC_BODY(lines_must_match_whole, tc)
{
	const char *lines[] = { "probe: value=4", "probe: value=42", "value=42", NULL };
	struct judgement j;
	run_judge(good_run, "halted code=0xcafe", false, lines, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	ATF_CHECK_EQ(2, j.problems.count);
	/* What came instead is shown when a seen line shares the start. */
	require_problem(&j, 0, "missing line 'probe: value=4'; closest seen: line 4 'probe: value=42'");
	require_problem(&j, 1, "missing line 'value=42'");
	judgement_free(&j);
}

/* An ordered pattern that matches nothing names the seen line that starts
 * like the pattern's literal part, from where the search stood. */
ATF_TC_WITHOUT_HEAD(ordered_failure_shows_closest_line);
ATF_TC_BODY(ordered_failure_shows_closest_line, tc)
{
	const char *ordered[] = { "^probe: value=%d+ units$", NULL };
	struct judgement j;
	run_judge(good_run, "halted code=0xcafe", false, NULL, ordered, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	require_problem(&j, 0, "ordered pattern 1 of 1 '^probe: value=%d+ units$' matches no "
			       "line; closest seen: line 4 'probe: value=42'");
	judgement_free(&j);
	/* Too little in common: nothing is offered. */
	const char *other[] = { "^zz%d$", NULL };
	run_judge(good_run, "halted code=0xcafe", false, NULL, other, NULL, &j);
	require_problem(&j, 0, "ordered pattern 1 of 1 '^zz%d$' matches no line");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(lines_are_literal);
ATF_TC_BODY(lines_are_literal, tc)
{
	/* "lines" entries are text, not patterns: '%' and '.' mean themselves. */
	const char *lines[] = { "100% done.", NULL };
	struct judgement j;
	run_judge("100% done.\n[hv] end: halted code=0x0\n[hv] power off\n", "halted code=0x0",
		  false, lines, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_PASS, j.verdict);
	judgement_free(&j);
	run_judge("100% doneX\n[hv] end: halted code=0x0\n[hv] power off\n", "halted code=0x0",
		  false, lines, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(ordered_in_order);
ATF_TC_BODY(ordered_in_order, tc)
{
	const char *wrong[] = { "value=", "start", NULL };
	struct judgement j;
	run_judge(good_run, "halted code=0xcafe", false, NULL, wrong, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	require_problem(&j, 0, "ordered pattern 2 of 2 'start' matches no line after line 4 "
			       "'probe: value=42' (the match of the pattern before it)");
	judgement_free(&j);

	/* One line cannot satisfy two consecutive patterns. */
	const char *twice[] = { "value", "value", NULL };
	run_judge(good_run, "halted code=0xcafe", false, NULL, twice, NULL, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	judgement_free(&j);

	const char *first[] = { "^nothing", NULL };
	run_judge(good_run, "halted code=0xcafe", false, NULL, first, NULL, &j);
	require_problem(&j, 0, "ordered pattern 1 of 1 '^nothing' matches no line");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(forbidden_line_fails);
ATF_TC_BODY(forbidden_line_fails, tc)
{
	const char *forbid[] = { "^%[hv%] exits:", NULL };
	struct judgement j;
	run_judge(good_run, "halted code=0xcafe", false, NULL, NULL, forbid, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	require_problem(&j, 0, "forbidden pattern '^%[hv%] exits:' matches line 5 '[hv] exits: "
			       "total=3 vmcall=1 io=2'");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(crlf_and_open_last_line);
ATF_TC_BODY(crlf_and_open_last_line, tc)
{
	const char *lines[] = { "probe: a", "tail", NULL };
	struct judgement j;
	run_judge("probe: a\r\n[hv] end: halted code=0x0\r\n[hv] power off\r\ntail", "halted code=0x0",
		  false, lines, NULL, NULL, &j);
	ATF_CHECK_EQ(VERDICT_PASS, j.verdict);
	ATF_CHECK_STREQ("halted code=0x0", j.report_seen);
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(control_bytes_are_escaped);
ATF_TC_BODY(control_bytes_are_escaped, tc)
{
	const char *forbid[] = { "bell", NULL };
	struct judgement j;
	run_judge("\abell\x1b[0m\n[hv] end: halted code=0x0\n[hv] power off\n", "halted code=0x0",
		  false, NULL, NULL, forbid, &j);
	require_problem(&j, 0, "forbidden pattern 'bell' matches line 1 '\\x07bell\\x1b[0m'");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(every_problem_is_listed);
ATF_TC_BODY(every_problem_is_listed, tc)
{
	const char *lines[] = { "absent", NULL };
	const char *forbid[] = { "probe", NULL };
	struct judgement j;
	run_judge(good_run, "halted code=0x1", false, lines, NULL, forbid, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	ATF_CHECK_EQ(3, j.problems.count);
	require_problem(&j, 0, "report: expected 'halted code=0x1', seen 'halted code=0xcafe'");
	require_problem(&j, 1, "missing line 'absent'");
	require_problem(&j, 2, "forbidden pattern 'probe' matches line 3 'probe: start'");
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(bad_pattern_is_a_problem);
ATF_TC_BODY(bad_pattern_is_a_problem, tc)
{
	const char *forbid[] = { "x(", NULL };
	struct judgement j;
	run_judge(good_run, "halted code=0xcafe", false, NULL, NULL, forbid, &j);
	ATF_CHECK_EQ(VERDICT_FAIL, j.verdict);
	ATF_REQUIRE(j.problems.count >= 1);
	ATF_CHECK(strstr(j.problems.items[0], "bad pattern 'x(': ") != NULL);
	judgement_free(&j);
}

ATF_TC_WITHOUT_HEAD(patterns_see_embedded_nul);
ATF_TC_BODY(patterns_see_embedded_nul, tc)
{
	struct pattern_matcher *m = pattern_matcher_new();
	ATF_REQUIRE(m != NULL);
	ATF_CHECK_EQ(1, pattern_find(m, "a\0b", 3, "a%zb", NULL));
	ATF_CHECK_EQ(0, pattern_find(m, "a\0b", 3, "^ab", NULL));
	char *err = NULL;
	ATF_CHECK_EQ(-1, pattern_find(m, "x", 1, "%", &err));
	ATF_CHECK(err != NULL && strstr(err, "malformed pattern") != NULL);
	free(err);
	pattern_matcher_free(m);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, exact_report_passes);
	ATF_TP_ADD_TC(tp, report_mismatch_fails);
	ATF_TP_ADD_TC(tp, report_pattern);
	ATF_TP_ADD_TC(tp, no_end_line_is_a_crash);
	ATF_TP_ADD_TC(tp, end_line_must_start_the_line);
	ATF_TP_ADD_TC(tp, second_end_line_fails);
	ATF_TP_ADD_TC(tp, missing_power_off_fails);
	ATF_TP_ADD_TC(tp, lines_must_match_whole);
	ATF_TP_ADD_TC(tp, lines_are_literal);
	ATF_TP_ADD_TC(tp, ordered_failure_shows_closest_line);
	ATF_TP_ADD_TC(tp, ordered_in_order);
	ATF_TP_ADD_TC(tp, forbidden_line_fails);
	ATF_TP_ADD_TC(tp, crlf_and_open_last_line);
	ATF_TP_ADD_TC(tp, control_bytes_are_escaped);
	ATF_TP_ADD_TC(tp, every_problem_is_listed);
	ATF_TP_ADD_TC(tp, bad_pattern_is_a_problem);
	ATF_TP_ADD_TC(tp, patterns_see_embedded_nul);
	return atf_no_error();
}
