#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The error paths of device removal and creation, and what they leave:
# - the final flush of a file-backed drive failing at removal (fault
#   injection: ops=flush also fails the flush the driver does itself when
#   the drive goes) is reported under the drive's own name, the drive goes
#   away anyway, its file is released, and a zoned drive does not save
#   zones over data that did not reach the file (the next load says the
#   removal was not clean and uses the last save);
# - refused creations (bad path, size mismatch, corrupt zone metadata,
#   by configfs and by module parameters) leave nothing behind: the next
#   creation on the same file works and gets the lowest free index, memory
#   comes back, the module unloads.
# The stock kernel has no KASAN: these tests drive the paths and check what
# can be seen from outside; the debug kernel's suite runs them too.
#
# Needs root and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CFS=/sys/kernel/config/uringblk
DIR=/var/tmp/ub-teardown

idx() {
	echo "$(<"$CFS/$1/index")"
}

ZPARAMS="backing=file capacity_mb=64 zoned=1 zone_size_mb=8 zone_nr_conv=1"
ZS=16384	# sectors per zone

# "wp cond" of zone $2 of block device $1 (sectors from the zone start)
zone_wp() {
	blkzone report -o $(($2 * ZS)) -c 1 "$1" |
		sed -E 's/.*wptr 0x([0-9a-f]+).*zcond: *[0-9]+\(([a-z]+)\).*/\1 \2/' |
		{ read -r wp c; echo "$((16#$wp)) $c"; }
}

# A mem drive first, so that the drive under test is uringblk1: a message
# naming uringblk0 (or a freed name) is then wrong.
test_final_flush_fails() {
	local f=$DIR/plain.img n0 log
	ub_fresh "$DIR" || return 1
	check "mem drive 0" ub_mkdev m capacity_mb=16 || return 1
	check "file drive" ub_mkdev f backing=file path=$f capacity_mb=64 || return 1
	expect_eq "index" 1 "$(idx f)" || return 1
	check "write" dd if=/dev/urandom of=/dev/uringblk1 bs=1M count=2 oflag=direct status=none
	check "fail flushes" bash -c "echo flush > /sys/block/uringblk1/fault/ops"
	n0=$(dmesg | wc -l)
	check "removal with a failing final flush" ub_rmdev f || return 1
	log=$(ub_dmesg_since "$n0")
	echo "$log" | grep "final flush"
	echo "$log" | grep -q "^.*uringblk1: final flush of the backing file failed: -5" ||
		{ echo "$log"; fail "no failure message naming uringblk1"; return 1; }
	echo "$log" | grep -q "uringblk0: final flush" && { fail "message names uringblk0"; return 1; }
	[[ ! -e /dev/uringblk1 ]] || { fail "/dev/uringblk1 still there"; return 1; }
	# The file is free again, the index too; fault knobs died with the drive.
	check "same file again" ub_mkdev f backing=file path=$f capacity_mb=64 || { cat $CFS/f/error; return 1; }
	expect_eq "index reused" 1 "$(idx f)" || return 1
	expect_eq "fault ops of the new drive" none "$(</sys/block/uringblk1/fault/ops)" || return 1
	n0=$(dmesg | wc -l)
	check "clean removal" ub_rmdev f || return 1
	ub_dmesg_since "$n0" | grep -q "final flush" && { fail "a clean removal reported a failure"; return 1; }
	ub_rmdev m
	ub_dmesg_clean "$n0" || return 1
	check "module unloads" ub_unload
}

# A zoned file drive whose final flush fails does not mark its zones saved:
# they come back as of the last flush, the load saying it was not clean.
test_final_flush_fails_zoned() {
	local f=$DIR/zoned.img n0 log d
	ub_fresh "$DIR" || return 1
	check "mem drive 0" ub_mkdev m capacity_mb=16 || return 1
	check "zoned file drive" ub_mkdev z $ZPARAMS path=$f || { cat $CFS/z/error; return 1; }
	d=/dev/uringblk$(idx z)
	expect_eq "index" 1 "$(idx z)" || return 1
	check "zone 1: 1 MiB, flushed" dd if=/dev/urandom of=$d bs=1M count=1 seek=8 oflag=direct conv=fsync status=none
	check "zone 1: 1 MiB more, not flushed" dd if=/dev/urandom of=$d bs=1M count=1 seek=9 oflag=direct status=none
	expect_eq "zone 1 before" "4096 oi" "$(zone_wp $d 1)" || return 1
	check "fail flushes" bash -c "echo flush > /sys/block/uringblk1/fault/ops"
	n0=$(dmesg | wc -l)
	check "removal with a failing final flush" ub_rmdev z || return 1
	log=$(ub_dmesg_since "$n0")
	echo "$log" | grep "final flush"
	echo "$log" | grep -q "uringblk1: final flush of the backing file failed: -5.*zones not saved" ||
		{ echo "$log"; fail "no failure message naming uringblk1"; return 1; }
	n0=$(dmesg | wc -l)
	check "load again" ub_mkdev z $ZPARAMS path=$f || { cat $CFS/z/error; return 1; }
	ub_dmesg_since "$n0" | grep -q "not removed cleanly" ||
		{ ub_dmesg_since "$n0"; fail "the failed removal was taken for a clean one"; return 1; }
	d=/dev/uringblk$(idx z)
	expect_eq "zone 1 as of the last flush" "2048 cl" "$(zone_wp $d 1)" || return 1
	check "clean removal" ub_rmdev z || return 1
	n0=$(dmesg | wc -l)
	check "load after a clean removal" ub_mkdev z $ZPARAMS path=$f || return 1
	ub_dmesg_since "$n0" | grep -q "zone state restored" || { fail "zones not restored"; return 1; }
	ub_dmesg_since "$n0" | grep -q "not removed cleanly" && { fail "clean removal not recorded"; return 1; }
	ub_rmdev z
	ub_rmdev m
	ub_dmesg_clean "$n0" || return 1
	check "module unloads" ub_unload
}

