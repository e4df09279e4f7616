#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetime of kernel-BPF programs (driver/kbpf.c):
#   rmmod	refused while a drive holds one (the module is in use), fine
#		again once it is unloaded; interpreted programs never pin it
#   fd		the drive keeps the program after libbpf (the CLI) closed
#		every fd: bpftool still shows it and EXEC runs it; PROG_UNLOAD
#		drops the last reference and the kernel frees it
#   remove	removing a drive while a kernel-BPF program runs on it (one
#		that would run for ever, see kbpf/spin.bpf.c) ends the run with
#		ENODEV within the interpreter's bound, and frees the program
# Needs the CLI (out/bin next to $URINGBLK_KO) and a module with BTF
# (else SKIP).  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
SPIN=progs/kbpf/spin.bpf.o
TWIN=progs/kbpf/count_pattern.bpf.o

# The engine is on in the loaded module.
engine_on() {
	"$CLI" info 0 | grep -q '^engines .*kbpf'
}

t_rmmod() {
	local out id iid
	ub_load capacity_mb=64 || return
	engine_on || { skip "no kernel-BPF engine"; return; }
	iid=$("$CLI" prog load 0 progs/count_pattern.bpf.o --quiet) || { fail "interp load"; return; }
	id=$("$CLI" prog load 0 "$TWIN" --engine kernel --quiet) || { fail "kernel load"; return; }
	out=$(rmmod uringblk 2>&1) && { fail "rmmod succeeded with a kernel-BPF program loaded"; return; }
	echo "rmmod refused: $out"
	[[ -d /sys/module/uringblk ]] || { fail "the module went anyway"; return; }
	check "unload the kernel-BPF program" "$CLI" prog unload 0 "$id" || return
	# the interpreted one stays: it never pinned the module
	check "rmmod with an interpreted program loaded" ub_unload || return
}

t_fd() {
	local json id bid out
	ub_load capacity_mb=64 || return
	engine_on || { skip "no kernel-BPF engine"; return; }
	command -v bpftool >/dev/null || { skip "no bpftool"; return; }
	printf 'Alpha Alpha Alpha' | dd of=/dev/uringblk0 bs=512 conv=sync oflag=direct status=none
	# the CLI's process, and with it every fd of the program, is gone now
	json=$("$CLI" prog load 0 "$TWIN" --engine kernel --json) || { fail "load"; return; }
	id=$(sed -nE 's/.*"id": ([0-9]+),.*/\1/p' <<<"$json")
	bid=$(sed -nE 's/.*"bpf_id": ([0-9]+).*/\1/p' <<<"$json")
	bpftool prog show id "$bid" || { fail "bpftool: no program $bid held by the drive"; return; }
	out=$("$CLI" exec 0 "$id" --lba 0 --count 1 --pattern Alpha --json) || { fail "exec"; return; }
	grep -q '"r0": 3,' <<<"$out" || { echo "$out"; fail "count"; return; }
	check "unload" "$CLI" prog unload 0 "$id" || return
	# freed after an RCU grace period
	for ((i = 0; i < 50; i++)); do
		bpftool prog show id "$bid" >/dev/null 2>&1 || break
		sleep 0.1
	done
	! bpftool prog show id "$bid" >/dev/null 2>&1 || { fail "program $bid still exists"; return; }
	ub_unload
}

t_remove() {
	local out dev idx id pid t0 t1 rc
	ub_load capacity_mb=64 || return
	engine_on || { skip "no kernel-BPF engine"; return; }
	ub_cli_create kbpfrm --capacity-mb 64 || return
	idx=$UB_IDX
	id=$("$CLI" prog load "$idx" "$SPIN" --engine kernel --quiet) || { fail "load spin"; return; }
	"$CLI" exec "$idx" "$id" --lba 0 --count 8 --budget 68719476736 > "$TMPDIR_RM/exec.out" 2>&1 &
	pid=$!
	sleep 1
	kill -0 "$pid" 2>/dev/null || { cat "$TMPDIR_RM/exec.out"; fail "the run ended by itself"; return; }
	t0=$(date +%s.%N)
	check "remove the drive under the run" "$CLI" remove kbpfrm || return
	t1=$(date +%s.%N)
	wait "$pid"
	rc=$?
	cat "$TMPDIR_RM/exec.out"
	echo "removal took $(echo "$t1 - $t0" | bc 2>/dev/null || echo "$t0 .. $t1") s"
	((rc != 0)) || { fail "exec succeeded"; return; }
	grep -q 'ENODEV' "$TMPDIR_RM/exec.out" || { fail "the run did not end with ENODEV"; return; }
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 5) }' ||
		{ fail "removal took 5 s or more"; return; }
	# nothing holds the module any more
	check "rmmod after the removal" ub_unload || return
}

ub_need_ko || { echo "1..0 # SKIP $(ub_need_ko 2>&1)"; exit $KSFT_SKIP; }
[[ -x $CLI ]] || { echo "1..0 # SKIP no CLI at $CLI (make tools)"; exit $KSFT_SKIP; }
TMPDIR_RM=$(mktemp -d)
trap 'rm -rf "$TMPDIR_RM"' EXIT
ub_unload
ktap_plan 3
ktap_run rmmod t_rmmod
ktap_run fd t_fd
ktap_run remove t_remove
ub_unload
ktap_finish
