#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fio against the block device through io_uring: 256 MiB of random writes
# verified with crc32c, a mixed random read/write stress (4 jobs, queue
# depth 32), 64 MiB written and verified in batches of 16 SQEs (the
# driver's ->queue_rqs), polled I/O (hipri) on the poll queue, and
# zbd-mode writes on a zoned drive.  The job files are fio/verify.fio,
# fio/hipri.fio and fio/zoned.fio.  A test fails on fio's exit status, on
# any job reporting err != 0, or on the drive counting failed requests.
#
# Needs root, fio with the io_uring engine and URINGBLK_KO.  Leaves the
# module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

# blk-mq: ->queue_rqs batches and a poll queue (bio_mode.sh verifies the
# default, bio-based drive).
PARAMS="capacity_mb=1024 nr_hw_queues=2 poll_queues=1 queue_mode=mq"

# run_fio jobfile [fio args...]: fio with URINGBLK_DEV set; then the
# drive's error counter must still be zero and nothing left in flight.
run_fio() {
	local job=$1 out rc
	shift
	out=$(mktemp)
	URINGBLK_DEV=/dev/uringblk0 fio --output-format=normal "$@" "fio/$job" > "$out" 2>&1
	rc=$?
	if ((rc != 0)) || grep -E 'err= *[1-9]' "$out" > /dev/null ||
	   grep -qiE 'verify: bad|fio: (pid|io_u) error' "$out"; then
		cat "$out"
		rm -f "$out"
		fail "fio $job $* exited with $rc"
		return 1
	fi
	grep -E '^ *(write|read):|err=|^Run status|WRITE:|READ:' "$out"
	rm -f "$out"
	expect_eq "errors counted by the drive" 0 "$(ub_stat 0 errors)" || return
	expect_eq "in_flight after fio" 0 "$(ub_stat 0 in_flight)"
}

t_verify() {
	local wb
	ub_unload && ub_load $PARAMS || return
	echo 1 > /sys/block/uringblk0/uringblk/reset_stats
	run_fio verify.fio --section=verify-4k --section=verify-64k || return
	wb=$(ub_stat 0 write_bytes)
	((wb >= 256 * 1024 * 1024)) || fail "only $wb bytes written" || return
	# The verify pass read everything back.
	(($(ub_stat 0 read_bytes) >= 256 * 1024 * 1024)) ||
		fail "only $(ub_stat 0 read_bytes) bytes read back"
}

t_randrw() {
	ub_loaded || { ub_load $PARAMS || return; }
	run_fio verify.fio --section=randrw
}

# Batched submission: blk-mq hands the plug's requests to ->queue_rqs.
t_batch() {
	ub_loaded || { ub_load $PARAMS || return; }
	echo 1 > /sys/block/uringblk0/uringblk/reset_stats
	run_fio verify.fio --section=verify-batch || return
	(($(ub_stat 0 read_bytes) >= 64 * 1024 * 1024)) ||
		fail "only $(ub_stat 0 read_bytes) bytes read back"
}

t_hipri() {
	ub_loaded || { ub_load $PARAMS || return; }
	if [[ $(cat /sys/block/uringblk0/queue/io_poll) != 1 ]]; then
		skip "device has no poll queues (queue/io_poll = 0)"
		return
	fi
	run_fio hipri.fio
}

# A zoned drive: writes at the write pointers, verified.
t_zoned() {
	local params="zoned=1 capacity_mb=256 zone_size_mb=16 nr_hw_queues=2 poll_queues=0"
	ub_unload || return
	# shellcheck disable=SC2086
	if ! ub_load $params 2>/dev/null; then
		skip "the driver has no zoned mode ($params refused)"
		return
	fi
	expect_eq "queue/zoned" host-managed "$(</sys/block/uringblk0/queue/zoned)" || return
	run_fio zoned.fio
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run fio skip "$why"
	ktap_finish
fi
if ! command -v fio > /dev/null || ! fio --enghelp=io_uring > /dev/null 2>&1; then
	ktap_plan 1
	ktap_run fio skip "fio with the io_uring engine is not installed"
	ktap_finish
fi

ktap_plan 5
ktap_run fio_verify_256m_crc32c t_verify
ktap_run fio_randrw_4jobs_qd32 t_randrw
ktap_run fio_verify_batched_queue_rqs t_batch
ktap_run fio_hipri_polled t_hipri
ktap_run fio_zoned_zbd_verify t_zoned
ub_unload
ktap_finish
