#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bio-based drive mode (queue_mode=bio, driver/bio.c) and the default
# mode, queue_mode=auto, which makes a drive bio-based unless it needs
# blk-mq: a drive made
# with insmod queue_mode=bio and one made in configfs are bio-based (no
# blk-mq directory, sysfs and identify say so); fio writes and verifies
# data through io_uring (crc32c, 4 KiB and 64 KiB, a mixed stress at queue
# depth 32) with the drive's counters exact; flush, FUA, discard and
# write-zeroes reach the drive and are counted; the latency histograms
# fill; EXEC reads through the backend what the block device wrote;
# fault injection fails exactly the chosen blocks, writes and flushes, and
# delays; io_data's checks pass on bio drives (memory and file, 512 and
# 4096 B blocks), and on blk-mq drives too, as nvme_passthru's and
# nvme_admin's do (the default run of each has bio drives); a file-backed
# bio drive verifies;
# polled I/O (fio --hipri) on a bio drive does what it does on brd
# (completes unpolled on 6.1, EOPNOTSUPP on 6.12); zones, a timing model and poll queues are refused with EINVAL
# and a message naming them; a drive is removed with I/O in flight (also
# while a delayed bio sleeps on the workqueue), and the module unloads
# clean.  queue_mode=auto: insmod and configfs drives resolve to bio or mq
# as documented (plain, zoned, timing, file backing, poll queues, queue
# geometry, forced mq/bio), sysfs, configfs and identify say what the
# drive is, and a powered drive refuses a change with EBUSY.
#
# Needs root, fio with the io_uring engine and URINGBLK_KO.  Leaves the
# module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CLI=${URINGBLK_CLI:-}
[[ -z $CLI && -x ../../bin/uringblk ]] && CLI=$(realpath ../../bin/uringblk)
[[ -z $CLI ]] && CLI=$(command -v uringblk)
S=/sys/block/uringblk0/uringblk
F=/sys/block/uringblk0/fault
DEV=/dev/uringblk0

# fio_ok ARGS...: fio must exit 0 with no error and no verify failure.
fio_ok() {
	local out rc
	out=$(fio --output-format=normal "$@" 2>&1)
	rc=$?
	if ((rc != 0)) || grep -qE 'err= *[1-9]|verify: bad|fio: (pid|io_u) error' <<<"$out"; then
		echo "$out"
		fail "fio $* exited with $rc"
		return 1
	fi
	grep -E '^ *(write|read):' <<<"$out"
}

# dd one block: "ok", "EIO" or the error text.
dd_block() {	# read|write lba(4K)
	local err
	if [[ $1 == read ]]; then
		err=$(dd if=$DEV of=/dev/null bs=4k skip="$2" count=1 iflag=direct status=none 2>&1)
	else
		err=$(dd if=/dev/urandom of=$DEV bs=4k seek="$2" count=1 oflag=direct status=none 2>&1)
	fi
	if [[ -z $err ]]; then echo ok
	elif [[ $err == *"Input/output error"* ]]; then echo EIO
	else echo "$err"
	fi
}

t_identity() {
	ub_unload && ub_load queue_mode=bio capacity_mb=1024 || return
	expect_eq "sysfs queue_mode" bio "$(<$S/queue_mode)" || return
	[[ ! -e /sys/block/uringblk0/mq ]] || { fail "a bio drive has /sys/block/uringblk0/mq"; return 1; }
	expect_eq "module parameter queue_mode" bio "$(</sys/module/uringblk/parameters/queue_mode)" || return
	local info
	info=$("$CLI" info 0 --json) || { fail "uringblk info 0"; return 1; }
	grep -qE '"nr_hw_queues": 0[,}]' <<<"$info" || { echo "$info"; fail "identify nr_hw_queues not 0"; return 1; }
	# Polled I/O is not offered: no poll queues.
	expect_eq "queue/io_poll" 0 "$(</sys/block/uringblk0/queue/io_poll)"
}

