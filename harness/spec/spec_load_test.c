/* Host tests of the spec loader (spec/loader.lua through spec_load.c):
 * well-formed tables load with their defaults, and each kind of malformed
 * table is refused with the file:line of the offending call. */
#include "util/layout.h"
#include "spec/spec.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Tables go into a folder inside the test's own work folder. */
#define TABLES "tables"

/* The lines every case table needs, as one string for concatenation. */
#define CASE_OK_FIELDS \
	"  behavior = 'b', source = 's', probe = 'p', points = 1,\n" \
	"  expect = { report = 'halted code=0x0' },\n"

static void write_table(const char *name, const char *text)
{
	mkdir(TABLES, 0755);
	char *path = xasprintf(TABLES "/%s", name);
	FILE *f = fopen(path, "w");
	ATF_REQUIRE_MSG(f != NULL, "cannot create %s", path);
	fputs(text, f);
	fclose(f);
	free(path);
}

static char *loader_path(void)
{
	struct layout l;
	layout_init(&l, NULL);
	char *p = xstrdup(l.spec_loader);
	layout_free(&l);
	return p;
}

/* Loads the tables folder and requires success. */
static void load_ok(struct spec_set *set)
{
	char *loader = loader_path();
	char *error = NULL;
	int rc = spec_load(loader, TABLES, set, &error);
	ATF_REQUIRE_MSG(rc == 0, "spec_load failed: %s", error ? error : "(no message)");
	free(loader);
}

/* Loads the tables folder and requires exactly this error. */
static void check_error(const char *expected)
{
	char *loader = loader_path();
	struct spec_set set;
	char *error = NULL;
	int rc = spec_load(loader, TABLES, &set, &error);
	ATF_REQUIRE_MSG(rc == -1, "spec_load accepted the tables; expected: %s", expected);
	ATF_REQUIRE(error != NULL);
	ATF_CHECK_STREQ(expected, error);
	free(error);
	free(loader);
}

/* Loads the tables folder and requires an error that starts with prefix
 * (for messages whose tail is Lua's own wording). */
static void check_error_prefix(const char *prefix)
{
	char *loader = loader_path();
	struct spec_set set;
	char *error = NULL;
	int rc = spec_load(loader, TABLES, &set, &error);
	ATF_REQUIRE_MSG(rc == -1, "spec_load accepted the tables; expected: %s...", prefix);
	ATF_CHECK_MSG(strncmp(error, prefix, strlen(prefix)) == 0, "error '%s' does not start "
		      "with '%s'", error, prefix);
	free(error);
	free(loader);
}

