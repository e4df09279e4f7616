#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-selftests.sh - every test program of
# selftests/uringblk/Makefile (TEST_GEN_PROGS, TEST_GEN_PROGS_EXTENDED,
# TEST_PROGS) has a row in the table of selftests/README.md, and every row
# names such a program.  A row's first cell lists programs in backquotes;
# "`prog_hostile_budget`, `_mem`" is short for prog_hostile_budget and
# prog_hostile_mem.  One check per program found in either.  Ends with
# "check-selftests: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
python3 - "$top/selftests/uringblk/Makefile" "$top/selftests/README.md" <<'PY'
import re, sys
mk, readme = sys.argv[1], sys.argv[2]
text = re.sub(r"\\\n", " ", open(mk).read())
var = {}
for l in text.split("\n"):
    m = re.match(r"^([A-Z_]+)\s*(:=|\+=|=)\s*(.*)$", l)
    if m:
        v = re.sub(r"#.*", "", m.group(3)).split()
        var[m.group(1)] = (var.get(m.group(1), []) if m.group(2) == "+=" else []) + v
def expand(words, depth=0):
    out = []
    for w in words:
        m = re.fullmatch(r"\$\(([A-Z_]+)\)", w)
        if m and depth < 10:
            out += expand(var.get(m.group(1), []), depth + 1)
        elif "$" not in w:
            out.append(w)
    return out
progs = set(expand(var.get("TEST_GEN_PROGS", []) + var.get("TEST_GEN_PROGS_EXTENDED", [])
                   + var.get("TEST_PROGS", [])))
rows = set()
for l in open(readme):
    m = re.match(r"^\|([^|]*)\|", l)
    if not m or "`" not in m.group(1):
        continue
    names = re.findall(r"`([^`]+)`", m.group(1))
    first = names[0]
    for n in names:
        rows.add(first.rsplit("_", 1)[0] + n if n.startswith("_") else n)
ok = bad = 0
if not progs:
    print("not ok - no test programs found in " + mk); bad += 1
for p in sorted(progs | rows):
    if p not in rows:
        print("not ok - %s: a test program of selftests/uringblk/Makefile, not in the table of selftests/README.md" % p); bad += 1
    elif p not in progs:
        print("not ok - %s: in the table of selftests/README.md, not a test program of the Makefile" % p); bad += 1
    else:
        ok += 1
print("check-selftests: %d checks passed, %d failed" % (ok, bad))
sys.exit(1 if bad else 0)
PY