t_verify() {
	ub_loaded || { ub_load queue_mode=bio capacity_mb=1024 || return; }
	echo 1 > $S/reset_stats
	URINGBLK_DEV=$DEV fio_ok fio/verify.fio --section=verify-4k --section=verify-64k || return
	URINGBLK_DEV=$DEV fio_ok fio/verify.fio --section=randrw || return
	URINGBLK_DEV=$DEV fio_ok fio/verify.fio --section=verify-batch || return
	expect_eq "errors counted" 0 "$(ub_stat 0 errors)" || return
	expect_eq "in_flight" 0 "$(ub_stat 0 in_flight)" || return
	(($(ub_stat 0 write_bytes) >= 320 << 20)) || fail "write_bytes $(ub_stat 0 write_bytes)" || return
	(($(ub_stat 0 read_bytes) >= 320 << 20)) || fail "read_bytes $(ub_stat 0 read_bytes)"
}

# Exact counts: 8 writes of 4 KiB, 3 reads of 8 KiB (dd, O_DIRECT).
t_counters() {
	ub_loaded || { ub_load queue_mode=bio capacity_mb=1024 || return; }
	echo 1 > $S/reset_stats
	echo 1 > $S/latency_enable
	dd if=/dev/urandom of=$DEV bs=4k count=8 oflag=direct status=none || return
	dd if=$DEV of=/dev/null bs=8k count=3 iflag=direct status=none || return
	expect_eq write_ops 8 "$(ub_stat 0 write_ops)" || return
	expect_eq write_bytes 32768 "$(ub_stat 0 write_bytes)" || return
	expect_eq read_ops 3 "$(ub_stat 0 read_ops)" || return
	expect_eq read_bytes 24576 "$(ub_stat 0 read_bytes)" || return
	expect_eq bytes_to_host 24576 "$(ub_stat 0 bytes_to_host)" || return
	local n
	n=$(awk '{ s += $3 } END { print s + 0 }' $S/latency_read)
	expect_eq "latency_read samples" 3 "$n" || return
	n=$(awk '{ s += $3 } END { print s + 0 }' $S/latency_write)
	expect_eq "latency_write samples" 8 "$n"
}

# Flush (fsync), FUA (O_DSYNC), discard and write-zeroes reach the drive.
t_flush_discard() {
	ub_loaded || { ub_load queue_mode=bio capacity_mb=1024 || return; }
	echo 1 > $S/reset_stats
	dd if=/dev/urandom of=$DEV bs=4k count=4 oflag=direct,dsync status=none || return
	(($(ub_stat 0 fua_ops) >= 4)) || fail "fua_ops $(ub_stat 0 fua_ops) after 4 O_DSYNC writes" || return
	dd if=/dev/urandom of=$DEV bs=4k count=1 seek=100 oflag=direct conv=fsync status=none || return
	(($(ub_stat 0 flush_ops) >= 1)) || fail "flush_ops $(ub_stat 0 flush_ops) after fsync" || return
	dd if=/dev/urandom of=$DEV bs=1M count=2 oflag=direct status=none || return
	blkdiscard -o 0 -l 1M $DEV || { fail "blkdiscard"; return 1; }
	blkdiscard -z -o 1M -l 1M $DEV || { fail "blkdiscard -z"; return 1; }
	expect_eq discard_ops 1 "$(ub_stat 0 discard_ops)" || return
	expect_eq discard_bytes 1048576 "$(ub_stat 0 discard_bytes)" || return
	(($(ub_stat 0 write_zeroes_ops) >= 1)) || fail "write_zeroes_ops $(ub_stat 0 write_zeroes_ops)" || return
	expect_eq "zeroes after discard + write-zeroes" 2097152 \
		"$(dd if=$DEV bs=1M count=2 iflag=direct status=none | tr -d '\0' | wc -c | awk '{ print 2097152 - $1 }')"
}

# EXEC reads, through the backend, what the block device wrote.
t_exec() {
	local obj=progs/count_pattern.bpf.o id out
	[[ -r $obj ]] || { skip "$obj not built"; return; }
	ub_loaded || { ub_load queue_mode=bio capacity_mb=1024 || return; }
	dd if=/dev/zero of=$DEV bs=4k count=16 oflag=direct status=none || return
	for lba in 1 5 9; do
		{ printf 'uringblk'; head -c 4088 /dev/zero; } |
			dd of=$DEV bs=4k seek=$lba oflag=direct status=none || return
	done
	id=$("$CLI" prog load 0 "$obj" | sed -nE 's/.*as program ([0-9]+).*/\1/p')
	[[ -n $id ]] || { fail "prog load"; return 1; }
	out=$("$CLI" exec 0 "$id" --lba 0 --count 128 --pattern uringblk --json) ||
		{ echo "$out"; fail "exec"; return 1; }
	expect_eq "patterns EXEC counted" 3 "$(sed -nE 's/.*"r0": ([0-9]+).*/\1/p' <<<"$out")" || return
	"$CLI" prog unload 0 "$id" > /dev/null
}

