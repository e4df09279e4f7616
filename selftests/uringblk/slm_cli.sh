#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's device memory commands against a live drive: `mem write` from
# a file and from stdin, `mem read` to stdout and to a file gives the bytes
# back; `mem copy` puts the blocks dd wrote into SLM, end to end, and its
# --json says how many bytes; `rangeset create` prints an id (--json with
# the ranges) and `rangeset delete` of a deleted id fails naming the
# standard's status (Invalid Memory Range Set Identifier, errno EBADSLT);
# `info` shows the SLM lines.
#
# Uses the repository's CLI, out/bin/uringblk next to $URINGBLK_KO (built
# by `make tools`); without it the test is a SKIP.  Leaves the module
# unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
TMP=/tmp/ubt-slm-cli.$$

t_write_read() {
	local out
	head -c 10000 /dev/urandom > "$TMP.in" || { fail "no random data"; return; }
	out=$("$CLI" mem write $DEV 4095 "$TMP.in") || { fail "mem write: $?"; return; }
	expect_eq "mem write" "wrote 10000 bytes at SLM offset 4095" "$out" || return
	check "mem read -o" "$CLI" mem read $DEV 4095 10000 -o "$TMP.out" || return
	check "same bytes (file)" cmp "$TMP.in" "$TMP.out" || return
	"$CLI" mem read $DEV 4095 10000 > "$TMP.out" || { fail "mem read: $?"; return; }
	check "same bytes (stdout)" cmp "$TMP.in" "$TMP.out" || return
	out=$(printf 'hello' | "$CLI" mem write $DEV 1M - --json) || { fail "stdin: $?"; return; }
	expect_eq "mem write --json" '{"slm_off": 1048576, "bytes": 5}' "$out" || return
	expect_eq "read back" "hello" "$("$CLI" mem read $DEV 1M 5)" || return
	# never written: zeroes
	"$CLI" mem read $DEV 2M 4K | cmp -s - <(head -c 4096 /dev/zero) ||
		fail "a hole does not read as zeroes"
}

t_copy() {
	local out
	head -c 8192 /dev/urandom > "$TMP.blk" || { fail "no random data"; return; }
	check "dd" dd if="$TMP.blk" of=$DEV bs=4096 seek=25 oflag=direct status=none || return
	# block size 512: blocks 208..215 (the second 4 KiB), then 200..207
	out=$("$CLI" mem copy $DEV 64K 208:8,200:8 --json) || { fail "mem copy: $?"; return; }
	expect_eq "mem copy --json" '{"slm_off": 65536, "ranges": 2, "bytes": 8192}' "$out" || return
	"$CLI" mem read $DEV 64K 8K > "$TMP.out" || { fail "mem read: $?"; return; }
	cmp -s <(tail -c 4096 "$TMP.blk"; head -c 4096 "$TMP.blk") "$TMP.out" ||
		fail "copied bytes differ"
}

t_rangeset() {
	local out id err
	id=$("$CLI" rangeset create $DEV 0:64K,1M:8K) || { fail "create: $?"; return; }
	[[ $id =~ ^[1-9][0-9]*$ ]] || { fail "id '$id'"; return; }
	out=$("$CLI" rangeset create $DEV 8K:4K --json) || { fail "create --json: $?"; return; }
	expect_eq "create --json" "{\"rsid\": $((id + 1)), \"ranges\": [{\"slm_off\": 8192, \"len\": 4096}]}" "$out" || return
	check "delete" "$CLI" rangeset delete $DEV "$id" || return
	err=$("$CLI" rangeset delete $DEV "$id" 2>&1)
	expect_eq "delete again: exit status" 1 $? || return
	[[ $err == *"Invalid Memory Range Set Identifier (1h/8Dh) (errno EBADSLT)" ]] ||
		{ fail "delete again: '$err'"; return; }
	err=$("$CLI" rangeset create $DEV 100:4K 2>&1)
	[[ $err == *"(errno EINVAL)" ]] || { fail "unaligned: '$err'"; return; }
	err=$("$CLI" rangeset create $DEV 0:1G 2>&1)
	[[ $err == *"Invalid Memory Range Set (1h/8Ch)"*"(errno ERANGE)" ]] || fail "too big: '$err'"
}

t_info() {
	local out
	out=$("$CLI" info $DEV) || { fail "info: $?"; return; }
	grep -qE '^slm +8388608 bytes \(8\.0 MiB\), granularity [0-9]+$' <<<"$out" ||
		{ echo "$out"; fail "no slm line"; return; }
	out=$("$CLI" info $DEV --json) || { fail "info --json: $?"; return; }
	grep -q '"slm_size": 8388608,' <<<"$out" || { echo "$out"; fail "no slm_size"; }
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run slm_cli skip "$why"
	ktap_finish
fi
if [[ ! -x $CLI ]]; then
	ktap_plan 1
	ktap_run slm_cli skip "no CLI at $CLI (make tools)"
	ktap_finish
fi

ktap_plan 4
ub_unload && ub_load capacity_mb=16 slm_size_mb=8 || exit $KSFT_FAIL
ktap_run mem_write_read t_write_read
ktap_run mem_copy t_copy
ktap_run rangeset t_rangeset
ktap_run info_slm t_info
rm -f "$TMP".*
ub_unload
ktap_finish
