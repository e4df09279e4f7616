#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/tools/learn-test.sh - native tests of the learning path (docs/learn)
# that need no VM (run by `make -C tools check`; the checks themselves run
# in the VM, selftests/uringblk/learn.sh):
#   layout   every lesson NN-topic/ has exercise.bpf.c, solution.bpf.c and
#            a check.sh that sets LESSON_MODPARAMS, LESSON_EXERCISE_FAILS
#            and defines lesson_check; a page NN-topic.md, listed in the
#            index (docs/learn/README.md)
#   build    make -C docs/learn builds every program (solutions with -Werror)
#   links    every relative link of the pages names a file that exists
#   usage    tools/learn without N, with a bad N or a lesson that does not
#            exist says so and exits 2, before booting anything
# Ends with "learn: N checks passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
learn=$top/docs/learn
tmp=$(mktemp -d "${TMPDIR:-/tmp}/uringblk-learn-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
unset MAKEFLAGS MFLAGS MAKELEVEL

ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; shift; printf '  %s\n' "$@"; failed=$((failed + 1)); }

lessons=()
for d in "$learn"/[0-9][0-9]-*/; do
	lessons+=("$(basename "$d")")
done

t_layout() {
	local l bad=() v
	((${#lessons[@]} >= 6)) || bad+=("only ${#lessons[@]} lessons")
	for l in "${lessons[@]}"; do
		for f in exercise.bpf.c solution.bpf.c check.sh; do
			[[ -r $learn/$l/$f ]] || bad+=("$l/$f missing")
		done
		[[ -r $learn/$l.md ]] || bad+=("$l.md missing")
		grep -q "($l.md)" "$learn/README.md" || bad+=("$l.md not in the index")
		v=$(LESSON_MODPARAMS= LESSON_EXERCISE_FAILS=; source "$learn/$l/check.sh" &&
			[[ -n $LESSON_MODPARAMS && -n $LESSON_EXERCISE_FAILS ]] &&
			declare -F lesson_check >/dev/null && echo yes)
		[[ $v == yes ]] || bad+=("$l/check.sh: LESSON_MODPARAMS, LESSON_EXERCISE_FAILS or lesson_check missing")
	done
	((${#bad[@]} == 0)) && ok "layout of ${#lessons[@]} lessons" || notok "layout" "${bad[@]}"
}

t_build() {
	local out
	if out=$(make -s -C "$learn" OUT="$tmp/out" 2>&1); then
		local n
		n=$(find "$tmp/out/learn" -name '*.bpf.o' | wc -l)
		((n == 2 * ${#lessons[@]})) && ok "build: $n objects" ||
			notok "build" "$n objects for ${#lessons[@]} lessons"
	else
		notok "build" "$out"
	fi
}

# the link targets of a markdown page, one per line
md_links() {
	grep -o '](\([^)]*\))' "$1" | sed 's/^](//; s/)$//; s/#.*//' | grep -v '://' | grep .
}

t_links() {
	local page link bad=() n=0
	for page in "$learn"/*.md; do
		while read -r link; do
			n=$((n + 1))
			[[ -e $learn/$link ]] || bad+=("$(basename "$page"): $link")
		done < <(md_links "$page")
	done
	while read -r link; do
		n=$((n + 1))
		[[ -e $top/$link ]] || bad+=("README.md: $link")
	done < <(md_links "$top/README.md" | grep '^docs/learn')
	((${#bad[@]} == 0)) && ok "links ($n)" || notok "links to missing files" "${bad[@]}"
}

t_usage() {
	local out rc a bad=()
	for a in "" "x" "12" "3 --bogus"; do
		# shellcheck disable=SC2086  # the arguments are words
		out=$("$top/tools/learn" $a 2>&1)
		rc=$?
		((rc == 2)) || bad+=("tools/learn $a: exit $rc: $out")
		[[ $out == *"usage"* || $out == *"no lesson"* ]] || bad+=("tools/learn $a: '$out'")
	done
	((${#bad[@]} == 0)) && ok "usage errors" || notok "usage errors" "${bad[@]}"
}

t_layout
t_build
t_links
t_usage
echo "learn: $passed checks passed, $failed failed"
((failed == 0))