t_fault() {
	ub_loaded || { ub_load queue_mode=bio capacity_mb=1024 || return; }
	echo 1 > $F/clear
	echo 1 > $S/reset_stats
	dd if=/dev/urandom of=$DEV bs=4k count=64 oflag=direct status=none || return
	# LBAs are 512-byte blocks: 4 KiB blocks 10 and 11.
	echo read > $F/ops && echo 80 > $F/lba_start && echo 16 > $F/lba_count || return
	expect_eq "read 4k block 9" ok "$(dd_block read 9)" || return
	expect_eq "read 4k block 10" EIO "$(dd_block read 10)" || return
	expect_eq "read 4k block 11" EIO "$(dd_block read 11)" || return
	expect_eq "read 4k block 12" ok "$(dd_block read 12)" || return
	expect_eq "write 4k block 10 (reads only fail)" ok "$(dd_block write 10)" || return
	expect_eq faults_injected 2 "$(ub_stat 0 faults_injected)" || return
	expect_eq errors 2 "$(ub_stat 0 errors)" || return
	echo write > $F/ops || return
	expect_eq "write 4k block 10" EIO "$(dd_block write 10)" || return
	expect_eq "read 4k block 10 (writes only fail)" ok "$(dd_block read 10)" || return
	echo flush > $F/ops || return
	dd if=/dev/zero of=$DEV bs=4k count=1 seek=200 conv=fsync status=none 2>/dev/null &&
		{ fail "fsync succeeded with flush faults"; return 1; }
	echo 1 > $F/clear
	echo 300000 > $F/delay_us || return
	local t0=$EPOCHREALTIME t1
	expect_eq "delayed read" ok "$(dd_block read 3)" || return
	t1=$EPOCHREALTIME
	(( ${t1/./} - ${t0/./} >= 300000 )) || fail "the delayed read took under 300 ms" || return
	(($(ub_stat 0 delays_injected) >= 1)) || fail "delays_injected $(ub_stat 0 delays_injected)" || return
	echo 1 > $F/clear
	expect_eq "read 4k block 10 after clear" ok "$(dd_block read 10)"
}

# io_data (partial pages, every offset, both block sizes, memory and file)
# on bio drives: the same test program, loading with queue_mode=bio added
# (its own run has bio drives for memory, blk-mq ones for files: auto).
t_io_data() {
	[[ -x ./io_data ]] || { skip "io_data not built"; return; }
	ub_unload || return
	URINGBLK_TEST_EXTRA_PARAMS=queue_mode=bio ./io_data > /tmp/ub-bio-io_data.log 2>&1 ||
		{ cat /tmp/ub-bio-io_data.log; fail "io_data with queue_mode=bio"; return 1; }
	grep -E '^# Totals' /tmp/ub-bio-io_data.log
	# It really ran on bio drives: the module it left loaded is in bio mode.
	expect_eq "queue_mode io_data loaded" bio "$(</sys/module/uringblk/parameters/queue_mode)"
}

# The NVMe front end's Read/Write/Flush are bios on the drive's disk: the
# same on either kind of drive.  nvme_passthru's and nvme_admin's own runs
# have the default, bio drives; here the blk-mq ones (loading with
# queue_mode=mq added).
t_nvme() {
	local t

	for t in nvme_passthru nvme_admin; do
		[[ -x ./$t ]] || { skip "$t not built"; return; }
		ub_unload || return
		URINGBLK_TEST_EXTRA_PARAMS=queue_mode=mq ./$t > /tmp/ub-mq-nvme.log 2>&1 ||
			{ cat /tmp/ub-mq-nvme.log; fail "$t with queue_mode=mq"; return 1; }
		grep -E '^# Totals' /tmp/ub-mq-nvme.log
		expect_eq "queue_mode $t loaded" mq "$(</sys/module/uringblk/parameters/queue_mode)" ||
			return 1
		expect_eq "the drive $t left" mq "$(<$S/queue_mode)" || return 1
	done
}

