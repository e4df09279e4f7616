#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SSD model on a zoned drive (ssd=zn540, driver/ssd/ssd_zns.c;
# Documentation/dev/ssd-model.md, "Zoned namespaces"): a zone is a line of
# 32 dies x 3 planes, so its writes are programs spread over every die and
# its reset is an erase of a block on every plane of every die.  The model
# is shrunk to 8 pages a block: a zone's capacity is 32 x 96 KiB x 8 =
# 24 MiB, of 32 MiB zones, 4 of them.  Counts are exact:
#   config      the model fitted to the zones: 4 lines, 32768 pages
#   writes      a zone written by dd: 6144 pages, 256 programs, no pad, WAF
#               1.000; read back a unit at a time: 256 NAND reads; 25 pages
#               of the next zone finished by blkzone: one unit padded with
#               23 slots; blkzone reset: 96 erases, 0 for an empty zone,
#               96 more for the finished zone when every zone is reset
#   refused     a write off the write pointer and one at it that fault
#               injection fails move nothing in the model (it sees a zoned
#               write once the drive has carried it out): the next write at
#               the write pointer is counted
#   append      the command device's ZONE_APPEND and nvme-cli's Zone Append
#               land at the model's write pointer: a dd at the drive's next
#               write pointer is counted; nvme-cli's reset-zone and
#               finish-zone erase and pad as blkzone's
#   reset_time  BLKRESETZONE of a written zone on an idle drive returns no
#               sooner than the model's erase, tBERS + fw_write_ns (a lower
#               bound: timers fire late, never early)
#   fio_zbd     fio --zonemode=zbd writes the capacity twice: WAF exactly
#               1.000, erases a whole number of zone resets, at least one
#               per zone
#   bad_config  refused with the reason in configfs "error": a conventional
#               preset on zones, the zoned model without zones, a zone
#               capacity that is not a line, conventional zones, no active
#               zone limit or one the write buffer cannot hold
# Needs root, URINGBLK_KO, blkzone, dd and python3 (fio_zbd: fio; append:
# nvme-cli, else that part skips).  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
CDEV=/dev/uringblkc0
S=/sys/block/uringblk0/uringblk
TMP=/tmp/ub-ssd-zns
SSD=zn540,pages_per_block=8
PARAMS="capacity_mb=128 zoned=1 zone_size_mb=32 zone_capacity_mb=24 zone_max_active=4 ssd=$SSD"
ZPAGES=8192		# a zone's span, 4 KiB pages
ZCAP=6144		# its capacity (a line: 32 dies x 24 slots x 8 pages)
ZSECT=65536		# its span, sectors
UNIT=24			# 4 KiB slots a program unit (3 planes x 32 KiB)
ERASES=96		# blocks a reset erases: 32 dies x 3 planes

# write N 4 KiB pages at page P of the drive
wr() {
	dd if=/dev/zero of=$DEV bs=4k seek="$2" count="$1" oflag=direct status=none
}

t_config() {
	local rc=0
	ub_unload && ub_load $PARAMS || return
	expect_eq "queue mode" mq "$(cat $S/queue_mode)" || rc=1
	expect_eq "mode" 2 "$(ub_ssd_key mode)" || rc=1
	expect_eq "lines (zones)" 4 "$(ub_ssd_stat lines)" || rc=1
	expect_eq "exported pages" $((4 * ZPAGES)) "$(ub_ssd_stat exported_pages)" || rc=1
	ub_unload
	return $rc
}

