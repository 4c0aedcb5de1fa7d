# grading/lib/grader-copy.sh: sourced by the grading test programs (atf-sh)
# that grade in a private copy of the tree.
#
# copy_grader_tree ROOT BUILD DEST: copies the hvspec tree ROOT into DEST (a
# new folder), without build folders, git history or grade outputs, and links
# the copy's build folder to BUILD: the copy's grading/grade, batch and make
# targets then run with BUILD's harness, and BUILD's bin/hvrun finds its
# probes under HVSPEC_ROOT/<the build folder it was built for, as given to
# make>, which in the copy is the link. The copy gets lab t-basics:
# vmx-basics in small (its two solution regions and whitelist, a hidden case,
# one case that passes without the regions; 16 cases in 5 boots where
# vmx-basics has 103 in 55), for the tests of the grading machinery (grading
# a lab's many Bochs boots judges the lab, which grading/handout does).
# Returns 1 when ROOT cannot be copied.
copy_grader_tree()
{
	local root=$1 build=$2 dest=$3
	mkdir "$dest" || return 1
	tar -C "$root" --exclude='./build*' --exclude=./.git --exclude='./grade-*' -cf - . |
		tar -C "$dest" -xf - || return 1
	case $build in
	"$root"/*)
		mkdir -p "$dest/$(dirname "${build#"$root"/}")"
		ln -s "$build" "$dest/${build#"$root"/}" ;;
	*) ln -s "$build" "$dest/$(basename "$build")" ;;
	esac
	cat >"$dest/grading/labs/t-basics.lua" <<'LAB'
lab {
  name = "t-basics", title = "grading tests: vmx-basics in small", doc = "Test lab.",
  source = "grading/lib/grader-copy.sh",
  cases = { "boot.bad_not_elf", "cpuid", "hypercall.print_hello", "hypercall.print_1g_page" },
  hidden = { "hypercall.print_1g_page" },
  regions = {
    { name = "hypercall_print", doc = "hc_print() in reference/core/exit_hypercall.c",
      needs = { "hypercall", "cpuid" } },
    { name = "cpuid", doc = "handle_cpuid() in reference/core/exit_cpuid.c", needs = { "cpuid" } },
  },
  editable = { "reference/core/exit_hypercall.c", "reference/core/exit_cpuid.c" },
}
LAB
}
