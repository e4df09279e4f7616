#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The timing model on the block device (Documentation/admin/timing-model.md), with
# fio.  Only bounds the model guarantees are asserted (a request never
# completes before its deadline, and a resource never moves more than its
# rate), never that anything is fast, so a slow or loaded host cannot make
# a test fail:
#   link_bandwidth      sequential and random reads and writes, interrupt
#                       and polled (--hipri) queues: fio never measures more
#                       than link_mbps; the model held requests
#   media_bandwidth     the same bound from media_read/write_mbps
#   qd1_latency         no QD1 read completes before fw + media latency +
#                       link latency (fio's minimum total latency), polled
#                       or not; no held request ended early
#                       (timing_early_ns 0), and the timers' lateness was
#                       counted (timing_timer_late_ns)
#   timer_advance       with timer_advance_ns=300000: no QD1 read completes
#                       more than 300 us before its deadline, and some did
#                       end before it (timing_early_ns > 0): the advance
#                       followed the timers' lateness
#   shared_link         two fio jobs on two CPUs, so two hardware queues,
#                       share one link: together they stay under link_mbps,
#                       and the link made transfers wait (timing_link_wait_ns)
#   verify              fio writes and verifies data on a modelled drive
#   removal_under_fio   a drive whose link would take minutes to drain the
#                       queued reads is removed under fio: power = 0 returns
#                       (within 60 s, against over 2 min of modelled
#                       backlog), fio ends, the module unloads
#   model_off           with the model off nothing is held and every timing
#                       counter stays 0, for interrupt-driven I/O on the
#                       default drive and polled reads on a blk-mq one
# Needs root, URINGBLK_KO, fio and python3.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CFG=/sys/kernel/config/uringblk
DEV=/dev/uringblk0

need_tools() {
	command -v fio >/dev/null || { skip "no fio"; return; }
	command -v python3 >/dev/null || { skip "no python3"; return; }
}

# fio_bw ARGS...: run one fio job group, print "<bytes/s> <min total latency ns>"
fio_bw() {
	fio --output-format=json --group_reporting "$@" |
		python3 -c '
import json, sys
j = json.load(sys.stdin)["jobs"][0]
io = j["read"] if j["read"]["io_bytes"] else j["write"]
print(int(io["io_bytes"] * 1000 / max(io["runtime"], 1)), int(io["lat_ns"]["min"]))'
}

# under_rate WHAT BYTES_PER_S MBPS: fail if more than MBPS (+1% for fio's
# millisecond runtime and the model's nanosecond rounding)
under_rate() {
	local what=$1 bw=$2 mbps=$3
	echo "$what: $((bw / 1000)) kB/s, limit $((mbps * 1000)) kB/s"
	((bw <= mbps * 1010000)) || fail "$what: $bw B/s is above link/media $mbps MB/s"
}

COMMON="--name=t --filename=$DEV --direct=1 --ioengine=io_uring --size=16M"

t_link_bandwidth() {
	local rc=0 bw lat
	need_tools || return
	ub_unload && ub_load capacity_mb=64 timing=link_mbps=25 || return
	read -r bw lat < <(fio_bw $COMMON --rw=write --bs=128k --iodepth=8) || rc=1
	under_rate "seq write 128k qd8" "$bw" 25 || rc=1
	read -r bw lat < <(fio_bw $COMMON --rw=read --bs=128k --iodepth=8) || rc=1
	under_rate "seq read 128k qd8" "$bw" 25 || rc=1
	read -r bw lat < <(fio_bw $COMMON --rw=randread --bs=4k --iodepth=16 --io_size=4M) || rc=1
	under_rate "rand read 4k qd16" "$bw" 25 || rc=1
	read -r bw lat < <(fio_bw $COMMON --rw=randwrite --bs=4k --iodepth=16 --io_size=4M) || rc=1
	under_rate "rand write 4k qd16" "$bw" 25 || rc=1
	read -r bw lat < <(fio_bw $COMMON --rw=read --bs=64k --iodepth=4 --hipri) || rc=1
	under_rate "polled seq read 64k qd4" "$bw" 25 || rc=1
	(($(ub_stat 0 timing_held) > 0)) || { fail "timing_held is 0"; rc=1; }
	ub_unload
	return $rc
}