# Every refused creation, then a good one on the same file: it must get
# the file (not "already backs another uringblk device") and index 1.
test_add_failures() {
	local f=$DIR/add.img z=$DIR/addz.img n0 kv
	ub_fresh "$DIR" || return 1
	n0=$(dmesg | wc -l)
	check "mem drive 0" ub_mkdev m capacity_mb=16 || return 1
	check "make the file" ub_mkdev g backing=file path=$f capacity_mb=64 || return 1
	ub_rmdev g
	check "make the zoned file" ub_mkdev g $ZPARAMS path=$z || return 1
	ub_rmdev g
	# both metadata slots corrupt
	dd if=/dev/urandom of=$z bs=1 count=8 seek=$((64 << 20)) conv=notrunc status=none
	dd if=/dev/urandom of=$z bs=1 count=8 seek=$(((64 << 20) + 4096)) conv=notrunc status=none
	for kv in "path=/nonexistent/x.img" "capacity_mb=32" "zoned=1"; do
		local args=(backing=file path=$f capacity_mb=64)
		[[ $kv == zoned=1 ]] && args=($ZPARAMS path=$z) || args+=("$kv")
		if ub_mkdev e "${args[@]}" 2>/dev/null; then fail "$kv accepted"; return 1; fi
		echo "$kv: $(<$CFS/e/error)"
		rmdir $CFS/e
		check "good drive after $kv" ub_mkdev g backing=file path=$f capacity_mb=64 ||
			{ cat $CFS/g/error; return 1; }
		expect_eq "index after $kv" 1 "$(idx g)" || return 1
		ub_rmdev g || return 1
	done
	ub_rmdev m
	ub_dmesg_since "$n0" | grep -q "final flush" && { fail "a refused creation reported a flush failure"; return 1; }
	ub_dmesg_clean "$n0" || return 1
	check "module unloads" ub_unload || return 1
	# By module parameters: the load fails, the next one works.
	if insmod "$URINGBLK_KO" $ZPARAMS path=$z 2>/dev/null; then
		fail "corrupt zone metadata loaded"; return 1
	fi
	if insmod "$URINGBLK_KO" backing=file path=$f capacity_mb=32 2>/dev/null; then
		fail "size mismatch loaded"; return 1
	fi
	check "load on the file" ub_load backing=file path=$f capacity_mb=64 || return 1
	check "module unloads" ub_unload
}

# A refused creation frees what it allocated: 65536 zones (~9 MiB of zone
# state and metadata buffers, kvmalloc'ed) refused 8 times must not cost
# 8 x 9 MiB.  Slab + VmallocUsed is where that memory lives, and it is
# steady (within ~0.1 MiB here); MemAvailable moves by 20 MiB on its own.
kernel_kib() {
	awk '/^(Slab|VmallocUsed):/ { s += $2 } END { print s }' /proc/meminfo
}

test_add_failure_memory() {
	local z=$DIR/big.img before after i
	local params="backing=file capacity_mb=65536 zoned=1 zone_size_mb=1"
	ub_fresh "$DIR" || return 1
	check "make the zoned file" ub_mkdev g $params path=$z || { cat $CFS/g/error; return 1; }
	ub_rmdev g
	dd if=/dev/urandom of=$z bs=1 count=8 seek=$((65536 << 20)) conv=notrunc status=none
	dd if=/dev/urandom of=$z bs=1 count=8 seek=$(((65536 << 20) + (1 << 20) + 4096)) conv=notrunc status=none
	if ub_mkdev e $params path=$z 2>/dev/null; then fail "corrupt metadata accepted"; return 1; fi
	grep -q "zone metadata unusable" $CFS/e/error || { cat $CFS/e/error; fail "wrong refusal"; return 1; }
	rmdir $CFS/e
	sync; echo 3 > /proc/sys/vm/drop_caches
	before=$(kernel_kib)
	for ((i = 0; i < 8; i++)); do
		mkdir $CFS/e && echo "${params// /$'\n'}" | while IFS== read -r k v; do echo "$v" > $CFS/e/$k; done
		echo "$z" > $CFS/e/path
		if echo 1 > $CFS/e/power 2>/dev/null; then fail "accepted"; return 1; fi
		rmdir $CFS/e
	done
	sync; echo 3 > /proc/sys/vm/drop_caches
	after=$(kernel_kib)
	echo "Slab + VmallocUsed: $before KiB before, $after KiB after 8 refused creations"
	((after - before < 4 * 1024)) || { fail "$(((after - before) / 1024)) MiB did not come back"; return 1; }
	check "module unloads" ub_unload
}

ub_need_ko || exit $KSFT_SKIP
command -v blkzone > /dev/null || { echo "blkzone missing"; exit $KSFT_SKIP; }
ktap_plan 4
ktap_run teardown_final_flush_fails test_final_flush_fails
ktap_run teardown_final_flush_fails_zoned test_final_flush_fails_zoned
ktap_run teardown_add_failures test_add_failures
ktap_run teardown_add_failure_memory test_add_failure_memory
ub_unload
rm -rf "$DIR"
ktap_finish
