#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every function lib/liburingblk.map exports has a section-3 man page, made
# by `make man` (tools/man/gen-man) from the headers' kernel-doc: one check
# per exported symbol (the page exists and its NAME line names it).  A
# symbol whose kernel-doc comment is missing or not kernel-doc ("/**")
# gets no page and fails here.  And one check per page of section 3 that
# it describes every parameter (kernel-doc writes "-- undescribed --" for
# a parameter without its @name: line).  And one check per symbol that
# the overview names it: liburingblk(7)'s FUNCTIONS, or uringblk_cs(7) for
# the SNIA layer (cs*, uringblk_cs_*).
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
NAME=check-man-symbols
MAN=${MAN_OUT:-$TOP/out/man}
pass=0 fail=0

if ! "$TOP/tools/man/gen-man" --out "$MAN" >/dev/null; then
	echo "$NAME: tools/man/gen-man failed" >&2
	echo "$NAME: $pass checks passed, 1 failed"
	exit 1
fi

# Global symbols of every version node, plus those bound with .symver in
# the sources (named in the map's comments: "uringblk_execute@LIBURINGBLK_1.5").
syms=$( { sed -e 's|/\*.*\*/||' "$TOP/lib/liburingblk.map" |
	  grep -oE '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*;' | tr -d ' \t;' | grep -vx local
	  grep -oE '[A-Za-z_][A-Za-z0-9_]*@[A-Z_0-9.]+' "$TOP/lib/liburingblk.map" | cut -d@ -f1
	} | sort -u)

for s in $syms; do
	page=$MAN/man3/$s.3
	if [[ -f $page ]] && sed -n '/^\.SH NAME/{n;p;q}' "$page" | grep -q "^$s \\\\- ."; then
		pass=$((pass + 1))
	else
		echo "$NAME: $s: no man page (no kernel-doc comment in lib/include/*.h?)" >&2
		fail=$((fail + 1))
	fi
done

for s in $syms; do
	case $s in
	cs*|uringblk_cs_*) overview=uringblk_cs.7 ;;
	*) overview=liburingblk.7 ;;
	esac
	if grep -qF "\\fB$s\\fR(3)" "$TOP/Documentation/man/$overview" 2>/dev/null; then
		pass=$((pass + 1))
	else
		echo "$NAME: $s: not named in Documentation/man/$overview" >&2
		fail=$((fail + 1))
	fi
done

for page in "$MAN"/man3/*.3; do
	if grep -q -- '-- undescribed --' "$page"; then
		echo "$NAME: $(basename "$page" .3): a parameter without @name: in its kernel-doc" >&2
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done

echo "$NAME: $pass checks passed, $fail failed"
((fail == 0))
