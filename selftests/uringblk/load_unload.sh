#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module load and unload: parameter sets and what the block layer shows
# for them, invalid parameters refused cleanly with a reason in the kernel
# log, rmmod refused while a node is open (and the device unharmed), and
# repeated load/unload without leaks.
#
# Needs root and URINGBLK_KO=/path/to/uringblk.ko; the module must not be
# in use by anything else.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

GIB16_SECTORS=$((16 * 1024 * 1024 * 1024 / 512))

# Nodes and sysfs of a loaded module with nr devices of size sectors.
check_devices() {
	local nr=$1 sectors=$2 bs=$3 i
	for ((i = 0; i < nr; i++)); do
		[[ -b /dev/uringblk$i ]] || fail "/dev/uringblk$i is not a block device" || return
		[[ -c /dev/uringblkc$i ]] || fail "/dev/uringblkc$i is not a char device" || return
		expect_eq "uringblk$i size" "$sectors" "$(</sys/block/uringblk$i/size)" || return
		expect_eq "uringblk$i logical_block_size" "$bs" \
			"$(</sys/block/uringblk$i/queue/logical_block_size)" || return
		expect_eq "uringblk$i physical_block_size" "$bs" \
			"$(</sys/block/uringblk$i/queue/physical_block_size)" || return
		expect_eq "uringblk$i getsize64" "$((sectors * 512))" \
			"$(blockdev --getsize64 /dev/uringblk$i)" || return
	done
	[[ ! -e /dev/uringblk$nr && ! -e /dev/uringblkc$nr ]] ||
		fail "more than $nr devices" || return
	[[ ! -e /sys/block/uringblk$nr ]] || fail "/sys/block/uringblk$nr exists"
}

# Default parameter value from the loaded module.
param() {
	cat "/sys/module/uringblk/parameters/$1"
}

mq_count() {
	find "/sys/block/uringblk$1/mq" -mindepth 1 -maxdepth 1 -type d | wc -l
}

# 4 KiB of random data, and 16 MiB, made once per run.
PAT=$(mktemp) DATA=$(mktemp)
trap 'rm -f "$PAT" "$DATA"' EXIT
head -c 4096 /dev/urandom > "$PAT"
head -c $((16 * 1024 * 1024)) /dev/urandom > "$DATA"

# The pattern block survives a round trip through device $1 at block $2.
roundtrip() {
	local dev=/dev/uringblk$1 off=${2:-0}
	dd if="$PAT" of="$dev" bs=4096 seek="$off" oflag=direct conv=notrunc status=none &&
		dd if="$dev" bs=4096 skip="$off" count=1 iflag=direct status=none |
		cmp -s - "$PAT" || fail "data round trip on $dev at block $off"
}

# $DATA written at the start of device $1 and read back whole.
data_roundtrip() {
	local dev=/dev/uringblk$1
	dd if="$DATA" of="$dev" bs=1M oflag=direct conv=notrunc status=none &&
		dd if="$dev" bs=1M count=16 iflag=direct status=none | cmp -s - "$DATA" ||
		fail "16 MiB round trip on $dev"
}

# The default drive (queue_mode=auto, nothing that needs blk-mq) is
# bio-based: no hardware queues, nothing to poll.
t_defaults() {
	ub_unload && ub_load || return
	check_devices 1 $GIB16_SECTORS 512 || return
	expect_eq "queue_mode parameter" auto "$(param queue_mode)" || return
	expect_eq "the drive's queue_mode" bio "$(</sys/block/uringblk0/uringblk/queue_mode)" || return
	[[ ! -e /sys/block/uringblk0/mq ]] || fail "a bio drive has an mq directory" || return
	expect_eq "io_poll" 0 "$(</sys/block/uringblk0/queue/io_poll)" || return
	roundtrip 0 0 && roundtrip 0 $((16 * 1024 * 1024 / 4 - 1))
}