# io_data's memory drives on blk-mq: its own run has bio ones (auto).
t_io_data_mq() {
	[[ -x ./io_data ]] || { skip "io_data not built"; return; }
	ub_unload || return
	URINGBLK_TEST_EXTRA_PARAMS=queue_mode=mq ./io_data > /tmp/ub-mq-io_data.log 2>&1 ||
		{ cat /tmp/ub-mq-io_data.log; fail "io_data with queue_mode=mq"; return 1; }
	grep -E '^# Totals' /tmp/ub-mq-io_data.log
	expect_eq "queue_mode io_data loaded" mq "$(</sys/module/uringblk/parameters/queue_mode)"
}

# Polled I/O (IORING_SETUP_IOPOLL, fio --hipri) on a bio drive behaves
# as on brd, the kernel's bio-based RAM disk, in the same guest.  Neither
# claims polling (queue/io_poll 0: their bios complete inside
# submit_bio(), there is nothing to poll).  Linux 6.1's block layer clears
# REQ_POLLED on such a queue and the bio completes as any other (io_uring's
# poll loop finds it done); 6.12's ends it with BLK_STS_NOTSUPP before the
# driver sees it (block/blk-core.c, submit_bio_noacct()): fio fails with
# EOPNOTSUPP on both, and the drive counts nothing.
t_hipri() {
	local out rc ref refrc
	ub_unload && ub_load capacity_mb=1024 || return
	expect_eq "sysfs queue_mode" bio "$(<$S/queue_mode)" || return
	expect_eq "queue/io_poll" 0 "$(</sys/block/uringblk0/queue/io_poll)" || return
	[[ -e /sys/module/brd ]] && { skip "brd is loaded already"; return; }
	modprobe brd rd_nr=1 rd_size=$((1024 * 1024)) 2>/dev/null || { skip "no brd module"; return; }
	expect_eq "brd's queue/io_poll" 0 "$(</sys/block/ram0/queue/io_poll)" || { rmmod brd; return 1; }
	ref=$(URINGBLK_DEV=/dev/ram0 fio --output-format=normal fio/hipri.fio 2>&1)
	refrc=$?
	rmmod brd
	echo "brd: fio exited with $refrc"
	echo 1 > $S/reset_stats
	if ((refrc == 0)); then
		URINGBLK_DEV=$DEV fio_ok fio/hipri.fio || return
		(($(ub_stat 0 write_bytes) >= 128 << 20)) || fail "write_bytes $(ub_stat 0 write_bytes)"
	else
		grep -q "Operation not supported" <<<"$ref" ||
			{ echo "$ref"; fail "fio --hipri on brd failed, not with EOPNOTSUPP"; return 1; }
		out=$(URINGBLK_DEV=$DEV fio --output-format=normal fio/hipri.fio 2>&1)
		rc=$?
		((rc != 0)) && grep -q "Operation not supported" <<<"$out" ||
			{ echo "$out"; fail "fio --hipri: brd refused it (EOPNOTSUPP), uringblk exited $rc"; return 1; }
		expect_eq "write_bytes" 0 "$(ub_stat 0 write_bytes)" || return
	fi
	expect_eq "errors counted" 0 "$(ub_stat 0 errors)" || return
	expect_eq "in_flight" 0 "$(ub_stat 0 in_flight)" || return
}

