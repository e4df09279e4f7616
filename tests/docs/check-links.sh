#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-links.sh - every relative Markdown link of every tracked
# *.md file names a file or directory of the tree, and a #fragment on a link
# to a Markdown file names one of its headings (GitHub's anchor rule).
# Links outside code blocks and spans; http(s) and mailto links are not
# followed.  One check per link.  Ends with "check-links: N checks passed,
# N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
cd "$top" || exit 1
git ls-files -z -- '*.md' | python3 -c '
import os, re, sys
def strip(text, spans=True):
    out, fence = [], False
    for l in text.split("\n"):
        if l.lstrip().startswith("```"):
            fence = not fence; out.append(""); continue
        out.append("" if fence else re.sub(r"`[^`]*`", "``", l) if spans else l)
    return out
def slug(t):
    t = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", t).lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", t).replace(" ", "-")
anchors = {}
def heads(path):
    if path not in anchors:
        s, seen = set(), {}
        for l in strip(open(path, errors="replace").read(), False):
            m = re.match(r"^#{1,6} +(.*?) *#*$", l)
            if m:
                a = slug(m.group(1)); n = seen.get(a, 0); seen[a] = n + 1
                s.add(a if n == 0 else "%s-%d" % (a, n))
        anchors[path] = s
    return anchors[path]
ok = bad = 0
for f in sys.stdin.read().split("\0"):
    if not f or not os.path.isfile(f): continue
    d = os.path.dirname(f)
    for no, l in enumerate(strip(open(f, errors="replace").read()), 1):
        for m in re.finditer(r"\]\(([^)\s]+)(?: \"[^\"]*\")?\)", l):
            url = m.group(1)
            if re.match(r"^[a-zA-Z][a-zA-Z+.-]*:", url): continue
            path, _, frag = url.partition("#")
            tgt = os.path.normpath(os.path.join(d, path)) if path else f
            err = None
            if not os.path.exists(tgt): err = "no such file"
            elif frag and tgt.endswith(".md") and frag not in heads(tgt):
                err = "no heading #" + frag
            if err:
                bad += 1; print("not ok - %s:%d: %s: %s" % (f, no, url, err))
            else:
                ok += 1
print("check-links: %d checks passed, %d failed" % (ok, bad))
sys.exit(1 if bad else 0)
'
