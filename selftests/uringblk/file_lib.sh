#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the offload-over-files selftests (file_offload.sh, file_fs.sh),
# sourced after lib.sh.  They use the caller's CLI (the uringblk binary),
# DEV (/dev/uringblkN), PROG_ID (count_pattern's program id, for exec),
# PIND (its slot, for execute) and OBJ (its object).

r0_of() {
	sed -nE 's/.*"r0": ([0-9]+).*/\1/p' <<<"$1"
}

ucount() {
	grep -ao Alpha "$1" | wc -l
}

# both paths over FILE give the userspace count
count_both() {
	local f=$1 want out got
	want=$(ucount "$f")
	out=$("$CLI" exec $DEV "$PROG_ID" --file "$f" --pattern Alpha --json) ||
		{ echo "$out"; fail "exec --file $f: exit $?"; return; }
	got=$(r0_of "$out")
	expect_eq "exec --file $f (bytes $(stat -c %s "$f"))" "$want" "$got" || return
	out=$("$CLI" execute $DEV $PIND --file "$f" --pattern Alpha --json) ||
		{ echo "$out"; fail "execute --file $f: exit $?"; return; }
	got=$(r0_of "$out")
	expect_eq "execute --file $f" "$want" "$got" || return
	echo "$f: $want Alpha, both paths"
}

# use_drive N: load count_pattern into slot $PIND of uringblkN, activate it
# and make it the drive the cases use
use_drive() {
	local out
	DEV=/dev/uringblk$1
	PROG_ID=
	out=$("$CLI" prog load $DEV "$OBJ" --slot $PIND) || { echo "$out"; return 1; }
	[[ $out =~ as\ program\ ([0-9]+)\ in\ slot\ $PIND ]] && PROG_ID=${BASH_REMATCH[1]}
	[[ -n $PROG_ID ]] && "$CLI" prog activate $DEV $PIND
}

# refused_map FILE ERRNO TEXT: `file map`, `exec --file` and `execute
# --file` refuse FILE, naming TEXT and ERRNO
refused_map() {
	local f=$1 errno=$2 text=$3 out err
	out=$("$CLI" file map "$f")
	expect_eq "$f: file map exit" 1 $? || { echo "$out"; return 1; }
	grep '^offloadable' <<<"$out"
	[[ $out == *"$text"*"(errno $errno)"* ]] || { fail "$f: no '$text'"; return; }
	err=$("$CLI" exec $DEV "$PROG_ID" --file "$f" --pattern Alpha 2>&1)
	[[ $err == *"$text"*"(errno $errno)" ]] || { fail "$f: exec said '$err'"; return; }
	err=$("$CLI" execute $DEV $PIND --file "$f" --pattern Alpha 2>&1)
	[[ $err == *"$text"*"(errno $errno)" ]] || fail "$f: execute said '$err'"
}

# alpha_file FILE [BYTES]: BYTES (1 MiB) of "Alpha beta" lines, not synced
alpha_file() {
	yes 'Alpha beta' | head -c "${2:-1048576}" > "$1"
}

