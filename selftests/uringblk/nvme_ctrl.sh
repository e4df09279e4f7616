#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The drive as a controller of Linux's own NVMe driver (nvme_ctrl=1,
# driver/nvme_ctrl.c; Documentation/dev/nvme-controller.md), with the
# kernel's nodes and the unmodified tools (nvme-cli 2.3, fio):
#  - identity: /sys/class/nvme has the controller (transport uringblk,
#    address traddr=uringblk0, state live, serial, model, subsystem NQN);
#    nvme list, list -v and list-subsys show it as the drive's Identify says;
#  - nodes: /dev/ngXnY for NSIDs 1-3 (NVM, CP, SLM), a block device for the
#    NVM namespace only, of the drive's size; the kernel says why not for
#    the others (CSI 4 and 3);
#  - the same answers: Identify Controller, Identify Namespace of each
#    NSID, the namespace descriptors and the effects logs read by nvme-cli
#    through /dev/nvmeX are byte for byte those of /dev/uringblkc0;
#  - data: written through the controller's block device, read through
#    /dev/uringblk0, and back; fio verifies io_uring on the block device and
#    io_uring_cmd on the NVM namespace's generic node, by the fast path and
#    (nvme_fast=0) by bios the controller submits from its workqueue and
#    completes through the request; SLM's Memory Write and Read on its
#    generic node;
#  - a polled queue: the block device polls (io_poll 1), fio hipri verifies
#    through it (io_uring) and the generic node (io_uring_cmd);
#  - a controller reset (nvme reset) under fio on the block device and on
#    the generic node (passthrough, which nvme-core never retries): both
#    run through every reset and verify what they wrote, the controller is
#    live again, what was written before them stays; again with
#    nvme_fast=0, the resets meeting bios in flight;
#  - a zoned drive's controller: a host-managed block device of the
#    drive's zones (blkzone), fio zonemode=zbd verifies, the drive's own
#    write pointers moved;
#  - a KV drive's controller: no block device for its KV namespace (csi
#    1), Store and Retrieve by io-passthru on its generic node;
#  - rmmod with a node open is refused (in use), then unloads;
#  - a configfs drive with nvme_ctrl=1 removed under fio on its
#    controller's block device: fio stops with errors, nothing hangs, the
#    module unloads;
#  - nothing in dmesg (WARN, BUG, oops).
# Skips when the module was built without the controller (no nvme-core
# header: tools/nvme-src), or nvme-cli is missing.
#
# Needs root, fio, nvme-cli and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

TMP=/tmp/ub-nvme-ctrl

t_identity() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	ub_load_ctrl capacity_mb=64 || return
	local c=/sys/class/nvme/$UB_CTRL out v n1
	expect_eq transport uringblk "$(<$c/transport)" || return
	expect_eq state live "$(<$c/state)" || return
	read -r v < $c/serial; expect_eq serial uringblk0 "$v" || return
	read -r v < $c/model; expect_eq model "uringblk computational storage" "$v" || return
	expect_eq subsysnqn nqn.2014-08.org.uringblk:uringblk0 "$(<$c/subsysnqn)" || return
	# after nvme-core's scan (asynchronous): nvme list shows namespaces
	n1=$(ub_nvme_ns "$UB_CTRL" 1) || { fail "no NSID 1 of $UB_CTRL"; return; }
	out=$(nvme list 2>&1) || { echo "$out"; fail "nvme list"; return; }
	echo "$out" | sed 's/^/  /'
	grep -q "^/dev/$n1 .*uringblk0 .*uringblk computational storage" <<< "$out" ||
		{ fail "nvme list does not show the NVM namespace with the drive's serial and model"; return; }
	out=$(nvme list -v 2>&1) || { echo "$out"; fail "nvme list -v"; return; }
	grep -q "^$UB_CTRL .*uringblk0 .*uringblk traddr=uringblk0" <<< "$out" ||
		{ echo "$out"; fail "nvme list -v: no $UB_CTRL uringblk traddr=uringblk0"; return; }
	out=$(nvme list-subsys 2>&1) || { echo "$out"; fail "nvme list-subsys"; return; }
	grep -q "NQN=nqn.2014-08.org.uringblk:uringblk0" <<< "$out" &&
		grep -q "$UB_CTRL uringblk traddr=uringblk0 live" <<< "$out" ||
		{ echo "$out"; fail "nvme list-subsys"; return; }
}

