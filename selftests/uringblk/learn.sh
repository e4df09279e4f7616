#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The learning path's checks (docs/learn), all in this one boot: for every
# lesson, its solution must PASS its check, and its exercise, as shipped
# with its TODOs, must FAIL it, saying what the lesson expects it to say
# (the lesson's LESSON_EXERCISE_FAILS): a check that passed an unfinished
# exercise, or failed it for another reason (a crash, a setup error),
# would teach nothing.  Two KTAP results per lesson.
#
# Uses the tree next to $URINGBLK_KO: its CLI (out/bin) and the lessons'
# objects (out/learn, built by `make bpf`); without them, SKIP.  Leaves
# the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

# The tree: next to the module (make check), else above this script (in
# selftests/uringblk, or its build copy in out/selftests/uringblk).
for TOP in "$(dirname "${URINGBLK_KO:-.}")" ../.. ../../..; do
	[[ -d $TOP/docs/learn/check ]] && break
done
TOP=$(cd "$TOP" && pwd -P)
LEARN=$TOP/docs/learn
OBJS=$TOP/out/learn
export URINGBLK_CLI=${URINGBLK_CLI:-$TOP/out/bin/uringblk}

# t_lesson N DIR WHICH: run the check of lesson N on its WHICH program.
t_lesson() {
	local n=$1 dir=$2 which=$3 out rc want
	out=$("$LEARN/check/run-lesson" --ko "$URINGBLK_KO" "$n" "$OBJS/$dir/$which.bpf.o" 2>&1)
	rc=$?
	echo "$out"
	if [[ $which == solution ]]; then
		((rc == 0)) && grep -q "^PASS lesson $n " <<<"$out" || fail "the solution does not pass (exit $rc)"
		return
	fi
	((rc == 1)) && grep -q "^FAIL lesson $n " <<<"$out" ||
		{ fail "the exercise does not fail its check as a lesson should (exit $rc)"; return; }
	want=$(source "$LEARN/$dir/check.sh" && echo "$LESSON_EXERCISE_FAILS")
	[[ -n $want ]] || { fail "$dir/check.sh sets no LESSON_EXERCISE_FAILS"; return; }
	grep -qE "$want" <<<"$out" || fail "the exercise fails, but not with /$want/"
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run learn skip "$why"
	ktap_finish
fi
lessons=()
for d in "$LEARN"/[0-9][0-9]-*/; do
	[[ -r $d/check.sh ]] && lessons+=("$(basename "$d")")
done
if [[ ! -x $URINGBLK_CLI || ! -d $OBJS || ${#lessons[@]} -eq 0 ]]; then
	ktap_plan 1
	ktap_run learn skip "no CLI at $URINGBLK_CLI or no lessons built in $OBJS (make tools bpf)"
	ktap_finish
fi

ktap_plan $((2 * ${#lessons[@]}))
ub_unload || exit $KSFT_FAIL
for d in "${lessons[@]}"; do
	n=$((10#${d%%-*}))
	ktap_run "${d}_solution_passes" t_lesson $n "$d" solution
	ktap_run "${d}_exercise_fails" t_lesson $n "$d" exercise
done
ktap_finish
