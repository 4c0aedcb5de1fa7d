#!/usr/bin/env lua5.4
-- ci/mutate/outcome.lua: what an hvrun --results file (schema hvspec-run-2)
-- says, for ci/mutate.sh.
--   outcome.lua failing FILE   the ids of the cases that did not pass, one a line
--   outcome.lua seconds FILE   the wall time of the whole run, in seconds
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/../../grading/lib/?.lua;" .. package.path
local json = require("json")

local what, path = arg[1], arg[2]
if (what ~= "failing" and what ~= "seconds") or not path then
  io.stderr:write("usage: outcome.lua failing|seconds RESULTS.json\n")
  os.exit(2)
end
local ok, rec = pcall(json.read_file, path)
if not ok or type(rec) ~= "table" or rec.schema ~= "hvspec-run-2" or type(rec.cases) ~= "table" then
  io.stderr:write("outcome.lua: ", path, " is not an hvrun results file\n")
  os.exit(1)
end
if what == "seconds" then
  print(string.format("%d", math.ceil(tonumber(rec.seconds) or 0)))
else
  for _, c in ipairs(rec.cases) do
    if c.outcome ~= "pass" then print(c.id) end
  end
end