# auto_case EXPECTED PARAMS...: insmod with PARAMS makes a drive of mode
# EXPECTED (mq or bio), and sysfs, the mq directory, io_poll and identify
# all agree with it.
auto_case() {
	local want=$1 info poll
	shift
	ub_unload && ub_load "$@" || { fail "insmod $*"; return 1; }
	echo "insmod $*: $(<$S/queue_mode)"
	expect_eq "queue_mode of '$*'" "$want" "$(<$S/queue_mode)" || return
	info=$("$CLI" info 0 --json) || { fail "uringblk info 0"; return 1; }
	if [[ $want == bio ]]; then
		[[ ! -e /sys/block/uringblk0/mq ]] || { fail "$*: a bio drive has mq/"; return 1; }
		expect_eq "io_poll of '$*'" 0 "$(</sys/block/uringblk0/queue/io_poll)" || return
		grep -qE '"nr_hw_queues": 0[,}]' <<<"$info" ||
			{ echo "$info"; fail "$*: identify nr_hw_queues not 0"; return 1; }
	else
		[[ -d /sys/block/uringblk0/mq ]] || { fail "$*: a blk-mq drive without mq/"; return 1; }
		grep -qE '"nr_hw_queues": [1-9]' <<<"$info" ||
			{ echo "$info"; fail "$*: identify nr_hw_queues 0"; return 1; }
		# poll queues as given, else the default (1)
		poll=1
		[[ " $* " =~ \ poll_queues=([0-9]+)\  ]] && poll=${BASH_REMATCH[1]}
		expect_eq "io_poll of '$*'" $((poll > 0)) "$(</sys/block/uringblk0/queue/io_poll)" || return
	fi
	# identify's feature list names bio exactly on a bio drive
	if grep -qE '"feature_names": \[[^]]*"bio"' <<<"$info"; then
		[[ $want == bio ]] || { echo "$info"; fail "$*: identify says bio"; return 1; }
	else
		[[ $want == mq ]] || { echo "$info"; fail "$*: identify does not say bio"; return 1; }
	fi
}

# queue_mode=auto at insmod: bio unless the drive needs blk-mq.
t_auto_insmod() {
	local img=/tmp/ub-auto.img rc=0
	auto_case bio capacity_mb=64 || rc=1
	expect_eq "queue_mode parameter" auto "$(</sys/module/uringblk/parameters/queue_mode)" || rc=1
	auto_case bio capacity_mb=64 queue_mode=auto || rc=1
	auto_case bio capacity_mb=64 poll_queues=0 || rc=1
	auto_case mq capacity_mb=64 zoned=1 zone_size_mb=8 || rc=1
	auto_case mq capacity_mb=64 timing=csd-gen3 || rc=1
	auto_case mq capacity_mb=64 poll_queues=1 || rc=1
	auto_case mq capacity_mb=64 poll_queues=2 || rc=1
	auto_case mq capacity_mb=64 nr_hw_queues=2 poll_queues=0 || rc=1
	auto_case mq capacity_mb=64 queue_depth=16 || rc=1
	truncate -s 64M $img
	auto_case mq capacity_mb=64 backing=file path=$img || rc=1
	auto_case bio capacity_mb=64 backing=file path=$img queue_mode=bio || rc=1
	rm -f $img
	auto_case mq capacity_mb=64 queue_mode=mq || rc=1
	auto_case mq capacity_mb=64 queue_mode=mq poll_queues=0 || rc=1
	auto_case bio capacity_mb=64 queue_mode=bio || rc=1
	# nr_devices=2: the second drive resolves as the first
	auto_case bio capacity_mb=64 block_size=4096 nr_devices=2 || rc=1
	expect_eq "uringblk1's queue_mode" bio "$(</sys/block/uringblk1/uringblk/queue_mode)" || rc=1
	ub_unload
	return $rc
}

