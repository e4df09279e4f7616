#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-cmd-errors.sh - uringblk_strerror_cmd() names the status
# behind each errno of each command.  Documentation/uapi/statuses.md says
# which commands raise each status ("raised by"; a command named after "a"
# or "an", as in "a set an EXECUTE uses", is context, not a raiser) and
# which errno goes with it; for every such (command, errno) pair,
# lib/error.c's uringblk_cmd_errors[] must have a row whose message names
# the status's code as the others do: "(9Bh)", or "(7h/D0h)".  One check
# per pair; ends with "check-cmd-errors: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
exec python3 - "$top" <<'PY'
import re, sys

top = sys.argv[1]
passed = failed = 0

def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        print("not ok - " + msg)
        failed += 1

uapi = open(top + "/include/uapi/linux/uringblk.h").read()
cmds = set(re.findall(r"#define\s+URINGBLK_CMD_(\w+)\s+_IOWR", uapi))
lib = open(top + "/lib/error.c").read()
table = re.search(r"uringblk_cmd_errors\[\] = \{(.*?)\n\};", lib, re.S)
rows = {}
for c, e, strs in re.findall(r'\{\s*URINGBLK_CMD_(\w+),\s*(E[A-Z0-9]+),\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\}',
                             table.group(1) if table else ""):
    rows[(c, e)] = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', strs))
check(len(cmds) > 10, "only %d URINGBLK_CMD_* read from the uAPI" % len(cmds))
check(len(rows) > 20, "only %d rows read from lib/error.c's uringblk_cmd_errors[]" % len(rows))

npairs = 0
for line in open(top + "/Documentation/uapi/statuses.md"):
    if not line.startswith("| `URINGBLK_SC_"):
        continue
    f = [x.strip() for x in line.split("|")]
    name, val, err, by = f[1].strip("`"), int(f[2], 16), f[4].lstrip("-"), f[5]
    code = "%02Xh" % (val & 0xff)
    for c in sorted(cmds):
        for m in re.finditer(r"(?<![A-Za-z0-9_])" + c + r"(?![A-Za-z0-9_])", by):
            if re.search(r"\ban? $", by[:m.start()]):
                continue
            npairs += 1
            msg = rows.get((c, err))
            check(msg is not None,
                  "%s, -%s: statuses.md says it raises %s (%s), lib/error.c's "
                  "uringblk_cmd_errors[] has no row for it" % (c, err, name, code))
            if msg is not None:
                check("(%s)" % code in msg or "/%s)" % code in msg,
                      "%s, -%s: the message does not name %s (%s): \"%s\""
                      % (c, err, name, code, msg))
            break
check(npairs > 20, "only %d (command, errno) pairs read from statuses.md" % npairs)
print("check-cmd-errors: %d checks passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