t_nodes() {
	local dmesg0 n ng nsid size
	dmesg0=$(dmesg | wc -l)
	ub_load_ctrl capacity_mb=64 || return
	for nsid in 1 2 3; do
		n=$(ub_nvme_ns "$UB_CTRL" $nsid) && ng=$(ub_nvme_ng "$UB_CTRL" $nsid) ||
			{ fail "no namespace $nsid under $UB_CTRL"; return; }
		[[ -c $ng ]] || { fail "no $ng for NSID $nsid"; return; }
		if ((nsid == 1)); then
			[[ -b /dev/$n ]] || { fail "no block device /dev/$n for the NVM namespace"; return; }
			size=$(blockdev --getsize64 /dev/$n)
			expect_eq "/dev/$n size" $((64 << 20)) "$size" || return
		else
			[[ ! -e /dev/$n ]] || { fail "/dev/$n: a block device for NSID $nsid"; return; }
		fi
	done
	ub_dmesg_since "$dmesg0" | grep -q "block device for nsid 2 not supported (csi 4)" &&
		ub_dmesg_since "$dmesg0" | grep -q "block device for nsid 3 not supported (csi 3)" ||
		{ ub_dmesg_since "$dmesg0"; fail "the kernel did not say why NSIDs 2 and 3 have no block device"; }
}

# same NAME ARGS...: nvme-cli's binary answer through the controller and the
# command device, equal.
same() {
	local what=$1 a b
	shift
	a=$(nvme "$@" "/dev/$UB_CTRL" -o binary 2>&1 | od -v -An -tx1) || { fail "nvme $* /dev/$UB_CTRL"; return 1; }
	b=$(nvme "$@" /dev/uringblkc0 -o binary 2>&1 | od -v -An -tx1) || { fail "nvme $* /dev/uringblkc0"; return 1; }
	[[ -n $a && $a == "$b" ]] || { echo "  $UB_CTRL: ${a:0:200}"; echo "  uringblkc0: ${b:0:200}"; fail "$what differs"; return 1; }
	echo "  $what: equal ($(wc -w <<< "$a") bytes)"
}

t_same_answers() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	ub_load_ctrl capacity_mb=64 || return
	same "Identify Controller" id-ctrl || return
	for nsid in 1 2 3; do
		same "Identify Namespace $nsid" id-ns -n $nsid || return
		same "namespace $nsid's descriptors" ns-descs -n $nsid || return
	done
	same "effects log, NVM" effects-log --csi=0 || return
	same "effects log, CP" effects-log --csi=4 || return
	same "effects log, SLM" effects-log --csi=3 || return
}

