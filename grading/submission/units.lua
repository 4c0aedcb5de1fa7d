-- grading/submission/units.lua: the lab's host unit-test programs (L.units,
-- atf-c programs such as tests/unit/ept_test) built from the student's
-- tree and run inside the sandbox. A program earns its points when every
-- one of its test cases passes.
--
-- The tests' own sources are the grader's (tests/unit/ is copied from the
-- grader tree over the student's before the build), so only the student's
-- modules are theirs. The modules run in the same process as the test code,
-- so, as with any in-process unit test, a module written to fake results
-- could; the hypervisor's own cases run only inside the emulator.

local util = require("util")
local build = require("build")

local M = {}

M.CASE_TIMEOUT = 60        -- seconds for one test case
M.STATUS_FILE = "units.status"

-- The script run in the sandbox: builds the programs, then runs each test
-- case in its own folder and appends one line per result to units.status:
--   build STATUS | missing PROG | list PROG STATUS | case PROG NAME RESULT-LINE
local SCRIPT = [[
set -u
status=units.status
: >"$status"
targets=
for p in "$@"; do targets="$targets $PWD/out/$p"; done
# shellcheck disable=SC2086
make --no-print-directory -C tree B="$PWD/out" $targets
echo "build $?" >>"$status"
for p in "$@"; do
	name=${p##*/}
	prog=$PWD/out/$p
	if [ ! -x "$prog" ]; then echo "missing $name" >>"$status"; continue; fi
	"$prog" -l >"unit-$name.list" 2>&1
	echo "list $name $?" >>"$status"
	for tc in $(sed -n 's/^ident: //p' "unit-$name.list"); do
		dir=$PWD/unit-run/$name/$tc
		mkdir -p "$dir"
		(cd "$dir" && timeout ]] .. M.CASE_TIMEOUT .. [[ "$prog" -s "${prog%/*}" -r "$dir/result" "$tc")
		rc=$?
		result=$(head -n 1 "$dir/result" 2>/dev/null)
		echo "case $name $tc $rc ${result:-broken: no result (exit status $rc)}" >>"$status"
	done
done
]]

local function entry(u, outcome, reason)
  return { name = u.program, visibility = u.visibility, outcome = outcome,
    points = outcome == "pass" and u.points or 0, max_points = u.points, reason = reason }
end

-- Grades L.units. opts: root, area (the build area of a built source
-- submission, or nil), built (whether the hypervisor built).
function M.grade(L, opts)
  local out = {}
  if #L.units == 0 then return out end
  if not opts.area or not opts.built then
    local why = opts.area and "not run: the hypervisor did not build" or
      "not run: unit tests need the source (a prebuilt image or a refused submission has none)"
    for _, u in ipairs(L.units) do out[#out + 1] = entry(u, "not_run", why) end
    return out
  end
  local area = opts.area
  -- The grader's tests over the student's tree.
  local src = opts.root .. "/tests/unit"
  for _, e in ipairs(util.walk(src)) do
    if e.type == "f" and not e.path:find("/", 1, true) and (e.path:match("%.c$") or e.path:match("%.mk$")) then
      if util.run({ "cp", "--", src .. "/" .. e.path, area .. "/tree/tests/unit/" .. e.path }) ~= 0 then
        error("cannot copy the grader's tests/unit/" .. e.path, 0)
      end
    end
  end
  local words = { opts.root .. "/grading/sandbox/run", "--time", tostring(L.build_timeout),
    "--mem", tostring(build.MEM_MIB), "--procs", tostring(build.PROCS),
    "--output", tostring(build.OUTPUT_BYTES), "--log", area .. "/../units.log", "--dir", area,
    "--", "sh", "-c", SCRIPT, "units" }
  for _, u in ipairs(L.units) do words[#words + 1] = u.program end
  local err_file = area .. "/../units.stderr"
  local rc = util.run(words, "</dev/null >/dev/null 2>" .. util.q(err_file))
  local err_lines = util.lines(util.read_file(err_file) or "")
  local from_sandbox = (err_lines[#err_lines] or ""):match("^sandbox: (.*)$")
  if rc == 126 and from_sandbox then
    error("the sandbox could not start (grading/sandbox/run): " .. from_sandbox, 0)
  end

  -- Parse the status lines.
  local built_rc, missing, listed, cases = nil, {}, {}, {}
  for _, line in ipairs(util.lines(util.read_file(area .. "/" .. M.STATUS_FILE) or "")) do
    local kind, rest = line:match("^(%S+) (.*)$")
    if kind == "build" then built_rc = tonumber(rest)
    elseif kind == "missing" then missing[rest] = true
    elseif kind == "list" then
      local name, st = rest:match("^(%S+) (%d+)$")
      if name then listed[name] = tonumber(st) end
    elseif kind == "case" then
      local name, tc, _, result = rest:match("^(%S+) (%S+) (%d+) (.*)$")
      if name then
        cases[name] = cases[name] or {}
        table.insert(cases[name], { id = tc, result = result })
      end
    end
  end
  local log_line = build.failure_line(build.scrub(util.read_file(area .. "/../units.log") or "", area))
  for _, u in ipairs(L.units) do
    local name = u.program:match("([^/]+)$")
    local list = cases[name] or {}
    if rc ~= 0 and from_sandbox and #list == 0 then
      out[#out + 1] = entry(u, "error", "stopped by the sandbox: " .. from_sandbox)
    elseif missing[name] or built_rc == nil then
      out[#out + 1] = entry(u, "error", "did not build: " .. log_line)
    elseif listed[name] ~= 0 or #list == 0 then
      out[#out + 1] = entry(u, "error", "the program did not list its test cases")
    else
      local failed = {}
      for _, c in ipairs(list) do
        if c.result ~= "passed" and not c.result:match("^expected_") then
          failed[#failed + 1] = c.id .. " (" .. util.one_line(c.result, 120) .. ")"
        end
      end
      if #failed == 0 then
        out[#out + 1] = entry(u, "pass", string.format("%d test cases passed", #list))
      else
        out[#out + 1] = entry(u, "fail", string.format("%d of %d test cases failed: %s", #failed, #list,
          table.concat(failed, "; ")))
      end
    end
  end
  return out
end

return M