t_media_bandwidth() {
	local rc=0 bw lat
	need_tools || return
	ub_unload && ub_load capacity_mb=64 timing=media_read_mbps=30,media_write_mbps=20 || return
	read -r bw lat < <(fio_bw $COMMON --rw=write --bs=128k --iodepth=8) || rc=1
	under_rate "seq write 128k qd8 (media write)" "$bw" 20 || rc=1
	read -r bw lat < <(fio_bw $COMMON --rw=read --bs=128k --iodepth=8) || rc=1
	under_rate "seq read 128k qd8 (media read)" "$bw" 30 || rc=1
	(($(ub_stat 0 timing_media_wait_ns) > 0)) ||
		{ fail "QD8 transfers never waited for the media"; rc=1; }
	ub_unload
	return $rc
}

t_qd1_latency() {
	local rc=0 bw lat want=$((2000000 + 300000 + 50000)) hipri n late
	need_tools || return
	ub_unload && ub_load capacity_mb=64 \
		timing=media_read_lat_ns=2000000,fw_overhead_ns=300000,link_lat_ns=50000 || return
	for hipri in "" --hipri; do
		read -r bw lat < <(fio_bw $COMMON --rw=randread --bs=4k --iodepth=1 \
				   --io_size=1M $hipri) || rc=1
		echo "QD1 4k read${hipri:+ (polled)}: minimum latency $lat ns, model $want ns"
		((lat >= want)) || { fail "a QD1 read${hipri:+ (polled)} took $lat ns < $want"; rc=1; }
	done
	expect_eq "timing_early_ns without timer_advance_ns" 0 "$(ub_stat 0 timing_early_ns)" || rc=1
	n=$(ub_stat 0 read_ops) late=$(ub_stat 0 timing_timer_late_ns)
	((late > 0)) || { fail "timing_timer_late_ns is 0"; rc=1; }
	echo "timers fired $((late / n)) ns late per read (over all $n reads, polled ones count 0)"
	ub_unload
	return $rc
}

# The advance may end a request early, never by more than timer_advance_ns.
t_timer_advance() {
	local rc=0 bw lat cap=300000 want=1000000 n late early
	need_tools || return
	ub_unload && ub_load capacity_mb=64 \
		timing=media_read_lat_ns=$want,timer_advance_ns=$cap || return
	read -r bw lat < <(fio_bw $COMMON --rw=randread --bs=4k --iodepth=1 --io_size=2M) || rc=1
	n=$(ub_stat 0 read_ops) late=$(ub_stat 0 timing_timer_late_ns)
	early=$(ub_stat 0 timing_early_ns)
	echo "QD1 4k read, advance up to $cap ns: minimum latency $lat ns, model $want ns;" \
		"per read: $((late / n)) ns late, $((early / n)) ns early (mean error" \
		"$(((late - early) / n)) ns)"
	((lat >= want - cap)) || { fail "a read took $lat ns < $want - $cap"; rc=1; }
	((early > 0)) || { fail "no read ended before its deadline: the advance stayed 0"; rc=1; }
	ub_unload
	return $rc
}

# The hardware queue of each CPU is its own (nr_hw_queues = CPUs); two jobs
# pinned to CPUs 0 and 1 submit on two queues, which share the link.
t_shared_link() {
	local rc=0 bw lat ncpu wait0 wait1 d q
	need_tools || return
	ncpu=$(nproc)
	((ncpu >= 2)) || { skip "one CPU: one submission queue"; return; }
	ub_unload && ub_load capacity_mb=64 nr_hw_queues=2 timing=link_mbps=20 || return
	wait0=$(ub_stat 0 timing_link_wait_ns)
	# QD1 each: a queue of its own would never wait for its own link
	read -r bw lat < <(fio_bw $COMMON --rw=read --bs=64k --iodepth=1 --numjobs=2 \
			   --cpus_allowed=0,1 --cpus_allowed_policy=split --offset_increment=32M) ||
		rc=1
	wait1=$(ub_stat 0 timing_link_wait_ns)
	under_rate "two queues, seq read 64k qd1 each" "$bw" 20 || rc=1
	((wait1 > wait0)) ||
		{ fail "two queues at QD1 never waited for each other on the link"; rc=1; }
	echo "link waits: $(((wait1 - wait0) / 1000000)) ms"
	# both queues really carried I/O (debugfs, when there is one)
	d=/sys/kernel/debug/block/uringblk0
	[[ -d $d ]] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	if [[ -d $d ]]; then
		for q in 0 1; do
			[[ -r $d/hctx$q/dispatched ]] || continue
			awk '{ s += $2 } END { exit !(s > 0) }' "$d/hctx$q/dispatched" ||
				{ fail "hardware queue $q dispatched nothing"; rc=1; }
		done
	fi
	ub_unload
	return $rc
}