ATF_TC_WITHOUT_HEAD(valid_tables_load_with_defaults);
ATF_TC_BODY(valid_tables_load_with_defaults, tc)
{
	write_table("beta.lua",
		    "area { name = 'beta', doc = 'Beta area.' }\n"
		    "case {\n"
		    "  id = 'beta.full', behavior = 'Everything set.', source = 'seed 2',\n"
		    "  probe = 'pb', cmdline = 'g=1', hv_cmdline = 'mem=32M', cpu = 'no-ept',\n"
		    "  engines = { 'bochs' }, machine_mib = 64, timeout = 9, points = 3,\n"
		    "  requires = { '1g-pages' },\n"
		    "  expect = { lines = { 'l1', 'l2' }, ordered = { '^a', 'b$' },\n"
		    "             forbid = { 'FATAL', 'f(x)' }, report = { pattern = '^halted' } },\n"
		    "}\n");
	write_table("alpha.lua",
		    "-- comment line\n"
		    "area { name = 'alpha', doc = 'Alpha area.' }\n"
		    "case { id = 'alpha.one',\n" CASE_OK_FIELDS "}\n"
		    "\n"
		    "case { id = 'alpha.two',\n" CASE_OK_FIELDS "}\n");
	write_table("loader.lua", "error('the loader file is not a table')\n");
	write_table("notes.txt", "not lua at all {{{\n");

	struct spec_set set;
	load_ok(&set);
	ATF_REQUIRE_EQ(3, set.count);
	ATF_REQUIRE_EQ(2, set.area_count);

	const struct spec_case *one = &set.cases[0];
	ATF_CHECK_STREQ("alpha.one", one->id);
	ATF_CHECK_STREQ("alpha", one->area);
	ATF_CHECK_STREQ("spec/alpha.lua", one->file);
	ATF_CHECK_EQ(3, one->line);
	ATF_CHECK_STREQ("", one->cmdline);
	ATF_CHECK_STREQ("", one->hv_cmdline);
	ATF_CHECK_STREQ("virt", one->cpu); /* the default: the engine's own vendor */
	ATF_CHECK_EQ(160, one->machine_mib);
	ATF_CHECK_EQ(30, one->timeout);
	ATF_CHECK_EQ(1, one->points);
	ATF_CHECK_EQ(0, one->engines.count);
	ATF_CHECK_EQ(0, one->requires.count);
	ATF_CHECK_EQ(0, one->expect.lines.count);
	ATF_CHECK_STREQ("halted code=0x0", one->expect.report);
	ATF_CHECK(!one->expect.report_is_pattern);
	ATF_CHECK(spec_case_allows_engine(one, "qemu-kvm"));
	ATF_CHECK_EQ(8, set.cases[1].line);

	const struct spec_case *full = spec_find(&set, "beta.full");
	ATF_REQUIRE(full != NULL);
	ATF_CHECK(full == &set.cases[2]);
	ATF_CHECK_STREQ("spec/beta.lua", full->file);
	ATF_CHECK_EQ(2, full->line);
	ATF_CHECK_STREQ("Everything set.", full->behavior);
	ATF_CHECK_STREQ("seed 2", full->source);
	ATF_CHECK_STREQ("pb", full->probe);
	ATF_CHECK_STREQ("g=1", full->cmdline);
	ATF_CHECK_STREQ("mem=32M", full->hv_cmdline);
	ATF_CHECK_STREQ("no-ept", full->cpu);
	ATF_CHECK_EQ(64, full->machine_mib);
	ATF_CHECK_EQ(9, full->timeout);
	ATF_CHECK_EQ(3, full->points);
	ATF_REQUIRE_EQ(1, full->engines.count);
	ATF_CHECK_STREQ("bochs", full->engines.items[0]);
	ATF_CHECK(spec_case_allows_engine(full, "bochs"));
	ATF_CHECK(!spec_case_allows_engine(full, "qemu-kvm"));
	ATF_REQUIRE_EQ(1, full->requires.count);
	ATF_CHECK_STREQ("1g-pages", full->requires.items[0]);
	ATF_REQUIRE_EQ(2, full->expect.lines.count);
	ATF_CHECK_STREQ("l2", full->expect.lines.items[1]);
	ATF_REQUIRE_EQ(2, full->expect.ordered.count);
	ATF_CHECK_STREQ("b$", full->expect.ordered.items[1]);
	ATF_REQUIRE_EQ(2, full->expect.forbid.count);
	ATF_CHECK_STREQ("f(x)", full->expect.forbid.items[1]);
	ATF_CHECK_STREQ("^halted", full->expect.report);
	ATF_CHECK(full->expect.report_is_pattern);

	ATF_CHECK_STREQ("alpha", set.areas[0].name);
	ATF_CHECK_STREQ("Alpha area.", set.areas[0].doc);
	ATF_CHECK_EQ(0, set.areas[0].first_case);
	ATF_CHECK_EQ(2, set.areas[0].case_count);
	ATF_CHECK_STREQ("beta", set.areas[1].name);
	ATF_CHECK_EQ(2, set.areas[1].first_case);
	ATF_CHECK(spec_find(&set, "alpha.three") == NULL);
	spec_free(&set);
}

ATF_TC_WITHOUT_HEAD(empty_folder_has_no_cases);
ATF_TC_BODY(empty_folder_has_no_cases, tc)
{
	mkdir(TABLES, 0755);
	struct spec_set set;
	load_ok(&set);
	ATF_CHECK_EQ(0, set.count);
	ATF_CHECK_EQ(0, set.area_count);
	spec_free(&set);
}

ATF_TC_WITHOUT_HEAD(missing_folder);
ATF_TC_BODY(missing_folder, tc)
{
	check_error("cannot open spec folder '" TABLES "': No such file or directory");
}

ATF_TC_WITHOUT_HEAD(unknown_field);
ATF_TC_BODY(unknown_field, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS
				 "  prob = 'typo' }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': unknown field 'prob'");
}

ATF_TC_WITHOUT_HEAD(missing_required_field);
ATF_TC_BODY(missing_required_field, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n\n\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  points = 1, expect = { report = 'x' } }\n");
	check_error("spec/alpha.lua:4: case 'alpha.one': missing required field 'probe'");
}

