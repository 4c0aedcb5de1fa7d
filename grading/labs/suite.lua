-- The whole conformance suite: every spec case, all public, no solution
-- region removed, and all of reference/ editable. `grading/grade` without
-- --lab grades against this lab, so a copy of hvspec's own tree scores
-- full marks.
lab {
  name = "suite",
  title = "The whole hvspec conformance suite",
  doc = "Every case of spec/*.lua. The handout is the reference hypervisor itself: students "
    .. "may change anything under reference/ (to port it, extend it, or replace it).",
  source = "hvspec spec/contract.md, all sections",
  cases = { ".*" },
  editable = { "reference/" },
}
