-- grading/submission/judge.lua: runs the lab's cases on an image through
-- the grader's own case runner (interface C: <build>/bin/hvrun --results)
-- and checks its record before any point is counted: the right schema,
-- every case once, and the image it judged is the one we hashed.

local util = require("util")
local json = require("json")

local M = {}

-- hvrun's verdicts (harness/judge/verdict.h); only pass earns points.
M.SCHEMA = "hvspec-run-2"
M.OUTCOMES = { pass = true, fail = true, crash = true, timeout = true, error = true, skip = true,
  not_run = true }

local function field(t, k, kind, where)
  local v = t[k]
  if type(v) ~= kind then
    error(string.format("hvrun's results (%s): field '%s' should be a %s, got %s", where, k, kind,
      type(v) == "table" and (json.is_array(v) and "array" or "object") or type(v)), 0)
  end
  return v
end

-- Checks hvrun's record against what was asked; returns the cases by id.
function M.check_record(rec, image_sha, ids)
  if type(rec) ~= "table" or rec.schema ~= M.SCHEMA then
    error("hvrun's results have schema " .. tostring(type(rec) == "table" and rec.schema) ..
      ", expected " .. M.SCHEMA .. ": is " .. "bin/hvrun from another version of hvspec? run make first", 0)
  end
  local image = field(rec, "image", "table", "top")
  if field(image, "sha256", "string", "image") ~= image_sha then
    error("hvrun judged an image with SHA-256 " .. image.sha256 .. ", not the submission's " ..
      image_sha .. "; refusing to grade", 0)
  end
  local by_id = {}
  for i, c in ipairs(field(rec, "cases", "table", "top")) do
    local where = "cases[" .. i .. "]"
    if type(c) ~= "table" then error("hvrun's results: " .. where .. " is not an object", 0) end
    local id = field(c, "id", "string", where)
    if by_id[id] then error("hvrun's results list case " .. id .. " twice", 0) end
    if not M.OUTCOMES[field(c, "outcome", "string", id)] then
      error("hvrun's results: case " .. id .. " has unknown outcome " .. c.outcome, 0)
    end
    -- A case that booted must have booted this image.
    if c.outcome ~= "not_run" and c.outcome ~= "skip" and c.image_sha256 ~= image_sha then
      error("hvrun's results: case " .. id .. " booted an image with SHA-256 " ..
        tostring(c.image_sha256) .. ", not the submission's " .. image_sha .. "; refusing to grade", 0)
    end
    by_id[id] = c
  end
  for _, id in ipairs(ids) do
    if not by_id[id] then error("hvrun's results have no entry for case " .. id, 0) end
  end
  return by_id
end

-- Runs the cases `ids` on image (already hashed: image_sha). Returns the
-- cases by id and the run's record. Raises a message when hvrun cannot
-- run at all (a grader problem, not the student's).
function M.run(opts)
  local hvrun = opts.build .. "/bin/hvrun"
  local results = opts.work .. "/run-results.json"
  local run_dir = opts.work .. "/runs"
  util.mkdir_p(run_dir)
  local words = { "env", "HVSPEC_ROOT=" .. opts.root, hvrun, "--results", results,
    "--kernel", opts.image, "--jobs", tostring(opts.jobs), "--run-dir", run_dir,
    "--budget", tostring(opts.budget), "--run-timeout", tostring(opts.run_timeout) }
  if opts.engine then
    words[#words + 1] = "--engine"
    words[#words + 1] = opts.engine
  end
  for _, id in ipairs(opts.ids) do words[#words + 1] = id end
  local log = opts.log
  local rc = util.run(words, "</dev/null >" .. util.q(log) .. " 2>&1")
  if rc ~= 0 and rc ~= 1 then
    error("bin/hvrun could not run the cases (exit " .. rc .. "): " ..
      util.one_line(util.tail_bytes(log, 600) or "", 400), 0)
  end
  local ok, rec = pcall(json.read_file, results)
  if not ok then error("bin/hvrun wrote no readable results: " .. tostring(rec), 0) end
  return M.check_record(rec, opts.image_sha, opts.ids), rec
end

return M
