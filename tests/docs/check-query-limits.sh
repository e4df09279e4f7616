#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-query-limits.sh - every limit the query compiler
# enforces, read from the code, is the one Documentation/examples/queries.md
# states: its "Limits:" paragraph (field numbers, distinct fields,
# aggregates, groups, terms, nesting, instructions) and the JSON names'
# and binary records' own rules.  One check per limit.  Ends with
# "check-query-limits: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
NAME=check-query-limits
doc=$top/Documentation/examples/queries.md
passed=0 failed=0

# the value of "#define NAME value" in FILE
def() {
	awk -v n="$2" '$1 == "#define" && $2 == n { print $3; exit }' "$top/$1"
}

# the doc's text (or its "Limits:" paragraph) on one line, blanks squeezed
text=$(tr -s ' \n' '  ' < "$doc")
limits=$(awk '/^Limits:/ { p = 1 } p && /^$/ { exit } p' "$doc" | tr -s ' \n' '  ')

# check WHAT VALUE WHERE PATTERN: PATTERN (with VALUE in it) is in WHERE
check() {
	local what=$1 value=$2 where=$3 pattern=$4
	if [[ -z $value ]]; then
		echo "not ok - $what: not found in the code" >&2
		failed=$((failed + 1))
	elif grep -qF -- "$pattern" <<<"$where"; then
		passed=$((passed + 1))
	else
		echo "not ok - $what is $value in the code; queries.md does not say '$pattern'" >&2
		failed=$((failed + 1))
	fi
}

col=$(grep -oP 'col < 1 \|\| col > \K[0-9]+' "$top/lib/query_parse.c")
check "field numbers" "$col" "$limits" "\`\$1\` to \`\$$col\`"
n=$(def lib/include/liburingblk/query.h URINGBLK_QUERY_MAX_FIELDS)
check "distinct fields" "$n" "$limits" "$n distinct fields"
n=$(def lib/include/liburingblk/query.h URINGBLK_QUERY_MAX_AGGS)
check "aggregates" "$n" "$limits" "$n aggregates"
n=$(def lib/include/liburingblk/query.h URINGBLK_QUERY_MAX_GROUPS)
check "groups" "$n" "$limits" "at most $n groups"
n=$(def lib/query.h QUERY_MAX_NODES)
check "terms" "$n" "$limits" "$n terms"
n=$(def lib/query_parse.h QUERY_MAX_DEPTH)
check "nesting" "$n" "$limits" "$n levels of"
n=$(def include/uapi/linux/uringblk_prog.h URINGBLK_PROG_MAX_INSNS)
check "instructions" "$n" "$limits" "at most $n instructions"
n=$(def lib/query_gen_json.c MAX_TRIE)
check "JSON names" "$((n - 1))" "$text" "Names: at most $((n - 1)) bytes together"
n=$(def lib/include/liburingblk/query.h URINGBLK_QUERY_MAX_RECLEN)
check "binary record length" "$n" "$text" "binary(reclen=N) (N <= $n)"

echo "$NAME: $passed checks passed, $failed failed"
((failed == 0))