# queue_mode=auto in configfs: "auto" until power-on, then what the drive
# is; the drive decides again at each power-on; a powered drive refuses a
# change (EBUSY), and after power-off a timing model makes it blk-mq.
t_auto_configfs() {
	local c=$UB_CFS/a idx err rc=0
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 && ub_configfs || return
	mkdir $c || return
	expect_eq "configfs queue_mode before power-on" auto "$(<$c/queue_mode)" || rc=1
	echo 64 > $c/capacity_mb && echo 1 > $c/power || { cat $c/error; fail "power on"; return 1; }
	idx=$(<$c/index)
	expect_eq "configfs queue_mode, powered" bio "$(<$c/queue_mode)" || rc=1
	expect_eq "configfs poll_queues, powered bio" 0 "$(<$c/poll_queues)" || rc=1
	expect_eq "sysfs queue_mode" bio "$(</sys/block/uringblk$idx/uringblk/queue_mode)" || rc=1
	# A live drive takes no change: a timing model neither.
	err=$( { echo csd-gen3 > $c/timing; } 2>&1)
	[[ $err == *"Device or resource busy"* ]] || { fail "timing on a powered drive: '$err'"; rc=1; }
	grep -q "write 0 to power" $c/error || { fail "error: '$(<$c/error)'"; rc=1; }
	expect_eq "queue_mode after the refusal" bio "$(<$c/queue_mode)" || rc=1
	echo 0 > $c/power || rc=1
	expect_eq "configfs queue_mode, off again" auto "$(<$c/queue_mode)" || rc=1
	echo csd-gen3 > $c/timing && echo 1 > $c/power || { cat $c/error; fail "power on with timing"; return 1; }
	idx=$(<$c/index)
	expect_eq "configfs queue_mode with timing" mq "$(<$c/queue_mode)" || rc=1
	expect_eq "configfs poll_queues with timing" 1 "$(<$c/poll_queues)" || rc=1
	expect_eq "sysfs queue_mode with timing" mq "$(</sys/block/uringblk$idx/uringblk/queue_mode)" || rc=1
	expect_eq "io_poll with timing" 1 "$(</sys/block/uringblk$idx/queue/io_poll)" || rc=1
	ub_rmdev a || rc=1
	# poll queues written: blk-mq with them
	ub_mkdev p capacity_mb=64 poll_queues=2 || { cat $UB_CFS/p/error; fail "poll_queues=2"; return 1; }
	expect_eq "configfs queue_mode with poll_queues=2" mq "$(<$UB_CFS/p/queue_mode)" || rc=1
	expect_eq "configfs poll_queues=2" 2 "$(<$UB_CFS/p/poll_queues)" || rc=1
	ub_rmdev p || rc=1
	# zoned: blk-mq
	ub_mkdev z capacity_mb=64 zoned=1 zone_size_mb=8 || { cat $UB_CFS/z/error; fail "zoned"; return 1; }
	expect_eq "configfs queue_mode zoned" mq "$(<$UB_CFS/z/queue_mode)" || rc=1
	ub_rmdev z || rc=1
	# queue_mode=bio with poll_queues never written: no poll queues
	ub_mkdev b capacity_mb=64 queue_mode=bio || { cat $UB_CFS/b/error; fail "bio"; return 1; }
	expect_eq "configfs queue_mode bio" bio "$(<$UB_CFS/b/queue_mode)" || rc=1
	expect_eq "configfs poll_queues bio" 0 "$(<$UB_CFS/b/poll_queues)" || rc=1
	ub_rmdev b || rc=1
	ub_unload
	return $rc
}


# A file-backed bio drive (all its I/O on the workqueue), in configfs.
t_file() {
	local img=/tmp/ub-bio-file.img idx
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 && ub_configfs || return
	truncate -s 128M $img
	ub_mkdev bfile queue_mode=bio poll_queues=0 backing=file path=$img capacity_mb=128 ||
		{ cat $UB_CFS/bfile/error; fail "file-backed bio drive"; return 1; }
	idx=$(<$UB_CFS/bfile/index)
	expect_eq "sysfs queue_mode" bio "$(</sys/block/uringblk$idx/uringblk/queue_mode)" || return
	fio_ok --name=fv --filename=/dev/uringblk$idx --ioengine=io_uring --direct=1 \
		--rw=randwrite --bs=4k --size=32m --iodepth=16 --verify=crc32c \
		--verify_fatal=1 --randseed=7 || return
	expect_eq errors 0 "$(ub_stat "$idx" errors)" || return
	ub_rmdev bfile || return
	rm -f $img
}

# refuse NAME KEY=VALUE...: a bio configfs drive with these is EINVAL at
# power-on, its "error" naming $2's key.
refuse() {
	local name=$1 kv err rc=0
	shift
	mkdir "$UB_CFS/$name" || return 1
	echo bio > "$UB_CFS/$name/queue_mode"
	echo 0 > "$UB_CFS/$name/poll_queues"
	for kv; do
		echo "${kv#*=}" > "$UB_CFS/$name/${kv%%=*}" || { fail "setting $kv"; rc=1; }
	done
	err=$( { echo 1 > "$UB_CFS/$name/power"; } 2>&1)
	[[ $err == *"Invalid argument"* ]] || { fail "$*: power-on gave '$err', not EINVAL"; rc=1; }
	kv=$1
	grep -q "${kv%%=*}" "$UB_CFS/$name/error" ||
		{ fail "error '$(<"$UB_CFS/$name/error")' does not name ${kv%%=*}"; rc=1; }
	echo "$*: $(<"$UB_CFS/$name/error")"
	rmdir "$UB_CFS/$name"
	return $rc
}

