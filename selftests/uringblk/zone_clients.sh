#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real zoned clients, unmodified, against a zoned uringblk:
#   blkzone (util-linux)  report | capacity | reset | open | close | finish,
#                         its report checked line by line against the
#                         driver's own zone table (sysfs uringblk/zones)
#   fio --zonemode=zbd    sequential writes across zones verified with
#                         crc32c, random reads below the write pointers,
#                         zone-append writes if this fio has them
#   btrfs -O zoned        mkfs, mount, files with checksums, umount,
#                         remount, verify; btrfs writes data with
#                         REQ_OP_ZONE_APPEND, so the drive must count appends
# A test fails on a tool's failure, a wrong zone state, a verify error, or
# failed requests counted by the drive; a missing tool is a SKIP.
#
# Needs root and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

# 16 zones of 16 MiB with 12 MiB capacity, the first conventional.
BLKZONE_PARAMS="capacity_mb=256 zoned=1 zone_size_mb=16 zone_capacity_mb=12 zone_nr_conv=1 zone_max_open=4 zone_max_active=6"
ZS=$((16 * 2048))	# zone size, sectors
ZC=$((12 * 2048))	# zone capacity, sectors
# fio: 32 zones of 8 MiB (6 MiB capacity), 2 conventional, open limit 8.
FIO_PARAMS="capacity_mb=256 zoned=1 zone_size_mb=8 zone_capacity_mb=6 zone_nr_conv=2 zone_max_open=8 zone_max_active=12"
# btrfs: 32 zones of 64 MiB.
BTRFS_PARAMS="capacity_mb=2048 zoned=1 zone_size_mb=64"

DEV=/dev/uringblk0
SYS=/sys/block/uringblk0/uringblk

# The driver's table as "start len cap wp cond" in sectors (512 B blocks,
# so LBAs are sectors), one line per zone, blkzone's condition names.
sysfs_zones() {
	awk 'NR > 1 {
		c = $7
		if (c == "not_wp") c = "nw"; else if (c == "empty") c = "em";
		else if (c == "imp_open") c = "oi"; else if (c == "exp_open") c = "oe";
		else if (c == "closed") c = "cl"; else if (c == "full") c = "fu";
		else if (c == "readonly") c = "ro"; else if (c == "offline") c = "ol";
		print $2, $3, $4, $5, c, $6
	}' "$SYS/zones"
}

# blkzone report in the same form.  blkzone prints the write pointer
# relative to the zone start, and 0 for a conventional zone (which has
# none); made absolute here, with the driver's convention for conventional
# zones (start + len, as null_blk).  The kernel's own wp is compared with
# the driver's in zone_report (BLKREPORTZONE).
blkzone_zones() {
	blkzone report "$@" "$DEV" | sed -nE \
		's/.*start: (0x[0-9a-f]+), len (0x[0-9a-f]+), cap (0x[0-9a-f]+), wptr (0x[0-9a-f]+).*zcond: *[0-9]+\(([a-z]+)\) \[type: ([0-9]+).*/\1 \2 \3 \4 \5 \6/p' |
	while read -r s l c w cond type; do
		t=seq
		((type == 1)) && t=conv w=$l
		echo "$((s)) $((l)) $((c)) $((s + w)) $cond $t"
	done
}

# Condition of the zone starting at sector $1, from blkzone.
zcond() {
	blkzone report -o "$1" -c 1 "$DEV" | sed -nE 's/.*zcond: *[0-9]+\(([a-z]+)\).*/\1/p'
}

# Write pointer (relative) of the zone at sector $1, from blkzone.
zwp() {
	local w
	w=$(blkzone report -o "$1" -c 1 "$DEV" | sed -nE 's/.*wptr (0x[0-9a-f]+).*/\1/p')
	echo $((w))
}

expect_zone() {	# sector cond wp-relative
	expect_eq "zone at $1: condition" "$2" "$(zcond "$1")" || return
	expect_eq "zone at $1: write pointer" "$3" "$(zwp "$1")"
}

