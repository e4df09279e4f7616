#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every man page renders with no warning: the generated section-3 pages
# (tools/man/gen-man into out/man) and the hand-written ones of
# Documentation/man.  `groff -ww -t -man -z` (tbl for tables) prints
# nothing and exits 0, on groff's default device and, as man(1) renders
# it, on the terminal device (-Tutf8) at the line length of an 80-column
# terminal (-rLL=78n, man-db's): "cannot adjust line" and tbl's "table
# wider than line width" appear only there, at some widths.  The
# hand-written pages, with their tables and lists of long names, are
# rendered at 60n and 100n too.  One check per page and rendering.  Also
# one check that Documentation/man holds the pages the project promises
# (uringblk(8), liburingblk(7), uringblk_cs(7)).
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
NAME=check-man-render
MAN=${MAN_OUT:-$TOP/out/man}
pass=0 fail=0

if ! command -v groff >/dev/null; then
	echo "$NAME: groff missing (tools/deps.sh installs it)" >&2
	echo "$NAME: 0 checks passed, 1 failed"
	exit 1
fi
if ! "$TOP/tools/man/gen-man" --out "$MAN" >/dev/null; then
	echo "$NAME: tools/man/gen-man failed" >&2
	echo "$NAME: 0 checks passed, 1 failed"
	exit 1
fi

shopt -s nullglob
# render PAGE [GROFF ARGS...]: one check
render() {
	local page=$1 out rc
	shift
	out=$(LC_ALL=C.UTF-8 groff -ww -t -man -z "$@" "$page" 2>&1) && rc=0 || rc=$?
	if [[ $rc -eq 0 && -z $out ]]; then
		pass=$((pass + 1))
	else
		echo "$NAME: ${page#$TOP/} ${*:-(default device)}: ${out:-groff exit status $rc}" >&2
		fail=$((fail + 1))
	fi
}
for page in "$MAN"/man3/*.3 "$TOP"/Documentation/man/*.[1-8]; do
	render "$page"
	render "$page" -Tutf8 -rLL=78n
done
for page in "$TOP"/Documentation/man/*.[1-8]; do
	render "$page" -Tutf8 -rLL=60n
	render "$page" -Tutf8 -rLL=100n
done

for want in uringblk.8 liburingblk.7 uringblk_cs.7; do
	if [[ -f $TOP/Documentation/man/$want ]]; then
		pass=$((pass + 1))
	else
		echo "$NAME: Documentation/man/$want missing" >&2
		fail=$((fail + 1))
	fi
done

echo "$NAME: $pass checks passed, $fail failed"
((fail == 0))
