#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-versions.sh - README.md's "Status and targets" states
# the versions the tree has: "The device ABI is M.N" against the uAPI's
# URINGBLK_ABI_MAJOR and URINGBLK_ABI_MINOR, and "up to LIBURINGBLK_1.x"
# against the last version node of lib/liburingblk.map.  One check each;
# ends with "check-versions: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "not ok - $*"; failed=$((failed + 1)); }

uapi=$top/include/uapi/linux/uringblk.h
major=$(sed -n 's/^#define[[:space:]]*URINGBLK_ABI_MAJOR[[:space:]]*\([0-9]*\).*/\1/p' "$uapi")
minor=$(sed -n 's/^#define[[:space:]]*URINGBLK_ABI_MINOR[[:space:]]*\([0-9]*\).*/\1/p' "$uapi")
readme=$(tr '\n' ' ' <"$top/README.md")
said=$(grep -oE 'The device ABI is [0-9]+\.[0-9]+' <<<"$readme" | grep -oE '[0-9]+\.[0-9]+$')
if [[ -z $major || -z $minor ]]; then
	bad "URINGBLK_ABI_MAJOR/MINOR not found in $uapi"
elif [[ -z $said ]]; then
	bad "README.md does not say \"The device ABI is M.N\""
else
	[[ $said == "$major.$minor" ]] && ok ||
		bad "README.md says the device ABI is $said, the uAPI's URINGBLK_ABI_MAJOR.MINOR is $major.$minor"
fi

node=$(grep -oE '^LIBURINGBLK_[0-9]+\.[0-9]+' "$top/lib/liburingblk.map" | sort -V | tail -1)
saidlib=$(grep -oE 'up to `?LIBURINGBLK_[0-9]+\.[0-9]+' <<<"$readme" | grep -oE 'LIBURINGBLK_[0-9.]+$')
if [[ -z $node || -z $saidlib ]]; then
	bad "no version node in lib/liburingblk.map (${node:-none}) or none named in README.md (${saidlib:-none})"
else
	[[ $saidlib == "$node" ]] && ok ||
		bad "README.md says the library's symbol versions go up to $saidlib, lib/liburingblk.map's last node is $node"
fi
echo "check-versions: $passed checks passed, $failed failed"
((failed == 0))
