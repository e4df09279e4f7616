#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TPC-H on a file on the drive: lineitem (scale factor 0.01, ~60,000 rows)
# generated as dbgen text and binary rows onto ext4 on a uringblk drive,
# then Q6 and Q1 computed
#   - on the host (uringblk-tpch host: read the file, compute), text and
#     binary;
#   - in the drive (uringblk-tpch drive: one EXEC over the file's extents)
#     with the record helpers (tpch_q*_text), the byte-at-a-time
#     interpreter reference (tpch_q*_ref) and over binary rows (tpch_q*_bin),
#     and over binary rows by the kernel-BPF engine (kbpf/tpch_q*_bin; 9
#     groups: EINVAL from both engines);
#   - by sqlite3 loading the same text file (tools/tpch/sqlite_check.sh),
# all printing the same answer.  Then the record helpers' refusals on the
# drive (bpf/rec_probe: bad formats and separators -EINVAL "arg", pos in
# the read-only ctx -EFAULT "mem", a range past the data -ERANGE) and the
# budget bounding them (Q6 text with a budget too small: -ETIME "budget").
#
# Uses out/bin/uringblk and out/bin/uringblk-tpch next to $URINGBLK_KO;
# without them, or without mkfs.ext4, the test is a SKIP (sqlite3 missing:
# that case alone).  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
TOP=$(dirname "${URINGBLK_KO:-.}")
CLI=${URINGBLK_CLI:-$TOP/out/bin/uringblk}
# The tools and scripts are the CLI's tree's (<tree>/out/bin/uringblk): the
# debug suite's module is not in the tree's top (out/debug/module) and names
# the CLI with URINGBLK_CLI.
TOP=$(cd "$(dirname "$CLI")/../.." 2>/dev/null && pwd) || TOP=$(dirname "${URINGBLK_KO:-.}")
TPCH=$TOP/out/bin/uringblk-tpch
SQLCHECK=$TOP/tools/tpch/sqlite_check.sh
TMP=/tmp/ubt-tpch.$$
MNT=$TMP.mnt
TXT=$MNT/lineitem.tbl
BIN=$MNT/lineitem.bin

# same QUERY: every way prints what the host's text path prints
t_same() {
	local q=$1 want got way
	want=$("$TPCH" host "$q" "$TXT") || { fail "host $q text"; return; }
	echo "$want" | sed 's/^/# /'
	got=$("$TPCH" host "$q" "$BIN" --bin) || { fail "host $q bin"; return; }
	expect_eq "host $q binary" "$want" "$got" || return
	for way in text ref bin; do
		local f=$TXT
		[[ $way == bin ]] && f=$BIN
		# the tool sizes the budget (the reference needs ~150 units a
		# byte: more than the drive's default)
		got=$("$TPCH" drive "$q" "$f" --prog progs/tpch_${q}_$way.bpf.o -v) ||
			{ fail "drive $q $way"; return; }
		expect_eq "drive $q $way" "$want" "$got" || return
	done
}

t_q6() {
	t_same q6
}

t_q1() {
	t_same q1
}

# Q6 and Q1 over binary rows by the kernel-BPF twins (bpf/kbpf/tpch_q*_bin):
# the host's answers too; and a table with more Q1 groups than the output
# holds, which both engines refuse alike (the run: EINVAL)
t_kbpf() {
	local q want got f=$TMP.groups out kbpf
	"$CLI" info $DEV | grep -q '^engines .*kbpf' ||
		{ skip "no kernel-BPF engine on this kernel (uringblk info: engines)"; return; }
	for q in q6 q1; do
		want=$("$TPCH" host $q "$BIN" --bin) || { fail "host $q bin"; return; }
		got=$("$TPCH" drive $q "$BIN" --prog progs/kbpf/tpch_${q}_bin.bpf.o --kbpf \
		      -v 2>"$TMP.v") || { fail "drive $q kbpf"; return; }
		expect_eq "drive $q, kernel-BPF engine" "$want" "$got" || return
		# the tool sizes these programs' budget at 1/16 of a unit a
		# byte (KBPF_BYTES_PER_UNIT in tools/tpch/uringblk-tpch.c)
		read -r units bytes < <(sed -n 's/^insns \([0-9]*\), bytes scanned \([0-9]*\),.*/\1 \2/p' "$TMP.v")
		echo "# $q kbpf: $units units over $bytes bytes"
		[[ -n $units && $bytes -gt 0 ]] && ((units * 16 <= bytes)) ||
			{ fail "$q kbpf: $units units over $bytes bytes, more than 1/16 a byte"; return; }
	done
	# 9 rows of 9 returnflags, shipped 1995-01-01: 9 groups, 8 slots
	python3 -c '
import struct, sys
for i in range(9):
    sys.stdout.buffer.write(struct.pack("<qIIHBBBBHII", 100, i, 19950101, 1, 0, 0,
                                        ord("A") + i, ord("F"), 1, 0, 0))' > "$f" &&
		cp "$f" "$MNT/groups.bin" && sync || { fail "write groups.bin"; return; }
	for kbpf in "" --kbpf; do
		out=$("$TPCH" drive q1 "$MNT/groups.bin" \
		      --prog progs/${kbpf:+kbpf/}tpch_q1_bin.bpf.o $kbpf 2>&1)
		# abort 4: URINGBLK_PROG_ABORT_ARG
		[[ $? -ne 0 && $out == *"(run: invalid argument"*", abort 4 at "* ]] ||
			{ fail "q1 over 9 groups ${kbpf:-interpreted}: '$out'"; return; }
		echo "# q1 over 9 groups ${kbpf:-interpreted}: $out"
	done
}