no_errors() {
	expect_eq "requests failed by the drive" 0 "$(ub_stat 0 errors)" || return
	expect_eq "in_flight" 0 "$(ub_stat 0 in_flight)"
}

t_blkzone() {
	local rep sys z2=$((2 * ZS)) z3=$((3 * ZS)) out

	command -v blkzone > /dev/null || { skip "blkzone (util-linux) not installed"; return; }
	ub_unload && ub_load $BLKZONE_PARAMS || return

	rep=$(blkzone_zones)
	sys=$(sysfs_zones)
	expect_eq "zones reported" 16 "$(wc -l <<<"$rep")" || return
	echo "$rep" | head -3
	expect_eq "blkzone report = the driver's zone table" "$sys" "$rep" || return
	expect_eq "zone 0" "0 $ZS $ZS $ZS nw conv" "$(head -1 <<<"$rep")" || return
	expect_eq "zone 1" "$ZS $ZS $ZC $ZS em seq" "$(sed -n 2p <<<"$rep")" || return
	expect_eq "blkzone capacity" $((ZS + 15 * ZC)) \
		"$(($(blkzone capacity "$DEV" | sed -nE 's/.*(0x[0-9a-f]+).*/\1/p')))" || return

	# A write opens a zone implicitly; then close, open, finish, reset.
	check "dd 1 MiB into zone 2" dd if=/dev/urandom of=$DEV bs=1M count=1 \
		seek=$((z2 / 2048)) oflag=direct status=none || return
	expect_zone $z2 oi 2048 || return
	check "blkzone close" blkzone close -o $z2 -c 1 $DEV || return
	expect_zone $z2 cl 2048 || return
	check "blkzone open" blkzone open -o $z2 -c 1 $DEV || return
	expect_zone $z2 oe 2048 || return
	check "blkzone finish" blkzone finish -o $z2 -c 1 $DEV || return
	expect_zone $z2 fu $ZS || return
	check "blkzone reset" blkzone reset -o $z2 -c 1 $DEV || return
	expect_zone $z2 em 0 || return
	# Open and close of an unwritten zone: back to empty.
	check "blkzone open" blkzone open -o $z3 -c 1 $DEV || return
	expect_zone $z3 oe 0 || return
	check "blkzone close" blkzone close -o $z3 -c 1 $DEV || return
	expect_zone $z3 em 0 || return
	# Writing to the capacity makes a zone full.
	check "dd 12 MiB into zone 3" dd if=/dev/zero of=$DEV bs=1M count=12 \
		seek=$((z3 / 2048)) oflag=direct status=none || return
	expect_zone $z3 fu $ZS || return

	# Ranges: open 4 zones (the limit), a 5th fails with ETOOMANYREFS.
	check "blkzone open 4 zones" blkzone open -o $((4 * ZS)) -c 4 $DEV || return
	expect_eq "open zones" 4 "$(blkzone_zones | grep -c ' oe ')" || return
	if out=$(blkzone open -o $((8 * ZS)) -c 1 $DEV 2>&1); then
		fail "a 5th explicit open succeeded"
		return
	fi
	echo "5th open refused: $out"
	grep -q "Too many references" <<<"$out" ||
		fail "the 5th open did not fail with ETOOMANYREFS: $out" || return
	# A misaligned zone start is refused by the block layer.
	! blkzone reset -o $((ZS + 8)) -c 1 $DEV 2>/dev/null ||
		fail "reset of a misaligned zone start succeeded" || return
	# Conventional zone: the drive refuses, the block layer says EIO.
	! blkzone reset -o 0 -c 1 $DEV 2>/dev/null ||
		fail "reset of a conventional zone succeeded" || return
	check "blkzone finish 4 zones" blkzone finish -o $((4 * ZS)) -c 4 $DEV || return
	expect_eq "full zones" 5 "$(blkzone_zones | grep -c ' fu ')" || return

	# Reset everything (REQ_OP_ZONE_RESET_ALL).
	check "blkzone reset (all)" blkzone reset $DEV || return
	rep=$(blkzone_zones)
	expect_eq "empty zones after reset" 15 "$(grep -c ' em ' <<<"$rep")" || return
	expect_eq "blkzone report = the driver's zone table" "$(sysfs_zones)" "$rep" || return
	# The conventional failure and the 5th open are the only errors.  From
	# Linux 6.10 on, zone write plugging fails a reset of a conventional
	# zone itself (blk_zone_wplug_handle_zone_mgmt(), EIO as the drive's):
	# it never reaches the drive, which counts the 5th open alone.
	local errors=2
	kernel_at_least 6 10 && errors=1
	expect_eq "requests failed by the drive" $errors "$(ub_stat 0 errors)"
}

