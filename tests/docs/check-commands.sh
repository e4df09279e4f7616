#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-commands.sh - the command table of
# Documentation/uapi/commands.md (rows "| `NAME` | 0xNN | ...") names exactly
# the URINGBLK_CMD_* of include/uapi/linux/uringblk.h, each with its number.
# One check per command found in either.  Ends with "check-commands: N
# checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
hdr=$top/include/uapi/linux/uringblk.h
doc=$top/Documentation/uapi/commands.md
passed=0 failed=0

declare -A inhdr indoc
while read -r name nr; do
	inhdr[$name]=$((nr))
done < <(sed -nE 's/^#define[[:space:]]+URINGBLK_CMD_([A-Z0-9_]+)[[:space:]]+_IOWR\([^,]+,[[:space:]]*(0x[0-9a-fA-F]+),.*/\1 \2/p' "$hdr")
while read -r name nr; do
	indoc[$name]=$((nr))
done < <(sed -nE 's/^\|[[:space:]]*`([A-Z0-9_]+)`[[:space:]]*\|[[:space:]]*(0x[0-9a-fA-F]+)[[:space:]]*\|.*/\1 \2/p' "$doc")

if ((${#inhdr[@]} == 0)); then
	echo "not ok - no URINGBLK_CMD_* found in $hdr"
	failed=$((failed + 1))
fi
for name in $(printf '%s\n' "${!inhdr[@]}" "${!indoc[@]}" | sort -u); do
	if [[ -z ${inhdr[$name]+x} ]]; then
		echo "not ok - $name: in $doc, not a URINGBLK_CMD_* of the uAPI header"
		failed=$((failed + 1))
	elif [[ -z ${indoc[$name]+x} ]]; then
		echo "not ok - URINGBLK_CMD_$name: missing from the table of $doc"
		failed=$((failed + 1))
	elif ((inhdr[$name] != indoc[$name])); then
		printf 'not ok - %s: number 0x%02x in the table, 0x%02x in the header\n' \
			"$name" "${indoc[$name]}" "${inhdr[$name]}"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
echo "check-commands: $passed checks passed, $failed failed"
((failed == 0))
