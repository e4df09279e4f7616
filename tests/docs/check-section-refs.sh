#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-section-refs.sh - a reference to a section of a Markdown
# file resolves, outside Markdown links too (check-links.sh checks those):
# in the tracked files of include/, lib/include/, driver/ and
# Documentation/ (sources, headers, man pages, Markdown prose and code),
#   - FILE.md ("Title"), FILE.md, "Title" (and "A" and "B" after it):
#     FILE.md is a Markdown file of the tree and each Title a heading of it
#     (a heading that starts with the title, case aside, will do; or a
#     **bold** term, or a paragraph's opening "Title: ");
#   - FILE.md#anchor: FILE.md has a heading with that anchor (GitHub's rule).
# FILE is found relative to the referring file, to the tree's top or, for a
# bare name, as the one tracked file of that name.  Comment prefixes
# (" * ", "//", "#") are joined across lines first.  One check per
# reference; ends with "check-section-refs: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
cd "$top" || exit 1
git ls-files -z -- include lib/include driver Documentation tools selftests | python3 -c '
import os, re, sys
files = [f for f in sys.stdin.read().split("\0")
         if f and os.path.isfile(f) and not os.path.islink(f)]
allmd = {}
for f in os.popen("git ls-files -- \"*.md\"").read().split():
    allmd.setdefault(os.path.basename(f), []).append(f)
def slug(t):
    t = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", t).lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", t).replace(" ", "-")
heads = {}
def headings(path):
    if path not in heads:
        titles, anchors, seen, fence = [], set(), {}, False
        for l in open(path, errors="replace").read().split("\n"):
            if l.lstrip().startswith("```"):
                fence = not fence; continue
            if fence: continue
            # a bold term and a paragraph opening label name a part too
            titles += [t.lower() for t in re.findall(r"\*\*([^*]{2,80})\*\*", l)]
            m = re.match(r"^([A-Z][^.:]{1,60}): ", l)
            if m: titles.append(m.group(1).replace("`", "").lower())
            m = re.match(r"^#{1,6} +(.*?) *#*$", l)
            if m:
                titles.append(m.group(1).replace("`", "").lower())
                a = slug(m.group(1)); n = seen.get(a, 0); seen[a] = n + 1
                anchors.add(a if n == 0 else "%s-%d" % (a, n))
        heads[path] = (titles, anchors)
    return heads[path]
def find(ref, src):
    for cand in (os.path.join(os.path.dirname(src), ref), ref):
        c = os.path.normpath(cand)
        if os.path.isfile(c): return c
    if "/" not in ref and len(allmd.get(ref, [])) == 1: return allmd[ref][0]
    # a path from the top of the tree written from elsewhere (dev/x.md)
    hits = [p for l in allmd.values() for p in l if p.endswith("/" + ref)]
    return hits[0] if len(hits) == 1 else None
ok = bad = 0
def report(good, msg):
    global ok, bad
    if good: ok += 1
    else: bad += 1; print("not ok - " + msg)
MD = r"([A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md)"
for f in files:
    if f.endswith((".patch",)): continue
    try: raw = open(f, errors="replace").read()
    except OSError: continue
    # join comment lines: drop the prefix, keep a line number map
    text, starts = [], []
    pos = 0
    for l in raw.split("\n"):
        starts.append(pos)
        s = re.sub(r"^\s*(?:/?\*+/?|//|#(?=\s))\s?", "", l) if not f.endswith(".md") else l
        text.append(s); pos += len(s) + 1
    joined = "\n".join(text)
    flat = re.sub(r"\s*\n\s*", " ", joined)
    # map offsets in flat back to lines: count newlines consumed
    def lineno(off):
        return joined.count("\n", 0, _fmap(off)) + 1
    # build offset map flat->joined
    fm, i, j = [], 0, 0
    while i < len(joined):
        m = re.match(r"\s*\n\s*", joined[i:])
        if m:
            fm.append(i); i += m.end(); continue
        fm.append(i); i += 1
    def _fmap(off): return fm[off] if off < len(fm) else len(joined)
    for m in re.finditer(MD + r"`?(?: \(|, )\"([^\"]{2,80})\"((?:,? and \"[^\"]{2,80}\")*)", flat):
        ref, titles = m.group(1), [m.group(2)] + re.findall(r"\"([^\"]{2,80})\"", m.group(3))
        where = "%s:%d: %s" % (f, lineno(m.start()), ref)
        tgt = find(ref, f)
        if not tgt:
            report(False, "%s: no such Markdown file" % where); continue
        ts = headings(tgt)[0]
        for t in titles:
            tl = t.replace("`", "").lower()
            report(any(h.startswith(tl) for h in ts),
                   "%s (\"%s\"): %s has no heading \"%s\"" % (where, t, tgt, t))
    if f.endswith(".md"): continue   # check-links.sh reads Markdown links
    for m in re.finditer(MD + r"#([A-Za-z0-9_-]+)", flat):
        ref, frag = m.group(1), m.group(2)
        where = "%s:%d: %s#%s" % (f, lineno(m.start()), ref, frag)
        tgt = find(ref, f)
        if not tgt:
            report(False, "%s: no such Markdown file" % where); continue
        report(frag in headings(tgt)[1], "%s: %s has no heading #%s" % (where, tgt, frag))
print("check-section-refs: %d checks passed, %d failed" % (ok, bad))
sys.exit(1 if bad else 0)
'
