#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Which code a flush and a FUA write run, counted with kprobe events
# (tracefs kprobe_events; hits read from kprobe_profile):
#  - the flush of a drive that is not zoned (memory and file backend) is
#    the backend's flush and never enters the zone metadata code
#    (zoned_meta.c, uringblk_zmeta_*()); the same I/O on a zoned
#    file-backed drive does enter it, which proves the probes fire;
#  - a FUA write to a sequential zone of a file-backed zoned drive syncs
#    the backing file exactly twice (the data, then the metadata slot;
#    Documentation/admin/file-backing.md), a flush that follows it once.
# Behaviour alone cannot tell these apart (the old paths gave the same
# data and the same errors), hence the probes.  Skips, with the reason,
# when the kernel has no kprobe events or tracefs cannot be mounted.
# That a block read and an EXEC window share one read policy is covered
# by fault.sh (block reads) and fault_exec (EXEC windows) on the same
# sysfs fault/ configuration, not repeated here.
#
# Needs root and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

TR=/sys/kernel/tracing
GRP=uringblk_selftest	# the kprobe event group this test owns
DIR=/var/tmp/ub-flush
MNT=/var/tmp/ub-flush-ext4
N=8	# writes per check

# kprobes_usable: tracefs mounted (or mountable) and kprobe events in the
# kernel.  Whether a given function can be probed is not asked here: a
# probe that cannot be placed fails the test, it does not skip it.
kprobes_usable() {
	if [[ ! -e $TR/kprobe_events ]]; then
		mountpoint -q $TR || mount -t tracefs nodev $TR 2>/dev/null
	fi
	[[ -w $TR/kprobe_events && -r $TR/kprobe_profile ]]
}

# probe_add NAME SYMBOL: a kprobe event on SYMBOL ([module:]function),
# enabled (a kprobe counts hits only while its event is enabled).
probe_add() {
	echo "p:$GRP/$1 $2" >> $TR/kprobe_events || { echo "cannot probe $2"; return 1; }
	echo 1 > "$TR/events/$GRP/$1/enable"
}

# probe_hits NAME: how often the probe fired since it was added.  A
# kprobe_profile line is "event nhit nmissed" (6.1 names the event
# without its group).
probe_hits() {
	local name n hit _
	while read -r name hit _; do
		[[ $name == "$1" || $name == "$GRP/$1" ]] && n=$hit
	done < $TR/kprobe_profile
	echo "${n:?no kprobe_profile line for $1}"
}

