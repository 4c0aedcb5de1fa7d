#! /usr/bin/env atf-sh
# ci/mutate/generate.lua, the mutant generator of ci/mutate.sh: the exact
# mutants of a fixture full of lexer corner cases, --apply, the seeded
# stratified sample, and usage errors. (A run of ci/mutate.sh itself boots
# hundreds of machines: a benchmark, not a test.)

ROOT=@ROOT@
GEN="lua5.4 $ROOT/ci/mutate/generate.lua"
FIX=$ROOT/tests/mutate/fixtures

atf_test_case exact_list
exact_list_head()
{
	atf_set descr "comments, strings, characters, directives, '->', '&&', unary minus," \
		"casts and solution stubs give exactly the expected mutants"
	atf_set timeout 20
}
exact_list_body()
{
	$GEN --root "$FIX" lexer.c | cut -f1 >got || atf_fail "generate.lua failed"
	diff -u "$FIX/lexer.expected" got || atf_fail "the mutants differ from lexer.expected (above)"
}

atf_test_case apply
apply_head()
{
	atf_set descr "--apply rewrites exactly the one site, and refuses an id the source lacks"
	atf_set timeout 20
}
apply_body()
{
	cp "$FIX/lexer.c" .
	atf_check -s exit:0 $GEN --root . --apply 'lexer.c:17:14:logical:&&->||'
	diff "$FIX/lexer.c" lexer.c >d || true
	atf_check -o inline:"17c17\n< \tif (n->next && !n->value)\n---\n> \tif (n->next || !n->value)\n" cat d
	cp "$FIX/lexer.c" .
	atf_check -s exit:0 $GEN --root . --apply 'lexer.c:18:3:statement:*out=k;->{}'
	atf_check -o inline:"\t\t{}\n" sed -n 18p lexer.c
	atf_check -s exit:1 -e match:'holds no mutant' $GEN --root "$FIX" --apply 'lexer.c:17:14:logical:||->&&'
}

atf_test_case sample
sample_head()
{
	atf_set descr "--seed/--count: the same sample every time, COUNT mutants, in rounds over the files"
	atf_set timeout 20
}
sample_body()
{
	cp "$FIX/lexer.c" a.c
	cp "$FIX/lexer.c" b.c
	$GEN --root . --seed 7 --count 5 a.c b.c >one || atf_fail "generate.lua failed"
	$GEN --root . --seed 7 --count 5 a.c b.c >two || atf_fail "generate.lua failed"
	cmp -s one two || atf_fail "the same seed gave two samples"
	atf_check -o inline:"5\n" sh -c 'wc -l <one'
	# In rounds over the files: a.c, b.c, a.c, ...
	atf_check -o inline:"a.c\nb.c\na.c\nb.c\na.c\n" cut -f2 one
	$GEN --root . --seed 8 --count 5 a.c b.c >three || atf_fail "generate.lua failed"
	! cmp -s one three || atf_fail "seeds 7 and 8 gave the same sample"
}

atf_test_case usage
usage_head()
{
	atf_set descr "bad arguments: usage and exit status 2"
	atf_set timeout 20
}
usage_body()
{
	atf_check -s exit:2 -e match:'unknown option' $GEN --bogus
	atf_check -s exit:2 -e match:'whole number' $GEN --count many
	atf_check -s exit:2 -e match:'not a mutant id' $GEN --apply nonsense
}

atf_init_test_cases()
{
	atf_add_test_case exact_list
	atf_add_test_case apply
	atf_add_test_case sample
	atf_add_test_case usage
}
