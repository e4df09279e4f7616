#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-model-frontends.sh - the drive model knows no front end
# (issue 51, Documentation/dev/architecture.md "The request"): no file of
# the model (zones, programs, engines, runs, SLM, KV, timing, backends,
# the block path) includes a front end's header (driver/nvme*.h,
# driver/cmd*.h), calls a front end's function (uringblk_nvme_*(),
# uringblk_cmd_*()) or names io_uring's URING_CMD (io_uring_cmd, its
# functions: the transport of both front ends today), names the gate's
# struct uringblk_cmd or moves a client's bytes the gate's way
# (uringblk_copy_*_client(), uringblk_put_reply()).  A model call
# completes through the request's ops (driver/req.h), comes back to the
# submitter's task and asks whether its client is gone through them too,
# and returns a model-level status the front end turns into its own form.
#
# Not front ends despite their names, and allowed:
# - driver/cmd_mem.h (uringblk_cmd_buf(), uringblk_cmd_buf_free(),
#   uringblk_cmd_mem_get(), uringblk_cmd_mem_put()): the drive's max_cmd_kb
#   bound on the kernel memory any command holds, whoever sent it.
#
# ALLOW below lists what is still there, file by file: it may only shrink.
# A hit not in it fails, and so does an entry that no longer hits (take it
# out).  Comment lines (starting with "*", "/*" or "//") are skipped.
# Ends with "check-model-frontends: N checks passed, N failed".
# TOP may point at another tree.
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
passed=0 failed=0

# The model's files, named one by one (a file of the list that is gone
# fails: keep the list true).  Front ends are driver/cmd*.c, driver/nvme*.c
# and driver/zoned_nvme.c; main.c, configfs.c and debugfs.c wire them up.
MODEL="
driver/zoned.c driver/zoned_bad.c driver/zoned_state.c driver/zoned_meta.c
driver/zoned_sysfs.c driver/zoned.h
driver/exec.c driver/exec_cache.c driver/exec_grant.c driver/exec_run.c driver/exec.h
driver/engine.c driver/engine.h driver/kbpf.c
driver/slm.c driver/slm.h
driver/kv_ns.c driver/kv_ns.h
driver/prog.c driver/prog.h driver/prog_image.c
driver/timing.c driver/timing_cfg.c driver/timing_sync.c driver/timing.h
driver/timing_int.h
driver/mem.c driver/file.c driver/file_cut.c driver/read_policy.c
driver/file_cut.h driver/ra.h driver/timing_advance.h
driver/fault.c driver/stats.c driver/status.c driver/status.h driver/rq.c
driver/bio.c driver/bio.h driver/req.h
"
# and every file of the two pure-C trees
MODEL+=" $(cd "$top" && ls driver/sandbox/*.[ch] driver/kv/*.[ch] 2>/dev/null | tr '\n' ' ')"

# What is still there: "FILE NAME", NAME a header or a function.  Shrink it.
ALLOW="
"
NOT_FRONT='^(cmd_mem\.h|uringblk_cmd_(buf|buf_free|mem_get|mem_put))$'

# The front-end names FILE uses, one a line: headers it includes, then
# functions it calls (or defines: a handler of the gate is a front end),
# and io_uring_cmd for any mention of io_uring's URING_CMD (the struct,
# io_uring_cmd_done(), io_uring_cmd_complete_in_task()...).
front_names() {
	awk '/^[[:space:]]*(\*|\/\*|\/\/)/ { next } { print }' "$1" |
		grep -oE '#include[[:space:]]+"(nvme|cmd)[^"]*\.h"|\buringblk_(nvme|cmd)_[a-z0-9_]+[[:space:]]*\(|\buringblk_(copy_[a-z_]*_client|put_reply)[[:space:]]*\(|\bstruct[[:space:]]+uringblk_cmd\b|\bio_uring_cmd[a-z0-9_]*' |
		sed -E 's/#include[[:space:]]+"([^"]*)"/\1/; s/[[:space:]]*\($//; s/^struct[[:space:]]+/struct /; s/^io_uring_cmd.*/io_uring_cmd/' |
		grep -Ev -- "$NOT_FRONT" | sort -u
}

declare -A allowed=()
for f in $(printf '%s\n' "$ALLOW" | awk 'NF { print $1 }' | sort -u); do
	allowed[$f]=$(printf '%s\n' "$ALLOW" | awk -v f="$f" '$1 == f { print $2 }' | sort -u)
done

for f in $MODEL; do
	if [[ ! -f $top/$f ]]; then
		echo "not ok - $f: in the model's list but gone (update MODEL)"
		failed=$((failed + 1))
		continue
	fi
	names=$(front_names "$top/$f")
	extra=$(comm -23 <(printf '%s\n' "$names" | grep .) \
		<(printf '%s\n' "${allowed[$f]:-}" | grep .))
	if [[ -n $extra ]]; then
		echo "not ok - $f: the model includes or calls a front end (complete through the request's ops, driver/req.h; return a model-level status):"
		printf '%s\n' "$extra" | sed 's/^/    /'
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
	gone=$(comm -13 <(printf '%s\n' "$names" | grep .) \
		<(printf '%s\n' "${allowed[$f]:-}" | grep .))
	if [[ -n $gone ]]; then
		echo "not ok - $f: allowed but no longer used, take it out of ALLOW:"
		printf '%s\n' "$gone" | sed 's/^/    /'
		failed=$((failed + 1))
	elif [[ -n ${allowed[$f]:-} ]]; then
		passed=$((passed + 1))
	fi
done
# An allowed file that is not a model file would be a silent hole.
for f in "${!allowed[@]}"; do
	if [[ " ${MODEL//$'\n'/ } " != *" $f "* ]]; then
		echo "not ok - $f: in ALLOW but not in MODEL"
		failed=$((failed + 1))
	fi
done
echo "check-model-frontends: $passed checks passed, $failed failed"
((failed == 0))