ATF_TC_WITHOUT_HEAD(missing_id);
ATF_TC_BODY(missing_id, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case {\n" CASE_OK_FIELDS "}\n");
	check_error("spec/alpha.lua:2: case: missing required field 'id'");
}

ATF_TC_WITHOUT_HEAD(wrong_types);
ATF_TC_BODY(wrong_types, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', expect = { report = 'x' }, points = 2.5 }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'points' must be a positive "
		    "integer, got 2.5");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', expect = { report = 'x' }, points = '2' }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'points' must be a positive "
		    "integer, got \"2\"");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 7, source = 's',\n"
				 "  probe = 'p', expect = { report = 'x' }, points = 1 }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'behavior' must be a non-empty "
		    "string, got 7");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS
				 "  timeout = 0 }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'timeout' must be an integer "
		    "from 1 to 600, got 0");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS
				 "  expect = 'halted' }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'expect' must be a table, got "
		    "string");
}

ATF_TC_WITHOUT_HEAD(bad_id);
ATF_TC_BODY(bad_id, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.Bad-Name',\n" CASE_OK_FIELDS "}\n");
	check_error("spec/alpha.lua:2: case 'alpha.Bad-Name': bad id: must be <area>.<name> "
		    "using only [a-z0-9_]");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha',\n" CASE_OK_FIELDS "}\n");
	check_error("spec/alpha.lua:2: case 'alpha': bad id: must be <area>.<name> using only "
		    "[a-z0-9_]");
}

ATF_TC_WITHOUT_HEAD(duplicate_id);
ATF_TC_BODY(duplicate_id, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS "}\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS "}\n");
	check_error("spec/alpha.lua:6: case 'alpha.one': duplicate id (first at "
		    "spec/alpha.lua:2)");
}

ATF_TC_WITHOUT_HEAD(id_in_other_area);
ATF_TC_BODY(id_in_other_area, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'beta.one',\n" CASE_OK_FIELDS "}\n");
	check_error("spec/alpha.lua:2: case 'beta.one': id is not in area 'alpha' (it names "
		    "area 'beta')");
}

ATF_TC_WITHOUT_HEAD(bad_patterns);
ATF_TC_BODY(bad_patterns, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1,\n"
				 "  expect = { report = 'x', ordered = { 'ok', 'bad(' } } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': bad pattern \"bad(\" in "
		    "expect.ordered[2]: unfinished capture");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1,\n"
				 "  expect = { report = 'x', forbid = { 'end%' } } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': bad pattern \"end%\" in "
		    "expect.forbid[1]: malformed pattern (ends with '%')");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1,\n"
				 "  expect = { report = { pattern = '[x' } } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': bad pattern \"[x\" in "
		    "expect.report.pattern: malformed pattern (missing ']')");

	/* A back reference to a capture that is not closed yet. */
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1,\n"
				 "  expect = { report = 'x', ordered = { '^never(a%1)' } } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': bad pattern \"^never(a%1)\" in "
		    "expect.ordered[1]: invalid capture index %1");
}

/* Expectations travel as C strings: a NUL would cut one short. */
ATF_TC_WITHOUT_HEAD(nul_bytes_refused);
ATF_TC_BODY(nul_bytes_refused, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1,\n"
				 "  expect = { report = 'x', lines = { 'ok', 'a\\0b' } } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': expect.lines[2] contains a NUL byte; "
		    "match it with a pattern class such as [^%w%p%s]");
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1, expect = { report = 'x\\0' } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': expect.report contains a NUL byte");
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1, cmdline = 'a\\0',\n"
				 "  expect = { report = 'x' } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'cmdline' contains a NUL byte");
}

ATF_TC_WITHOUT_HEAD(empty_expect);
ATF_TC_BODY(empty_expect, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1, expect = {} }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': expect is empty");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1, expect = { lines = { 'x' } } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': missing required field "
		    "'expect.report'");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1, expect = { report = 'x', lines = {} } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': expect.lines is empty");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = 'p', points = 1, expect = { report = 'x', line = 'y' } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': unknown field 'expect.line'");
}

