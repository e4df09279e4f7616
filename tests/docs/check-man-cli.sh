#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's man pages say what its --help says.  For every subcommand that
# `uringblk help` lists (help itself aside), one check each that:
#   - Documentation/man/uringblk.8 has it in SYNOPSIS, with its usage line;
#   - a group page Documentation/man/uringblk-*.8 has a section
#     .SS "uringblk SUBCOMMAND" whose SYNOPSIS line is the usage line;
#   - the options of `uringblk SUBCOMMAND --help` (its usage line and its
#     option list) are the options that section's .TP tags define, both ways.
# And one check per .SS "uringblk ..." of the group pages that it is still a
# subcommand.  For the other tools (out/bin/uringblk-*, section 1): one
# check each that the tool has a page, and one that every option of its
# usage text (--help, or no arguments) is in the page's SYNOPSIS or
# OPTIONS and every option of the page's SYNOPSIS is in its usage text.  Runs the built CLI (out/bin/uringblk; built here with
# `make tools` when missing; URINGBLK_CLI= to use another).
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
NAME=check-man-cli
CLI=${URINGBLK_CLI:-$TOP/out/bin/uringblk}

if [[ ! -x $CLI ]]; then
	nice -n 10 make -s -C "$TOP" tools >&2 || {
		echo "$NAME: cannot build $CLI" >&2
		echo "$NAME: 0 checks passed, 1 failed"
		exit 1
	}
fi

python3 - "$CLI" "$TOP/Documentation/man" "$NAME" <<'PY'
import glob, os, re, subprocess, sys

cli, mandir, name = sys.argv[1:4]
passed = failed = 0

def check(ok, msg):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print('%s: %s' % (name, msg), file=sys.stderr)

def roff_text(s):
    """A roff line as it reads: escapes and fonts gone."""
    s = re.sub(r'\\f[BIRP]|\\f\(..|\\&', '', s)
    s = s.replace('\\-', '-').replace('\\e', '\\').replace('\\(dq', '"')
    s = s.replace('\\(aq', "'")
    s = re.sub(r'^\.(B|I|BI|IB|BR|RB|IR|RI) ', '', s)
    return s.replace('"', '') if s.startswith('.') else s

OPT = re.compile(r'(?<![\w-])(--[a-z0-9][a-z0-9-]*|-[A-Za-z0-9])(?![\w-])')

def help_of(sub):
    out = subprocess.run([cli] + sub.split() + ['--help'],
                         capture_output=True, text=True)
    return out.stdout if out.returncode == 0 else None

def help_opts(text):
    lines = text.split('\n')
    usage = lines[0][len('usage: '):] if lines[0].startswith('usage: ') else ''
    opts = set(OPT.findall(usage))
    for l in lines[1:]:
        m = re.match(r'^ {2,4}(-[A-Za-z0-9], --[a-z0-9-]+|--[a-z0-9-]+|-[A-Za-z0-9])\b', l)
        if m:
            opts |= set(OPT.findall(m.group(1)))
    return usage, opts

# The subcommands: lines "  WORD [WORD] ARGS" of `uringblk help`.
top = subprocess.run([cli, 'help'], capture_output=True, text=True).stdout
subs = []
for l in top.split('\n'):
    if re.match(r'^  [a-z]', l):
        words = []
        for w in l.split():
            if not re.match(r'^[a-z]+$', w):
                break
            words.append(w)
        if words and words[0] != 'help':
            subs.append((' '.join(words), l.strip()))
check(len(subs) > 10, 'uringblk help lists %d subcommands' % len(subs))

def read(p):
    with open(p) as f:
        return f.read().split('\n')

def synopsis(lines):
    out, on = [], False
    for l in lines:
        if l.startswith('.SH'):
            on = l.strip() == '.SH SYNOPSIS'
            continue
        if on and l not in ('.nf', '.fi'):
            out.append(roff_text(l).strip())
    return out

main = os.path.join(mandir, 'uringblk.8')
main_syn = synopsis(read(main)) if os.path.exists(main) else []

# Sections .SS "uringblk X" of the group pages.
sections = {}
for page in sorted(glob.glob(os.path.join(mandir, 'uringblk-*.8'))):
    lines = read(page)
    syn = synopsis(lines)
    cur = None
    for l in lines:
        m = re.match(r'^\.SS "uringblk (.*)"$', l)
        if m:
            cur = m.group(1)
            sections[cur] = {'page': os.path.basename(page), 'syn': syn,
                             'opts': set(), 'tp': False}
            continue
        if l.startswith('.SH') or l.startswith('.SS'):
            cur = None
            continue
        if cur is None:
            continue
        s = sections[cur]
        if l.startswith('.TP'):
            s['tp'] = True
            continue
        if s['tp']:
            s['opts'] |= set(OPT.findall(roff_text(l)))
            s['tp'] = False

for sub, _ in subs:
    text = help_of(sub)
    if text is None:
        check(False, 'uringblk %s --help failed' % sub)
        continue
    usage, hopts = help_opts(text)
    check(usage in main_syn,
          'uringblk.8: SYNOPSIS lacks "%s"' % usage)
    s = sections.get(sub)
    if not s:
        check(False, 'no group page has .SS "uringblk %s"' % sub)
        continue
    check(usage in s['syn'],
          '%s: SYNOPSIS lacks the usage line "%s"' % (s['page'], usage))
    only_help = sorted(hopts - s['opts'])
    only_man = sorted(s['opts'] - hopts)
    check(not only_help and not only_man,
          '%s: "uringblk %s": options in --help only: %s; in the page only: %s'
          % (s['page'], sub, ' '.join(only_help) or '-', ' '.join(only_man) or '-'))

names = {sub for sub, _ in subs}
for sec, s in sorted(sections.items()):
    check(sec in names, '%s: .SS "uringblk %s" is no subcommand of uringblk help'
          % (s['page'], sec))

# Section 1: the other binaries.
bindir = os.path.dirname(cli)
tools = sorted(os.path.basename(t) for t in glob.glob(os.path.join(bindir, 'uringblk-*')))
pages1 = sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(mandir, '*.1')))
check(len(tools) > 0, 'no uringblk-* tools next to %s' % cli)
for t in sorted(set(tools) | set(pages1)):
    page = os.path.join(mandir, t + '.1')
    if t not in tools:
        check(False, '%s.1: no such tool in %s' % (t, bindir))
        continue
    check(os.path.exists(page), '%s: no man page %s.1' % (t, t))
    if not os.path.exists(page):
        continue
    exe = os.path.join(bindir, t)
    r = subprocess.run([exe, '--help'], capture_output=True, text=True)
    text = r.stdout + r.stderr
    if not text.startswith('usage:'):
        r = subprocess.run([exe], capture_output=True, text=True)
        text = r.stdout + r.stderr
    hopts = set(OPT.findall(text))
    lines = read(page)
    syn = set()
    for l in synopsis(lines):
        syn |= set(OPT.findall(l))
    tags, tp = set(), False
    for l in lines:
        if l.startswith('.TP'):
            tp = True
        elif tp:
            tags |= set(OPT.findall(roff_text(l)))
            tp = False
    only_help = sorted(hopts - syn - tags)
    only_syn = sorted(syn - hopts)
    check(not only_help and not only_syn,
          '%s.1: options in the usage only: %s; in the SYNOPSIS only: %s'
          % (t, ' '.join(only_help) or '-', ' '.join(only_syn) or '-'))

print('%s: %d checks passed, %d failed' % (name, passed, failed))
sys.exit(1 if failed else 0)
PY
