#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The file backend: data and zone state in a regular file survive removal
# and module reload; discard punches holes; direct I/O where the
# filesystem has it (ext4 here), the page cache where it has not (tmpfs);
# bad configurations are refused with a message in configfs "error";
# zone metadata that is torn, corrupt or for another geometry is detected,
# never silently reused; an unclean stop loses only what was not flushed.
# (io_data and prog_correct also run whole on file-backed drives.)
#
# Needs root and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CFS=/sys/kernel/config/uringblk
DIR=/var/tmp/ub-file	# tmpfs (O_DIRECT on 6.12, not on 6.1)
MNT=/var/tmp/ub-ext4	# ext4 on a memory uringblk: O_DIRECT

# The block device of a powered item.
bdev() {
	echo "/dev/uringblk$(<"$CFS/$1/index")"
}

# bytes at OFFSET LEN of FILE as a hex digest
digest() {
	dd if="$1" bs=64K iflag=skip_bytes,count_bytes skip="$2" count="$3" status=none | md5sum | cut -d' ' -f1
}

zeroes_digest() {
	head -c "$1" /dev/zero | md5sum | cut -d' ' -f1
}

test_persist_reload() {
	local f=$DIR/plain.img pat=$DIR/pat d0 d1
	ub_fresh "$DIR" || return 1
	check "random data" dd if=/dev/urandom of=$pat bs=1M count=8 status=none
	ub_unload || return 1
	check "load on a new file" ub_load backing=file path=$f capacity_mb=64
	expect_eq "new file size" 67108864 "$(stat -c %s $f)" || return 1
	expect_eq "sparse file" 0 "$(stat -c %b $f)" || return 1
	check "write 8 MiB at 1 MiB" dd if=$pat of=/dev/uringblk0 bs=1M seek=1 oflag=direct status=none
	check "write the last block" dd if=$pat of=/dev/uringblk0 bs=512 count=1 seek=$((131072 - 1)) oflag=direct status=none
	d0=$(digest $pat 0 8388608)
	ub_unload || return 1
	expect_eq "the file holds the data" "$d0" "$(digest $f 1048576 8388608)" || return 1
	check "reload on the same file" ub_load backing=file path=$f capacity_mb=64
	expect_eq "data after reload" "$d0" "$(digest /dev/uringblk0 1048576 8388608)" || return 1
	expect_eq "last block after reload" "$(digest $pat 0 512)" \
		"$(digest /dev/uringblk0 $((67108864 - 512)) 512)" || return 1
	expect_eq "unwritten reads zero" "$(zeroes_digest 1048576)" "$(digest /dev/uringblk0 0 1048576)" || return 1
	ub_unload || return 1
	check "capacity_mb=0: the file's size" ub_load backing=file path=$f capacity_mb=0
	expect_eq "size from the file" 67108864 "$(blockdev --getsize64 /dev/uringblk0)" || return 1
	expect_eq "data again" "$d0" "$(digest /dev/uringblk0 1048576 8388608)" || return 1
	ub_unload
}

test_config_errors() {
	local f=$DIR/cfg.img d
	ub_fresh "$DIR" || return 1
	check "64 MiB file" ub_mkdev a backing=file path=$f capacity_mb=64 || return 1
	d=$(bdev a)
	check "write" dd if=/dev/urandom of="$d" bs=1M count=1 oflag=direct status=none
	if echo /x > $CFS/a/path 2>/dev/null; then fail "a powered device took a new path"; return 1; fi
	if ub_mkdev b backing=file path=$f capacity_mb=64 2>/dev/null; then
		fail "two devices on one file"; return 1
	fi
	grep -q "already backs another uringblk device" $CFS/b/error || { cat $CFS/b/error; fail "no EBUSY message"; return 1; }
	rmdir $CFS/b
	ub_rmdev a || return 1

	# capacity 0: the file's size
	check "capacity_mb=0 takes the file's size" ub_mkdev c backing=file path=$f capacity_mb=0 || return 1
	expect_eq "size" 67108864 "$(blockdev --getsize64 "$(bdev c)")" || return 1
	ub_rmdev c

	local -A bad=(
		["capacity_mb=32"]="made with another configuration"
		["path=relative.img"]="needs the absolute path"
		["path=$DIR"]="cannot open: -EISDIR"
		["path=/nonexistent/dir/x.img"]="cannot open: -ENOENT"
	)
	local kv
	for kv in "${!bad[@]}"; do
		if ub_mkdev e backing=file path=$f capacity_mb=64 "$kv" 2>/dev/null; then
			fail "$kv was accepted"; return 1
		fi
		grep -q "${bad[$kv]}" $CFS/e/error || { echo "error: $(<$CFS/e/error)"; fail "$kv: message lacks '${bad[$kv]}'"; return 1; }
		rmdir $CFS/e
	done
	if ub_mkdev m backing=mem path=$f 2>/dev/null; then fail "mem with a path"; return 1; fi
	grep -q "only backing=file uses a path" $CFS/m/error || { fail "no message for mem+path"; return 1; }
	rmdir $CFS/m
	if insmod "$URINGBLK_KO" backing=file path=$DIR/p.img nr_devices=2 2>/dev/null; then
		fail "nr_devices=2 on one file loaded"; return 1
	fi
	ub_unload
}

