-- grading/submission/tree.lua: the tree a source submission is built from:
-- a fresh copy of the lab's handout (cached per lab and grader commit),
-- then only the lab's whitelisted files from the submission.

local util = require("util")

local M = {}

-- The grader tree's version: its commit, plus a hash of uncommitted changes
-- (tracked and untracked) so a handout made from an edited tree is never
-- reused for another state. nil when the tree is not a git work tree.
function M.grader_version(root)
  local head, rc = util.capture({ "git", "-C", root, "rev-parse", "--show-toplevel" }, "2>/dev/null")
  if rc ~= 0 or util.realpath(head:gsub("\n$", "")) ~= util.realpath(root) then
    -- Not a git work tree of its own (an unpacked copy): the hash of every
    -- file's content, build folders and grading outputs left out.
    local sum = util.capture({ "sh", "-c",
      'cd "$1" && find . -mindepth 1 \\( -path ./.git -o -path "./build*" -o -path "./grade-*" \\) ' ..
      '-prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum --', "sh", root },
      "2>/dev/null | sha256sum")
    local hex = sum:match("^(%x+)")
    return hex and ("content-" .. hex:sub(1, 24)) or nil
  end
  head, rc = util.capture({ "git", "-C", root, "rev-parse", "--verify", "HEAD" }, "2>/dev/null")
  if rc ~= 0 then return nil end
  head = head:match("^(%x+)")
  -- grade's own default output folders (grade-<id>/) are no part of it.
  local not_outputs = ":(exclude,glob)grade-*/**"
  local status = util.capture({ "git", "-C", root, "status", "--porcelain", "--untracked-files=all",
    "--", ".", not_outputs }, "2>/dev/null")
  if status == "" then return head end
  local dirty = util.capture({ "sh", "-c",
    'git -C "$1" diff HEAD --binary -- . "$2"; git -C "$1" ls-files -z --others --exclude-standard -- . "$2" | ' ..
    '(cd "$1" && xargs -0 -r sha256sum --)', "sh", root, not_outputs }, "2>/dev/null | sha256sum")
  return head .. "-dirty-" .. (dirty:match("^(%x+)") or "unknown"):sub(1, 16)
end