t_sqlite() {
	local q want got
	command -v sqlite3 > /dev/null || { skip "no sqlite3"; return; }
	for q in q6 q1; do
		want=$("$TPCH" drive "$q" "$TXT" --prog progs/tpch_${q}_text.bpf.o) ||
			{ fail "drive $q"; return; }
		got=$("$SQLCHECK" "$TXT" "$q") || { fail "sqlite3 $q"; return; }
		expect_eq "sqlite3 $q" "$want" "$got" || return
	done
}

# probe MODE A1 A2: the JSON of one rec_probe run over the text file
probe() {
	"$CLI" exec $DEV "$PROBE_ID" --file "$TXT" --arg "$1" --arg "$2" \
		--arg "$3" --json
}

expect_abort() {
	local what=$1 err=$2 abort=$3 out=$4
	[[ $out == *"\"error\": $err,"* && $out == *"\"abort\": \"$abort\""* ]] ||
		{ echo "$out"; fail "$what: wanted error $err, abort $abort"; return 1; }
}

t_helper_args() {
	local out fmt_int=$((1 << 32)) size
	size=$(stat -c %s "$TXT")
	# the first line's quantity, "l_quantity" of row 1, parses as a number
	out=$(probe 1 0 $((0x7c | 16 << 8))) || { echo "$out"; fail "rec_fields"; return; }
	echo "$out" | grep -q '"completed": true' || { echo "$out"; fail "rec_fields run"; return; }
	out=$(probe 0 0 $(((3 | 1 << 8) << 32 | 2)))
	expect_abort "DATE scale 1" -22 arg "$out" || return
	out=$(probe 0 0 $((9 << 32 | 2)))
	expect_abort "kind 9" -22 arg "$out" || return
	out=$(probe 1 0 $((0x0a | 4 << 8)))
	expect_abort "separator newline" -22 arg "$out" || return
	out=$(probe 1 0 $((0x7c | 65 << 8)))
	expect_abort "65 fields" -22 arg "$out" || return
	out=$(probe 2 0 $((0x7c | 4 << 8)))
	expect_abort "pos in ctx" -14 mem "$out" || return
	out=$(probe 0 $((size - 1)) $((fmt_int | 2)))
	expect_abort "number past the data" -34 range "$out" || return
	out=$(probe 1 $((size + 1)) $((0x7c | 4 << 8)))
	expect_abort "record past the data" -34 range "$out" || return
	for v in 1 2 3 4 5 7; do
		out=$(probe 3 0 $v)
		expect_abort "rec_parse spec variant $v" -22 arg "$out" || return
	done
	out=$(probe 3 0 6)
	expect_abort "rec_parse end past the data" -34 range "$out" || return
}

t_identify() {
	local out
	out=$("$CLI" info $DEV) || { echo "$out"; fail "info"; return; }
	grep -q 'records' <<<"$out" || { echo "$out"; fail "no 'records' feature"; return; }
	# the record helpers came with ABI 1.7
	[[ $out =~ (^|$'\n')abi\ +1\.([0-9]+) ]] && ((BASH_REMATCH[2] >= 7)) ||
		{ echo "$out"; fail "abi is not 1.7 or later"; }
}

t_budget() {
	local err
	err=$("$TPCH" drive q6 "$TXT" --prog progs/tpch_q6_text.bpf.o --budget 20000 2>&1)
	expect_eq "budget 20000: exit status" 1 $? || return
	echo "# $err"
	[[ $err == *"abort 1 "* ]] || fail "budget 20000: '$err', wanted abort 1 (budget)"
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run tpch skip "$why"
	ktap_finish
fi
for need in "$CLI" "$TPCH" progs/tpch_q6_text.bpf.o progs/rec_probe.bpf.o; do
	if [[ ! -e $need ]]; then
		ktap_plan 1
		ktap_run tpch skip "no $need (make tools, make selftests)"
		ktap_finish
	fi
done
if ! command -v mkfs.ext4 > /dev/null; then
	ktap_plan 1
	ktap_run tpch skip "no mkfs.ext4"
	ktap_finish
fi

ktap_plan 7
ub_unload && ub_load capacity_mb=256 || exit $KSFT_FAIL
mkdir -p "$MNT"
if ! mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 $DEV ||
   ! mount -t ext4 $DEV "$MNT" ||
   ! "$TPCH" gen --sf 0.01 --seed 15 --text "$TXT" --bin "$BIN" ||
   ! sync; then
	echo "# mkfs/mount/gen on $DEV failed"
	ub_unload
	exit $KSFT_FAIL
fi
ls -l "$TXT" "$BIN" | sed 's/^/# /'
out=$("$CLI" prog load $DEV progs/rec_probe.bpf.o)
[[ $out =~ as\ program\ ([0-9]+) ]] && PROBE_ID=${BASH_REMATCH[1]}
ktap_run q6 t_q6
ktap_run q1 t_q1
ktap_run kbpf t_kbpf
ktap_run sqlite3 t_sqlite
ktap_run helper_args t_helper_args
ktap_run budget t_budget
ktap_run identify_records t_identify
umount "$MNT" 2>/dev/null
rm -rf "$TMP".*
ub_unload
ktap_finish
