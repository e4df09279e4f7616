#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-contributing.sh - the steps of CONTRIBUTING.md name what
# the tree has:
#   - every path it names under driver/, lib/, include/, tools/, tests/,
#     selftests/, bpf/ or Documentation/ (and Kbuild) exists (a glob
#     matches something; a NAME placeholder is skipped);
#   - every function of the project it names, `uringblk_name()`, is
#     defined or declared (name followed by "(") in one of the files (or
#     under one of the directories) the same step (list item, table row or
#     paragraph) names, or, if the step names none, somewhere under
#     driver/, lib/, include/ or tools/;
#   - "Add an NVMe command" names every driver/nvme*.[ch] and Kbuild (a
#     new file of the NVMe front end needs its place in the steps).
# One check per path and per function; ends with
# "check-contributing: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
cd "$top" || exit 1
exec python3 - <<'PY'
import glob, os, re, sys

ok = bad = 0
def check(cond, msg):
    global ok, bad
    if cond: ok += 1
    else: bad += 1; print("not ok - " + msg)

text = open("CONTRIBUTING.md").read()
lines = text.split("\n")
# steps: a list item with its continuation lines, a table row, a paragraph
steps, cur, fence = [], None, False
for no, l in enumerate(lines, 1):
    if l.startswith("```"):
        fence = not fence; cur = None; continue
    if fence: continue
    if not l.strip() or l.startswith("#"):
        cur = None; continue
    if l.startswith("|") or re.match(r"^(\d+\.|-) ", l) or cur is None:
        cur = [no, l]; steps.append(cur)
    else:
        cur[1] += " " + l.strip()
PATH = re.compile(r"(?<![\w/.-])((?:driver|lib|include|tools|tests|selftests|bpf|Documentation)/[A-Za-z0-9_.*/-]*[A-Za-z0-9_*/]|Kbuild\b)")
FUNC = re.compile(r"`(?:[^`]*[^\w`])?(uringblk_[a-z0-9_]*)\(\)`")
srcs = None
def exists(p):
    return bool(glob.glob(p)) if "*" in p else os.path.exists(p)
def defines(name, files):
    pat = re.compile(r"(?<![\w.])" + re.escape(name) + r"\s*\(")
    for f in files:
        try:
            if pat.search(open(f, errors="replace").read()): return True
        except (IsADirectoryError, FileNotFoundError):
            continue
    return False
npaths = nfuncs = 0
for no, s in steps:
    files = []
    for m in PATH.finditer(s):
        p = m.group(1).rstrip(".")
        if "NAME" in p or p.endswith("/..."): continue
        npaths += 1
        e = exists(p)
        check(e, "CONTRIBUTING.md:%d: %s does not exist" % (no, p))
        if e and os.path.isfile(p): files.append(p)
        elif e and os.path.isdir(p):
            files += [f for f in glob.glob(p.rstrip("/") + "/**", recursive=True) if os.path.isfile(f)]
    for m in FUNC.finditer(s):
        fn = m.group(1)
        nfuncs += 1
        if files:
            check(defines(fn, files), "CONTRIBUTING.md:%d: %s() is in none of the files the step names (%s)"
                  % (no, fn, ", ".join(files)))
        else:
            if srcs is None:
                srcs = [f for d in ("driver", "lib", "include", "tools")
                        for f in glob.glob(d + "/**/*.[ch]", recursive=True)]
            check(defines(fn, srcs), "CONTRIBUTING.md:%d: %s() is defined nowhere under driver/, lib/, include/, tools/" % (no, fn))
check(npaths > 30, "only %d paths read from CONTRIBUTING.md" % npaths)
check(nfuncs > 5, "only %d functions read from CONTRIBUTING.md" % nfuncs)

# "Add an NVMe command" names every file of the NVMe front end, and Kbuild
sec = re.search(r"\n## Add an NVMe command\n(.*?)\n## ", text, re.S)
check(sec is not None, "CONTRIBUTING.md has no section \"Add an NVMe command\"")
if sec:
    for f in sorted(glob.glob("driver/nvme*.[ch]")) + ["Kbuild"]:
        check(re.search(r"(?<![\w/.-])" + re.escape(f) + r"(?![\w.-])", sec.group(1)) is not None,
              "CONTRIBUTING.md, \"Add an NVMe command\", does not name %s" % f)
print("check-contributing: %d checks passed, %d failed" % (ok, bad))
sys.exit(1 if bad else 0)
PY