-- The lab's handout tree, made once per lab and grader version under
-- <build>/grading/handouts/ (renamed into place, so parallel graders never
-- see half a tree). Raises a message when mkhandout fails.
function M.handout(root, build, lab_name, work)
  local version = M.grader_version(root)
  local cache
  if version then
    cache = build .. "/grading/handouts/" .. version
  else
    -- No git: no safe key, so no cache.
    cache = work .. "/handout-cache"
  end
  local final = cache .. "/" .. lab_name
  local tree = final .. "/hvspec-" .. lab_name
  if util.is_dir(tree) and util.is_file(final .. "/.complete") then return tree end
  util.mkdir_p(cache)
  local tmp = string.format("%s/.tmp-%s-%d-%d", cache, lab_name, os.time(), math.random(1, 1e9))
  util.mkdir_p(tmp)
  local log = work .. "/mkhandout.log"
  local out, rc = util.capture({ root .. "/grading/handout/mkhandout", "--root", root, lab_name, tmp },
    "2>" .. util.q(log))
  local made = util.lines(out)
  made = made[#made]
  if rc ~= 0 or not made or not util.is_dir(tmp .. "/hvspec-" .. lab_name) then
    util.rm_rf(tmp)
    error("grading/handout/mkhandout " .. lab_name .. " failed (exit " .. rc .. "): " ..
      util.one_line(util.tail_bytes(log, 400) or "", 300), 0)
  end
  util.write_file(tmp .. "/.complete", version or "")
  -- Another grader may have won the race; then its copy is used.
  if not os.rename(tmp, final) then util.rm_rf(tmp) end
  if not util.is_dir(tree) then error("the handout cache " .. final .. " is incomplete", 0) end
  return tree
end

-- Where the submitted tree starts: a single top-level folder (archives
-- usually wrap their contents in one, e.g. hvspec-LAB/) is stepped into,
-- unless the handout has a top-level entry of that name (a submission
-- holding only reference/ is a tree). macOS litter does not count.
function M.tree_root(sub_tree, handout_tree)
  local top = {}
  for _, e in ipairs(util.walk(sub_tree, { ".git" })) do
    if not e.path:find("/", 1, true) and e.path ~= "__MACOSX" and e.path ~= ".DS_Store" then
      top[#top + 1] = e
    end
  end
  if #top == 1 and top[1].type == "d" and not util.exists(handout_tree .. "/" .. top[1].path) then
    return sub_tree .. "/" .. top[1].path
  end
  return sub_tree
end

local function covered(editable, path)
  for _, e in ipairs(editable) do
    if e == path or (e:sub(-1) == "/" and path:sub(1, #e) == e) then return true end
  end
  return false
end
M.covered = covered

-- Copies one regular file, creating its folder.
local function copy_file(src, dst)
  util.mkdir_p(util.dirname(dst))
  if util.run({ "cp", "--no-preserve=mode,ownership", "--", src, dst }) ~= 0 then
    error("cannot copy " .. src, 0)
  end
end

-- Builds dest = handout + the submission's whitelisted files. A whitelisted
-- folder is replaced as a whole by the submission's (students may delete or
-- rename files in it); a whitelisted file is copied. Returns
--   { ignored = {paths}, missing = {whitelist entries not in the submission},
--     copied = n }
-- ignored: files of the submission outside the whitelist that differ from
-- the handout or are new; a whole new folder (a build folder, say) is
-- listed once as "folder/"; links and special files are never copied and
-- are listed too. `prune`: paths (relative) to leave out, e.g. the output
-- folder when it lies inside the submission.
function M.assemble(handout_tree, sub_tree, editable, dest, prune)
  if util.run({ "cp", "-a", "--", handout_tree .. "/.", dest }) ~= 0 then
    error("cannot copy the handout " .. handout_tree, 0)
  end
  local result = { ignored = {}, missing = {}, copied = 0 }
  local skip = { ".git" }
  for _, p in ipairs(prune or {}) do skip[#skip + 1] = p end
  local entries = util.walk(sub_tree, skip)
  local present = {}
  for _, e in ipairs(entries) do present[e.path] = e end

  for _, entry in ipairs(editable) do
    if entry:sub(-1) == "/" then
      local folder = entry:sub(1, -2)
      if present[folder] and present[folder].type == "d" then
        util.rm_rf(dest .. "/" .. folder)
        util.mkdir_p(dest .. "/" .. folder)
      else
        result.missing[#result.missing + 1] = entry
      end
    elseif not (present[entry] and present[entry].type == "f") then
      result.missing[#result.missing + 1] = entry
    end
  end

  -- Folders of the submission the handout does not have and the whitelist
  -- does not reach into: listed once, contents skipped.
  local new_folders = {}
  local function in_new_folder(path)
    for _, f in ipairs(new_folders) do
      if path:sub(1, #f) == f then return true end
    end
    return false
  end
  local function whitelist_inside(folder)
    for _, w in ipairs(editable) do
      if w:sub(1, #folder) == folder then return true end
    end
    return false
  end

  for _, e in ipairs(entries) do
    local src = sub_tree .. "/" .. e.path
    if in_new_folder(e.path) then
      -- inside a folder already listed
    elseif e.type == "d" and not covered(editable, e.path .. "/") and not whitelist_inside(e.path .. "/")
        and not util.is_dir(handout_tree .. "/" .. e.path) then
      new_folders[#new_folders + 1] = e.path .. "/"
      result.ignored[#result.ignored + 1] = e.path .. "/"
    elseif e.type == "f" then
      if covered(editable, e.path) then
        copy_file(src, dest .. "/" .. e.path)
        result.copied = result.copied + 1
      else
        local h = handout_tree .. "/" .. e.path
        if not (util.is_file(h) and util.same_content(src, h)) then
          result.ignored[#result.ignored + 1] = e.path
        end
      end
    elseif e.type == "d" then
      if covered(editable, e.path .. "/") then util.mkdir_p(dest .. "/" .. e.path) end
    else
      -- Links and special files: never followed or copied. A link the
      -- handout has too (same target) is not a change.
      local same = false
      if e.type == "l" and util.kind(handout_tree .. "/" .. e.path) == "l" then
        local a = util.capture({ "readlink", "--", src })
        local b = util.capture({ "readlink", "--", handout_tree .. "/" .. e.path })
        same = a == b
      end
      if not same then result.ignored[#result.ignored + 1] = e.path end
    end
  end
  table.sort(result.ignored)
  return result
end

return M
