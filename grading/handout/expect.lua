#!/usr/bin/env lua5.4
-- grading/handout/expect.lua: what a lab's handout must do, from the lab
-- table's declarations only (never from running a handout).
--   expect.lua ids ROOT LAB            prints the lab's case ids, one a line
--   expect.lua hidden ROOT LAB         prints the lab's hidden case ids
--   expect.lua check ROOT LAB RESULTS  compares an hvrun results file (schema
--       hvspec-run-2) of the handout's image with the declarations: a case
--       that needs none of the removed regions passes; one that needs some
--       fails with the report "not implemented: R" for one of them.
-- check prints one line per mismatch and a summary; exit 1 on a mismatch,
-- 2 on bad input.

local mode, root, name, results = arg[1], arg[2], arg[3], arg[4]
local function die(msg)
  io.stderr:write("expect.lua: ", msg, "\n")
  os.exit(2)
end
if not (root and name and (mode == "ids" or mode == "hidden" or (mode == "check" and results))) then
  die("usage: expect.lua ids|hidden ROOT LAB | expect.lua check ROOT LAB RESULTS")
end

local lab = dofile(root .. "/grading/lib/lab.lua")
local ok, L = pcall(lab.load, root, name)
if not ok then die(L) end

if mode ~= "check" then
  for _, c in ipairs(L.cases) do
    if mode == "ids" or c.visibility == "hidden" then print(c.id) end
  end
  os.exit(0)
end

local json = dofile(root .. "/grading/lib/json.lua")
local f, err = io.open(results, "rb")
if not f then die("cannot read " .. results .. ": " .. tostring(err)) end
local okj, run = pcall(json.decode, f:read("a"))
f:close()
if not okj then die(results .. ": " .. tostring(run)) end
if type(run) ~= "table" or run.schema ~= "hvspec-run-2" or type(run.cases) ~= "table" then
  die(results .. ": not an hvspec-run-2 results file")
end

local by_id = {}
for _, c in ipairs(run.cases) do by_id[c.id] = c end

local problems, passed, stubbed = {}, 0, 0
for _, c in ipairs(L.cases) do
  local r = by_id[c.id]
  local needs = lab.regions_needed(L, c.id)
  if not r then
    problems[#problems + 1] = c.id .. ": not in the results"
  elseif #needs == 0 then
    if r.outcome == "pass" then
      passed = passed + 1
    else
      problems[#problems + 1] = string.format("%s: needs no removed region but %s: %s", c.id,
        tostring(r.outcome), tostring(r.reason))
    end
  else
    local text = tostring(r.details or "") .. "\n" .. tostring(r.reason or "")
    local reached
    for _, region in ipairs(needs) do
      if text:find("[hv] end: not implemented: " .. region .. "\n", 1, true) then reached = region end
    end
    if r.outcome == "fail" and reached then
      stubbed = stubbed + 1
    else
      problems[#problems + 1] = string.format("%s: needs %s, so it should fail with "
        .. "'[hv] end: not implemented: <one of them>', but %s: %s", c.id, table.concat(needs, ", "),
        tostring(r.outcome), tostring(r.reason))
    end
  end
end

for _, p in ipairs(problems) do print("MISMATCH " .. p) end
print(string.format("lab %s: %d cases, %d passed (need no removed region), %d failed with a "
  .. "not-implemented report (as declared), %d mismatches", L.name, #L.cases, passed, stubbed, #problems))
os.exit(#problems == 0 and 0 or 1)