ATF_TC_WITHOUT_HEAD(unknown_names);
ATF_TC_BODY(unknown_names, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS "  cpu = 'vmx' }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': unknown cpu profile \"vmx\" (known: "
		    "cr4-features, no-ept, no-long-mode, no-npt, no-svm, no-unrestricted-guest, no-vmx, "
		    "no-vmx-no-long-mode, svm-locked-off, svm-npt, virt, vmx-ept, vmx-locked-off, "
		    "vmx-locked-off-no-unrestricted-guest)");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS
				 "  engines = { 'bochs', 'kvm' } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': unknown engine \"kvm\" (known: bochs, "
		    "bochs-amd, qemu, qemu-kvm)");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS
				 "  requires = { '1g-pages', '2g-pages' } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': unknown processor feature \"2g-pages\" "
		    "(known: 1g-pages)");
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',\n" CASE_OK_FIELDS "  requires = {} }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'requires' must be a non-empty list "
		    "of processor features");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one', behavior = 'b', source = 's',\n"
				 "  probe = '../x', points = 1, expect = { report = 'x' } }\n");
	check_error("spec/alpha.lua:2: case 'alpha.one': field 'probe' must name "
		    "build/guest-probes/<probe>.elf using only [A-Za-z0-9_-], got \"../x\"");
}

ATF_TC_WITHOUT_HEAD(area_problems);
ATF_TC_BODY(area_problems, tc)
{
	write_table("alpha.lua", "case { id = 'alpha.one',\n" CASE_OK_FIELDS "}\n");
	check_error("spec/alpha.lua:1: case before area {}");

	write_table("alpha.lua", "-- nothing here\n");
	check_error("spec/alpha.lua:1: no area {} in this file");

	write_table("alpha.lua", "\narea { name = 'beta', doc = 'd' }\n");
	check_error("spec/alpha.lua:2: area name 'beta' does not match the file name "
		    "'alpha.lua'");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "area { name = 'alpha', doc = 'd' }\n");
	check_error("spec/alpha.lua:2: second area {} in this file (first at line 1)");

	write_table("alpha.lua", "area { name = 'alpha' }\n");
	check_error("spec/alpha.lua:1: area: field 'doc' must be a non-empty string, got nil");
}

ATF_TC_WITHOUT_HEAD(lua_errors_name_file_and_line);
ATF_TC_BODY(lua_errors_name_file_and_line, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "case { id = 'alpha.one',,\n" CASE_OK_FIELDS "}\n");
	check_error_prefix("spec/alpha.lua:2: unexpected symbol near ','");

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n\n"
				 "undefined_helper()\n");
	check_error_prefix("spec/alpha.lua:3: attempt to call a nil value (global "
			   "'undefined_helper')");
}

ATF_TC_WITHOUT_HEAD(sandbox_hides_io_and_os);
ATF_TC_BODY(sandbox_hides_io_and_os, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "os.execute('touch escaped')\n");
	check_error_prefix("spec/alpha.lua:2: attempt to index a nil value (global 'os')");
	struct stat st;
	ATF_CHECK(stat("escaped", &st) != 0);

	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "pcall(case, { id = 'alpha.bad' })\n");
	check_error_prefix("spec/alpha.lua:2: attempt to call a nil value (global 'pcall')");
}

ATF_TC_WITHOUT_HEAD(helper_functions_keep_file_lines);
ATF_TC_BODY(helper_functions_keep_file_lines, tc)
{
	/* Cases made by a loop in the table point at their own line. */
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "for _, n in ipairs({ 'a', 'b' }) do\n"
				 "  case { id = 'alpha.' .. n, behavior = 'b', source = 's',\n"
				 "    probe = 'p', points = 1, expect = { report = 'x' } }\n"
				 "end\n");
	struct spec_set set;
	load_ok(&set);
	ATF_REQUIRE_EQ(2, set.count);
	ATF_CHECK_STREQ("alpha.b", set.cases[1].id);
	ATF_CHECK_EQ(3, set.cases[1].line);
	spec_free(&set);

	/* Cases made by a helper function point at the helper's call. */
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "local function refused(n)\n"
				 "  case { id = 'alpha.' .. n, behavior = 'b', source = 's',\n"
				 "    probe = 'p', points = 1, expect = { report = 'x' } }\n"
				 "end\n"
				 "refused('a')\n"
				 "refused('b')\n"
				 "refused('a')\n");
	check_error("spec/alpha.lua:8: case 'alpha.a': duplicate id (first at spec/alpha.lua:6)");
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\n"
				 "local function refused(n)\n"
				 "  case { id = 'alpha.' .. n, behavior = 'b', source = 's',\n"
				 "    probe = 'p', points = 1, expect = { report = 'x' } }\n"
				 "end\n"
				 "refused('a')\n"
				 "refused('b')\n");
	load_ok(&set);
	ATF_REQUIRE_EQ(2, set.count);
	ATF_CHECK_EQ(6, set.cases[0].line);
	ATF_CHECK_EQ(7, set.cases[1].line);
	spec_free(&set);
}