# The module's version is the release's (the tree's VERSION file: this
# program runs from the tree's out/selftests/uringblk/), in modinfo's
# field and the load message alike; so is whether it has the NVMe
# controller (modinfo's nvme_ctrl, which nvme_ctrl=1 must agree with).
t_version() {
	local want ctrl
	want=$(<../../../VERSION) || return
	ub_unload && ub_load || return
	expect_eq "/sys/module/uringblk/version" "$want" "$(</sys/module/uringblk/version)" || return
	expect_eq "modinfo -F version" "$want" "$(modinfo -F version "$URINGBLK_KO")" || return
	ctrl=$(modinfo -F nvme_ctrl "$URINGBLK_KO")
	[[ $ctrl == built || $ctrl == "not built ("*")" ]] ||
		{ fail "modinfo -F nvme_ctrl: '$ctrl'"; return; }
	dmesg | grep -qF "uringblk: loaded, ABI" || { fail "no load message"; return; }
	expect_eq "load message" "version $want, NVMe controller $ctrl" \
		"$(dmesg | grep -F "uringblk: loaded, ABI" | tail -1 | sed 's/.*, ABI [0-9.]*, //')" || return
	ub_unload || return
	if insmod "$URINGBLK_KO" nvme_ctrl=1 2> /dev/null; then
		expect_eq "nvme_ctrl=1 loads: modinfo -F nvme_ctrl" built "$ctrl"
	else
		expect_eq "nvme_ctrl=1 refused: modinfo -F nvme_ctrl" "not built" "${ctrl%% (*}"
	fi
}

# The defaults on blk-mq: a queue per CPU, the default poll queues and depth.
t_defaults_mq() {
	ub_unload && ub_load queue_mode=mq || return
	check_devices 1 $GIB16_SECTORS 512 || return
	expect_eq "the drive's queue_mode" mq "$(</sys/block/uringblk0/uringblk/queue_mode)" || return
	local hwq poll
	hwq=$(param nr_hw_queues) poll=$(param poll_queues)
	((hwq == 0)) && hwq=$(nproc)
	((poll > 0)) || fail "poll_queues default $poll: a blk-mq drive polls by default" || return
	expect_eq "mq directories" "$(ub_visible_queues "$hwq" "$poll")" "$(mq_count 0)" || return
	expect_eq "nr_tags" "$(param queue_depth)" "$(</sys/block/uringblk0/mq/0/nr_tags)" || return
	expect_eq "io_poll" 1 "$(</sys/block/uringblk0/queue/io_poll)" || return
	roundtrip 0 0 && roundtrip 0 $((16 * 1024 * 1024 / 4 - 1))
}

t_three_devices() {
	ub_unload && ub_load nr_devices=3 || return
	check_devices 3 $GIB16_SECTORS 512 || return
	roundtrip 0 && roundtrip 1 && roundtrip 2
}

t_block_size_4096() {
	ub_unload && ub_load block_size=4096 || return
	check_devices 1 $GIB16_SECTORS 4096 || return
	roundtrip 0
}

t_capacity_1mb() {
	ub_unload && ub_load capacity_mb=1 || return
	check_devices 1 2048 512 || return
	roundtrip 0 255
}

