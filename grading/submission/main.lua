-- grading/submission/main.lua: grade one submission (interface E). Run by
-- grading/grade as: lua5.4 main.lua ROOT WORK [options] SUBMISSION, where
-- WORK is a fresh temporary folder the wrapper removes afterwards.
--
-- Steps: intake (unpack/clone/check the image) -> for sources: a fresh
-- handout copy + the whitelisted files -> sandboxed build -> the lab's cases
-- through the grader's own bin/hvrun -> the lab's unit tests -> the record
-- in every format (report.lua), the table on stdout and the Autolab line
-- last.

local ROOT, WORK = arg[1], arg[2]
GRADING_DIR = ROOT .. "/grading/submission"
package.path = GRADING_DIR .. "/?.lua;" .. ROOT .. "/grading/lib/?.lua"

local util = require("util")
local json = require("json")
local intake = require("intake")
local tree = require("tree")
local build = require("build")
local judge = require("judge")
local units = require("units")
local report = require("report")

local USAGE = [[
usage: grading/grade [--lab NAME] [--out DIR] [--jobs N] [--engine E] [--ref REF] SUBMISSION
  SUBMISSION  a source folder, a .tar/.tar.gz/.tgz or .zip archive, a git repository
              (--ref: a branch, tag or commit; default HEAD), or a prebuilt image (ELF)
  --lab NAME  the lab to grade against (default: suite, the whole conformance suite;
              grading/rubric lists the labs)
  --out DIR   where the results go (default: ./grade-<submission id>)
  --jobs N    parallel boots (default 2; the build itself runs one job)
  --engine E  bochs (default) or qemu-kvm
Exit status: 0 graded (whatever the score), 2 bad usage or unreadable submission.]]

local function stderr(fmt, ...)
  io.stderr:write("grade: " .. string.format(fmt, ...) .. "\n")
end

