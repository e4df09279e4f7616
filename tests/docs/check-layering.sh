#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-layering.sh - two choices the driver makes once stay
# made once:
# - whether a drive is zoned: dev->zoned, dev->zmeta, cfg->zoned (or
#   .zoned read anywhere) and the block layer's is-zoned tests appear only
#   in the zoned layer (driver/zoned*.c, driver/zoned.h, driver/cmd_zone.c,
#   the CONFIG_BLK_DEV_ZONED block of driver/zoned_hooks.h), and once in
#   driver/rq.c, the request path's one way in;
# - a namespace's NVMe command set: the kv option (cfg.kv) is read only
#   where a drive's namespace is set up (driver/nvme_ns.c, once: it picks
#   NSID 1's table), in the KV command set's and engine's own files
#   (driver/nvme_kv*.c, driver/kv_ns.c) and where a drive is configured
#   (driver/config.c, driver/zoned.c: kv excludes zoned) and made
#   (driver/main.c: its block device is read-only); the NVMe face asks
#   the namespace's table (struct uringblk_nvme_cset, driver/nvme.h);
# - a program's engine: no comparison of engines outside driver/engine.[ch];
#   the engine instances named only there and in driver/prog.c (the load
#   paths that choose one); no program type in the runs (driver/exec*.c).
# Everything else calls a hook that answers for both kinds (zoned_hooks.h).
# One check per driver file and rule.  Comment lines (starting with "*",
# "/*" or "//") are not code and are skipped.
# Ends with "check-layering: N checks passed, N failed".
# TOP may point at another tree.
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
passed=0 failed=0

# The code lines of $1 as "LINE:TEXT", without comment lines; without its
# CONFIG_BLK_DEV_ZONED block (zoned_hooks.h's: the zoned layer's
# declarations and stubs) when $2 is "zoned".
code_lines() {
	awk -v skip="${2:-}" '
		skip == "zoned" && /^#ifdef CONFIG_BLK_DEV_ZONED/ { inz = 1 }
		inz { if (/^#endif/) inz = 0; next }
		/^[[:space:]]*(\*|\/\*|\/\/)/ { next }
		{ print FNR ":" $0 }' "$1"
}

# check FILE RULE ALLOWED REGEX [zoned]: at most ALLOWED code lines of
# FILE match REGEX.
check() {
	local f=$1 rule=$2 allowed=$3 re=$4 hits n
	hits=$(code_lines "$top/$f" "${5:-}" | grep -E -- "$re" | grep -Ev -- "$not_re")
	n=$(printf '%s' "$hits" | grep -c .)
	if ((n > allowed)); then
		echo "not ok - $f: $rule ($n lines, $allowed allowed):"
		printf '%s\n' "$hits" | sed 's/^/    /'
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

# Reads of zonedness: the device's zone model or saved zones, the
# configuration's flag (a designated initializer ".zoned = ..." sets it,
# and is not a test), the block layer's answer.
zoned_re='(->|\.)(zoned|zmeta)\b|\b(blk_queue_is_zoned|bdev_is_zoned|blk_queue_zoned_model|bdev_zoned_model)\('
not_re='^[0-9]+:[[:space:]]*\.(zoned|zmeta)[[:space:]]*=[^=]'
kv_re='\bcfg(\.|->)kv\b'
engine_cmp_re='\bengine[[:space:]]*[!=]=|[!=]=[[:space:]]*&?uringblk_engine_'
engine_inst_re='\buringblk_engine_(interp|native|kbpf)\b'

files=$(cd "$top" && find driver -name '*.[ch]' | sort)
if [[ -z $files ]]; then
	echo "not ok - no driver/*.[ch] in $top"
	failed=$((failed + 1))
fi
for f in $files; do
	case $f in
	driver/zoned*.c | driver/zoned.h | driver/cmd_zone.c) ;;
	driver/rq.c)
		check "$f" "tests whether a drive is zoned more than once (the request path's one way into the zoned layer)" 1 "$zoned_re" ;;
	driver/uringblk.h | driver/zoned_hooks.h)
		check "$f" "tests whether a drive is zoned outside its CONFIG_BLK_DEV_ZONED block (call a zoned-layer hook)" 0 "$zoned_re" zoned ;;
	*)
		check "$f" "tests whether a drive is zoned (call a zoned-layer hook, zoned_hooks.h)" 0 "$zoned_re" ;;
	esac
	case $f in
	driver/nvme_ns.c)
		check "$f" "tests the kv option more than once (the namespace setup picks NSID 1's command set)" 1 "$kv_re" ;;
	driver/nvme_kv*.c | driver/kv_ns.c | driver/kv/* | driver/main.c | driver/config.c | driver/zoned.c) ;;
	*)
		check "$f" "tests the kv option (ask the namespace's command set, struct uringblk_nvme_cset)" 0 "$kv_re" ;;
	esac
	case $f in
	driver/engine.[ch]) ;;
	*)
		check "$f" "compares engines (call through prog->engine's ops, engine.h)" 0 "$engine_cmp_re" ;;
	esac
	case $f in
	driver/engine.[ch] | driver/prog.c) ;;
	*)
		check "$f" "names an engine instance (only the load paths of prog.c choose one)" 0 "$engine_inst_re" ;;
	esac
	case $f in
	driver/exec*.c)
		check "$f" "asks a program's type (a run calls its engine's ops)" 0 'URINGBLK_PROG_TYPE_' ;;
	esac
done
echo "check-layering: $passed checks passed, $failed failed"
((failed == 0))
