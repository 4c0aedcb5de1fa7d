-- grading/gradebook/records.lua: one gradebook record per submission of a
-- batch, read from grading/grade's results.json (schema hvspec-grade-1) or,
-- when grading did not finish, from the outcome file the batch job wrote.
--
-- Use: local records = dofile(ROOT .. "/grading/gradebook/records.lua")
--      local rec, problem = records.read_results(json, path, lab, id)
--      local rec = records.load(json, out_dir, lab, id)
-- A record: { id=, status=, reason=, score= (nil when there is no grade),
--   max_score=, areas = {name = score}, image_sha256=, cases = {{id=, area=,
--   visibility=, outcome=, points=, max_points=}}, seconds=, graded = bool }

local M = {}

M.SCHEMA = "hvspec-grade-1"

-- Statuses grading/grade gives a submission it graded (interface E): each
-- comes with a score, also 0 for a build that failed.
M.GRADE_STATUSES = {
  graded = true, build_failed = true, build_timeout = true, build_limit = true,
  intake_failed = true, budget_spent = true,
}

-- Statuses the batch gives a submission without a grade (no score).
M.NO_GRADE_STATUSES = {
  grade_timeout = "grading/grade ran longer than the batch's per-submission limit and was killed",
  grade_refused = "grading/grade refused the submission (exit status 2)",
  grade_failed = "grading/grade failed without writing a complete results.json",
  not_graded = "no grading record: the batch stopped before this submission ran",
}

local function is_number(v) return math.type(v) ~= nil end

local function describe(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

-- Checks the fields the gradebook needs; returns a problem string or nil.
local function problem_of(json, r, lab, id)
  if not json.is_object(r) then return "not a JSON object" end
  if r.schema ~= M.SCHEMA then
    return string.format("schema is %s, expected %q", describe(r.schema), M.SCHEMA)
  end
  if lab and r.lab ~= lab then
    return string.format("graded for lab %s, not %q", describe(r.lab), lab)
  end
  if id and r.id ~= id then
    return string.format("submission id is %s, not %q", describe(r.id), id)
  end
  if type(r.status) ~= "string" or not M.GRADE_STATUSES[r.status] then
    return "status " .. describe(r.status) .. " is not one grading/grade writes"
  end
  if not is_number(r.score) or not is_number(r.max_score) then
    return "score or max_score is not a number"
  end
  if not json.is_object(r.areas) then return "areas is not an object" end
  for name, a in pairs(r.areas) do
    if not json.is_object(a) or not is_number(a.score) then
      return "areas." .. name .. ".score is not a number"
    end
  end
  if not json.is_array(r.cases) then return "cases is not an array" end
  for i, c in ipairs(r.cases) do
    if not json.is_object(c) or type(c.id) ~= "string" or type(c.outcome) ~= "string" then
      return string.format("cases[%d] lacks an id or outcome", i)
    end
  end
  if r.image ~= json.null and r.image ~= nil then
    if not json.is_object(r.image) or type(r.image.sha256) ~= "string" then
      return "image has no sha256"
    end
  end
  return nil
end

local function opt_string(json, v)
  if v == nil or v == json.null then return nil end
  return tostring(v)
end

-- Reads one results.json. Returns a record, or nil and the problem (a
-- missing file, malformed JSON, another lab's or submission's record).
function M.read_results(json, path, lab, id)
  local f = io.open(path, "rb")
  if not f then return nil, path .. ": missing" end
  f:close()
  local ok, r = pcall(json.read_file, path)
  if not ok then return nil, tostring(r) end
  local problem = problem_of(json, r, lab, id)
  if problem then return nil, path .. ": " .. problem end
  local rec = {
    id = r.id, status = r.status, graded = true,
    reason = opt_string(json, r.status_reason) or "",
    score = r.score, max_score = r.max_score, areas = {},
    image_sha256 = (r.image ~= nil and r.image ~= json.null) and r.image.sha256 or "",
    seconds = is_number(r.seconds) and r.seconds or nil,
    cases = {},
  }
  for name, a in pairs(r.areas) do rec.areas[name] = a.score end
  for _, c in ipairs(r.cases) do
    rec.cases[#rec.cases + 1] = {
      id = c.id, outcome = c.outcome, area = opt_string(json, c.area) or "",
      visibility = opt_string(json, c.visibility) or "",
      points = is_number(c.points) and c.points or 0,
      max_points = is_number(c.max_points) and c.max_points or 0,
      seconds = is_number(c.seconds) and c.seconds or nil,
    }
  end
  return rec
end

-- Reads the outcome file a batch job writes (lines "key=value"); returns a
-- table of its keys or nil when there is none.
function M.read_outcome(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local t = {}
  for line in f:lines() do
    local k, v = line:match("^([%w_]+)=(.*)$")
    if k then t[k] = v end
  end
  f:close()
  return t
end

-- Where the batch keeps a submission's files.
function M.results_path(out_dir, id) return out_dir .. "/" .. id .. "/results.json" end
function M.outcome_path(out_dir, id) return out_dir .. "/.batch/" .. id .. ".outcome" end
function M.log_path(out_dir, id) return out_dir .. "/.batch/" .. id .. ".log" end

-- The gradebook record of submission id in out_dir: its results.json when
-- complete, else a record without a score that says why.
function M.load(json, out_dir, lab, id, max_score)
  local rec, problem = M.read_results(json, M.results_path(out_dir, id), lab, id)
  if rec then return rec end
  local outcome = M.read_outcome(M.outcome_path(out_dir, id))
  local status, reason
  if outcome and M.NO_GRADE_STATUSES[outcome.status] then
    status = outcome.status
    reason = outcome.reason ~= "" and outcome.reason or M.NO_GRADE_STATUSES[status]
  elseif outcome or not problem:find(": missing$") then
    -- A record that is broken, of another lab, or gone since the job
    -- checked it: never read as a grade, and the problem is named.
    status, reason = "grade_failed", problem
  else
    status, reason = "not_graded", M.NO_GRADE_STATUSES.not_graded
  end
  return {
    id = id, status = status, reason = reason, graded = false,
    max_score = max_score, areas = {}, image_sha256 = "", cases = {},
  }
end

return M