t_data() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	ub_load_ctrl capacity_mb=64 slm_size_mb=16 || return
	local blk ng3 out
	blk=/dev/$(ub_nvme_ns "$UB_CTRL" 1) || { fail "no NVM namespace"; return; }
	rm -rf $TMP && mkdir -p $TMP
	head -c $((1 << 20)) /dev/urandom > $TMP/a
	dd if=$TMP/a of="$blk" bs=64k oflag=direct status=none || { fail "dd to $blk"; return; }
	cmp <(dd if=/dev/uringblk0 bs=64k count=16 iflag=direct status=none) $TMP/a ||
		{ fail "/dev/uringblk0 reads other data than written through $blk"; return; }
	head -c $((1 << 20)) /dev/urandom > $TMP/b
	dd if=$TMP/b of=/dev/uringblk0 bs=64k seek=32 oflag=direct status=none || { fail "dd to uringblk0"; return; }
	cmp <(dd if="$blk" bs=64k skip=32 count=16 iflag=direct status=none) $TMP/b ||
		{ fail "$blk reads other data than written through /dev/uringblk0"; return; }
	fio --name=blk --filename="$blk" --ioengine=io_uring --direct=1 --rw=randwrite \
		--bs=4k --iodepth=16 --size=16M --verify=crc32c --verify_fatal=1 \
		--output=$TMP/fio1 > /dev/null 2>&1 || { cat $TMP/fio1; fail "fio io_uring verify on $blk"; return; }
	fio --name=ng --filename="$(ub_nvme_ng "$UB_CTRL" 1)" --ioengine=io_uring_cmd --cmd_type=nvme \
		--rw=randwrite --bs=4k --iodepth=16 --offset=32M --size=16M --verify=crc32c \
		--verify_fatal=1 --output=$TMP/fio2 > /dev/null 2>&1 ||
		{ cat $TMP/fio2; fail "fio io_uring_cmd verify on $(ub_nvme_ng "$UB_CTRL" 1)"; return; }
	echo "  fio: io_uring $(grep -o 'IOPS=[^,]*' $TMP/fio1 | head -1), io_uring_cmd $(grep -o 'IOPS=[^,]*' $TMP/fio2 | head -1)"
	# The bio path: each Read and Write goes to the controller's workqueue,
	# which submits its bio and lets it complete through the request.
	echo 0 > /sys/module/uringblk/parameters/nvme_fast
	fio --name=blkbio --filename="$blk" --ioengine=io_uring --direct=1 --rw=randwrite \
		--bs=4k --iodepth=16 --offset=48M --size=8M --verify=crc32c --verify_fatal=1 \
		--output=$TMP/fio3 > /dev/null 2>&1 &&
	fio --name=ngbio --filename="$(ub_nvme_ng "$UB_CTRL" 1)" --ioengine=io_uring_cmd \
		--cmd_type=nvme --rw=randwrite --bs=4k --iodepth=16 --offset=56M --size=8M \
		--verify=crc32c --verify_fatal=1 --output=$TMP/fio4 > /dev/null 2>&1
	local rc=$?
	echo 1 > /sys/module/uringblk/parameters/nvme_fast
	((rc == 0)) || { cat $TMP/fio3 $TMP/fio4 2>/dev/null; fail "fio verify by bios (nvme_fast=0)"; return; }
	echo "  fio by bios: io_uring $(grep -o 'IOPS=[^,]*' $TMP/fio3 | head -1), io_uring_cmd $(grep -o 'IOPS=[^,]*' $TMP/fio4 | head -1)"
	# SLM's Memory Write (05h) and Read (02h) on its generic node
	ng3=$(ub_nvme_ng "$UB_CTRL" 3) || { fail "no SLM namespace"; return; }
	head -c 8192 /dev/urandom > $TMP/in
	out=$(nvme io-passthru "$ng3" --opcode=0x5 -n 3 --cdw10=8192 --cdw12=8192 \
		--data-len=8192 -w -i $TMP/in 2>&1) || { echo "$out"; fail "Memory Write on $ng3"; return; }
	nvme io-passthru "$ng3" --opcode=0x2 -n 3 --cdw10=8192 --cdw12=8192 --data-len=8192 \
		-r -b > $TMP/out 2> $TMP/err || { cat $TMP/err; fail "Memory Read on $ng3"; return; }
	cmp $TMP/in $TMP/out || { fail "Memory Read on $ng3 returned other data"; return; }
	# the same memory through the command device's node
	nvme io-passthru /dev/uringblkc0n3 --opcode=0x2 -n 3 --cdw10=8192 --cdw12=8192 \
		--data-len=8192 -r -b > $TMP/out2 2> $TMP/err || { cat $TMP/err; fail "Memory Read on uringblkc0n3"; return; }
	cmp $TMP/in $TMP/out2 || { fail "uringblkc0n3 reads other SLM than $ng3 wrote"; return; }
	# Identify's SGLS says any alignment: 6.12's passthrough must not warn
	# "using unchecked data buffer" (it did with SGLS 0; 6.1 has no check)
	if dmesg | grep -q "$UB_CTRL: using unchecked data buffer"; then
		fail "nvme-core warned: using unchecked data buffer (Identify's SGLS?)"
		return
	fi
	rm -rf $TMP
}

# A polled queue (hipri): the block device takes polled I/O, and fio on an
# IOPOLL ring verifies through both node kinds.
t_poll() {
	ub_load_ctrl capacity_mb=64 || return
	local blk ng
	blk=$(ub_nvme_ns "$UB_CTRL" 1) && ng=$(ub_nvme_ng "$UB_CTRL" 1) ||
		{ fail "no NVM namespace"; return; }
	expect_eq "/sys/block/$blk/queue/io_poll" 1 "$(<"/sys/block/$blk/queue/io_poll")" || return
	rm -rf $TMP && mkdir -p $TMP
	fio --name=pblk --filename="/dev/$blk" --ioengine=io_uring --hipri --direct=1 \
		--rw=randwrite --bs=4k --iodepth=8 --size=8M --verify=crc32c --verify_fatal=1 \
		--output=$TMP/fio1 > /dev/null 2>&1 || { cat $TMP/fio1; fail "fio hipri on /dev/$blk"; return; }
	fio --name=png --filename="$ng" --ioengine=io_uring_cmd --cmd_type=nvme --hipri \
		--rw=randwrite --bs=4k --iodepth=8 --offset=16M --size=8M --verify=crc32c \
		--verify_fatal=1 --output=$TMP/fio2 > /dev/null 2>&1 ||
		{ cat $TMP/fio2; fail "fio io_uring_cmd hipri on $ng"; return; }
	rm -rf $TMP
}