# run_fio name [fio args...]: fio on $DEV; fails on fio's status, on any
# err=N != 0, on verify complaints.
run_fio() {
	local name=$1 out rc
	shift
	out=$(mktemp)
	fio --name="$name" --filename=$DEV --ioengine=io_uring --direct=1 \
		--zonemode=zbd --verify_state_save=0 --output-format=normal "$@" \
		> "$out" 2>&1
	rc=$?
	if ((rc != 0)) || grep -E 'err= *[1-9]' "$out" > /dev/null ||
	   grep -qiE 'verify: bad|bad magic|fio: (pid|io_u) error|zbd.*(error|invalid)' "$out"; then
		cat "$out"
		rm -f "$out"
		fail "fio $name exited with $rc"
		return 1
	fi
	grep -E '^ *(write|read):|err=|WRITE:|READ:|verify' "$out"
	rm -f "$out"
}

t_fio_seq_verify() {
	local wb
	ub_unload && ub_load $FIO_PARAMS || return
	echo 1 > $SYS/reset_stats
	# 24 zones after the conventional ones, 128 KiB writes at queue depth
	# 8 (mq-deadline keeps one write per zone in flight), then every
	# block read back and checked.
	run_fio seqwrite-verify --rw=write --bs=128k --iodepth=8 \
		--offset=16M --size=192M --verify=crc32c --do_verify=1 \
		--verify_fatal=1 || return
	wb=$(ub_stat 0 write_bytes)
	# fio writes each zone up to its capacity: 24 x 6 MiB.
	expect_eq "bytes written" $((24 * 6 * 1024 * 1024)) "$wb" || return
	expect_eq "full zones" 24 "$(awk '$7 == "full"' $SYS/zones | wc -l)" || return
	no_errors || return
	# Several jobs at once, each on its own empty zones, 4 KiB writes.
	if command -v blkzone > /dev/null; then
		check "blkzone reset" blkzone reset $DEV || return
	else
		ub_unload && ub_load $FIO_PARAMS || return
	fi
	run_fio seqwrite-verify-4jobs --rw=write --bs=4k --iodepth=4 \
		--offset=16M --size=48M --offset_increment=48M --numjobs=4 \
		--verify=crc32c --do_verify=1 \
		--verify_fatal=1 --group_reporting || return
	no_errors
}

t_fio_randread() {
	ub_loaded || { ub_load $FIO_PARAMS || return; }
	# Below the write pointers only (read_beyond_wp=0, fio's default).
	run_fio randread --rw=randread --bs=4k --iodepth=16 --offset=16M \
		--size=192M --runtime=5 --time_based || return
	(($(ub_stat 0 read_ops) > 0)) || fail "no reads reached the drive" || return
	no_errors
}