ATF_TC(endless_table_is_stopped);
ATF_TC_HEAD(endless_table_is_stopped, tc)
{
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(endless_table_is_stopped, tc)
{
	write_table("alpha.lua", "area { name = 'alpha', doc = 'd' }\nwhile true do end\n");
	check_error_prefix("spec/alpha.lua: evaluation exceeded");
}

/* hvrun's and the suite's own bounds are the loader's: read from the file,
 * the same numbers Lua sees. */
ATF_TC_WITHOUT_HEAD(limits_come_from_the_loader);
ATF_TC_BODY(limits_come_from_the_loader, tc)
{
	char *loader = loader_path();
	struct spec_limits lim;
	char *error = NULL;
	ATF_REQUIRE_MSG(spec_limits_load(loader, &lim, &error) == 0, "%s", error);
	char *cmd = xasprintf("lua5.4 -e 'local m = dofile(\"%s\"); print(m.MACHINE_MIB_MIN, "
			      "m.MACHINE_MIB_MAX, m.TIMEOUT_MAX, m.DEFAULTS.machine_mib, "
			      "m.DEFAULTS.timeout)'", loader);
	FILE *p = popen(cmd, "r");
	ATF_REQUIRE(p != NULL);
	int want[5] = { 0 };
	ATF_REQUIRE_EQ(5, fscanf(p, "%d %d %d %d %d", &want[0], &want[1], &want[2], &want[3],
				 &want[4]));
	pclose(p);
	free(cmd);
	ATF_CHECK_EQ(want[0], lim.machine_mib_min);
	ATF_CHECK_EQ(want[1], lim.machine_mib_max);
	ATF_CHECK_EQ(want[2], lim.timeout_max);
	ATF_CHECK_EQ(want[3], lim.default_machine_mib);
	ATF_CHECK_EQ(want[4], lim.default_timeout);

	/* spec_load hands over the same numbers with the cases. */
	struct spec_set set;
	mkdir(TABLES, 0755); /* no tables: the limits come all the same */
	ATF_REQUIRE_MSG(spec_load(loader, TABLES, &set, &error) == 0, "%s", error);
	ATF_CHECK(memcmp(&set.limits, &lim, sizeof(lim)) == 0);
	spec_free(&set);
	free(loader);

	/* A loader without them is refused by name. */
	FILE *f = fopen("bad_loader.lua", "w");
	ATF_REQUIRE(f != NULL);
	fputs("return { MACHINE_MIB_MIN = 16, MACHINE_MIB_MAX = 3072,\n"
	      "  DEFAULTS = { machine_mib = 160, timeout = 30 } }\n", f);
	fclose(f);
	ATF_CHECK(spec_limits_load("bad_loader.lua", &lim, &error) == -1);
	ATF_CHECK_STREQ("spec loader has no usable TIMEOUT_MAX (a whole number)", error);
	free(error);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, limits_come_from_the_loader);
	ATF_TP_ADD_TC(tp, valid_tables_load_with_defaults);
	ATF_TP_ADD_TC(tp, empty_folder_has_no_cases);
	ATF_TP_ADD_TC(tp, missing_folder);
	ATF_TP_ADD_TC(tp, unknown_field);
	ATF_TP_ADD_TC(tp, missing_required_field);
	ATF_TP_ADD_TC(tp, missing_id);
	ATF_TP_ADD_TC(tp, wrong_types);
	ATF_TP_ADD_TC(tp, bad_id);
	ATF_TP_ADD_TC(tp, duplicate_id);
	ATF_TP_ADD_TC(tp, id_in_other_area);
	ATF_TP_ADD_TC(tp, bad_patterns);
	ATF_TP_ADD_TC(tp, nul_bytes_refused);
	ATF_TP_ADD_TC(tp, empty_expect);
	ATF_TP_ADD_TC(tp, unknown_names);
	ATF_TP_ADD_TC(tp, area_problems);
	ATF_TP_ADD_TC(tp, lua_errors_name_file_and_line);
	ATF_TP_ADD_TC(tp, sandbox_hides_io_and_os);
	ATF_TP_ADD_TC(tp, helper_functions_keep_file_lines);
	ATF_TP_ADD_TC(tp, endless_table_is_stopped);
	return atf_no_error();
}
