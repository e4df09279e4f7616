#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/lib/dev_calls.sh - every public function of liburingblk that takes
# a handle (struct uringblk_dev *, not const) forgets the handle's last
# result on entry: its body calls uringblk__begin(<the handle>) before it
# returns, jumps or uses the handle in any other way.  Otherwise a refusal
# of the library itself (an argument check, nothing sent to the drive)
# would leave an older command's NVMe status in place, and
# uringblk_dev_strerror(), uringblk_last_status() and the SNIA layer would
# give it as the reason of the refusal (tests/lib/last_status.c shows it at
# run time for a few entry points; this check covers them all, including
# the next one added).  Run by `make -C lib check`.
#
# Public: named in lib/liburingblk.map, or defined after a
# visibility("default") attribute (an old version bound with symver).
# The definitions are read in the kernel's style lib/ is written in: the
# name on a line that starts in column 0, the body between a "{" and a "}"
# alone in column 0.  One check per public function defined in lib/*.c
# that takes a handle, and one that every function of the map was found
# (a definition this parser misses fails instead of being skipped).
#
# The SNIA layer (lib/cs_*.c) keeps one handle per drive across its calls:
# it takes a drive's lock only with cs_drive_lock(), which forgets the
# handle's last result as uringblk__begin() does.  One check that no
# pthread_mutex_lock() of a struct cs_drive's lock is left in lib/cs_*.c
# (a drive is a variable declared struct cs_drive *, or X->drive).
#
# LIB=<dir> reads another tree's lib/ (to see the check fail: delete one
# uringblk__begin() line in a copy).  Ends with
# "dev_calls: N checks passed, N failed".
set -uo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
LIB=${LIB:-$TOP/lib}

counts=$(awk '
FNR == 1 && FILENAME ~ /\.map$/ { map = 1 }
FNR == 1 && FILENAME !~ /\.map$/ { map = 0; sig = ""; inbody = 0; attr = 0 }
map {
	sub(/\/\*.*\*\//, "")
	if ($0 ~ /^[ \t]*[A-Za-z_][A-Za-z0-9_]*;[ \t]*$/) {
		s = $0; gsub(/[ \t;]/, "", s)
		if (s != "local:" && s != "*") { exported[s] = 1; nmap++ }
	}
	next
}
# the body of a function that takes a handle: its first mention of the
# handle, or its first return/goto, must be uringblk__begin(handle)
inbody {
	if ($0 ~ /^}/) {
		if (!decided)
			bad(fn, "no uringblk__begin(" h ") in its body")
		inbody = 0
		next
	}
	if (decided)
		next
	line = $0
	if (line ~ ("^[ \t]*uringblk__begin\\(" h "\\);")) {
		decided = 1; good(fn)
	} else if (index(line, h) && match(line, ("(^|[^A-Za-z0-9_])" h "([^A-Za-z0-9_]|$)"))) {
		decided = 1
		bad(fn, "uses " h " before uringblk__begin(" h "): " FILENAME ":" FNR)
	} else if (line ~ /(^|[^A-Za-z0-9_])(return|goto)([^A-Za-z0-9_]|$)/) {
		decided = 1
		bad(fn, "returns before uringblk__begin(" h "): " FILENAME ":" FNR)
	}
	next
}
/^__attribute__\(\(.*visibility\("default"\)/ { attr = 1; next }
# a definition starts in column 0 with its return type and name
sig == "" && /^[A-Za-z_]/ && !/^static / && !/;[ \t]*$/ && match($0, /[A-Za-z_][A-Za-z0-9_]*\(/) {
	name = substr($0, RSTART, RLENGTH - 1)
	if (!(name in exported) && !attr) { attr = 0; next }
	sig = $0; fn = name; pub = attr || (name in exported); attr = 0
	if (sig ~ /\)[ \t]*$/ || sig ~ /,[ \t]*$/ || sig ~ /\([ \t]*$/) { next }
	next
}
sig != "" && /^{/ {
	found[fn] = 1
	h = ""
	if (match(sig, /struct uringblk_dev \*[A-Za-z_][A-Za-z0-9_]*/)) {
		pre = substr(sig, 1, RSTART - 1)
		h = substr(sig, RSTART + 21, RLENGTH - 21)
		if (pre ~ /const[ \t]*$/)
			h = ""
	}
	sig = ""
	if (h != "") { inbody = 1; decided = 0 }
	next
}
sig != "" {
	if (/;[ \t]*$/ && !/\)[ \t]*$/ && /\);/) { sig = ""; next }	# a declaration
	sig = sig " " $0
	next
}
attr && !/^__attribute__/ && !/^[A-Za-z_]/ { attr = 0 }
function good(f) { pass++ }
function bad(f, why) { printf "dev_calls: %s: %s\n", f, why > "/dev/stderr"; fail++ }
END {
	for (s in exported)
		if (!(s in found)) {
			printf "dev_calls: %s: in the map, but no definition found in lib/*.c\n", s > "/dev/stderr"
			fail++
		}
	if (nmap < 100) {
		printf "dev_calls: only %d symbols read from the map\n", nmap > "/dev/stderr"
		fail++
	} else {
		pass++
	}
	print pass + 0, fail + 0
}
' "$LIB/liburingblk.map" "$LIB"/*.c)
read -r pass fail <<<"$counts"
if [[ -z ${fail:-} ]]; then
	echo "dev_calls: the reading of lib/*.c failed" >&2
	pass=0 fail=1
fi

# the SNIA layer: a drive's lock only through cs_drive_lock()
drives=$(grep -ohE 'struct cs_drive \*+[A-Za-z_][A-Za-z0-9_]*' "$LIB"/cs_*.c |
	 sed 's/.*\*//' | sort -u | paste -sd'|')
bad=$(grep -nE "pthread_mutex_lock\(&(\(?\*?($drives)\)?->|[A-Za-z_][A-Za-z0-9_]*->drive->)lock\)" \
	"$LIB"/cs_*.c)
if [[ -z $drives ]]; then
	echo "dev_calls: no struct cs_drive variable found in $LIB/cs_*.c" >&2
	fail=$((fail + 1))
elif [[ -n $bad ]]; then
	echo "dev_calls: a drive's lock taken without cs_drive_lock():" >&2
	echo "$bad" >&2
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
echo "dev_calls: $pass checks passed, $fail failed"
((fail == 0))
