#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/tools/workarounds-test.sh - the fence of driver/compat_internals.h
# (Documentation/dev/workarounds.md), checked without a VM (run by
# `make -C tools check`):
#   fence    no driver file outside the fence (compat_internals.h and .c,
#            nvme_ctrl_nodes.c) reaches into io_uring's, the block layer's
#            or nvme-core's internals (the patterns below, in code, not in
#            comments)
#   W1..W7   for each supported kernel whose linux-source tarball is
#            installed (6.1, 6.12; a "skip" line for one that is not), its
#            sources still have the code that makes each workaround
#            necessary ("... no longer ...: remove the workaround"), and
#            the code each workaround relies on ("... stops working")
# Each kernel's tarball is read once (a few files; about 20 s each).
# Ends with "workarounds: N checks passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; shift; printf '  %s\n' "$@"; failed=$((failed + 1)); }
skip() { echo "skip - $1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- fence: what only the fence may do, as "pattern :: what it is"
fence=(driver/compat_internals.h driver/compat_internals.c driver/nvme_ctrl_nodes.c)
patterns=(
	'cmd_to_io_kiocb :: an io_uring request (struct io_kiocb)'
	'async_data :: io_uring'"'"'s async_data'
	'q_usage_counter :: the queue'"'"'s usage counter'
	'bi_issue\. :: the bio'"'"'s issue-time layout'
	'kobj\.kref :: a kobject'"'"'s count'
	'->release =  :: a struct device'"'"'s ->release'
	'(ns|head)->cdev :: nvme-core'"'"'s generic node'
	'blk_zone_plug_bio :: the zone write plugs'
)
for p in "${patterns[@]}"; do
	re=${p%% :: *} what=${p#* :: }
	if ! (cd "$top" && grep -qE -- "$re" /dev/null; (($? < 2))); then
		notok "fence: bad pattern $re"
		continue
	fi
	hits=$(cd "$top" && grep -nE -- "$re" driver/*.[ch] |
		grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' |
		grep -vE "^($(IFS='|'; echo "${fence[*]}")):" || true)
	if [[ -z $hits ]]; then
		ok "fence: only the fence reaches $what"
	else
		notok "fence: $what reached outside driver/compat_internals.h (move it there, with its kernels and upstream status)" "$hits"
	fi
done

# body FILE FUNC: the lines of FUNC's definition in FILE (to its closing brace)
body() {
	awk -v f="$2" '
		!inb && $0 ~ "^[a-z].*[ *]" f "\\(" && $0 !~ /;$/ { inb = 1 }
		inb { print; if ($0 ~ /^}/) exit }' "$1"
}

# state KVER W what-needed-means NEEDED_TEST WORKS_TEST...: see below
check_kernel() {
	local v=$1 tar=/usr/src/linux-source-$1.tar.xz s
	if [[ ! -r $tar ]]; then
		skip "$v: $tar not installed (apt-get install linux-source-$v)"
		return
	fi
	s=$tmp/$v
	mkdir -p "$s"
	tar -xJf "$tar" -C "$s" --strip-components=1 --wildcards \
		linux-source-"$v"/drivers/nvme/host/core.c \
		linux-source-"$v"/fs/file_table.c linux-source-"$v"/fs/char_dev.c \
		linux-source-"$v"/io_uring/uring_cmd.c 'linux-source-'"$v"'/io_uring/uring_cmd.h' \
		linux-source-"$v"/io_uring/io_uring.c \
		linux-source-"$v"/include/linux/io_uring_types.h \
		'linux-source-'"$v"'/include/linux/io_uring*' \
		linux-source-"$v"/include/linux/blk_types.h linux-source-"$v"/block/blk.h \
		linux-source-"$v"/block/blk-core.c linux-source-"$v"/block/bio.c \
		linux-source-"$v"/block/blk-zoned.c 2>/dev/null
	if [[ ! -s $s/drivers/nvme/host/core.c ]]; then
		notok "$v: could not read $tar"
		return
	fi
	local core=$s/drivers/nvme/host/core.c ucmd=$s/io_uring/uring_cmd.c
	local zoned=no
	[[ $v != 6.1 ]] && zoned=yes

	# W1: nvme-core frees the namespace under an open generic node
	if body "$core" nvme_ns_chr_release | grep -q 'nvme_ns_release(' &&
	   body "$core" nvme_ns_release | grep -q 'nvme_put_ns(' &&
	   body "$core" nvme_free_ns | grep -q 'kfree(ns)' &&
	   ! body "$core" nvme_cdev_rel | grep -q 'nvme_put_ns\|put_ns_head' &&
	   ! body "$core" nvme_add_ns_cdev | grep -q 'kref_get\|nvme_get_ns' &&
	   body "$s/fs/file_table.c" __fput | grep -A3 -- '->release(' | grep -q 'cdev_put('; then
		ok "W1 $v: the last close of a generic node frees its namespace before __fput()'s cdev_put(): nvme_ctrl_nodes.c still needed"
	else
		notok "W1 $v: nvme-core no longer frees a namespace under its open generic node: remove the workaround (nvme_ctrl_nodes.c's take-over) on this kernel" \
			"nvme_ns_chr_release()/nvme_free_ns()/nvme_cdev_rel() or __fput() changed; compare with Documentation/dev/nvme-generic-node-uaf.patch"
	fi
	if body "$core" nvme_cdev_add | grep -q 'cdev_device->release = ' &&
	   body "$s/fs/char_dev.c" cdev_device_add | grep -q 'cdev_set_parent(cdev, &dev->kobj)' &&
	   body "$s/fs/char_dev.c" chrdev_open | grep -q 'cdev_get(' &&
	   grep -q '^EXPORT_SYMBOL_NS_GPL(nvme_put_ns,' "$core"; then
		ok "W1 $v: the node's device is the cdev's kobject parent, each open file holds the cdev, nvme_put_ns() is exported: the take-over works"
	else
		notok "W1 $v: what nvme_ctrl_nodes.c relies on changed: it stops working" \
			"nvme_cdev_add()'s ->release, cdev_device_add()'s parent, chrdev_open()'s cdev_get() or nvme_put_ns()'s export"
	fi

	# W2: the SQE left on the SQ ring on -EAGAIN (6.12), not used on 6.1
	local setup eagain
	setup=$(body "$ucmd" io_uring_cmd_prep_setup)
	eagain=$(body "$ucmd" io_uring_cmd | sed -n '/ret == -EAGAIN/,/return -EAGAIN/p')
	if [[ $v == 6.1 ]]; then
		if grep -q 'ioucmd->cmd = req->async_data' "$ucmd" &&
		   ! grep -q 'const struct io_uring_sqe[[:space:]]*\*sqe;' "$s/include/linux/io_uring.h"; then
			ok "W2 $v: io_uring points ioucmd->cmd at its copy (no ioucmd->sqe): not used here, as compat_internals.h's version test says"
		else
			notok "W2 $v: 6.1's URING_CMD copy changed: uringblk_cmd_issued()'s version test is wrong"
		fi
	elif grep -q 'ioucmd->sqe = sqe;' <<<"$setup" &&
	     grep -q 'memcpy(' <<<"$eagain" && ! grep -q 'ioucmd->sqe = ' <<<"$eagain"; then
		ok "W2 $v: the SQE copy is deferred and -EAGAIN leaves ioucmd->sqe on the SQ ring: uringblk_cmd_issued() still needed"
		if grep -q 'struct io_uring_sqe sqes\[2\];' "$s/io_uring/uring_cmd.h" 2>/dev/null &&
		   grep -q 'req->async_data' <<<"$setup$(body "$ucmd" io_uring_async_get)"; then
			ok "W2 $v: async_data is struct uring_cache, two SQEs: the copy fits where io_uring would put it"
		else
			notok "W2 $v: io_uring's async_data for a URING_CMD changed: uringblk_cmd_issued() stops working"
		fi
	else
		notok "W2 $v: io_uring copies a URING_CMD's SQE itself now (at prep, or points ->sqe at its copy on -EAGAIN): remove uringblk_cmd_issued() on this kernel (upstream e663da62ba86, d6211ebbdaa5)"
	fi

	# W3: no cancelable URING_CMD (6.1); the ring's refs killed at exit
	local cancel=no
	grep -rqs 'IORING_URING_CMD_CANCELABLE' "$s/include/linux/" && cancel=yes
	if [[ $v == 6.1 && $cancel == no ]]; then
		ok "W3 $v: no cancelable URING_CMD: uringblk_cmd_ring_dying() still needed"
	elif [[ $v != 6.1 && $cancel == yes ]]; then
		ok "W3 $v: IORING_URING_CMD_CANCELABLE exists (6.7): the peek could become the API here (kernels.md, issue 52)"
	else
		notok "W3 $v: cancelable URING_CMDs: $cancel, not what workarounds.md says for this kernel: update W3"
	fi
	if grep -q 'struct percpu_ref[[:space:]]*refs;' "$s/include/linux/io_uring_types.h" &&
	   body "$s/io_uring/io_uring.c" io_ring_ctx_wait_and_kill | grep -q 'percpu_ref_kill(&ctx->refs)'; then
		ok "W3 $v: ring exit kills ctx->refs: uringblk_cmd_ring_dying() works"
	else
		notok "W3 $v: ctx->refs is no longer killed at ring exit: uringblk_cmd_ring_dying() stops working"
	fi

	# W4: the ring's compat flag
	local flag=no
	grep -q 'IO_URING_F_COMPAT' "$s/include/linux/io_uring_types.h" && flag=yes
	if [[ $v == 6.1 && $flag == no ]] || [[ $v != 6.1 && $flag == yes ]]; then
		ok "W4 $v: IO_URING_F_COMPAT: $flag, as workarounds.md says"
	else
		notok "W4 $v: IO_URING_F_COMPAT: $flag, not what workarounds.md says for this kernel: update W4"
	fi
	if grep -q 'ctx->compat = in_compat_syscall()' "$s/io_uring/io_uring.c"; then
		ok "W4 $v: the ring notes its caller's compat at setup: uringblk_cmd_compat() works"
	else
		notok "W4 $v: io_ring_ctx no longer notes compat at setup: uringblk_cmd_compat() stops working"
	fi

	# W5: bi_issue's layout: 1 reserved bit, 12 of size, 51 of time
	local res sz
	res=$(grep -hE '^#define BIO_ISSUE_RES_BITS' "$s/include/linux/blk_types.h" "$s/block/blk.h" 2>/dev/null | awk '{print $3}')
	sz=$(grep -hE '^#define BIO_ISSUE_SIZE_BITS' "$s/include/linux/blk_types.h" "$s/block/blk.h" 2>/dev/null | awk '{print $3}')
	if [[ $res == 1 && $sz == 12 ]]; then
		ok "W5 $v: bi_issue keeps 64 - 1 - 12 = 51 bits of time: URINGBLK_ISSUE_TIME_MASK works"
	else
		notok "W5 $v: bi_issue's layout changed (reserved $res, size $sz bits): URINGBLK_ISSUE_TIME_MASK stops working"
	fi
	if grep -q 'bio_issue_time' "$s/include/linux/blk_types.h"; then
		ok "W5 $v: bio_issue_time() is in <linux/blk_types.h>: the driver could call it here"
	else
		ok "W5 $v: bio_issue_time() is private to block/: uringblk_bio_issue_time() still needed"
	fi

	# W6: the queue's usage counter, held by hand
	if grep -qE '^EXPORT_SYMBOL(_GPL)?\(blk_queue_(enter|exit)\)' "$s/block/blk-core.c"; then
		notok "W6 $v: blk_queue_enter()/blk_queue_exit() are exported: remove uringblk_queue_hold()/_release() (call them) on this kernel"
	else
		ok "W6 $v: blk_queue_enter()/exit() are not exported: uringblk_queue_hold() still needed"
	fi
	if body "$s/block/blk-core.c" blk_queue_exit | grep -q 'percpu_ref_put(&q->q_usage_counter)'; then
		ok "W6 $v: blk_queue_exit() is percpu_ref_put(&q->q_usage_counter): uringblk_queue_release() is the same"
	else
		notok "W6 $v: blk_queue_exit() changed: uringblk_queue_hold()/_release() stop working"
	fi

	# W7: zone write plugs (6.10); nothing on 6.1
	local zs=$s/block/blk-zoned.c
	if [[ $zoned == no ]]; then
		if ! grep -q 'blk_zone_plug_bio' "$zs"; then
			ok "W7 $v: no zone write plugs: the zone plug calls do nothing here"
		else
			notok "W7 $v: zone write plugs on 6.1: compat_internals.c's stubs are wrong"
		fi
	elif grep -q '^bool blk_zone_plug_bio' "$zs" &&
	     grep -q 'blk_zone_mgmt_bio_endio(bio)' "$s/block/blk.h" &&
	     body "$s/block/bio.c" bio_endio | grep -q 'blk_zone_bio_endio(bio)' &&
	     body "$zs" blk_zone_plug_bio | grep -q 'blk_zone_wplug_handle_native_zone_append' &&
	     grep -q 'disk_zone_wplug_sync_wp_offset(disk, zone)' "$zs"; then
		ok "W7 $v: bio_endio() tells the plug of a zone reset or finish, a native append drops its plug, a report syncs it: the zone plug calls work"
	else
		notok "W7 $v: the block layer's zone plug paths changed: compat_internals.c's zone plug calls stop working (or an API replaced them: use it)"
	fi
}

for v in 6.1 6.12; do
	check_kernel "$v"
done

echo "workarounds: $passed checks passed, $failed failed"
((failed == 0))
