#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's BTF, which kernel-BPF programs need (driver/kbpf.c,
# tools/btf/module-btf), checked at module load:
#   on		the BTF make gave the module is accepted: "kernel-BPF
#		programs: on", no "missing module BTF", /sys/kernel/btf/uringblk,
#		IDENTIFY's engines and features say kbpf, libbpf (bpftool
#		and the CLI) loads a program calling a kfunc, bpftool lists it
#   no_btf	the same module without .BTF
#   bad_btf	with a .BTF the kernel cannot parse
#   other_kernel	with BTF made for another build of the kernel (its UTS
#		version patched in the .ko)
# each of the last three loads, says why the engine is off, runs an
# interpreted program, and refuses a kernel-BPF one with EOPNOTSUPP.
# Needs objcopy and perl (the copies are made in /tmp), the CLI (out/bin
# next to $URINGBLK_KO); a module built without BTF makes "on" a SKIP.
# Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
TWIN=progs/kbpf/count_pattern.bpf.o
PLAIN=progs/kbpf/plain.bpf.o		# calls no kfunc
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

has_btf() {
	readelf -SW "$1" 2>/dev/null | grep -q ' \.BTF '
}

# Load module file $1 and check the engine line of the kernel log: $2.
load_expect() {
	local ko=$1 want=$2 before log
	ub_unload	# whatever an earlier case left
	before=$(dmesg | wc -l)
	URINGBLK_KO=$ko ub_load capacity_mb=64 || { fail "insmod $ko"; return; }
	log=$(ub_dmesg_since "$before")
	grep -F -- "$want" <<<"$log" || { echo "$log"; fail "no '$want' in the kernel log"; return; }
	! grep -q 'missing module BTF' <<<"$log" ||
		{ fail "the kernel said 'missing module BTF'"; return; }
}

# With the engine off: interpreter runs, kernel-BPF refused, IDENTIFY says so.
engine_off() {
	local info id out
	info=$("$CLI" info 0) || { fail "info"; return; }
	grep -q '^engines *interp native$' <<<"$info" || { echo "$info"; fail "engines"; return; }
	grep -q 'kbpf' <<<"$(grep '^features' <<<"$info")" && { fail "features say kbpf"; return; }
	id=$("$CLI" prog load 0 progs/count_pattern.bpf.o --quiet) || { fail "interp load"; return; }
	printf 'xxAlphaxxAlpha' | dd of=/dev/uringblk0 bs=512 conv=sync oflag=direct status=none
	out=$("$CLI" exec 0 "$id" --lba 0 --count 1 --pattern Alpha --json) || { fail "exec"; return; }
	grep -q '"r0": 2,' <<<"$out" || { echo "$out"; fail "interpreted count"; return; }
	out=$("$CLI" prog load 0 "$PLAIN" --engine kernel 2>&1)
	grep -q 'errno EOPNOTSUPP' <<<"$out" || { echo "$out"; fail "kernel-BPF load not EOPNOTSUPP"; return; }
	grep -q 'no kernel-BPF engine' <<<"$out" || { echo "$out"; fail "no reason given"; return; }
	echo "$out"
}

t_on() {
	local info out id bid
	has_btf "$URINGBLK_KO" || { skip "the module has no BTF (built without pahole or linux-source?)"; return; }
	load_expect "$URINGBLK_KO" "kernel-BPF programs: on" || return
	[[ -e /sys/kernel/btf/uringblk ]] || { fail "no /sys/kernel/btf/uringblk"; return; }
	info=$("$CLI" info 0) || { fail "info"; return; }
	grep -q '^engines *interp native kbpf$' <<<"$info" || { echo "$info"; fail "engines"; return; }
	grep '^features' <<<"$info" | grep -qw kbpf || { echo "$info"; fail "features"; return; }
	if command -v bpftool >/dev/null; then
		mount -t bpf bpf /sys/fs/bpf 2>/dev/null
		check "bpftool prog load (libbpf 1.1, a module kfunc)" \
			bpftool prog load "$TWIN" /sys/fs/bpf/kbpf_btf_twin || return
		rm -f /sys/fs/bpf/kbpf_btf_twin
	fi
	out=$("$CLI" prog load 0 "$TWIN" --engine kernel --json) || { fail "prog load --engine kernel"; return; }
	echo "$out"
	bid=$(sed -nE 's/.*"bpf_id": ([0-9]+).*/\1/p' <<<"$out")
	id=$(sed -nE 's/.*"id": ([0-9]+),.*/\1/p' <<<"$out")
	if command -v bpftool >/dev/null; then
		bpftool prog show id "$bid" | tee /dev/stderr | grep -q 'syscall  name count_pattern' ||
			{ fail "bpftool prog show id $bid"; return; }
	fi
	"$CLI" prog list 0 | grep -E "^ *$id .*kbpf +kernel" || { "$CLI" prog list 0; fail "prog list engine"; return; }
	check "unload" "$CLI" prog unload 0 "$id" || return
	ub_unload
}

t_no_btf() {
	objcopy --remove-section .BTF "$URINGBLK_KO" "$TMP/nobtf.ko" || { fail objcopy; return; }
	load_expect "$TMP/nobtf.ko" "kernel-BPF programs: off, the module has no BTF" || return
	engine_off || return
	ub_unload
}

t_bad_btf() {
	has_btf "$URINGBLK_KO" || { skip "the module has no BTF to spoil"; return; }
	objcopy -O binary --only-section=.BTF "$URINGBLK_KO" "$TMP/btf" &&
		printf '\0\0' | dd of="$TMP/btf" conv=notrunc status=none &&
		objcopy --update-section .BTF="$TMP/btf" "$URINGBLK_KO" "$TMP/bad.ko" ||
		{ fail "making a bad .BTF"; return; }
	load_expect "$TMP/bad.ko" "the kernel refused the module's BTF" || return
	engine_off || return
	ub_unload
}

t_other_kernel() {
	local v w
	has_btf "$URINGBLK_KO" || { skip "the module has no BTF"; return; }
	v=$(uname -v)
	w=${v/\#/\~}	# same length, another build
	V=$v W=$w perl -pe 's/\Q$ENV{V}\E/$ENV{W}/g' "$URINGBLK_KO" > "$TMP/other.ko" ||
		{ fail perl; return; }
	cmp -s "$URINGBLK_KO" "$TMP/other.ko" && { fail "uname -v '$v' is not in the module"; return; }
	load_expect "$TMP/other.ko" "BTF was made for kernel" || return
	engine_off || return
	ub_unload
}

ub_need_ko || { echo "1..0 # SKIP $(ub_need_ko 2>&1)"; exit $KSFT_SKIP; }
command -v objcopy >/dev/null || { echo "1..0 # SKIP objcopy (binutils) missing"; exit $KSFT_SKIP; }
[[ -x $CLI ]] || { echo "1..0 # SKIP no CLI at $CLI (make tools)"; exit $KSFT_SKIP; }
ub_unload
ktap_plan 4
ktap_run on t_on
ktap_run no_btf t_no_btf
ktap_run bad_btf t_bad_btf
ktap_run other_kernel t_other_kernel
ub_unload
ktap_finish