local function parse_args(argv)
  local o = { lab = "suite", jobs = 2 }
  local i = 1
  local function value(name)
    i = i + 1
    if argv[i] == nil then util.usage_error(name .. " needs a value\n" .. USAGE) end
    return argv[i]
  end
  while i <= #argv do
    local a = argv[i]
    local name, inline = a:match("^(%-%-[%w-]+)=(.*)$")
    if name then
      table.insert(argv, i + 1, inline)
      a = name
    end
    if a == "-h" or a == "--help" then
      io.stdout:write(USAGE, "\n")
      os.exit(0)
    elseif a == "--lab" then o.lab = value(a)
    elseif a == "--out" then o.out = value(a)
    elseif a == "--ref" then o.ref = value(a)
    elseif a == "--engine" then
      o.engine = value(a)
      if o.engine ~= "bochs" and o.engine ~= "qemu-kvm" then
        util.usage_error("--engine must be bochs or qemu-kvm, got '" .. o.engine .. "'")
      end
    elseif a == "--jobs" or a == "-j" then
      local v = value(a)
      o.jobs = math.tointeger(tonumber(v))
      if not v:match("^%d+$") or not o.jobs or o.jobs < 1 or o.jobs > 64 then
        util.usage_error("--jobs wants a whole number from 1 to 64, got '" .. v .. "'")
      end
    elseif a == "--" then
      i = i + 1
      break
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      util.usage_error("unknown option '" .. a .. "'\n" .. USAGE)
    else
      break
    end
    i = i + 1
  end
  local rest = {}
  for j = i, #argv do rest[#rest + 1] = argv[j] end
  if #rest ~= 1 then
    util.usage_error((#rest == 0 and "no SUBMISSION given" or
      ("one SUBMISSION at a time, got " .. #rest .. " (grading/batch grades a folder of them)")) ..
      "\n" .. USAGE)
  end
  o.submission = rest[1]
  return o
end

-- The grader's build folder: $HVSPEC_BUILD (absolute) or ROOT/build, with
-- the case runner and the probes in it.
local function grader_build()
  local b = os.getenv("HVSPEC_BUILD")
  if b and b ~= "" then
    if b:sub(1, 1) ~= "/" then
      util.usage_error("HVSPEC_BUILD must be an absolute path, got '" .. b .. "'")
    end
  else
    b = ROOT .. "/build"
  end
  local hvrun = b .. "/bin/hvrun"
  if util.kind(hvrun) ~= "f" then
    util.usage_error("the case runner " .. hvrun .. " is missing: run make first (in " .. ROOT .. ")")
  end
  local probes = util.walk(b .. "/guest-probes")
  local any = false
  for _, e in ipairs(probes) do if e.path:match("%.elf$") then any = true end end
  if not any then
    util.usage_error("no guest probes in " .. b .. "/guest-probes: run make first (in " .. ROOT .. ")")
  end
  return b
end

local function load_lab(name)
  local lab = dofile(ROOT .. "/grading/lib/lab.lua")
  local ok, L = pcall(lab.load, ROOT, name)
  if not ok then util.usage_error("lab " .. name .. ": " .. tostring(L)) end
  return L
end

-- Empties the output files of an earlier grading, results.json first, so a
-- crash can never leave old results that look current.
local OUTPUTS = { "results.json", "gradescope/results.json", "autolab.txt", "junit.xml",
  "summary.txt", "feedback.md", "feedback.html", "build.log", "hvspec.elf", "hvrun.log" }
local function prepare_out(out)
  util.mkdir_p(out)
  if not util.is_dir(out) then util.usage_error("--out " .. out .. " is not a folder") end
  for _, f in ipairs(OUTPUTS) do os.remove(out .. "/" .. f) end
  local probe = out .. "/.grade-write-test"
  local f = io.open(probe, "w")
  if not f then util.usage_error("cannot write in --out " .. out) end
  f:close()
  os.remove(probe)
end

-- One case of the record, from the lab's case and hvrun's entry (nil when
-- the case was not judged: `why` says why).
local function case_entry(c, run, why, image_sha)
  if not run then
    return { id = c.id, area = c.area, visibility = c.visibility, outcome = "not_run",
      points = 0, max_points = c.points, reason = why, details = "", rerun = "",
      seconds = 0, image_sha256 = image_sha or json.null }
  end
  local function str(v) return type(v) == "string" and v or "" end
  return {
    id = c.id, area = c.area, visibility = c.visibility, outcome = run.outcome,
    points = run.outcome == "pass" and c.points or 0, max_points = c.points,
    reason = util.one_line((str(run.reason):gsub("%s*%(rerun: [^\n]*$", "")), 300),
    details = str(run.details), rerun = str(run.rerun),
    seconds = type(run.seconds) == "number" and run.seconds or 0,
    image_sha256 = type(run.image_sha256) == "string" and run.image_sha256 or json.null,
  }
end

local function main(argv)
  local started = util.clock()
  local o = parse_args(argv)
  local b = grader_build()
  local L = load_lab(o.lab)
  local id = intake.submission_id(o.submission)
  local out = o.out or ("grade-" .. id)
  prepare_out(out)
  out = util.realpath(out)

  local rec = {
    schema = report.SCHEMA, submission = o.submission, id = id, lab = L.name,
    status = "graded", status_reason = "", image = json.null, score = 0, max_score = L.max_score,
    areas = json.object(), ignored_files = json.array(), cases = json.array(), units = json.array(),
  }
  local extra = { lab_title = L.title, editable = L.editable, missing = {} }
  local build_log = ""
  local image

  -- Where the time goes (for benchmarks): wall seconds per step.
  local timing = json.object()
  local step_start = util.clock()
  local function step_done(name)
    local now = util.clock()
    timing[name .. "_seconds"] = math.floor((now - step_start) * 100 + 0.5) / 100
    step_start = now
  end

  stderr("%s: lab %s, %d cases, %d points", id, L.name, #L.cases, L.max_score)
  local sub = intake.open(o.submission, o.ref, WORK)
  rec.intake = { kind = sub.kind, commit = sub.commit or json.null }
  if sub.refused then
    rec.status, rec.status_reason = "intake_failed", "the submission was refused: " .. sub.refused
    build_log = "no build: " .. rec.status_reason .. "\n"
  elseif sub.image then
    image = sub.image
    build_log = "no build: a prebuilt image was submitted\n"
  else
    stderr("%s: %s submission; assembling the handout of lab %s with the whitelisted files", id, sub.kind, L.name)
    local handout = tree.handout(ROOT, b, L.name, WORK)
    -- A handout that does not build itself would score every student 0 for
    -- the grader's fault: checked once per handout, in the sandbox.
    local check_file = util.dirname(handout) .. "/.build-check"
    if not util.is_file(check_file) then
      stderr("%s: checking that the handout of lab %s builds (once per grader version)", id, L.name)
      local check_area = WORK .. "/handout-check"
      util.mkdir_p(check_area .. "/tree")
      if util.run({ "cp", "-a", "--", handout .. "/.", check_area .. "/tree" }) ~= 0 then
        error("cannot copy the handout " .. handout, 0)
      end
      local r = build.build({ root = ROOT, area = check_area, timeout = L.build_timeout })
      util.write_atomic(check_file, r.status == "built" and "builds\n" or (r.status .. ": " .. r.reason .. "\n"))
      util.rm_rf(check_area)
    end
    local check = util.read_file(check_file) or ""
    if check ~= "builds\n" then
      util.usage_error("the handout of lab " .. L.name .. " does not build by itself, so no submission can " ..
        "be graded fairly: " .. util.one_line(check, 300) .. " (fix the grader tree; " .. check_file .. ")")
    end
    local area = WORK .. "/area"
    util.mkdir_p(area .. "/tree")
    local sub_root = tree.tree_root(sub.tree, handout)
    -- grade run inside the student's folder writes its results there too.
    local prune = {}
    if out:sub(1, #sub_root + 1) == sub_root .. "/" then prune[1] = out:sub(#sub_root + 2) end
    local assembled = tree.assemble(handout, sub_root, L.editable, area .. "/tree", prune)
    for _, p in ipairs(assembled.ignored) do rec.ignored_files[#rec.ignored_files + 1] = p end
    extra.missing = assembled.missing
    step_done("intake")
    stderr("%s: building in the sandbox (limit %d s)", id, L.build_timeout)
    local built = build.build({ root = ROOT, area = area, timeout = L.build_timeout })
    build_log = built.log
    step_done("build")
    if built.status ~= "built" then
      rec.status, rec.status_reason = built.status, built.reason
      extra.build_log_tail = report.log_tail(built.log)
    else
      image = built.image
    end
    extra.area = area
  end

  -- The judged image is a copy in the output folder: the submission or the
  -- build folder can change afterwards, the record's image cannot.
  local image_sha
  if image then
    local judged = out .. "/hvspec.elf"
    if util.run({ "cp", "--", image, judged }) ~= 0 then error("cannot copy the image to " .. judged, 0) end
    image_sha = util.sha256(judged)
    rec.image = { path = judged, sha256 = image_sha }
  end

  if not timing.intake_seconds then step_done("intake") end
  local ids = {}
  for i, c in ipairs(L.cases) do ids[i] = c.id end
  local runs = {}
  if image then
    stderr("%s: judging %d cases with %s/bin/hvrun (image sha256 %s)", id, #ids, b, image_sha)
    local run_dir_prefix = WORK .. "/runs"
    runs = judge.run({ root = ROOT, build = b, work = WORK, image = rec.image.path, image_sha = image_sha,
      ids = ids, jobs = o.jobs, engine = o.engine, budget = L.budget, run_timeout = L.run_timeout,
      log = out .. "/hvrun.log" })
    -- The shared runs live in the temporary folder, gone after grading; and
    -- which case of a shared boot ran it first depends on scheduling. Both
    -- would make two gradings of one submission differ.
    for _, r in pairs(runs) do
      if type(r.details) == "string" then
        r.details = r.details:gsub("files in " .. run_dir_prefix:gsub("%p", "%%%0") .. "[^\n]*",
          "files in <removed run folder>"):gsub(" %(shared with an earlier case%)", "")
      end
    end
  end
  step_done("boots")
  local why_not_run = "not run: " .. rec.status .. (rec.status_reason ~= "" and (": " .. rec.status_reason) or "")
  local not_run_budget, skipped = 0, 0
  for _, c in ipairs(L.cases) do
    local e = case_entry(c, runs[c.id], why_not_run, image_sha)
    rec.cases[#rec.cases + 1] = e
    if e.outcome == "not_run" and image then not_run_budget = not_run_budget + 1 end
    if e.outcome == "skip" then skipped = skipped + 1 end
  end
  if image and not_run_budget > 0 then
    rec.status = "budget_spent"
    rec.status_reason = string.format("the lab's budget of %d s of boots was spent: %d case%s not run",
      L.budget, not_run_budget, not_run_budget == 1 and "" or "s")
  end
  if skipped > 0 then
    rec.status_reason = (rec.status_reason ~= "" and (rec.status_reason .. "; ") or "") ..
      string.format("%d case%s skipped by the engine here (no points): check the grading machine",
        skipped, skipped == 1 and " was" or "s were")
  end

  -- Unit tests of the student's modules, from the assembled tree.
  for _, u in ipairs(units.grade(L, { root = ROOT, area = extra.area,
      built = image ~= nil and extra.area ~= nil })) do
    rec.units[#rec.units + 1] = u
  end

  -- Scores per area, in points.
  local score = 0
  for _, c in ipairs(rec.cases) do
    local a = rec.areas[c.area] or { score = 0, max_score = 0 }
    a.score, a.max_score = a.score + c.points, a.max_score + c.max_points
    rec.areas[c.area] = a
    score = score + c.points
  end
  if #rec.units > 0 then
    local a = { score = 0, max_score = 0 }
    for _, u in ipairs(rec.units) do
      a.score, a.max_score = a.score + u.points, a.max_score + u.max_points
      score = score + u.points
    end
    rec.areas[report.UNITS_AREA] = a
  end
  step_done("units")
  rec.score = score
  rec.timing = timing
  rec.graded_at = util.utc_now()
  rec.seconds = math.floor((util.clock() - started) * 10 + 0.5) / 10

  util.write_atomic(out .. "/build.log", build_log)
  report.write_all(out, rec, extra)
  io.stdout:write(report.summary_text(rec))
  io.stdout:write(report.autolab_line(rec), "\n")
  return 0
end

local ok, err = xpcall(main, function(e)
  if util.is_usage_error(e) then return e end
  if type(e) == "string" and not e:find("\n") then return e end
  return debug.traceback(tostring(e), 2)
end, { table.unpack(arg, 3) })
if ok then os.exit(err) end
if util.is_usage_error(err) then
  io.stderr:write("grade: " .. err.msg .. "\n")
else
  io.stderr:write("grade: cannot grade: " .. tostring(err) .. "\n")
end
os.exit(2)
