-- grading/handout/student_readme.lua: the README.md of a handout tree, for
-- the students of one lab.
--
-- Use: local readme = dofile(".../student_readme.lua")
--      local text = readme.render(L, blocks_by_region, public_cases, hidden_count)

local M = {}

local function bullet_list(items)
  local out = {}
  for _, s in ipairs(items) do out[#out + 1] = "- " .. s end
  return table.concat(out, "\n")
end

function M.render(L, blocks_by_region, public_cases, hidden_count)
  local out = {}
  local function put(s) out[#out + 1] = s or "" end

  put("# hvspec lab `" .. L.name .. "`: " .. L.title)
  put()
  put(L.doc)
  put()
  put("Based on: " .. L.source .. ".")
  put()
  put("This tree is a starter copy of hvspec: a small Intel VMX hypervisor (`reference/`),")
  put("the guest probes it is tested with (`guest-probes/`), the firmware that boots")
  put("both under the Bochs emulator (`romboot/`), the test harness (`harness/`, `tests/`) and the")
  put("spec cases of this lab (`spec/*.lua`, with the contract in `spec/contract.md`).")
  put()

  put("## What to write")
  put()
  if #L.regions == 0 then
    put("Nothing is removed: the whole hypervisor is here, and every case of the lab should")
    put("already pass. Change it as your course asks.")
  else
    put("Parts of the hypervisor were removed. Each one is marked in the code by a comment")
    put("`Lab " .. L.name .. ", region \"NAME\"` followed by a stub that ends the VM with")
    put("`[hv] end: not implemented: NAME` when the guest reaches it:")
    put()
    local is_public = {}
    for _, c in ipairs(public_cases) do is_public[c.id] = true end
    for _, r in ipairs(L.regions) do
      local n = 0
      for _, id in ipairs(L.needs[r]) do if is_public[id] then n = n + 1 end end
      local places = {}
      for _, b in ipairs(blocks_by_region[r]) do places[#places + 1] = "`" .. b.file .. "`" end
      put(string.format("- `%s` in %s: needed by %d of the cases here", r, table.concat(places, ", "), n))
    end
    put()
    put("Replace each stub with your implementation. `spec/contract.md` says what the")
    put("hypervisor must do; the spec cases say exactly what each case checks.")
  end
  if L.builds_on then
    put()
    put(string.format("This lab builds on lab `%s`, whose parts are already implemented here.", L.builds_on))
  end
  put()

  put("## Files you may edit")
  put()
  put("Only these files count when your work is graded (also listed in `EDITABLE`; a")
  put("trailing `/` means the whole folder). Changes anywhere else are ignored and")
  put("restored before grading, and listed in your feedback:")
  put()
  local items = {}
  for _, e in ipairs(L.editable) do items[#items + 1] = "`" .. e .. "`" end
  put(bullet_list(items))
  put()

  put("## Build and run")
  put()
  put("You need a Debian-like system with gcc, binutils, nasm, lua5.4, kyua, atf and")
  put("Bochs; `make deps` checks them and prints the `apt-get install` line to run.")
  put()
  put("```sh")
  put("make                       # builds everything into build/")
  put("make run                   # builds, then runs every case here (two at a time)")
  put(string.format("make run CASES='%s%%..*'   # only the cases whose ids match a Lua pattern (or one id)",
    public_cases[1].area))
  put("make check                 # the cases, plus the host unit tests of reference/")
  put("build/bin/hvrun --list     # every case id with its spec file:line")
  put("build/bin/hvrun CASE_ID    # boots one case, prints the transcript and the judgement")
  put("```")
  put()
  put("`build/reference/hvspec.elf` is the hypervisor image that is booted and graded.")
  put()

  put("## Reading a failure")
  put()
  put("Each case boots the hypervisor and one guest probe under Bochs and judges the serial")
  put("transcript. A failed case says what was expected, what was seen, the last lines of")
  put("the transcript, and the `hvrun` command that reruns it. Common verdicts:")
  put()
  put("- `FAIL: ... not implemented: NAME`: the guest reached a part you still have to write.")
  put("- `FAIL: ...`: the VM ended (`[hv] end: ...`) but the report or a line breaks the spec.")
  put("- `CRASH: ...`: the run ended without an `[hv] end:` line (a reset, triple fault or power-off).")
  put("- `TIMEOUT: ...`: the machine did not power off within its time limit.")
  put("- `ERROR: ...`: the suite or its set-up is broken (not your hypervisor); nothing was judged.")
  put()
  put("`build/bin/hvrun --keep DIR CASE_ID` keeps the run's files (transcript, Bochs log).")
  put()

  put("## Grading")
  put()
  local areas, order = {}, {}
  for _, c in ipairs(public_cases) do
    if not areas[c.area] then areas[c.area] = { n = 0, points = 0 }; order[#order + 1] = c.area end
    areas[c.area].n = areas[c.area].n + 1
    areas[c.area].points = areas[c.area].points + c.points
  end
  local public_points = 0
  put("| area | cases here | points |")
  put("|---|---|---|")
  for _, a in ipairs(order) do
    put(string.format("| %s | %d | %d |", a, areas[a].n, areas[a].points))
    public_points = public_points + areas[a].points
  end
  put()
  local unit_points = 0
  for _, u in ipairs(L.units) do unit_points = unit_points + u.points end
  put(string.format("The %d cases here are worth %d points.", #public_cases, public_points))
  if hidden_count > 0 then
    put(string.format("%d more cases are graded but not handed out (hidden); they check the same", hidden_count))
    put("contract, so read `spec/contract.md` rather than only the cases here.")
  end
  if #L.units > 0 then
    local names = {}
    for _, u in ipairs(L.units) do names[#names + 1] = "`" .. u.program .. "`" end
    put(string.format("The host unit tests %s (%d points) are graded too (`make check` runs them).",
      table.concat(names, ", "), unit_points))
  end
  put(string.format("The lab is worth %d points in total. Each boot may take at most %d s; the grader",
    L.max_score, L.run_timeout))
  put(string.format("stops booting after %d s per submission and builds for at most %d s.", L.budget, L.build_timeout))
  put()
  return table.concat(out, "\n")
end

return M
