#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-model-frontends.sh - the drive model knows no front end
# (issue 51, Documentation/dev/architecture.md "The request"), by name and
# by where each called function is defined (issue 74; below): no file of
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
driver/zoned_sysfs.c driver/zoned_lba.c driver/zoned.h
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

# The same rule by where a called function is defined, so that it cannot
# be passed by naming: a graph of every function defined in driver/
# (kernel style: the declarator at column 0, its body's "{" alone at
# column 0 after it, or a one-line "static inline ... { }") and of the
# calls in each file (an identifier before "(" on an indented line that is
# not a comment).  Fails:
# - a model file that calls a function defined in a front end's file
#   (driver/cmd*.[ch] but cmd_mem.h, driver/nvme*.[ch], driver/zoned_nvme.c);
# - a front end that calls a function defined in the other face's files:
#   what both faces call is the model's and belongs in a model file.  The
#   gate itself (driver/cmd.c) routes NVMe passthrough to the NVMe face
#   and makes its nodes: wiring, as main.c's, not checked.
# defs: "NAME FILE" for every function defined under driver/.
defs() {
	(cd "$top" && awk '
	FNR == 1 { hdr = "" }
	/^[[:space:]]*(\*|\/\*|\/\/)/ { next }
	/^\{/ {
		if (match(hdr, /[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(/)) {
			n = substr(hdr, RSTART, RLENGTH); sub(/[[:space:]]*\($/, "", n)
			print n, FILENAME
		}
		hdr = ""; next
	}
	/^[A-Za-z_]/ && !/;[[:space:]]*$/ {
		if (/^static inline .*\)[[:space:]]*\{.*\}[[:space:]]*$/) {
			n = $0; sub(/\(.*/, "", n); sub(/.*[^A-Za-z0-9_]/, "", n)
			print n, FILENAME; hdr = ""; next
		}
		hdr = $0; next
	}
	/^[[:space:]]/ && hdr != "" { hdr = hdr " " $0; next }
	{ hdr = "" }' driver/*.[ch] driver/sandbox/*.[ch] driver/kv/*.[ch])
}
# calls FILE: the names FILE calls, one a line.
calls() {
	awk '/^[[:space:]]*(\*|\/\*|\/\/)/ { next } /^[[:space:]]/ { print }' "$top/$1" |
		grep -oE '\b[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' | sed -E 's/[[:space:]]*\($//' | sort -u
}
face() {
	case $1 in
	driver/cmd_mem.h) ;;
	driver/cmd*) echo cmd ;;
	driver/nvme* | driver/zoned_nvme.c) echo nvme ;;
	esac
}
declare -A defined_in=()
while read -r n f; do
	defined_in[$n]+="$f "
done < <(defs)
if ((${#defined_in[@]} < 500)); then
	echo "not ok - the definition graph found ${#defined_in[@]} functions in driver/: its pattern no longer matches the code"
	failed=$((failed + 1))
fi
for f in $MODEL $(cd "$top" && ls driver/cmd*.[ch] driver/nvme*.[ch] driver/zoned_nvme.c); do
	[[ -f $top/$f && $f != driver/cmd.c ]] || continue
	mine=$(face "$f")
	[[ -n $mine || " ${MODEL//$'\n'/ } " == *" $f "* ]] || continue
	bad=()
	for n in $(calls "$f"); do
		for d in ${defined_in[$n]:-}; do
			[[ $d == "$f" ]] && continue 2	# its own (a static of the same name)
		done
		for d in ${defined_in[$n]:-}; do
			theirs=$(face "$d")
			[[ -n $theirs && $theirs != "$mine" ]] || continue
			bad+=("$n (defined in $d)")
			break
		done
	done
	if ((${#bad[@]})); then
		if [[ -n $mine ]]; then
			echo "not ok - $f: the $mine face calls a function defined in the other face's file (what both faces call is the model's: move it to the model file of its job):"
		else
			echo "not ok - $f: the model calls a function defined in a front end's file (move it to the model file of its job, or complete through the request's ops, driver/req.h):"
		fi
		printf '    %s\n' "${bad[@]}"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
# The graph's own proof: a copy of driver/ where cmd_zone.c (a front end)
# defines a function whose name gives nothing away and exec.c (the model)
# calls it must fail, naming it.
if [[ -z ${CMF_PROOF:-} ]]; then
	tmp=$(mktemp -d)
	cp -r "$top/driver" "$tmp/"
	printf '\nu32 uringblk_zone_nr_total(struct uringblk_dev *dev)\n{\n\treturn 0;\n}\n' >> "$tmp/driver/cmd_zone.c"
	printf '\nstatic bool cmf_proof(struct uringblk_dev *dev)\n{\n\treturn uringblk_zone_nr_total(dev);\n}\n' >> "$tmp/driver/exec.c"
	out=$(CMF_PROOF=1 TOP=$tmp bash "${BASH_SOURCE[0]}" 2>&1)
	rm -rf "$tmp"
	if grep -q 'uringblk_zone_nr_total (defined in driver/cmd_zone.c)' <<<"$out"; then
		passed=$((passed + 1))
	else
		echo "not ok - the definition graph let exec.c call cmd_zone.c's uringblk_zone_nr_total() pass:"
		printf '%s\n' "$out" | tail -5 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
fi
echo "check-model-frontends: $passed checks passed, $failed failed"
((failed == 0))