t_queues_and_depth() {
	ub_unload && ub_load nr_hw_queues=4 queue_depth=8 || return
	expect_eq "mq directories" "$(ub_visible_queues 4 "$(param poll_queues)")" \
		"$(mq_count 0)" || return
	local q
	for q in /sys/block/uringblk0/mq/*; do
		expect_eq "$q/nr_tags" 8 "$(<"$q/nr_tags")" || return
	done
	roundtrip 0
}

# Read requests /sys/block/uringblk$1/stat has counted.
stat_reads() {
	local r
	read -r r _ < "/sys/block/uringblk$1/stat" && echo "$r"
}

# The block layer's I/O statistics: off by default (as brd), on with
# iostats=1 or per drive through queue/iostats; the driver's own
# read_ops counts either way.
t_iostats() {
	local r0 o0 i
	ub_unload && ub_load || return
	expect_eq "queue/iostats by default" 0 "$(</sys/block/uringblk0/queue/iostats)" || return
	r0=$(stat_reads 0) o0=$(ub_stat 0 read_ops)
	roundtrip 0 || return
	expect_eq "stat reads with iostats off" "$r0" "$(stat_reads 0)" || return
	expect_eq "read_ops with iostats off" $((o0 + 1)) "$(ub_stat 0 read_ops)" || return
	echo 1 > /sys/block/uringblk0/queue/iostats || fail "queue/iostats=1" || return
	roundtrip 0 || return
	expect_eq "stat reads after queue/iostats=1" $((r0 + 1)) "$(stat_reads 0)" || return
	ub_unload && ub_load iostats=1 nr_devices=2 || return
	for i in 0 1; do
		expect_eq "uringblk$i queue/iostats with iostats=1" 1 \
			"$(</sys/block/uringblk$i/queue/iostats)" || return
	done
	r0=$(stat_reads 1)
	roundtrip 1 || return
	expect_eq "stat reads with iostats=1" $((r0 + 1)) "$(stat_reads 1)"
}

# nr_devices=0 is valid (devices can be created in configfs later): the
# module loads with no device at all and unloads cleanly.
t_zero_devices() {
	ub_unload || return
	insmod "$URINGBLK_KO" nr_devices=0 || { fail "insmod nr_devices=0"; return 1; }
	rm -f "$UB_MARKER"
	sleep 0.2
	if compgen -G "/dev/uringblk*" > /dev/null || compgen -G "/sys/block/uringblk*" > /dev/null; then
		fail "devices exist with nr_devices=0:" $(ls -d /dev/uringblk* /sys/block/uringblk* 2>/dev/null)
		return 1
	fi
	ub_unload || fail "rmmod"
}

# A device made and removed at runtime through configfs: its parameters
# show in sysfs, it moves data, changes are refused while it is powered,
# and the configfs item pins the module.
t_configfs() {
	local cfg=/sys/kernel/config/uringblk d idx rc=0
	ub_unload || return
	insmod "$URINGBLK_KO" nr_devices=0 || { fail "insmod nr_devices=0"; return 1; }
	if [[ ! -d $cfg ]]; then
		mountpoint -q /sys/kernel/config ||
			mount -t configfs configfs /sys/kernel/config 2>/dev/null
	fi
	if [[ ! -d $cfg ]]; then
		skip "$cfg does not exist (no runtime device creation)"
		return
	fi
	d=$cfg/selftest
	rmdir "$d" 2>/dev/null
	check "mkdir $d" mkdir "$d" || return
	echo 64 > "$d/capacity_mb" && echo 4096 > "$d/block_size" &&
		echo 2 > "$d/nr_hw_queues" && echo 0 > "$d/poll_queues" &&
		echo 16 > "$d/queue_depth" || { fail "setting attributes"; rmdir "$d"; return 1; }
	expect_eq "index before power-on" -1 "$(<"$d/index")" || rc=1
	check "power on" sh -c "echo 1 > $d/power" || { rmdir "$d"; return 1; }
	idx=$(<"$d/index")
	expect_eq "power" 1 "$(<"$d/power")" || rc=1
	check "/dev/uringblk$idx" test -b "/dev/uringblk$idx" -a -c "/dev/uringblkc$idx" || rc=1
	expect_eq "size" $((64 * 2048)) "$(</sys/block/uringblk$idx/size)" || rc=1
	expect_eq "logical_block_size" 4096 \
		"$(</sys/block/uringblk$idx/queue/logical_block_size)" || rc=1
	expect_eq "nr_tags" 16 "$(</sys/block/uringblk$idx/mq/0/nr_tags)" || rc=1
	expect_eq "io_poll" 0 "$(</sys/block/uringblk$idx/queue/io_poll)" || rc=1
	roundtrip "$idx" 3 || rc=1
	if (echo 128 > "$d/capacity_mb") 2>/dev/null; then
		fail "capacity_mb changed while powered"
		rc=1
	fi
	if rmmod uringblk 2>/dev/null; then
		fail "rmmod succeeded with a configfs item"
		return 1
	fi
	check "power off" sh -c "echo 0 > $d/power" || rc=1
	[[ ! -e /dev/uringblk$idx && ! -e /sys/block/uringblk$idx ]] ||
		{ fail "device left after power=0"; rc=1; }
	expect_eq "index after power-off" -1 "$(<"$d/index")" || rc=1
	check "rmdir" rmdir "$d" || rc=1
	ub_unload || { fail "rmmod after rmdir"; rc=1; }
	return $rc
}

# Create configfs device $1 with attributes "$2" (k=v ...) and power it
# on; its index is left in CFS_IDX (no subshell: forks are slow here).
cfs_create() {
	local d=$1 attrs=$2 kv
	CFS_IDX=
	mkdir "$d" || return
	for kv in $attrs; do
		echo "${kv#*=}" > "$d/${kv%%=*}" || return
	done
	echo 1 > "$d/power" || return
	read -r CFS_IDX < "$d/index"
}

# MemAvailable in KiB.
mem_available() {
	local k v u
	while read -r k v u; do
		[[ $k == MemAvailable: ]] && { echo "$v"; return; }
	done < /proc/meminfo
}

# Remove a configfs device while fio hammers it: power=0 must finish
# (in-flight I/O drains or fails), nothing may crash or warn, and the
# module unloads afterwards.
t_configfs_remove_under_io() {
	local d=/sys/kernel/config/uringblk/busy idx pid before log i rc=0
	command -v fio > /dev/null || { skip "fio not installed"; return; }
	ub_unload || return
	insmod "$URINGBLK_KO" nr_devices=0 || return
	ub_configfs || { skip "no configfs interface"; ub_unload; return; }
	cfs_create "$d" "capacity_mb=256 nr_hw_queues=2 poll_queues=1" ||
		{ fail "creating the device"; return 1; }
	idx=$CFS_IDX
	before=$(dmesg | wc -l)
	log=$(mktemp)
	# allow_file_create=0: fio must never leave a regular file in /dev.
	fio --name=busy --filename="/dev/uringblk$idx" --ioengine=io_uring --direct=1 \
		--rw=randrw --bs=4k --iodepth=32 --numjobs=2 --time_based --runtime=120 \
		--size=256m --allow_file_create=0 > "$log" 2>&1 &
	pid=$!
	# Remove only once I/O is really flowing (fio starts slowly in TCG).
	for ((i = 0; i < 300; i++)); do
		(($(ub_stat "$idx" write_ops) > 1000)) && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	if ! kill -0 $pid 2>/dev/null || (($(ub_stat "$idx" write_ops) <= 1000)); then
		cat "$log"
		fail "fio did not get going"
		kill $pid 2>/dev/null
		wait $pid
		rm -f "$log"
		return 1
	fi
	if ! timeout 60 sh -c "echo 0 > $d/power"; then
		fail "power=0 under I/O failed or hung"
		rc=1
	fi
	# fio sees its device vanish; it must end by itself, with errors.
	for ((i = 0; i < 60; i++)); do kill -0 $pid 2>/dev/null || break; sleep 1; done
	if kill -0 $pid 2>/dev/null; then
		fail "fio still running 60 s after the device was removed"
		kill -9 $pid
		rc=1
	fi
	wait $pid
	echo "fio exited with $? after the removal"
	rm -f "$log"
	[[ ! -e /dev/uringblk$idx ]] || { fail "/dev/uringblk$idx still exists"; rc=1; }
	rmdir "$d" || rc=1
	ub_dmesg_clean "$before" || rc=1
	ub_unload || { fail "rmmod after the removal"; rc=1; }
	return $rc
}

# Remove a configfs device while its block device is held open: the open
# file then fails I/O instead of crashing, and closing it releases all.
t_configfs_remove_while_open() {
	local d=/sys/kernel/config/uringblk/held idx before rc=0
	ub_unload || return
	insmod "$URINGBLK_KO" nr_devices=0 || return
	ub_configfs || { skip "no configfs interface"; ub_unload; return; }
	cfs_create "$d" "capacity_mb=64" || { fail "creating the device"; return 1; }
	idx=$CFS_IDX
	roundtrip "$idx" 1 || rc=1
	before=$(dmesg | wc -l)
	exec 3<>"/dev/uringblk$idx" 4<>"/dev/uringblkc$idx"
	timeout 60 sh -c "echo 0 > $d/power" || { fail "power=0 with the device open"; rc=1; }
	[[ ! -e /dev/uringblk$idx ]] || { fail "/dev/uringblk$idx still exists"; rc=1; }
	# Through the held file itself (stdin), away from the partition-scan
	# sectors the page cache may still hold.
	if dd of=/dev/null bs=4096 count=1 skip=100 iflag=direct status=none <&3 2>/dev/null; then
		fail "read from a removed device succeeded"
		rc=1
	fi
	if rmmod uringblk 2>/dev/null; then
		fail "rmmod succeeded with files and a configfs item open"
		return 1
	fi
	exec 3<&- 4<&-
	rmdir "$d" || rc=1
	ub_dmesg_clean "$before" || rc=1
	ub_unload || { fail "rmmod after close"; rc=1; }
	return $rc
}

# 10 create/remove cycles in configfs with 16 MiB of data each time.
t_configfs_cycles() {
	local d=/sys/kernel/config/uringblk/cycle i avail0 avail1 rc=0
	ub_unload || return
	insmod "$URINGBLK_KO" nr_devices=0 || return
	ub_configfs || { skip "no configfs interface"; ub_unload; return; }
	avail0=$(mem_available)
	for ((i = 1; i <= 10; i++)); do
		cfs_create "$d" "capacity_mb=128 block_size=$((i % 2 ? 512 : 4096))" ||
			{ fail "cycle $i: create"; rc=1; break; }
		data_roundtrip "$CFS_IDX" || rc=1
		echo 0 > "$d/power" && rmdir "$d" || { fail "cycle $i: remove"; rc=1; break; }
		[[ ! -e /dev/uringblk$CFS_IDX ]] || { fail "cycle $i: node left"; rc=1; break; }
	done
	sleep 1
	avail1=$(mem_available)
	# 160 MiB written in all; a leak of the data would show.
	if ((avail0 - avail1 > 64 * 1024)); then
		fail "MemAvailable fell by $(((avail0 - avail1) / 1024)) MiB over 10 cycles"
		rc=1
	fi
	ub_unload || rc=1
	return $rc
}

# The largest nr_devices loads; one more device in configfs is refused
# cleanly and leaves nothing behind.
t_max_devices() {
	local d=/sys/kernel/config/uringblk/extra max=64 rc=0
	ub_unload && ub_load nr_devices=$max capacity_mb=16 || return
	[[ -b /dev/uringblk$((max - 1)) && -c /dev/uringblkc$((max - 1)) ]] ||
		{ fail "device $((max - 1)) missing"; rc=1; }
	roundtrip $((max - 1)) || rc=1
	if ub_configfs; then
		mkdir "$d" || return
		if (echo 1 > "$d/power") 2>/dev/null; then
			fail "a device beyond $max was created"
			echo 0 > "$d/power"
			rc=1
		fi
		expect_eq "power after a refused power-on" 0 "$(<"$d/power")" || rc=1
		[[ ! -e /dev/uringblk$max ]] || { fail "/dev/uringblk$max exists"; rc=1; }
		rmdir "$d" || rc=1
	fi
	ub_unload || rc=1
	return $rc
}

t_poll_queues() {
	ub_unload && ub_load poll_queues=1 nr_hw_queues=1 || return
	expect_eq "io_poll with poll_queues=1" 1 "$(</sys/block/uringblk0/queue/io_poll)" || return
	expect_eq "mq directories" 2 "$(mq_count 0)" || return
	ub_unload && ub_load poll_queues=0 nr_hw_queues=1 || return
	expect_eq "io_poll with poll_queues=0" 0 "$(</sys/block/uringblk0/queue/io_poll)" || return
	expect_eq "mq directories" 1 "$(mq_count 0)"
}

# insmod with a bad parameter must fail with EINVAL, create nothing, and
# say in the kernel log which parameter was wrong.
t_invalid_params() {
	local bad=(
		"block_size=1000" "block_size=0" "block_size=8192" "block_size=abc"
		"capacity_mb=0" "capacity_mb=999999999999"
		"nr_devices=65" "nr_devices=100000"
		"nr_hw_queues=100000" "queue_depth=0" "queue_depth=1000000"
		"poll_queues=100000" "backing=file" "queue_mode=blk"
	)
	local p name before out rc=0
	ub_unload || return
	for p in "${bad[@]}"; do
		name=${p%%=*}
		before=$(dmesg | wc -l)
		if out=$(insmod "$URINGBLK_KO" "$p" 2>&1); then
			fail "insmod $p succeeded"
			ub_unload
			rc=1
			continue
		fi
		# kmod prints strerror(EINVAL) as "Invalid argument" or, for
		# kernel parameter parsing errors, "Invalid parameters".
		if ! grep -qE 'Invalid (argument|parameters)' <<<"$out"; then
			fail "insmod $p: expected EINVAL, got: $out"
			rc=1
		fi
		if ub_loaded || [[ -e /dev/uringblk0 || -e /dev/uringblkc0 ]]; then
			fail "insmod $p failed but left the module or nodes behind"
			rc=1
		fi
		if ! dmesg | tail -n +"$((before + 1))" | grep -q "$name"; then
			fail "insmod $p: kernel log does not name '$name':"
			dmesg | tail -n +"$((before + 1))"
			rc=1
		fi
	done
	# And a good load still works after all that.
	ub_load capacity_mb=64 && roundtrip 0 || rc=1
	return $rc
}

# $1: node to hold open.  rmmod must refuse, the device must keep working.
rmmod_while_open() {
	local node=$1 out rc=0
	ub_unload && ub_load capacity_mb=64 || return
	exec 3<"$node" || return
	if out=$(rmmod uringblk 2>&1); then
		fail "rmmod succeeded while $node was open"
		exec 3<&-
		return 1
	fi
	grep -q "in use" <<<"$out" || { fail "rmmod said: $out"; rc=1; }
	ub_loaded || { fail "module gone"; rc=1; }
	(($(</sys/module/uringblk/refcnt) >= 1)) || { fail "refcnt 0 while $node is open"; rc=1; }
	roundtrip 0 7 || rc=1
	exec 3<&-
	ub_unload || { fail "rmmod after close failed"; rc=1; }
	[[ ! -e /dev/uringblk0 && ! -e /dev/uringblkc0 ]] || { fail "nodes left"; rc=1; }
	return $rc
}

t_rmmod_block_open() {
	rmmod_while_open /dev/uringblk0
}

t_rmmod_cdev_open() {
	rmmod_while_open /dev/uringblkc0
}

# 20 load/unload cycles with data written each time: nothing left behind,
# the data's memory given back.
t_repeat_20() {
	local i avail0 avail1 params
	ub_unload || return
	avail0=$(mem_available)
	for ((i = 1; i <= 20; i++)); do
		case $((i % 3)) in
		0) params="capacity_mb=256" ;;
		1) params="capacity_mb=256 block_size=4096 nr_devices=2" ;;
		2) params="capacity_mb=256 nr_hw_queues=3 poll_queues=0" ;;
		esac
		# shellcheck disable=SC2086
		ub_load $params || { fail "cycle $i: load $params"; return 1; }
		data_roundtrip 0 || return
		ub_unload || { fail "cycle $i: unload"; return 1; }
		[[ ! -e /dev/uringblk0 && ! -e /sys/block/uringblk0 ]] ||
			{ fail "cycle $i: device left after unload"; return 1; }
	done
	sleep 1
	avail1=$(mem_available)
	# 20 x 16 MiB were written: leaking the data pages would cost 320 MiB.
	# Page allocator caches and fragmentation move MemAvailable by a few
	# tens of MiB over such a run without any leak, hence the margin.
	if ((avail0 - avail1 > 64 * 1024)); then
		fail "MemAvailable fell by $(((avail0 - avail1) / 1024)) MiB over 20 cycles"
		return 1
	fi
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run load_unload skip "$why"
	ktap_finish
fi

ktap_plan 19
ktap_run defaults t_defaults
ktap_run version t_version
ktap_run defaults_mq t_defaults_mq
ktap_run iostats t_iostats
ktap_run nr_devices_3 t_three_devices
ktap_run block_size_4096 t_block_size_4096
ktap_run capacity_mb_1 t_capacity_1mb
ktap_run nr_hw_queues_4_queue_depth_8 t_queues_and_depth
ktap_run poll_queues t_poll_queues
ktap_run invalid_params t_invalid_params
ktap_run nr_devices_0 t_zero_devices
ktap_run configfs_create_remove t_configfs
ktap_run configfs_remove_under_io t_configfs_remove_under_io
ktap_run configfs_remove_while_open t_configfs_remove_while_open
ktap_run configfs_10_cycles t_configfs_cycles
ktap_run max_devices t_max_devices
ktap_run rmmod_while_block_open t_rmmod_block_open
ktap_run rmmod_while_cdev_open t_rmmod_cdev_open
ktap_run load_unload_20x t_repeat_20
ub_unload
ktap_finish