test_discard_punches_holes() {
	local f=$DIR/discard.img d before after
	ub_fresh "$DIR" || return 1
	check "device" ub_mkdev d backing=file path=$f capacity_mb=64 || return 1
	d=$(bdev d)
	check "write 16 MiB" dd if=/dev/urandom of="$d" bs=1M count=16 oflag=direct status=none
	before=$(stat -c %b $f)
	check "discard 8 MiB" blkdiscard -o $((4 << 20)) -l $((8 << 20)) "$d"
	after=$(stat -c %b $f)
	(( (before - after) * 512 >= 8 << 20 )) ||
		{ fail "file shrank by $(( (before - after) * 512 )) bytes, not 8 MiB"; return 1; }
	expect_eq "discarded range reads zero" "$(zeroes_digest $((8 << 20)))" "$(digest "$d" $((4 << 20)) $((8 << 20)))" || return 1
	expect_eq "backing_bytes follows the file" "$((after * 512))" "$(ub_stat "${d#/dev/uringblk}" backing_bytes)" || return 1
	check "write-zeroes" blkdiscard -z -o 0 -l $((1 << 20)) "$d"
	expect_eq "zeroed range" "$(zeroes_digest $((1 << 20)))" "$(digest "$d" 0 $((1 << 20)))" || return 1
	ub_rmdev d
	ub_unload
}

test_direct_io_ext4() {
	local f=$MNT/disk.img d n0 pat=$DIR/pat
	command -v mkfs.ext4 >/dev/null || { skip "no mkfs.ext4"; return $?; }
	ub_unload; rm -rf "$DIR"; mkdir -p "$DIR" "$MNT"
	check "memory drive for ext4" ub_load capacity_mb=512 || return 1
	check "mkfs.ext4" mkfs.ext4 -q -F /dev/uringblk0 || return 1
	check "mount" mount /dev/uringblk0 $MNT || return 1
	ub_configfs
	n0=$(dmesg | wc -l)
	check "file drive on ext4" ub_mkdev x backing=file path=$f capacity_mb=128 || { umount $MNT; return 1; }
	if ub_dmesg_since "$n0" | grep -q "no direct I/O here"; then
		ub_rmdev x; umount $MNT; fail "ext4 should allow direct I/O"; return 1
	fi
	d=$(bdev x)
	check "fio verify on the ext4-backed drive" fio --name=v --filename="$d" --direct=1 \
		--ioengine=io_uring --rw=randwrite --bs=4k --size=32M --iodepth=16 \
		--verify=crc32c --do_verify=1 --verify_state_save=0 --output=/dev/null || { umount $MNT; return 1; }
	dd if=/dev/urandom of=$pat bs=1M count=4 status=none
	check "write with fsync" dd if=$pat of="$d" bs=1M seek=64 conv=fsync oflag=direct status=none
	ub_rmdev x
	expect_eq "data in the ext4 file" "$(digest $pat 0 4194304)" "$(digest $f $((64 << 20)) 4194304)" || { umount $MNT; return 1; }
	# The same file, through the page cache this time.
	check "direct_io=0" ub_mkdev y backing=file path=$f capacity_mb=128 direct_io=0 || { umount $MNT; return 1; }
	expect_eq "data through the page cache" "$(digest $pat 0 4194304)" "$(digest "$(bdev y)" $((64 << 20)) 4194304)"
	local rc=$?
	ub_rmdev y
	umount $MNT
	# ramfs has no O_DIRECT on any kernel: the fallback must say so.
	mount -t ramfs ramfs $MNT || { fail "mount ramfs"; return 1; }
	n0=$(dmesg | wc -l)
	check "file drive on ramfs" ub_mkdev r backing=file path=$MNT/r.img capacity_mb=16 || { umount $MNT; return 1; }
	ub_dmesg_since "$n0" | grep -q "no direct I/O here" || { fail "no fallback message on ramfs"; rc=1; }
	ub_rmdev r
	umount $MNT
	# tmpfs takes O_DIRECT from some release after 6.1 (6.12 does): the
	# drive does what open(2) says
	n0=$(dmesg | wc -l)
	check "file drive on tmpfs" ub_mkdev t backing=file path=$DIR/t.img capacity_mb=16 || return 1
	if dd if=/dev/zero of=$DIR/probe bs=4096 count=1 oflag=direct status=none 2>/dev/null; then
		! ub_dmesg_since "$n0" | grep -q "no direct I/O here" || { fail "tmpfs takes O_DIRECT, the drive did not"; rc=1; }
	else
		ub_dmesg_since "$n0" | grep -q "no direct I/O here" || { fail "no fallback message on tmpfs"; rc=1; }
	fi
	rm -f $DIR/probe
	ub_rmdev t
	ub_unload
	return $rc
}

# --- zoned ---------------------------------------------------------------

# 8 zones of 8 MiB, the first conventional; metadata slots of 4 KiB at 64 MiB.
ZPARAMS="backing=file capacity_mb=64 zoned=1 zone_size_mb=8 zone_nr_conv=1 zone_max_active=4"
ZS=16384	# sectors per zone
SLOT0=$((64 << 20))
SLOT1=$((SLOT0 + 4096))

mkzoned() {
	local name=$1 f=$2 kv
	shift 2
	ub_mkdev "$name" $ZPARAMS path="$f" "$@"
}

# "wp cond" of every zone, sectors
zstate() {
	blkzone report "$1" | sed -E 's/.*wptr 0x([0-9a-f]+).*zcond: *[0-9]+\(([a-z]+)\).*/\1 \2/' |
		while read -r wp c; do echo "$((16#$wp)) $c"; done | tr '\n' ' '
}

gen_of() {	# generation of the metadata slot at byte offset $2 of file $1
	od -An -t u8 -j $(($2 + 16)) -N 8 "$1" | tr -d ' '
}

test_zoned_persist() {
	local f=$DIR/zoned.img d want got pat=$DIR/zpat
	ub_fresh "$DIR" || return 1
	dd if=/dev/urandom of=$pat bs=1M count=8 status=none
	check "zoned file drive" mkzoned z $f || return 1
	d=$(bdev z)
	expect_eq "file size: data + 2 slots" $((SLOT0 + 8192)) "$(stat -c %s $f)" || return 1
	check "zone 1: 3 MiB" dd if=$pat of="$d" bs=1M count=3 seek=8 oflag=direct status=none
	check "zone 2: full" dd if=$pat of="$d" bs=1M count=8 seek=16 oflag=direct status=none
	check "zone 3: finish" blkzone finish -o $((3 * ZS)) -c 1 "$d"
	check "zone 4: 1 MiB (implicitly open)" dd if=$pat of="$d" bs=1M count=1 seek=32 oflag=direct status=none
	check "zone 5: explicit open, nothing written" blkzone open -o $((5 * ZS)) -c 1 "$d"
	check "zone 6: 4 KiB then reset" dd if=$pat of="$d" bs=4k count=1 seek=$((48 * 256)) oflag=direct status=none
	check "zone 6 reset" blkzone reset -o $((6 * ZS)) -c 1 "$d"
	# bad zones (fault injection) are zone state too
	check "zone 6 read-only" bash -c "echo 6 > /sys/block/${d#/dev/}/fault/zone_readonly"
	check "zone 7 offline" bash -c "echo 7 > /sys/block/${d#/dev/}/fault/zone_offline"
	# blkzone: write pointers relative to the zone start
	want="0 nw 6144 cl $ZS fu $ZS fu 2048 cl 0 em ro of"
	echo 0 > $CFS/z/power
	echo 1 > $CFS/z/power || { cat $CFS/z/error; fail "power on again"; return 1; }
	d=$(bdev z)
	got=$(zstate "$d" | awk '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $16 }')
	expect_eq "zones after a power cycle (open -> closed)" "$want" "$got" || return 1
	expect_eq "read-only zone" 6 "$(</sys/block/${d#/dev/}/fault/zone_readonly)" || return 1
	expect_eq "offline zone" 7 "$(</sys/block/${d#/dev/}/fault/zone_offline)" || return 1
	expect_eq "zone 1 data" "$(digest $pat 0 $((3 << 20)))" "$(digest "$d" $((8 << 20)) $((3 << 20)))" || return 1
	expect_eq "zone 2 data" "$(digest $pat 0 $((8 << 20)))" "$(digest "$d" $((16 << 20)) $((8 << 20)))" || return 1
	check "append at the restored write pointer" dd if=$pat of="$d" bs=1M count=1 seek=11 oflag=direct status=none
	ub_rmdev z
	# and across a module reload, loaded by module parameters
	ub_unload || return 1
	check "reload" ub_load $ZPARAMS path=$f
	want="0 nw 8192 cl $ZS fu $ZS fu 2048 cl 0 em ro of"
	expect_eq "zones after reload" "$want" \
		"$(zstate /dev/uringblk0 | awk '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $16 }')" || return 1
	expect_eq "zone 1 data after reload" "$(digest $pat 0 $((3 << 20)))" "$(digest /dev/uringblk0 $((8 << 20)) $((3 << 20)))" || return 1
	ub_unload
}

test_zoned_torn_and_corrupt() {
	local f=$DIR/torn.img d g0 g1 newest msg n0 want
	ub_fresh "$DIR" || return 1
	check "zoned file drive" mkzoned z $f || return 1
	d=$(bdev z)
	check "zone 1: 1 MiB + flush" dd if=/dev/urandom of="$d" bs=1M count=1 seek=8 oflag=direct conv=fsync status=none
	want=$(zstate "$d")
	want=${want//oi/cl}	# open zones come back closed
	ub_rmdev z
	g0=$(gen_of $f $SLOT0); g1=$(gen_of $f $SLOT1)
	((g0 > 0 && g1 > 0 && g0 != g1)) || { fail "generations $g0/$g1"; return 1; }
	newest=$SLOT0; ((g1 > g0)) && newest=$SLOT1
	# A save torn half way: the record area of the newest slot is garbage.
	dd if=/dev/urandom of=$f bs=1 count=100 seek=$((newest + 100)) conv=notrunc status=none
	n0=$(dmesg | wc -l)
	check "loads from the other slot" mkzoned z $f || { cat $CFS/z/error; return 1; }
	ub_dmesg_since "$n0" | grep -q "checksum mismatch (a torn or corrupted update); using slot" ||
		{ ub_dmesg_since "$n0"; fail "torn slot not reported"; return 1; }
	expect_eq "zones from the previous save" "$want" "$(zstate "$(bdev z)")" || return 1
	ub_rmdev z
	# Both slots corrupt: refused, with the way out in the message.
	dd if=/dev/urandom of=$f bs=1 count=8 seek=$SLOT0 conv=notrunc status=none
	dd if=/dev/urandom of=$f bs=1 count=8 seek=$((SLOT1 + 300)) conv=notrunc status=none
	if mkzoned z $f 2>/dev/null; then fail "corrupt metadata accepted"; return 1; fi
	msg=$(<$CFS/z/error)
	echo "error: $msg"
	[[ $msg == *"zone metadata unusable"*"refusing to guess"* ]] || { fail "unclear message"; return 1; }
	rmdir $CFS/z
	# Follow the advice: every zone empty, the drive usable.
	check "the dd from the message" bash -c "${msg#*zero it: }"
	check "loads after zeroing" mkzoned z $f || return 1
	[[ $(zstate "$(bdev z)") == "0 nw 0 em "* ]] || { fail "zones not empty: $(zstate "$(bdev z)")"; return 1; }
	ub_rmdev z
	# Another geometry: refused, naming the value.
	if mkzoned z $f zone_capacity_mb=4 2>/dev/null; then fail "other zone capacity accepted"; return 1; fi
	grep -q "zone capacity (bytes) 8388608, this configuration has 4194304" $CFS/z/error ||
		{ cat $CFS/z/error; fail "geometry message"; return 1; }
	rmdir $CFS/z
	ub_unload
}

# An unclean stop, simulated: a copy of the file taken while the drive runs
# is what a crash leaves (the page cache is coherent with the device).
test_zoned_unclean_stop() {
	local f=$DIR/live.img c=$DIR/crash.img d n0 pat=$DIR/upat
	ub_fresh "$DIR" || return 1
	dd if=/dev/urandom of=$pat bs=1M count=3 status=none
	check "zoned file drive" mkzoned z $f || return 1
	d=$(bdev z)
	check "2 MiB flushed" dd if=$pat of="$d" bs=1M count=2 seek=8 oflag=direct conv=fsync status=none
	check "512 KiB with FUA" dd if=$pat of="$d" bs=512K count=1 skip=4 seek=20 oflag=direct,dsync status=none
	check "512 KiB more, not flushed" dd if=$pat of="$d" bs=512K count=1 skip=5 seek=21 oflag=direct status=none
	check "crash image" cp --sparse=always $f $c
	ub_rmdev z
	n0=$(dmesg | wc -l)
	check "load the crash image" mkzoned c $c || { cat $CFS/c/error; return 1; }
	ub_dmesg_since "$n0" | grep -q "not removed cleanly" || { fail "unclean stop not reported"; return 1; }
	d=$(bdev c)
	[[ $(zstate "$d") == "0 nw 5120 cl 0 em "* ]] || { fail "zone 1 not at the durable 2.5 MiB: $(zstate "$d")"; return 1; }
	expect_eq "flushed and FUA data kept" "$(digest $pat 0 $((5 << 19)))" "$(digest "$d" $((8 << 20)) $((5 << 19)))" || return 1
	expect_eq "past the write pointer reads zero" "$(zeroes_digest $((1 << 19)))" "$(digest "$d" $((21 << 19)) $((1 << 19)))" || return 1
	check "writes continue at the write pointer" dd if=$pat of="$d" bs=512K count=1 seek=21 oflag=direct status=none
	ub_rmdev c
	ub_unload
}

test_remove_under_io() {
	local f=$DIR/busy.img d pid n0
	ub_fresh "$DIR" || return 1
	n0=$(dmesg | wc -l)
	check "device" ub_mkdev b backing=file path=$f capacity_mb=256 || return 1
	d=$(bdev b)
	fio --name=busy --filename="$d" --direct=1 --ioengine=io_uring --rw=randrw --bs=16k \
		--iodepth=32 --time_based --runtime=30 --output=/dev/null 2>/dev/null &
	pid=$!
	ub_wait_io "$(<"$CFS/b/index")" || { kill $pid; return 1; }
	check "remove while fio runs" ub_rmdev b || return 1
	wait $pid	# fio fails: its device went away
	check "module unloads" ub_unload || return 1
	ub_dmesg_clean "$n0"
}

ub_need_ko || exit $KSFT_SKIP
ktap_plan 8
ktap_run file_persist_reload test_persist_reload
ktap_run file_config_errors test_config_errors
ktap_run file_discard_punches_holes test_discard_punches_holes
ktap_run file_direct_io_ext4 test_direct_io_ext4
ktap_run file_zoned_persist test_zoned_persist
ktap_run file_zoned_torn_and_corrupt test_zoned_torn_and_corrupt
ktap_run file_zoned_unclean_stop test_zoned_unclean_stop
ktap_run file_remove_under_io test_remove_under_io
ub_unload
rm -rf "$DIR" "$MNT"
ktap_finish
