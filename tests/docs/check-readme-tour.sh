#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-readme-tour.sh - what can be checked of README.md's tour
# without a VM (selftests/uringblk/readme_tour.sh runs it in the VM):
# - README.md stays under 250 lines (a front door, not a manual);
# - the tour has guest commands for readme_tour.sh to run (its --list);
# - every <!-- tour-vary: REGEX --> marker sits right before a guest
#   block's opening fence (elsewhere readme_tour.sh would drop it), and its
#   REGEX matches a line that block shows (a marker that matches nothing
#   would be a stale excuse).
# One check each, one per marker.  Ends with
# "check-readme-tour: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
readme=$top/README.md
ok=0 bad=0
pass() { ok=$((ok + 1)); }
nok() { echo "not ok - $*"; bad=$((bad + 1)); }

n=$(wc -l <"$readme")
((n < 250)) && pass || nok "README.md has $n lines, not under 250"

cmds=$(bash "$top/selftests/uringblk/readme_tour.sh" --list | grep -c '^# ')
((cmds > 0)) && pass || nok "readme_tour.sh --list finds no guest command in the tour of README.md"

mapfile -t lines <"$readme"
in_tour=0 markers=0
for ((i = 0; i < ${#lines[@]}; i++)); do
	l=${lines[i]}
	if [[ $l == '## A short tour'* ]]; then
		in_tour=1
		continue
	fi
	((in_tour)) || continue
	[[ $l == '## '* ]] && break
	re='^<!-- tour-vary: (.+) -->$'
	[[ $l =~ $re ]] || continue
	markers=$((markers + 1))
	rx=${BASH_REMATCH[1]}
	# The markers of a block, then its fence, then a "# " line.
	j=$((i + 1))
	while [[ ${lines[j]:-} =~ $re ]]; do j=$((j + 1)); done
	if [[ ${lines[j]:-} != '```'* || ${lines[j + 1]:-} != '# '* ]]; then
		nok "README.md line $((i + 1)): tour-vary marker not right before a guest block (\`\`\` then a '# ' line)"
		continue
	fi
	matched=0
	for ((k = j + 1; k < ${#lines[@]}; k++)); do
		[[ ${lines[k]} == '```'* ]] && break
		[[ ${lines[k]} == '# '* ]] && continue
		[[ ${lines[k]} =~ $rx ]] && { matched=1; break; }
	done
	((matched)) && pass ||
		nok "README.md line $((i + 1)): tour-vary /$rx/ matches no output line of its block"
done
((in_tour)) || nok "README.md has no '## A short tour' section"
echo "check-readme-tour: $ok checks passed, $bad failed"
((bad == 0))