# reset_under_fio FAST: FAST 0 takes the bio path (nvme_fast=0), so the
# resets meet bios in flight, which the shutdown waits for.  Two
# time-based jobs (lib.sh), so that both run through every reset however
# fast the host is: one on the block device and one of passthrough I/O on
# the generic node; each verifies what it writes as it goes.
reset_under_fio() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	ub_load_ctrl capacity_mb=64 || return
	echo "$1" > /sys/module/uringblk/parameters/nvme_fast
	local blk ng i ngpid blkpid='' bad='' keep
	blk=/dev/$(ub_nvme_ns "$UB_CTRL" 1) && ng=$(ub_nvme_ng "$UB_CTRL" 1) ||
		{ fail "no NVM namespace"; return; }
	rm -rf $TMP && mkdir -p $TMP
	# data written before the resets, read back after them
	keep=(--name=keep --filename="$blk" --ioengine=io_uring --direct=1 --bs=4k
	      --offset=16M --size=8M --verify=crc32c)
	fio "${keep[@]}" --rw=randwrite --iodepth=16 --do_verify=0 --output=$TMP/keep > /dev/null 2>&1 ||
		{ cat $TMP/keep; fail "fio's data before the resets"; return; }
	# the passthrough job's first I/O, before the block device's job
	# starts, says its Identify Namespace is done
	ub_fio_ng_start $TMP rstng "$ng" --offset=32M
	ngpid=$UB_FIO_PID
	if ub_wait_io 0 16 60 "$ngpid"; then
		ub_fio_start $TMP rst "$blk" --ioengine=io_uring --direct=1
		blkpid=$UB_FIO_PID
		ub_wait_io 0 16 60 "$blkpid" || bad="no I/O on $blk"
	else
		bad="no I/O on $ng"
	fi
	for ((i = 1; i <= 3; i++)); do
		[[ -z $bad ]] || break
		nvme reset "/dev/$UB_CTRL" > /dev/null || bad="nvme reset $i failed"
		sleep 0.2
	done
	[[ -n $bad ]] || bad=$(ub_wait_live "$UB_CTRL") || :
	reset_fio_stop rstng "$ng (io_uring_cmd)" "$ngpid"
	reset_fio_stop rst "$blk" "$blkpid"
	[[ -z $bad ]] || { fail "$bad"; return 1; }
	fio "${keep[@]}" --rw=randread --verify_only=1 --verify_fatal=1 --output=$TMP/keep2 > /dev/null 2>&1 ||
		{ cat $TMP/keep2; fail "the data after the resets"; return; }
	rm -rf $TMP
}

# reset_fio_stop NAME NODE PID: reset_under_fio's job NAME on NODE stopped
# (none when PID is empty); its failure becomes the caller's $bad, unless
# that already says what failed first.
reset_fio_stop() {
	[[ -n $3 ]] || return 0
	ub_fio_stop $TMP "$1" "$3"
	[[ $UB_FIO_RESULT == ok || -n $bad ]] && return 0
	cat "$TMP/$1.out"
	bad="fio on $2 across three resets: $UB_FIO_RESULT"
}

t_reset() { reset_under_fio 1; }
t_reset_bio() {
	reset_under_fio 0
	local rc=$?
	echo 1 > /sys/module/uringblk/parameters/nvme_fast 2> /dev/null
	return $rc
}

# A zoned drive's controller: its ZNS namespace is a zoned block device of
# the drive's zones, and fio's zonemode=zbd writes and verifies through it.
t_zoned() {
	command -v blkzone > /dev/null || { skip "blkzone (util-linux) missing"; return; }
	ub_load_ctrl capacity_mb=64 zoned=1 zone_size_mb=4 || return
	local blk zones
	blk=$(ub_nvme_ns "$UB_CTRL" 1) || { fail "no ZNS namespace"; return; }
	expect_eq "/sys/block/$blk/queue/zoned" host-managed "$(<"/sys/block/$blk/queue/zoned")" || return
	zones=$(blkzone report "/dev/$blk" | wc -l)
	expect_eq "zones of /dev/$blk (blkzone report)" "$(<"/sys/block/uringblk0/queue/nr_zones")" "$zones" || return
	rm -rf $TMP && mkdir -p $TMP
	fio --name=z --filename="/dev/$blk" --ioengine=io_uring --direct=1 --zonemode=zbd \
		--rw=write --bs=64k --iodepth=1 --size=16M --verify=crc32c --verify_fatal=1 \
		--output=$TMP/fio > /dev/null 2>&1 || { cat $TMP/fio; fail "fio zonemode=zbd on /dev/$blk"; return; }
	# the write pointers moved on the drive's own block device too
	blkzone report -c 4 /dev/uringblk0 | grep -q 'wptr 0x002000' ||
		{ blkzone report -c 4 /dev/uringblk0; fail "uringblk0's first zones are not full"; return; }
	rm -rf $TMP
}