t_refusals() {
	local rc=0 err
	ub_unload || return
	insmod "$URINGBLK_KO" nr_devices=0 && ub_configfs || return
	refuse z zoned=1 || rc=1
	refuse t timing=csd-gen3 || rc=1
	refuse p poll_queues=1 || rc=1
	mkdir $UB_CFS/q
	err=$( { echo blk > $UB_CFS/q/queue_mode; } 2>&1)
	[[ $err == *"Invalid argument"* ]] || { fail "queue_mode=blk gave '$err'"; rc=1; }
	grep -q 'unknown queue mode (available: auto, mq, bio)' $UB_CFS/q/error ||
		{ fail "queue_mode=blk: error '$(<$UB_CFS/q/error)'"; rc=1; }
	expect_eq "queue_mode after a refused write" auto "$(<$UB_CFS/q/queue_mode)" || rc=1
	rmdir $UB_CFS/q
	ub_unload || return
	for p in "zoned=1" "poll_queues=1" "timing=csd-gen3" "queue_mode=blk"; do
		# shellcheck disable=SC2086
		if insmod "$URINGBLK_KO" queue_mode=bio $p 2>/dev/null; then
			fail "insmod queue_mode=bio $p loaded"
			rc=1
			ub_unload
		fi
	done
	return $rc
}

# Removal under load: fio on a configfs bio drive, and a dd whose bio
# sleeps on the workqueue (an injected delay), both while power goes to 0.
t_removal() {
	local idx pid pid2 rc=0 before
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 && ub_configfs || return
	before=$(dmesg | wc -l)
	ub_mkdev busy queue_mode=bio poll_queues=0 capacity_mb=256 ||
		{ cat $UB_CFS/busy/error; fail "bio drive"; return 1; }
	idx=$(<$UB_CFS/busy/index)
	fio --name=r --filename=/dev/uringblk$idx --ioengine=io_uring --direct=1 \
		--rw=randrw --bs=4k --iodepth=32 --numjobs=2 --time_based --runtime=30 \
		> /dev/null 2>&1 &
	pid=$!
	echo 1000000 > /sys/block/uringblk$idx/fault/delay_us
	dd if=/dev/uringblk$idx of=/dev/null bs=4k count=50 iflag=direct status=none 2>/dev/null &
	pid2=$!
	ub_wait_stat "$idx" in_flight || rc=1
	timeout 60 bash -c "echo 0 > $UB_CFS/busy/power" || { fail "power off under load"; rc=1; }
	timeout 60 bash -c "while kill -0 $pid 2>/dev/null || kill -0 $pid2 2>/dev/null; do sleep 0.2; done" ||
		{ fail "fio or dd still running 60 s after the removal"; kill -9 $pid $pid2; rc=1; }
	wait $pid $pid2
	rmdir $UB_CFS/busy
	ub_dmesg_clean "$before" || rc=1
	ub_unload || { fail "module does not unload"; rc=1; }
	return $rc
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run bio_mode skip "$why"
	ktap_finish
fi
if ! command -v fio > /dev/null || ! fio --enghelp=io_uring > /dev/null 2>&1; then
	ktap_plan 1
	ktap_run bio_mode skip "fio with the io_uring engine is not installed"
	ktap_finish
fi

ktap_plan 15
ktap_run bio_identity t_identity
ktap_run bio_fio_verify t_verify
ktap_run bio_counters_latency t_counters
ktap_run bio_flush_fua_discard t_flush_discard
ktap_run bio_exec_reads_backend t_exec
ktap_run bio_fault_injection t_fault
ktap_run bio_io_data t_io_data
ktap_run mq_nvme_passthru t_nvme
ktap_run mq_io_data t_io_data_mq
ktap_run bio_hipri t_hipri
ktap_run auto_insmod t_auto_insmod
ktap_run auto_configfs t_auto_configfs
ktap_run bio_file_backed t_file
ktap_run bio_refusals t_refusals
ktap_run bio_removal_in_flight t_removal
ub_unload
ktap_finish
