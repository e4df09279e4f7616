#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the lesson checks (docs/learn/NN-*/check.sh), in the test guest:
# the drive, the CLI, running a program and saying what went wrong.
#
# A lesson's check.sh sets LESSON_MODPARAMS (module parameters of its drive)
# and defines lesson_check OBJ, which prepares known data, runs OBJ with
# the CLI, computes the answer independently (perl, awk, tr) and compares
# with want_eq/want_same; it returns 0 only if everything matched.

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$LEARN_TOP/out/bin/uringblk}
WORK=/tmp/learn.$$

# say WHAT...: a line of the check's story, for the learner.
say() { echo "  $*"; }

# A failed expectation: what was expected, what came back, and a hint.
# Returns 1 so a check can `|| return`.
mismatch() {
	local what=$1 want=$2 got=$3 hint=$4
	echo "FAIL: $what"
	echo "  expected: $want"
	echo "  got:      $got"
	[[ -n $hint ]] && echo "  hint:     $hint"
	return 1
}

# want_eq WHAT EXPECTED GOT [HINT]
want_eq() {
	if [[ "$2" == "$3" ]]; then
		if ((${#3} > 60)); then say "ok: $1 = ${3:0:60}..."; else say "ok: $1 = $3"; fi
		return 0
	fi
	mismatch "$@"
}

# The hint for an abort code, from the program ABI's list
# (include/uapi/linux/uringblk_prog.h, enum uringblk_prog_abort).
abort_hint() {
	case $1 in
	budget) echo "the run used up its instruction budget: a loop that never ends (a 'continue' that skips the increment?), or byte-at-a-time work a helper would do cheaper" ;;
	mem) echo "a load or store outside the program's memory (stack frame, ctx, output buffer, SLM window): an index past the end of a buffer, or a store into the read-only ctx" ;;
	range) echo "a helper was asked for data outside [0, ctx->data_len): look at the offset and length of the last read (off-by-one in the loop condition?)" ;;
	arg) echo "a helper got a bad scalar argument (a pattern length of 0 or above the limit, len % 4 != 0 for sum_u32...)" ;;
	depth) echo "more than 8 nested calls: recursion?" ;;
	*) echo "see 'Why a run stops' in include/uapi/linux/uringblk_prog.h" ;;
	esac
}

# load OBJ [CLI options]: load the program, set PROG_ID, PIND and OBJ.
# A refusal is the lesson's answer: print the validator's message.
load() {
	local obj=$1 out
	shift
	OBJ=$obj
	if ! out=$("$CLI" prog load $DEV "$obj" --json "$@" 2>&1); then
		echo "FAIL: the drive refused the program (it never ran):"
		sed 's/^/  | /' <<<"$out"
		echo "  hint:     the validator checks every instruction at load and names the one it"
		echo "            refuses, and why (docs/learn/04-bounds-and-budget.md lists the usual ones);"
		echo "            llvm-objdump -S --no-show-raw-insn $obj shows it next to its line of C"
		return 1
	fi
	PROG_ID=$(sed -n 's/.*"id": \([0-9]*\).*/\1/p' <<<"$out")
	PIND=$(sed -n 's/.*"pind": \([0-9]*\).*/\1/p' <<<"$out")
	say "loaded as program $PROG_ID in slot $PIND"
}

# json_get KEY: a scalar of the last run's JSON reply.
json_get() {
	tr -d '\n' <<<"$RUN_JSON" | sed -n "s/.*\"$1\": \"\\{0,1\\}\\([^\",]*\\).*/\\1/p"
}

# json_u64s: the output_u64 array of the last run, space-separated.
json_u64s() {
	tr -d '\n' <<<"$RUN_JSON" | sed -n 's/.*"output_u64": \[\([^]]*\)\].*/\1/p' | tr -d ','
}

# run_prog CMD ARGS...: `uringblk exec|execute ... --json`, then R0 etc.
# A run that stopped early is a failure, told with its abort and a hint.
run_prog() {
	local cmd=$1
	shift
	say "running: uringblk $cmd $DEV $*"
	RUN_JSON=$("$CLI" "$cmd" $DEV "$@" --json 2>&1)
	R0=$(json_get r0)
	if [[ $(json_get completed) != true ]]; then
		local abort errno pc
		abort=$(json_get abort) errno=$(json_get errno) pc=$(json_get abort_pc)
		if [[ -z $abort ]]; then
			echo "FAIL: the drive refused the run:"
			sed 's/^/  | /' <<<"$RUN_JSON"
			return 1
		fi
		echo "FAIL: the run stopped at instruction $pc: abort '$abort', errno $errno"
		echo "  budget units used: $(json_get insns)"
		echo "  hint:     $(abort_hint "$abort")"
		echo "            where: llvm-objdump -S --no-show-raw-insn $OBJ | grep -B8 '^ *$pc:'"
		return 1
	fi
	say "r0 = $R0, $(json_get insns) budget units, $(json_get bytes_scanned) bytes scanned"
}

# put FILE LBA: write FILE to the drive at LBA (the last block padded with
# zeroes), past the page cache.
put() {
	dd if="$1" of=$DEV bs=512 seek="$2" conv=sync oflag=direct status=none
}

# An ext4 filesystem on the drive at $MNT.
MNT=/tmp/learn-mnt
mkfs_mount() {
	mkfs.ext4 -q -F -b 4096 $DEV >/dev/null 2>&1 || { echo "FAIL: mkfs.ext4"; return 1; }
	mkdir -p $MNT && mount -t ext4 $DEV $MNT || { echo "FAIL: mount"; return 1; }
}
