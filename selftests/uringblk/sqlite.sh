#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SQLite extension (lib/sqlite, Documentation/examples/sqlite.md) with
# engine='drive' over files on ext4 on a uringblk drive: the differential
# test of tests/sqlite/sqldiff.c, short (300 random queries over 12
# files, their pushed terms run in the drive over the file's extents,
# each drive count held against the host's), TPC-H Q6 and Q1 against an
# ordinary table and the generator's exact Q6, and the errors (a file
# changed under a scan, a DEC value past 15 digits, a file on no drive);
# then the extension loaded by the sqlite3 shell answers a drive query,
# and the kernel logged no warning.
#
# Uses out/tests/sqlite/sqldiff (make -C lib/sqlite build makes it) and
# out/lib/uringblk_sqlite.so next to $URINGBLK_KO's tree; without them,
# or without mkfs.ext4, the test is a SKIP.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
# beside the module, or above the test (the debug kernel's module is in
# out/debug/module, with no tree beside it)
TOP=$(ub_top out/tests/sqlite/sqldiff out/lib/uringblk_sqlite.so)
SQLDIFF=$TOP/out/tests/sqlite/sqldiff
EXT=$TOP/out/lib/uringblk_sqlite
QUERIES=${URINGBLK_SQLITE_QUERIES:-300}
TMP=/tmp/ubt-sqlite.$$
MNT=$TMP.mnt

t_differential() {
	local out
	out=$("$SQLDIFF" --drive "$MNT" 76 "$QUERIES" 2>&1)
	echo "$out" | tail -n 40
	grep -q "^sqldiff: [0-9]* checks passed, 0 failed$" <<<"$out" || fail "sqldiff"
}

# the sqlite3 shell: .load, a pushed Q6-like count in the drive, the
# drive's bytes in uringblk_stats(), the same count as an imported table
t_shell() {
	local f=$MNT/shell.tbl got want stats
	command -v sqlite3 > /dev/null || { skip "no sqlite3 shell"; return; }
	awk 'BEGIN { srand(76); for (i = 1; i <= 20000; i++)
		printf "%d|%d|0.%02d|1994-%02d-%02d\n", i, int(rand() * 50),
		       int(rand() * 11), 1 + int(rand() * 12), 1 + int(rand() * 28) }' > "$f"
	sync
	got=$(sqlite3 -batch :memory: ".load $EXT" \
		"CREATE VIRTUAL TABLE t USING uringblk(file='$f', sep='|', columns='k INT, q INT, d DEC2, s DATE', engine='drive')" \
		"SELECT count(*) FROM t WHERE q < 24 AND d BETWEEN 0.05 AND 0.07 AND s >= '1994-06-01'" \
		"SELECT uringblk_stats()") || { fail "sqlite3: $got"; return; }
	echo "$got"
	want=$(sqlite3 -batch :memory: "CREATE TABLE r(k INTEGER, q INTEGER, d REAL, s TEXT)" \
		".separator |" ".import $f r" \
		"SELECT count(*) FROM r WHERE q < 24 AND d BETWEEN 0.05 AND 0.07 AND s >= '1994-06-01'")
	expect_eq "count against the imported table" "$want" "$(head -n 1 <<<"$got")" || return
	stats=$(tail -n 1 <<<"$got")
	[[ $stats == *"engine drive"* && $stats != *"drive scanned 0 bytes"* &&
	   $stats == *"matched $want"* ]] || fail "stats: $stats"
}

ktap_plan 2
why=
[[ -x $SQLDIFF && -f $EXT.so ]] || why="$SQLDIFF or $EXT.so not built (make -C lib/sqlite build)"
command -v mkfs.ext4 > /dev/null || why="no mkfs.ext4"
if [[ -n $why ]]; then
	ktap_run differential skip "$why"
	ktap_run shell skip "$why"
	ktap_finish
fi
dmesg_start=$(dmesg | wc -l)
ub_unload && ub_load capacity_mb=256 || exit $KSFT_FAIL
mkdir -p "$MNT"
if ! mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 $DEV ||
   ! mount -t ext4 $DEV "$MNT"; then
	echo "# mkfs/mount of ext4 on $DEV failed"
	ub_unload
	exit $KSFT_FAIL
fi
ktap_run differential t_differential
ktap_run shell t_shell
umount "$MNT" 2>/dev/null
rm -rf "$MNT"
ub_unload
ub_dmesg_clean "$dmesg_start" || _ktap_fail=$((_ktap_fail + 1))
ktap_finish