# Disable and remove every event of the group (before rmmod: a probe on a
# module function must not outlive the module).  From kprobe_events, not
# a list: probes are added in command substitutions' subshells too.
probes_clear() {
	local ev _
	[[ -d $TR/events/$GRP ]] || return 0
	echo 0 > $TR/events/$GRP/enable
	while read -r ev _; do
		[[ $ev == p:$GRP/* ]] && echo "-:${ev#p:}" >> $TR/kprobe_events
	done < <(cat $TR/kprobe_events)
}

# The module's zone metadata functions (zoned_meta.c), from kallsyms:
# every uringblk_zmeta_* text symbol but the compiler's .cold parts.  One
# grep: a shell loop over ~100k kallsyms lines takes minutes in the guest.
zmeta_functions() {
	grep -oE '^[0-9a-f]+ [tT] uringblk_zmeta_[a-z_]+[[:space:]]+\[uringblk\]$' /proc/kallsyms |
		while read -r _ _ sym _; do echo "$sym"; done
}

# zmeta_calls DEV: N 4 KiB writes, each with O_DSYNC (a FUA write, then a
# flush: generic_write_sync() on 6.1), then an fsync of the device (one
# more flush), on /dev/uringblkDEV with every zone metadata function
# probed.  Prints "calls fua flushes".  The writes go to the start of
# the device: on a zoned drive with no conventional zone that is the
# write pointer of its first, sequential, zone.
zmeta_calls() {
	local dev=$1 fn syms=() total=0 n f0 fl0
	mapfile -t syms < <(zmeta_functions)
	[[ " ${syms[*]} " == *" uringblk_zmeta_sync "* ]] ||
		{ echo "uringblk_zmeta_sync not in kallsyms (found: ${syms[*]})"; return 1; }
	for fn in "${syms[@]}"; do
		probe_add "$fn" "uringblk:$fn" || return 1
	done
	f0=$(ub_stat "$dev" fua_ops) fl0=$(ub_stat "$dev" flush_ops)
	dd if=/dev/urandom of="/dev/uringblk$dev" bs=4k count=$N oflag=direct,dsync \
		status=none || { echo "dd failed"; return 1; }
	dd if=/dev/null of="/dev/uringblk$dev" conv=fsync status=none ||
		{ echo "fsync failed"; return 1; }
	for fn in "${syms[@]}"; do
		n=$(probe_hits "$fn") || return 1
		((n)) && echo "$fn: $n calls" >&2
		total=$((total + n))
	done
	probes_clear
	echo "$total $(($(ub_stat "$dev" fua_ops) - f0)) $(($(ub_stat "$dev" flush_ops) - fl0))"
}

# One zmeta_calls run on drive 0 of the module loaded with PARAMS;
# "calls fua flushes" in $res.  Checks that the I/O was what it should
# be: N FUA writes and at least N + 1 flushes reached the driver.
zmeta_run() {
	local what=$1 fua fl
	shift
	ub_unload && rm -rf "$DIR" && mkdir -p "$DIR" || return 1
	check "$what: load" ub_load "$@" || return 1
	res=$(zmeta_calls 0) || { probes_clear; ub_unload; return 1; }
	ub_unload || return 1
	read -r _ fua fl <<< "$res"
	echo "$what: zmeta calls, FUA writes, flushes: $res"
	expect_eq "$what: FUA writes" $N "$fua" || return 1
	((fl >= N + 1)) || fail "$what: only $fl flushes reached the driver, expected $((N + 1))"
}

test_nonzoned_flush_skips_zone_code() {
	local res calls rc=0
	ub_need_ko || return 1
	kprobes_usable || { skip "no kprobe events (CONFIG_KPROBE_EVENTS) or tracefs"; return $?; }

	# The probes work: a zoned file-backed drive's flushes and FUA
	# writes go through uringblk_zmeta_sync() (one per FUA write and
	# one per flush at least).
	zmeta_run "zoned file" backing=file path=$DIR/z.img capacity_mb=64 \
		zoned=1 zone_size_mb=8 zone_nr_conv=0 || return 1
	read -r calls _ <<< "$res"
	((calls >= 2 * N + 1)) ||
		fail "zoned file drive: $calls zone metadata calls, expected at least $((2 * N + 1)): probes broken?" ||
		return 1

	# Not zoned: the backend's flush directly, no zone metadata code.
	# Both backends are checked even if the first fails.
	zmeta_run "memory" backing=mem capacity_mb=64 || return 1
	read -r calls _ <<< "$res"
	expect_eq "memory drive: zone metadata calls" 0 "$calls" || rc=1
	zmeta_run "file" backing=file path=$DIR/plain.img capacity_mb=64 || return 1
	read -r calls _ <<< "$res"
	expect_eq "file drive: zone metadata calls" 0 "$calls" || rc=1
	rm -rf "$DIR"
	return $rc
}

# Backing-file syncs, counted on ext4_sync_file (the file sits on ext4 on a
# memory uringblk drive: a filesystem whose fsync can be probed and that
# has direct I/O; nothing else in the guest fsyncs an ext4 file meanwhile).
# The zoned drive's counters say how many FUA writes and flushes it got.
#
#  - A flush when no zone changed since the last save syncs the file
#    once (the backend's flush; no slot to write).
#  - A FUA write to a sequential zone syncs it twice: the data (with the
#    writes before it), then the metadata slot that holds the new write
#    pointer.  Before the one zone write core it was three times.
#  - An O_DSYNC write to a block device is, on 6.1, a FUA write and then
#    a flush (generic_write_sync() -> blkdev_fsync()); the flush finds the
#    zones as the FUA write saved them: once.
# So N such writes with F flushes in all must sync exactly 2 N + F times.
test_fua_syncs_backing_file_twice() {
	local d f=$MNT/z.img s0 s1 f0 f1 fl0 fl1 syncs fua fl
	ub_need_ko || return 1
	kprobes_usable || { skip "no kprobe events (CONFIG_KPROBE_EVENTS) or tracefs"; return $?; }
	command -v mkfs.ext4 >/dev/null || { skip "no mkfs.ext4"; return $?; }
	ub_unload; mkdir -p "$MNT"
	check "memory drive for ext4" ub_load capacity_mb=256 || return 1
	check "mkfs.ext4" mkfs.ext4 -q -F /dev/uringblk0 || return 1
	check "mount" mount /dev/uringblk0 $MNT || return 1
	ub_configfs
	if ! ub_mkdev z backing=file path=$f capacity_mb=64 zoned=1 zone_size_mb=8 \
		zone_nr_conv=0; then
		umount $MNT; fail "zoned file drive on ext4"; return 1
	fi
	d=$(<"$UB_CFS/z/index")
	fua_syncs_body "$d"
	local rc=$?
	probes_clear
	ub_rmdev z
	umount $MNT
	ub_unload
	return $rc
}

fua_syncs_body() {
	local d=$1 i s0 s1 f0 fl0 fl syncs fua
	# A first flush saves whatever creating the drive left unsaved.
	check "first flush" dd if=/dev/null of=/dev/uringblk$d conv=fsync status=none || return 1
	probe_add ext4sync ext4_sync_file || return 1

	# Flushes alone: one sync each.
	s0=$(probe_hits ext4sync) fl0=$(ub_stat "$d" flush_ops)
	for ((i = 0; i < N; i++)); do
		dd if=/dev/null of=/dev/uringblk$d conv=fsync status=none || { fail "fsync"; return 1; }
	done
	s1=$(probe_hits ext4sync) fl=$(($(ub_stat "$d" flush_ops) - fl0))
	echo "flushes: $fl, backing file syncs: $((s1 - s0))"
	((fl >= N)) || { fail "only $fl of $N flushes reached the driver"; return 1; }
	expect_eq "syncs of $fl flushes with no zone change" "$fl" "$((s1 - s0))" || return 1

	# O_DSYNC writes at the write pointer of zone 0 (sequential).
	s0=$(probe_hits ext4sync) f0=$(ub_stat "$d" fua_ops) fl0=$(ub_stat "$d" flush_ops)
	check "O_DSYNC writes" dd if=/dev/urandom of=/dev/uringblk$d bs=4k count=$N \
		oflag=direct,dsync status=none || return 1
	s1=$(probe_hits ext4sync)
	fua=$(($(ub_stat "$d" fua_ops) - f0)) fl=$(($(ub_stat "$d" flush_ops) - fl0))
	syncs=$((s1 - s0))
	echo "FUA writes: $fua, flushes: $fl, backing file syncs: $syncs" \
		"($((syncs - fl)) for the FUA writes)"
	expect_eq "FUA writes" $N "$fua" || return 1
	# At least one sync per FUA write: the probe sees them.
	((syncs - fl >= fua)) ||
		{ fail "$syncs syncs for $fua FUA writes and $fl flushes: probe broken?"; return 1; }
	expect_eq "syncs of $fua FUA writes and $fl flushes (2 per FUA write, 1 per flush)" \
		"$((2 * fua + fl))" "$syncs" || return 1
	# The writes landed at the write pointer: it moved by N * 8 sectors.
	local wp
	wp=$(blkzone report -c 1 /dev/uringblk$d | sed -n 's/.*wptr 0x\([0-9a-f]*\).*/\1/p')
	expect_eq "zone 0 write pointer" $((N * 8)) "$((16#${wp:-0}))"
}

ktap_plan 2
ktap_run nonzoned_flush_skips_zone_code test_nonzoned_flush_skips_zone_code
ktap_run fua_syncs_backing_file_twice test_fua_syncs_backing_file_twice
ub_unload
ktap_finish
