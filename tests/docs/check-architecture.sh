#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-architecture.sh - every driver/*.[ch],
# driver/sandbox/*.[ch] and driver/kv/*.[ch] has a row ("| `driver/NAME` | its job |") in
# Documentation/dev/architecture.md, and every such row names a file that
# exists.  One check per file found in either; and one per such .c file that
# logs with pr_*() that it defines pr_fmt (the module's prefix on every
# message); and one per file that it is under MAX_LINES (900) lines, so that
# no file grows into a second job.  Ends with
# "check-architecture: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
page=$top/Documentation/dev/architecture.md
passed=0 failed=0

declare -A infs inpage
dirs=(driver driver/sandbox driver/kv)
for d in "${dirs[@]}"; do
	for f in "$top/$d"/*.[ch]; do
		[[ -e $f ]] && infs[$d/${f##*/}]=1
	done
done
while read -r f; do
	inpage[$f]=1
done < <(sed -nE 's/^\|[[:space:]]*`(driver\/[^`]+)`[[:space:]]*\|.*/\1/p' "$page")

if ((${#infs[@]} == 0)); then
	echo "not ok - no driver/*.c in $top/driver"
	failed=$((failed + 1))
fi
for f in $(printf '%s\n' "${!infs[@]}" "${!inpage[@]}" | sort -u); do
	if [[ -z ${inpage[$f]+x} ]]; then
		echo "not ok - $f: no row in Documentation/dev/architecture.md"
		failed=$((failed + 1))
	elif [[ -z ${infs[$f]+x} ]]; then
		echo "not ok - $f: a row of Documentation/dev/architecture.md, no such file"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
for f in "${!infs[@]}"; do
	[[ $f == *.c ]] || continue
	grep -qE '\bpr_(emerg|alert|crit|err|warn|notice|info|debug|cont)[a-z_]*\(' "$top/$f" || continue
	if grep -qE '^#define pr_fmt\(fmt\) KBUILD_MODNAME ": " fmt' "$top/$f"; then
		passed=$((passed + 1))
	else
		echo "not ok - $f: logs with pr_*() but does not define pr_fmt(fmt) KBUILD_MODNAME \": \" fmt"
		failed=$((failed + 1))
	fi
done
MAX_LINES=${MAX_LINES:-900}
for f in "${!infs[@]}"; do
	n=$(wc -l < "$top/$f")
	if ((n < MAX_LINES)); then
		passed=$((passed + 1))
	else
		echo "not ok - $f: $n lines, at most $((MAX_LINES - 1)): split it by job"
		failed=$((failed + 1))
	fi
done
echo "check-architecture: $passed checks passed, $failed failed"
((failed == 0))