t_writes() {
	local rc=0
	ub_unload && ub_load $PARAMS || return
	dd if=/dev/zero of=$DEV bs=1M count=24 oflag=direct status=none || { fail "dd zone 0"; rc=1; }
	expect_eq "host pages" $ZCAP "$(ub_ssd_stat host_pages_written)" || rc=1
	expect_eq "NAND pages" $ZCAP "$(ub_ssd_stat nand_pages_written)" || rc=1
	expect_eq "programs: a unit each" $((ZCAP / UNIT)) "$(ub_ssd_stat nand_programs)" || rc=1
	expect_eq "pad" 0 "$(ub_ssd_stat nand_pages_padded)" || rc=1
	expect_eq "erases" 0 "$(ub_ssd_stat erases)" || rc=1
	dd if=$DEV of=/dev/null bs=96k count=$((ZCAP / UNIT)) iflag=direct status=none ||
		{ fail "read zone 0"; rc=1; }
	expect_eq "NAND reads: one a unit" $((ZCAP / UNIT)) "$(ub_ssd_stat nand_reads)" || rc=1
	wr 25 $ZPAGES || { fail "25 pages of zone 1"; rc=1; }
	blkzone finish -o $ZSECT -c 1 $DEV || { fail "blkzone finish"; rc=1; }
	expect_eq "finish: the partial unit padded" $((UNIT - 1)) "$(ub_ssd_stat nand_pages_padded)" || rc=1
	expect_eq "programs" $((ZCAP / UNIT + 2)) "$(ub_ssd_stat nand_programs)" || rc=1
	blkzone reset -o 0 -c 1 $DEV || { fail "blkzone reset zone 0"; rc=1; }
	expect_eq "reset: a block on every plane of every die" $ERASES "$(ub_ssd_stat erases)" || rc=1
	blkzone reset -o $((2 * ZSECT)) -c 1 $DEV || { fail "blkzone reset zone 2"; rc=1; }
	expect_eq "an empty zone's reset erases nothing" $ERASES "$(ub_ssd_stat erases)" || rc=1
	blkzone reset $DEV || { fail "blkzone reset (all)"; rc=1; }
	expect_eq "every zone reset: zone 1 erased" $((2 * ERASES)) "$(ub_ssd_stat erases)" || rc=1
	expect_eq "WAF" 1000 "$(ub_ssd_stat waf_x1000)" || rc=1
	ub_unload
	return $rc
}

# after a failed write, 6.12's zone write plug takes no more writes to the
# zone until a report syncs its write pointer (6.1's mq-deadline needs none)
resync() {
	blkzone report -o 0 -c 1 $DEV > /dev/null
}

t_refused() {
	local rc=0 F=/sys/block/uringblk0/fault
	ub_unload && ub_load $PARAMS || return
	wr 8 0 || { fail "8 pages"; rc=1; }
	wr 1 100 2>/dev/null && { fail "a write off the write pointer was taken"; rc=1; }
	expect_eq "the write off the write pointer moved nothing" 8 "$(ub_ssd_stat host_pages_written)" || rc=1
	resync
	# a write at the write pointer that the drive fails (fault injection)
	echo write > $F/ops
	wr 2 8 2>/dev/null && { fail "the injected write failure did not happen"; rc=1; }
	echo 1 > $F/clear
	expect_eq "the failed write moved nothing" 8 "$(ub_ssd_stat host_pages_written)" || rc=1
	resync
	wr 4 8 || { fail "4 pages at the write pointer"; rc=1; }
	expect_eq "the next write at the write pointer counted" 12 "$(ub_ssd_stat host_pages_written)" || rc=1
	ub_unload
	return $rc
}

t_append() {
	local rc=0 cli
	cli=${URINGBLK_CLI:-}
	[[ -z $cli && -x ../../bin/uringblk ]] && cli=$(realpath ../../bin/uringblk)
	[[ -z $cli ]] && cli=$(command -v uringblk)
	[[ -n $cli ]] || { skip "no uringblk CLI"; return; }
	ub_unload && ub_load $PARAMS || return
	mkdir -p $TMP
	wr 2 0 || { fail "2 pages"; rc=1; }
	"$cli" zone append 0 0 --size 8192 > /dev/null || { fail "uringblk zone append"; rc=1; }
	wr 1 4 || { fail "a write after the append"; rc=1; }
	expect_eq "append then write, all counted" 5 "$(ub_ssd_stat host_pages_written)" || rc=1
	if command -v nvme > /dev/null; then
		head -c 4096 /dev/zero > $TMP/blk
		nvme zns zone-append $CDEV -n 1 -s 0 -z 4096 -d $TMP/blk > /dev/null ||
			{ fail "nvme zns zone-append"; rc=1; }
		wr 1 6 || { fail "a write after nvme's append"; rc=1; }
		expect_eq "nvme's append counted" 7 "$(ub_ssd_stat host_pages_written)" || rc=1
		nvme zns finish-zone $CDEV -n 1 -s 0 > /dev/null || { fail "nvme zns finish-zone"; rc=1; }
		expect_eq "nvme finish: pad" $((UNIT - 7)) "$(ub_ssd_stat nand_pages_padded)" || rc=1
		nvme zns reset-zone $CDEV -n 1 -s 0 > /dev/null || { fail "nvme zns reset-zone"; rc=1; }
		expect_eq "nvme reset: erases" $ERASES "$(ub_ssd_stat erases)" || rc=1
	else
		echo "# nvme-cli not installed: its append, finish and reset not tried"
	fi
	ub_unload
	return $rc
}