t_fio_zone_append() {
	# fio 3.33 has no option to issue zone appends to a block device
	# (zone append exists only in its NVMe passthrough engine,
	# io_uring_cmd, which needs /dev/ngXnY); a newer fio may.
	if ! fio --cmdhelp=all 2>/dev/null | grep -qE '^zone_append\b'; then
		skip "$(fio --version) has no zone_append option (its io_uring_cmd engine is NVMe passthrough only)"
		return
	fi
	ub_loaded || { ub_load $FIO_PARAMS || return; }
	run_fio zone-append --rw=write --bs=64k --iodepth=8 --offset=16M \
		--size=48M --zone_append=1 --verify=crc32c --do_verify=1 || return
	(($(ub_stat 0 zone_appends) > 0)) || fail "no appends reached the drive" || return
	no_errors
}

t_btrfs() {
	local mnt=/tmp/uringblk-btrfs sums i ap

	command -v mkfs.btrfs > /dev/null ||
		{ skip "mkfs.btrfs not installed (package btrfs-progs)"; return; }
	grep -qw btrfs /proc/filesystems || modprobe btrfs 2>/dev/null ||
		{ skip "no btrfs in this kernel (modprobe btrfs failed)"; return; }
	ub_unload && ub_load $BTRFS_PARAMS || return
	check "mkfs.btrfs -O zoned" mkfs.btrfs -q -f -O zoned $DEV || return
	mkdir -p $mnt
	check "mount" mount -t btrfs $DEV $mnt || return
	for i in 1 2 3 4 5 6; do
		head -c $((i * 3 * 1024 * 1024 + i * 4097)) /dev/urandom > $mnt/f$i ||
			{ umount $mnt; fail "writing f$i"; return; }
	done
	mkdir $mnt/dir
	for i in $(seq 50); do echo "small file $i" > $mnt/dir/s$i; done
	sums=$(cd $mnt && sha256sum f* dir/*)
	check "umount" umount $mnt || return
	ap=$(ub_stat 0 zone_appends)
	echo "zone appends from btrfs: $ap, resets: $(ub_stat 0 zone_resets)," \
	     "non-empty zones: $(awk 'NR > 1 && $7 != "empty"' $SYS/zones | wc -l)"
	((ap > 0)) || fail "btrfs wrote no zone appends" || return
	# Drop every cached page: the remount reads from the drive.
	echo 3 > /proc/sys/vm/drop_caches
	check "remount" mount -t btrfs $DEV $mnt || return
	if ! (cd $mnt && sha256sum -c --quiet <<<"$sums"); then
		umount $mnt
		fail "checksums differ after remount"
		return
	fi
	echo "$(wc -l <<<"$sums") files verified after remount"
	# A second generation: overwrite, delete, verify again.
	rm $mnt/f1 $mnt/dir/s1*
	head -c 5000000 /dev/urandom > $mnt/f2
	sums=$(cd $mnt && sha256sum f* dir/*)
	check "umount" umount $mnt || return
	check "remount" mount -t btrfs $DEV $mnt || return
	(cd $mnt && sha256sum -c --quiet <<<"$sums") ||
		{ umount $mnt; fail "checksums differ after the second remount"; return; }
	check "btrfs scrub" btrfs scrub start -B $mnt > /dev/null || { umount $mnt; return 1; }
	check "umount" umount $mnt || return
	no_errors
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run zone_clients skip "$why"
	ktap_finish
fi

ktap_plan 5
ktap_run blkzone_report_reset_open_close_finish t_blkzone
if command -v fio > /dev/null && fio --enghelp=io_uring > /dev/null 2>&1; then
	ktap_run fio_zbd_seqwrite_verify_crc32c t_fio_seq_verify
	ktap_run fio_zbd_randread t_fio_randread
	ktap_run fio_zbd_zone_append t_fio_zone_append
else
	for t in fio_zbd_seqwrite_verify_crc32c fio_zbd_randread fio_zbd_zone_append; do
		ktap_run $t skip "fio with the io_uring engine is not installed"
	done
fi
ktap_run btrfs_zoned_mount_verify_remount t_btrfs
ub_unload
ktap_finish
