#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's progress line (uringblk(8), PROGRESS) on the commands that
# need a drive: exec over blocks and over a file, execute over a range
# set, query over the drive's blocks, kv query and kv load on a KV
# drive.  Each runs with stderr on a pseudo-terminal (python3's pty
# module) and again on a pipe: on the terminal the line ("CMD: SIZE
# WHERE, 0s", kv load's "of SIZE (0%)") is drawn and erased, on the
# pipe and with --no-progress nothing, and stdout is the same in all
# three.  URINGBLK_PROGRESS_DELAY_MS=0 draws the first line when the
# operation starts, so nothing depends on how long it takes.  The same
# checks without a drive (query --host) are tests/tools/progress-tty.sh.
#
# Uses out/bin/uringblk next to $URINGBLK_KO; without it, or without
# python3, a SKIP; the file case needs mkfs.ext4 (else that case SKIPs).
# Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
OBJ=progs/count_pattern.bpf.o
TMP=/tmp/cli_progress.$$
MNT=$TMP.mnt

# on_pty OUT ERR CMD...: CMD with stderr on a pseudo-terminal, stdout into
# OUT, the terminal's bytes into ERR; its exit status.
on_pty() {
	python3 - "$@" <<'PY'
import os, pty, subprocess, sys
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
m, s = pty.openpty()
with open(out, "wb") as f:
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=s)
os.close(s)
b = b""
while True:
    try:
        c = os.read(m, 65536)
    except OSError:
        break
    if not c:
        break
    b += c
open(err, "wb").write(b)
sys.exit(p.wait())
PY
}

# drawn WANT FILE: FILE is "\rWANT\e[K", then redraws of the line with
# another time (the ticker's, every 0.5 s on a slow guest: the same text
# up to its first ": "), then "\r\e[K": the line erased.
drawn() {
	python3 - "$@" <<'PY'
import re, sys
want, path = sys.argv[1], sys.argv[2]
b = open(path, "rb").read().decode("utf-8", "replace")
head = want[:want.index(": ") + 2]
again = re.escape(head) + "[^\r\x1b]*"
ok = re.fullmatch("\r" + re.escape(want) + "\x1b\\[K" +
                  "(?:\r" + again + "\x1b\\[K)*" + "\r\x1b\\[K", b)
sys.exit(0 if ok else 1)
PY
}

# three_ways WANT CMD...: CMD on a terminal draws WANT (drawn) on stderr,
# on a pipe and with --no-progress nothing, stdout the same.
three_ways() {
	local want=$1 st
	shift
	export URINGBLK_PROGRESS_DELAY_MS=0 TERM=xterm
	unset URINGBLK_PROGRESS
	"$CLI" "$@" > "$TMP.pipe.out" 2> "$TMP.pipe.err"
	st=$?
	on_pty "$TMP.tty.out" "$TMP.tty.err" "$CLI" "$@"
	expect_eq "exit status on a terminal" "$st" $? || return
	on_pty "$TMP.off.out" "$TMP.off.err" "$CLI" --no-progress "$@"
	expect_eq "exit status with --no-progress" "$st" $? || return
	drawn "$want" "$TMP.tty.err" ||
		{ od -c "$TMP.tty.err" | head; fail "terminal: not the line '$want', then erased"; return; }
	[[ ! -s $TMP.pipe.err ]] || { cat "$TMP.pipe.err"; fail "a pipe: something on stderr"; return; }
	[[ ! -s $TMP.off.err ]] || { od -c "$TMP.off.err" | head; fail "--no-progress: something drawn"; return; }
	cmp -s "$TMP.pipe.out" "$TMP.tty.out" || { fail "stdout differs on a terminal"; return; }
	cmp -s "$TMP.pipe.out" "$TMP.off.out" || { fail "stdout differs with --no-progress"; return; }
	cat "$TMP.tty.out"
}

t_exec() {
	local id
	check "data" dd if=/dev/zero of=$DEV bs=1M count=1 oflag=direct status=none || return
	printf 'Alpha' | dd of=$DEV bs=512 seek=7 conv=notrunc status=none || return
	sync
	id=$("$CLI" prog load 0 "$OBJ" --quiet) || { fail "prog load"; return; }
	three_ways "exec: 1.00 MiB in the drive, 0s" \
		exec 0 "$id" --lba 0 --count 2048 --pattern Alpha --json || return
	grep -q '"r0": 1,' "$TMP.tty.out" || fail "exec's answer"
}