# A KV drive's controller: its KV namespace (CSI 01h) has no block device,
# its generic node takes Store and Retrieve (nvme-kv.md's commands).
t_kv() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	ub_load_ctrl kv=1 capacity_mb=16 || return
	local n ng
	n=$(ub_nvme_ns "$UB_CTRL" 1) && ng=$(ub_nvme_ng "$UB_CTRL" 1) ||
		{ fail "no KV namespace"; return; }
	[[ ! -e /dev/$n ]] || { fail "/dev/$n: a block device for the KV namespace"; return; }
	# 6.12 shows the namespace's CSI in sysfs; 6.1 has no such file
	if [[ -e /sys/class/nvme/$UB_CTRL/$n/csi ]]; then
		expect_eq "$n's csi" 1 "$(<"/sys/class/nvme/$UB_CTRL/$n/csi")" || return
	fi
	ub_kv_roundtrip "$ng" "hello, kv"
}

t_rmmod_busy() {
	ub_load_ctrl capacity_mb=64 || return
	local out blk
	blk=/dev/$(ub_nvme_ns "$UB_CTRL" 1) || { fail "no NVM namespace"; return; }
	exec 3< "$blk"
	out=$(rmmod uringblk 2>&1) && { exec 3<&-; fail "rmmod with $blk open succeeded"; return; }
	exec 3<&-
	grep -q "in use" <<< "$out" || { echo "$out"; fail "rmmod with $blk open: not 'in use'"; return; }
	exec 3< "/dev/$UB_CTRL"
	out=$(rmmod uringblk 2>&1) && { exec 3<&-; fail "rmmod with /dev/$UB_CTRL open succeeded"; return; }
	exec 3<&-
	ub_unload || { fail "the module does not unload once the nodes are closed"; return; }
	# (QEMU's own NVMe controller may be there: the suite's guest has one)
	! ub_nvme_ctrl address traddr=uringblk0 > /dev/null || fail "a controller of uringblk0 is left after rmmod"
}

t_removal() {
	local pid idx c blk
	ub_ctrl_drive r 1 || return
	idx=$UB_IDX
	c=$(ub_nvme_ctrl address "traddr=uringblk$idx") || { fail "no controller for uringblk$idx"; return; }
	blk=/dev/$(ub_nvme_ns "$c" 1) || { fail "no NVM namespace"; return; }
	rm -rf $TMP && mkdir -p $TMP
	fio --name=rm --filename="$blk" --ioengine=io_uring --direct=1 --rw=randrw --bs=4k \
		--iodepth=32 --size=64M --time_based --runtime=20 > $TMP/out 2>&1 &
	pid=$!
	ub_wait_io "$idx" || { kill $pid; return 1; }
	ub_rmdev r || { kill $pid; fail "removing the drive under fio"; return; }
	ub_reap_after_removal $pid $TMP/out || return
	[[ ! -e /sys/class/nvme/$c ]] || { fail "$c still there after the removal"; return; }
	rm -rf $TMP
	ub_unload || fail "the module does not unload"
}

t_dmesg() { ub_dmesg_clean "$dmesg_start"; }

ub_need_ko || exit 1
ktap_plan 12
dmesg_start=$(dmesg | wc -l)
ktap_run nvme_ctrl_identity t_identity
ktap_run nvme_ctrl_nodes t_nodes
ktap_run nvme_ctrl_same_answers t_same_answers
ktap_run nvme_ctrl_data t_data
ktap_run nvme_ctrl_poll t_poll
ktap_run nvme_ctrl_reset t_reset
ktap_run nvme_ctrl_reset_bio t_reset_bio
ktap_run nvme_ctrl_zoned t_zoned
ktap_run nvme_ctrl_kv t_kv
ktap_run nvme_ctrl_rmmod_busy t_rmmod_busy
ktap_run nvme_ctrl_removal t_removal
ktap_run dmesg_clean t_dmesg
ub_unload
ktap_finish