t_reset_time() {
	local rc=0 want took
	command -v python3 > /dev/null || { skip "no python3"; return; }
	ub_unload && ub_load $PARAMS || return
	dd if=/dev/zero of=$DEV bs=1M count=24 oflag=direct status=none || { fail "dd zone 0"; rc=1; }
	sync $DEV
	sleep 0.1	# the dies idle again (programs end within 10 ms)
	want=$(($(ub_ssd_key t_erase_ns) + $(ub_ssd_key fw_write_ns)))
	took=$(python3 -c '
import fcntl, os, struct, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
t = time.monotonic_ns()
fcntl.ioctl(fd, 0x40101283, struct.pack("QQ", 0, int(sys.argv[2])))  # BLKRESETZONE
print(time.monotonic_ns() - t)' $DEV $ZSECT) || { fail "BLKRESETZONE"; rc=1; }
	echo "# zone reset: $took ns, the model's erase $want ns"
	((took >= want)) || { fail "a reset returned in $took ns < $want"; rc=1; }
	expect_eq "erases" $ERASES "$(ub_ssd_stat erases)" || rc=1
	ub_unload
	return $rc
}

t_fio_zbd() {
	local rc=0 e
	command -v fio > /dev/null || { skip "no fio"; return; }
	ub_unload && ub_load $PARAMS || return
	fio --name=z --filename=$DEV --direct=1 --ioengine=io_uring --zonemode=zbd \
		--rw=write --bs=128k --iodepth=4 --io_size=192M --output=/dev/null ||
		{ fail "fio zonemode=zbd"; rc=1; }
	e=$(ub_ssd_stat erases)
	echo "# fio: $(ub_ssd_stat host_pages_written) pages, $e erases, WAF $(ub_ssd_stat waf_x1000)/1000"
	expect_eq "host pages: twice the capacity" $((2 * 4 * ZCAP)) "$(ub_ssd_stat host_pages_written)" || rc=1
	expect_eq "WAF" 1000 "$(ub_ssd_stat waf_x1000)" || rc=1
	((e % ERASES == 0 && e >= 4 * ERASES)) ||
		{ fail "$e erases: not whole resets of every zone"; rc=1; }
	ub_unload
	return $rc
}

# refused_by ATTR BAD GOOD WHY: item a with ATTR=BAD does not power on,
# "error" says WHY; ATTR is GOOD again after
refused_by() {
	local rc=0
	echo "$2" > "$UB_CFS/a/$1"
	ub_power_refused a "$4" || rc=1
	echo "$3" > "$UB_CFS/a/$1"
	return $rc
}

t_bad_config() {
	local rc=0 since kv k v
	since=$(dmesg | wc -l)
	ub_fresh /tmp/ssd_zns || return
	mkdir "$UB_CFS/a" || return
	for kv in capacity_mb=128 zoned=1 zone_size_mb=32 zone_capacity_mb=24 zone_max_active=4; do
		k=${kv%=*} v=${kv#*=}
		echo "$v" > "$UB_CFS/a/$k" || { fail "$k=$v"; rc=1; }
	done
	refused_by ssd 970pro $SSD "a zoned drive needs the zoned model" || rc=1
	refused_by zoned 0 1 "(zoned) needs zoned=1" || rc=1
	refused_by zone_capacity_mb 16 24 "must be the model's line, 24576 KiB" || rc=1
	refused_by zone_nr_conv 1 0 "no FTL for conventional zones" || rc=1
	refused_by zone_max_active 0 4 "set zone_max_active to 1..140" || rc=1
	echo 3 > "$UB_CFS/a/zone_max_active"
	refused_by ssd $SSD,wb_bytes=196608 $SSD "set zone_max_active to 1..2" || rc=1	# two units
	echo 1 > "$UB_CFS/a/power" || { fail "the good configuration: $(cat "$UB_CFS/a/error")"; rc=1; }
	echo 0 > "$UB_CFS/a/power"
	rmdir "$UB_CFS/a" || rc=1
	ub_unload
	ub_dmesg_clean "$since" || rc=1
	return $rc
}

ub_need_ko || { echo "1..0 # SKIP $(ub_need_ko)"; exit $KSFT_SKIP; }
command -v blkzone > /dev/null || { echo "1..0 # SKIP no blkzone"; exit $KSFT_SKIP; }
ktap_plan 7
ktap_run config t_config
ktap_run writes t_writes
ktap_run refused t_refused
ktap_run append t_append
ktap_run reset_time t_reset_time
ktap_run fio_zbd t_fio_zbd
ktap_run bad_config t_bad_config
ub_unload
rm -rf $TMP
ktap_finish
