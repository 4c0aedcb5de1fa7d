-- grading/submission/build.lua: builds a submission's tree inside the
-- sandbox (grading/sandbox/run) and turns every way a build can go wrong
-- into a graded status with a one-line reason.

local util = require("util")
local intake = require("intake")

local M = {}

-- Limits of one sandboxed build besides the lab's build_timeout. The
-- reference builds in about 4 s with under 200 MiB per compiler process.
M.MEM_MIB = 2048          -- memory of the whole build
M.PROCS = 256             -- processes at once (make, sh, gcc, cc1, as, ld)
M.OUTPUT_BYTES = 1048576  -- what the build may print before it is stopped
M.LOG_KEEP_BYTES = 1048576
M.IMAGE = "reference/hvspec.elf"

-- Sandbox exit statuses (interface D).
local TIME_LIMIT, OUTPUT_LIMIT, SANDBOX_BROKEN = 124, 125, 126

-- The line of a build log that best says why it failed: the first
-- compiler or linker error, else make's first "***" line, else the last line.
function M.failure_line(log_text)
  local lines = util.lines(log_text or "")
  for _, l in ipairs(lines) do
    if l:find(": error: ", 1, true) or l:find(": fatal error: ", 1, true) or
       l:find("undefined reference to", 1, true) then
      return util.one_line(l)
    end
  end
  for i, l in ipairs(lines) do
    if l:find("***", 1, true) then
      -- The failing command's own complaint usually sits just above.
      local before = lines[i - 1]
      if before and before:match("%S") and not before:find("***", 1, true) then
        return util.one_line(before, 150) .. " (" .. util.one_line(l, 120) .. ")"
      end
      return util.one_line(l)
    end
  end
  for i = #lines, 1, -1 do
    if lines[i]:match("%S") then return util.one_line(lines[i]) end
  end
  return "the build printed nothing"
end

-- Replaces the grader's temporary folder in text, so logs and reasons do
-- not change from one grading to the next.
function M.scrub(text, work)
  return (text:gsub(work:gsub("%p", "%%%0"), "<build>"))
end

-- Builds tree (a folder inside `area`, the sandbox's only writable place).
-- Returns { status = "built"|"build_failed"|"build_timeout"|"build_limit",
--           reason = ..., image = path-or-nil, log = scrubbed text }.
function M.build(opts)
  local area, root = opts.area, opts.root
  local raw_log = area .. "/../build.raw.log"
  local err_file = area .. "/../sandbox.stderr"
  -- One make job: a parallel make prints its commands in an order that
  -- varies from run to run, and the log must read the same every time
  -- (batches get their parallelism from grading submissions side by side).
  -- Paths are relative to the sandbox's working folder, wherever it is.
  local script = 'exec make --no-print-directory -C tree B="$PWD/out" "$PWD/out/' .. M.IMAGE .. '"'
  local words = { root .. "/grading/sandbox/run",
    "--time", tostring(opts.timeout), "--mem", tostring(M.MEM_MIB), "--procs", tostring(M.PROCS),
    "--output", tostring(M.OUTPUT_BYTES), "--log", raw_log, "--dir", area,
    "--", "sh", "-c", script }
  local rc = util.run(words, "</dev/null >/dev/null 2>" .. util.q(err_file))
  local sandbox_err = util.read_file(err_file) or ""
  local log = util.tail_bytes(raw_log, M.LOG_KEEP_BYTES) or ""
  log = M.scrub(log, area)
  local err_lines = util.lines(sandbox_err)
  local last_err = util.one_line(err_lines[#err_lines] or "")
  local r = { log = log }

  -- The sandbox's own verdicts come with a "sandbox: ..." line on its
  -- stderr (the build's output goes to the log), so a build that itself
  -- exits 124 is not mistaken for a timeout.
  local from_sandbox = last_err:match("^sandbox: (.*)$")
  if rc == SANDBOX_BROKEN and from_sandbox then
    error("the sandbox could not start (grading/sandbox/run): " .. from_sandbox, 0)
  elseif rc == TIME_LIMIT and from_sandbox then
    r.status, r.reason = "build_timeout",
      string.format("the build did not finish within %d s (the lab's build_timeout)", opts.timeout)
  elseif rc == OUTPUT_LIMIT and from_sandbox then
    r.status, r.reason = "build_limit",
      string.format("the build printed more than %d bytes and was stopped (%s)", M.OUTPUT_BYTES, from_sandbox)
  elseif rc ~= 0 and from_sandbox and from_sandbox:find("limit", 1, true) then
    r.status, r.reason = "build_limit", "the build was stopped: " .. from_sandbox
  elseif rc ~= 0 then
    r.status = "build_failed"
    r.reason = string.format("the build failed (exit %d): %s", rc, M.failure_line(log))
  else
    local image = area .. "/out/" .. M.IMAGE
    local head = util.kind(image) == "f" and util.read_file(image, intake.MB2_SEARCH_BYTES)
    if not head then
      r.status, r.reason = "build_failed", "the build succeeded but made no " .. M.IMAGE
    elseif head:sub(1, 4) ~= "\127ELF" or intake.image_problem(head) then
      r.status = "build_failed"
      r.reason = "the build made " .. M.IMAGE .. " but it is " ..
        (head:sub(1, 4) ~= "\127ELF" and "not an ELF file" or intake.image_problem(head))
    else
      r.status, r.image = "built", image
    end
  end
  r.reason = r.reason and M.scrub(r.reason, area)
  return r
end

return M
