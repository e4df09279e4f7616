#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-statuses.sh - the command statuses are one list in four
# places: the uAPI's enum uringblk_status (names, values), the driver's
# table of the errno each status goes with (driver/status.c), liburingblk's
# names of the statuses (lib/error.c) and Documentation/uapi/statuses.md
# (name, value, errno).  One check per status and place; ends with
# "check-statuses: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "not ok - $*"; failed=$((failed + 1)); }

declare -A val drv lib doc docval
while read -r n v; do
	[[ $n == URINGBLK_SC_SUCCESS ]] || val[$n]=$v
done < <(sed -n '/^enum uringblk_status {/,/^};/s/^[[:space:]]*\(URINGBLK_SC_[A-Z0-9_]*\)[[:space:]]*=[[:space:]]*\(0x[0-9a-f]*\).*/\1 \2/p' \
	"$top/include/uapi/linux/uringblk.h")
while read -r n e; do
	drv[$n]=$e
done < <(sed -n '/uringblk_status_errnos\[\] = {/,/^};/s/^[[:space:]]*{ \(URINGBLK_SC_[A-Z0-9_]*\),[[:space:]]*\(E[A-Z0-9]*\) },.*/\1 \2/p' \
	"$top/driver/status.c")
while read -r n; do
	lib[$n]=1
done < <(sed -n '/uringblk_statuses\[\] = {/,/^};/s/^[[:space:]]*{ \(URINGBLK_SC_[A-Z0-9_]*\),.*/\1/p' \
	"$top/lib/error.c")
while IFS='|' read -r _ n v _ e _; do
	n=$(echo "$n" | tr -d ' `') v=$(echo "$v" | tr -d ' ') e=$(echo "$e" | tr -d ' -')
	doc[$n]=$e docval[$n]=$v
done < <(grep -E '^\| `URINGBLK_SC_' "$top/Documentation/uapi/statuses.md")

((${#val[@]} > 30)) && ok || bad "only ${#val[@]} statuses read from enum uringblk_status"
for n in $(printf '%s\n' "${!val[@]}" "${!drv[@]}" "${!lib[@]}" "${!doc[@]}" | sort -u); do
	[[ -n ${val[$n]+x} ]] && ok || bad "$n: not in the uAPI's enum uringblk_status"
	[[ -n ${drv[$n]+x} ]] && ok || bad "$n: no errno in driver/status.c's uringblk_status_errnos[]"
	[[ -n ${lib[$n]+x} ]] && ok || bad "$n: no name in lib/error.c's uringblk_statuses[]"
	if [[ -z ${doc[$n]+x} ]]; then
		bad "$n: no row in Documentation/uapi/statuses.md"
		continue
	fi
	[[ ${docval[$n]} == "${val[$n]-}" ]] && ok ||
		bad "$n: Documentation/uapi/statuses.md says ${docval[$n]}, the uAPI ${val[$n]-nothing}"
	[[ ${doc[$n]} == "${drv[$n]-}" ]] && ok ||
		bad "$n: Documentation/uapi/statuses.md says -${doc[$n]}, driver/status.c -${drv[$n]-nothing}"
done
echo "check-statuses: $passed checks passed, $failed failed"
((failed == 0))