t_verify() {
	local rc=0
	need_tools || return
	ub_unload && ub_load capacity_mb=64 timing=csd-gen3,link_mbps=200 || return
	fio --name=v --filename=$DEV --direct=1 --ioengine=io_uring --rw=randwrite --verify_state_save=0 \
		--bs=4k-64k --iodepth=16 --size=32M --io_size=16M --verify=crc32c \
		--verify_fatal=1 --do_verify=1 --output-format=terse >/dev/null ||
		{ fail "fio verify on a modelled drive"; rc=1; }
	(($(ub_stat 0 errors) == 0)) || { fail "errors: $(ub_stat 0 errors)"; rc=1; }
	ub_unload
	return $rc
}

t_removal_under_fio() {
	local rc=0 pid t0 before
	need_tools || return
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 || return
	rm -f "$UB_MARKER"
	ub_configfs || { skip "no configfs interface"; return; }
	# 2 x 128 x 512 KiB queued at 1 MB/s: over 2 min of modelled link
	ub_mkdev slow capacity_mb=64 timing=link_mbps=1,media_read_lat_ns=1000000 || return
	before=$(dmesg | wc -l)
	# Reads of a removed drive end at once (its size is 0), and fio goes on
	# to its runtime: 20 s, well before the model would have let it end.
	fio --name=r --filename=/dev/uringblk$(cat $CFG/slow/index) --direct=1 \
		--ioengine=io_uring --rw=randread --bs=512k --iodepth=128 --numjobs=2 \
		--time_based --runtime=20 >/dev/null 2>&1 &
	pid=$!
	ub_wait_stat "$(<$CFG/slow/index)" timing_held || rc=1
	t0=$SECONDS
	timeout 60 sh -c "echo 0 > $CFG/slow/power" ||
		{ fail "power = 0 did not return in 60 s"; rc=1; }
	echo "removal took $((SECONDS - t0)) s"
	timeout 60 tail --pid=$pid -f /dev/null || { fail "fio did not end"; kill -9 $pid; rc=1; }
	wait $pid
	rmdir $CFG/slow || rc=1
	ub_dmesg_clean "$before" || rc=1
	ub_unload || { fail "rmmod"; rc=1; }
	return $rc
}

# model_off_zero WHAT: every timing counter of drive 0 is 0
model_off_zero() {
	local rc=0 c
	for c in held late late_ns hurried link_wait_ns media_wait_ns cu_waits \
		 timer_late_ns early_ns; do
		expect_eq "timing_$c with the model off, $1" 0 "$(ub_stat 0 timing_$c)" || rc=1
	done
	return $rc
}

# The default drive (bio-based), then a blk-mq one with a poll queue for
# the polled reads: 6.12 fails a polled bio on a bio-based queue with
# EOPNOTSUPP, as on brd (Documentation/dev/kernels.md, "Polled I/O on a
# bio drive"), where 6.1 ran it unpolled.
t_model_off() {
	local rc=0
	need_tools || return
	ub_unload && ub_load capacity_mb=64 || return
	fio $COMMON --rw=randrw --bs=4k --iodepth=8 --io_size=4M >/dev/null || rc=1
	model_off_zero "interrupt-driven I/O" || rc=1
	ub_unload && ub_load capacity_mb=64 poll_queues=1 || return
	fio $COMMON --rw=read --bs=64k --iodepth=4 --hipri --io_size=4M >/dev/null || rc=1
	model_off_zero "polled reads" || rc=1
	ub_unload
	return $rc
}

ub_need_ko || { echo "1..0 # SKIP $(ub_need_ko)"; exit $KSFT_SKIP; }
ktap_plan 8
ktap_run link_bandwidth t_link_bandwidth
ktap_run media_bandwidth t_media_bandwidth
ktap_run qd1_latency t_qd1_latency
ktap_run timer_advance t_timer_advance
ktap_run shared_link t_shared_link
ktap_run verify t_verify
ktap_run removal_under_fio t_removal_under_fio
ktap_run model_off t_model_off
ub_unload
ktap_finish