t_execute() {
	local rsid
	check "slot" "$CLI" prog load 0 "$OBJ" --slot 6 --quiet > /dev/null || return
	check "activate" "$CLI" prog activate 0 6 || return
	check "mem copy" "$CLI" mem copy 0 0 0:2048 > /dev/null || return
	rsid=$("$CLI" rangeset create 0 0:1M) || { fail "rangeset create"; return; }
	three_ways "execute: running in the drive, 0s" \
		execute 0 6 "$rsid" --pattern Alpha --json || return
	grep -q '"r0": 1,' "$TMP.tty.out" || fail "execute's answer"
	"$CLI" rangeset delete 0 "$rsid"
}

t_query() {
	check "data" dd if=/dev/zero of=$DEV bs=4K count=1 oflag=direct status=none || return
	printf 'a,1\nb,2\na,3\n' | dd of=$DEV conv=notrunc status=none || return
	sync
	three_ways "query: 4.00 KiB in the drive, 0s" \
		query 0 'SELECT count(*), sum($2)' --bytes 4K || return
	grep -q '^# records 3, matched 3' "$TMP.tty.out" || fail "the query's answer"
}

t_exec_file() {
	local id size
	command -v mkfs.ext4 > /dev/null || { skip "no mkfs.ext4"; return $KSFT_SKIP; }
	mkfs.ext4 -q -F $DEV > "$TMP.mkfs" 2>&1 || { cat "$TMP.mkfs"; fail "mkfs.ext4"; return; }
	mkdir -p "$MNT" && mount -t ext4 $DEV "$MNT" || { fail "mount"; return; }
	{ head -c 300000 /dev/zero | tr '\0' 'x'; printf 'Alpha'; } > "$MNT/f"
	sync
	size=$(stat -c %s "$MNT/f")
	id=$("$CLI" prog load 0 "$OBJ" --quiet) || { umount "$MNT"; fail "prog load"; return; }
	three_ways "exec: 293 KiB in the drive, 0s" \
		exec 0 "$id" --file "$MNT/f" --pattern Alpha --json
	local rc=$?
	umount "$MNT"
	((rc == 0)) || return
	expect_eq "file size" 300005 "$size" || return
	grep -q '"r0": 1,' "$TMP.tty.out" || fail "exec --file's answer"
}

t_kv_query() {
	local dev
	ub_configfs || fail "configfs" || return
	ub_cli_create kvprogress --capacity-mb 64 --set kv=1 || return
	dev=/dev/uringblkc$UB_IDX
	printf 'a,1\nb,2\na,3\n' | "$CLI" kv put $dev t || { fail "kv put"; return; }
	three_ways "kv query: running in the drive, 0s" \
		kv query $dev t 'SELECT count(*), sum($2)'
	local rc=$?
	"$CLI" remove kvprogress
	((rc == 0)) || return
	grep -q '^# records 3, matched 3' "$TMP.tty.out" || fail "kv query's answer"
}

t_kv_load() {
	local dev
	ub_configfs || fail "configfs" || return
	ub_cli_create kvload --capacity-mb 64 --set kv=1 || return
	dev=/dev/uringblkc$UB_IDX
	printf 'a\t1\nb\t22\nc\t333\n' > "$TMP.kv"
	three_ways "kv load from $TMP.kv: 0 B of 15 B (0%), 0s" \
		kv load $dev "$TMP.kv"
	local rc=$?
	((rc == 0)) && expect_eq "the loaded value" 333 "$("$CLI" kv get $dev c)"
	rc=$?
	"$CLI" remove kvload
	((rc == 0)) || return
	grep -qx '3 keys stored, 6 bytes of values' "$TMP.tty.out" || fail "kv load's answer"
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run cli_progress skip "$why"
	ktap_finish
fi
if [[ ! -x $CLI ]] || ! command -v python3 > /dev/null; then
	ktap_plan 1
	ktap_run cli_progress skip "no CLI at $CLI (make tools) or no python3"
	ktap_finish
fi

ktap_plan 6
ub_unload && ub_load capacity_mb=64 || exit $KSFT_FAIL
ktap_run progress_exec t_exec
ktap_run progress_execute t_execute
ktap_run progress_query t_query
ktap_run progress_exec_file t_exec_file
ktap_run progress_kv_query t_kv_query
ktap_run progress_kv_load t_kv_load
ub_unload
rm -rf "$TMP".* "$MNT"
ktap_finish
