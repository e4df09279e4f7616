#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A drive of two controllers of Linux's NVMe driver, one multipath NVM
# subsystem (nvme_ctrl=2, driver/nvme_ctrl.c;
# Documentation/dev/nvme-controller.md, "Multipath, as built"), with the
# kernel's own multipath (CONFIG_NVME_MULTIPATH=y on both of Debian's
# kernels):
#  - refusal: nvme_ctrl above URINGBLK_NVME_MAX_CTRLS (4) is refused at
#    insmod and at a configfs drive's power-on, with the message;
#  - the subsystem: nvme list-subsys shows one NQN with both controllers,
#    CNTLIDs 0 and 1, the same serial; Identify Controller says CMIC bit 1;
#    through controller 0 it is byte for byte /dev/uringblkc0's, through
#    controller 1 the same but for CNTLID (bytes 78-79);
#  - namespaces: one head per namespace, shared (NMIC 1), with the same
#    NGUID, EUI-64 and UUID through both controllers; the head block device
#    /dev/nvmeSnN for the NVM namespace, hidden path disks nvmeScCnN, a
#    generic head node /dev/ngSnN for every namespace, none for CP's and
#    SLM's block device; SLM's Memory Write and Read through its head node;
#    a KV drive's KV namespace the same, Store and Retrieve through its
#    generic head node;
#  - data: fio verifies io_uring on the head block device and io_uring_cmd
#    on its generic head node; a zoned drive's ZNS head is host-managed
#    with the drive's zones, fio zonemode=zbd verifies through it (numa;
#    round-robin too on 6.1, not on 6.10+: t_zoned says why);
#  - iopolicy round-robin: I/O on the head reaches both paths (each path
#    disk's read count);
#  - four controllers (the limit): CNTLIDs 0-3 in one subsystem,
#    round-robin reaches every path;
#  - failover: each controller reset in turn (nvme reset) under fio on
#    the head, reading back every block it writes: fio sees no error,
#    both controllers live again, I/O goes on after each reset;
#  - a configfs drive with nvme_ctrl=2 removed under fio on its head:
#    fio stops, nothing hangs, both controllers and the subsystem go, the
#    module unloads;
#  - nothing in dmesg (WARN, BUG, oops).
# Skips when the module was built without the controller (no nvme-core
# header: tools/nvme-src), nvme-cli is missing, or the kernel has no
# native multipath.
#
# Needs root, fio, nvme-cli and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

TMP=/tmp/ub-nvme-mpath

# mp_load [params]: the module with nvme_ctrl=2 (a later nvme_ctrl= in
# params wins, as insmod takes the last); sets C0 and C1 (drive 0's
# controllers, CNTLID 0 and 1), SUBSYS (nvme-subsysS) and S.
mp_load() {
	local out
	[[ $(cat /sys/module/nvme_core/parameters/multipath 2>/dev/null) == Y ]] ||
		{ skip "nvme-core without native multipath"; return 1; }
	ub_unload || return 1
	if ! out=$(insmod "$URINGBLK_KO" nvme_ctrl=2 "$@" 2>&1); then
		dmesg | tail -5 | grep -q "built without nvme-core's header" &&
			{ skip "module built without the NVMe controller (tools/nvme-src)"; return 1; }
		echo "$out"
		fail "insmod nvme_ctrl=2 $*"
		return 1
	fi
	C0=$(ub_nvme_ctrl address traddr=uringblk0) ||
		{ fail "no controller with address traddr=uringblk0"; return 1; }
	C1=$(ub_nvme_ctrl address traddr=uringblk0,trsvcid=1) ||
		{ fail "no controller with address traddr=uringblk0,trsvcid=1"; return 1; }
	mp_subsys "$C0"
}

# mp_subsys CTRL...: sets SUBSYS (nvme-subsysS) and S to the subsystem
# that links every CTRL; fails the test if none does.
mp_subsys() {
	local s c
	SUBSYS=
	for s in /sys/class/nvme-subsystem/nvme-subsys*; do
		for c; do
			[[ -e $s/$c ]] || continue 2
		done
		SUBSYS=${s##*/}
	done
	[[ -n $SUBSYS ]] || { fail "no nvme-subsystem links $*"; return 1; }
	S=${SUBSYS#nvme-subsys}
}

# mp_head NSID: the head (nvmeSnN) of the namespace, from its sysfs nsid,
# waiting up to 30 s for the scan (the debug kernel is slow).
mp_head() { ub_nvme_find "$1" 300 "/sys/class/nvme-subsystem/$SUBSYS/nvme${S}n*"; }

# mp_ready HEAD: the head disk answers a direct read within 30 s; its
# paths come live as the controllers' namespace scans (asynchronous) end,
# and a head without a live path fails I/O at once
mp_ready() {
	local i
	for ((i = 0; i < 300; i++)); do
		dd if="/dev/$1" of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null &&
			return 0
		sleep 0.1
	done
	fail "/dev/$1 answered no read in 30 s"
}

# mp_path CTRL NSID: the controller's path disk (nvmeScCnN) of the namespace.
mp_path() { ub_nvme_find "$2" 300 "/sys/class/nvme/$1/nvme*c*n*"; }

# mp_reads PATH: completed reads of a path disk (its stat's first field).
mp_reads() {
	local r
	read -r r _ < "/sys/block/$1/stat"
	echo "$r"
}

t_refuse() {
	local out dmesg0
	ub_unload || return
	dmesg0=$(dmesg | wc -l)
	out=$(insmod "$URINGBLK_KO" nvme_ctrl=5 capacity_mb=16 2>&1) &&
		{ fail "insmod nvme_ctrl=5 succeeded"; return; }
	ub_dmesg_since "$dmesg0" | grep -F "nvme_ctrl=5: at most 4 controllers per drive" ||
		{ echo "$out"; ub_dmesg_since "$dmesg0"; fail "insmod nvme_ctrl=5: no message"; return; }
	insmod "$URINGBLK_KO" nr_devices=0 && ub_configfs || { fail "insmod nr_devices=0"; return; }
	mkdir "$UB_CFS/r" && echo 16 > "$UB_CFS/r/capacity_mb" || return
	echo 5 > "$UB_CFS/r/nvme_ctrl" || { fail "configfs nvme_ctrl 5 not taken before power"; return; }
	echo 1 > "$UB_CFS/r/power" 2>/dev/null && { fail "power on with nvme_ctrl=5 succeeded"; return; }
	out=$(<"$UB_CFS/r/error")
	echo "  configfs: $out"
	grep -qF "nvme_ctrl=5: at most 4 controllers per drive" <<< "$out" ||
		{ fail "configfs error does not say why"; return; }
	rmdir "$UB_CFS/r"
	ub_unload || fail "the module does not unload"
}

t_subsys() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	mp_load capacity_mb=64 || return
	local out a b c
	expect_eq "$C0 cntlid" 0 "$(<"/sys/class/nvme/$C0/cntlid")" || return
	expect_eq "$C1 cntlid" 1 "$(<"/sys/class/nvme/$C1/cntlid")" || return
	expect_eq "$C1 subsysnqn" "$(<"/sys/class/nvme/$C0/subsysnqn")" \
		"$(<"/sys/class/nvme/$C1/subsysnqn")" || return
	[[ -e /sys/class/nvme-subsystem/$SUBSYS/$C1 ]] || { fail "$C1 not in $SUBSYS"; return; }
	out=$(nvme list-subsys 2>&1) || { echo "$out"; fail "nvme list-subsys"; return; }
	echo "$out" | sed 's/^/  /'
	[[ $(grep -c "NQN=nqn.2014-08.org.uringblk:uringblk0" <<< "$out") == 1 ]] &&
		grep -q "$C0 uringblk traddr=uringblk0 live" <<< "$out" &&
		grep -q "$C1 uringblk traddr=uringblk0,trsvcid=1 live" <<< "$out" ||
		{ fail "nvme list-subsys: not one subsystem with $C0 and $C1"; return; }
	# Identify Controller: CMIC bit 1; controller 0's is the command device's
	a=$(nvme id-ctrl "/dev/$C0" -o binary | od -v -An -tx1 | tr -d ' \n') || { fail "id-ctrl $C0"; return; }
	b=$(nvme id-ctrl /dev/uringblkc0 -o binary | od -v -An -tx1 | tr -d ' \n') || { fail "id-ctrl uringblkc0"; return; }
	c=$(nvme id-ctrl "/dev/$C1" -o binary | od -v -An -tx1 | tr -d ' \n') || { fail "id-ctrl $C1"; return; }
	expect_eq "Identify Controller's length" 8192 "${#a}" || return
	[[ $a == "$b" ]] || { fail "Identify Controller: $C0 and uringblkc0 differ"; return; }
	# CNTLID: bytes 78-79 (hex digits 156-159), little-endian; CMIC: byte 76
	expect_eq "$C0's CNTLID" 0000 "${a:156:4}" || return
	expect_eq "$C1's CNTLID" 0100 "${c:156:4}" || return
	expect_eq "$C1's Identify but CNTLID" "${a:0:156}${a:160}" "${c:0:156}${c:160}" || return
	expect_eq "CMIC" 02 "${a:152:2}" || return
	echo "  Identify Controller: $C0 = uringblkc0 (CNTLID 0), $C1 the same but CNTLID 1; CMIC 02h"
}

t_nodes() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	local dmesg0 nsid h p0 p1 a b out
	dmesg0=$(dmesg | wc -l)
	mp_load capacity_mb=64 slm_size_mb=16 || return
	for nsid in 1 2 3; do
		h=$(mp_head $nsid) || { fail "no head for NSID $nsid in $SUBSYS"; return; }
		p0=$(mp_path "$C0" $nsid) || { fail "no path of $C0 to NSID $nsid"; return; }
		p1=$(mp_path "$C1" $nsid) || { fail "no path of $C1 to NSID $nsid"; return; }
		[[ $p0 == nvme${S}c*n${h##*n} && $p1 == nvme${S}c*n${h##*n} ]] ||
			{ fail "paths $p0 $p1 are not nvme${S}cXn${h##*n}"; return; }
		[[ ! -e /dev/$p0 && ! -e /dev/$p1 ]] || { fail "a path has a block node"; return; }
		[[ -c /dev/ng${h#nvme} ]] || { fail "no generic head node /dev/ng${h#nvme}"; return; }
		if ((nsid == 1)); then
			[[ -b /dev/$h ]] || { fail "no head block device /dev/$h"; return; }
			expect_eq "/dev/$h size" $((64 << 20)) "$(blockdev --getsize64 "/dev/$h")" || return
		else
			[[ ! -e /dev/$h ]] || { fail "/dev/$h: a block device for NSID $nsid"; return; }
		fi
		# the same identifiers through both controllers, non-zero
		a=$(nvme ns-descs "/dev/$C0" -n $nsid -o binary | od -v -An -tx1) &&
			b=$(nvme ns-descs "/dev/$C1" -n $nsid -o binary | od -v -An -tx1) ||
			{ fail "ns-descs of NSID $nsid"; return; }
		[[ $a == "$b" ]] || { fail "NSID $nsid's descriptors differ between controllers"; return; }
		out=$(nvme ns-descs "/dev/$C0" -n $nsid 2>&1)
		grep -qi "nguid" <<< "$out" && grep -qi "eui64" <<< "$out" && grep -qi "uuid" <<< "$out" ||
			{ echo "$out"; fail "NSID $nsid: not every identifier"; return; }
		# CNS 08h: I/O command set independent (NMIC for every set)
		a=$(nvme admin-passthru "/dev/$C1" --opcode=0x06 --namespace-id=$nsid --cdw10=8 \
			--data-len=4096 --read --raw-binary 2>/dev/null | od -An -tx1 -j 1 -N 1 | tr -d ' ')
		expect_eq "NSID $nsid's NMIC (CNS 08h)" 01 "$a" || return
		echo "  NSID $nsid: head $h, paths $p0 $p1, /dev/ng${h#nvme}$([[ -b /dev/$h ]] && echo ", /dev/$h")"
	done
	# multipath: generic nodes for the heads only, none per path
	echo "  generic nodes: $(cd /dev && echo ng*)"
	# the NVM namespace's wwid: its NGUID, the same on the head and the paths
	expect_eq "head wwid" "$(<"/sys/block/$(mp_path "$C0" 1)/wwid")" \
		"$(<"/sys/block/$(mp_head 1)/wwid")" || return
	echo "  wwid: $(<"/sys/block/$(mp_head 1)/wwid")"
	ub_dmesg_since "$dmesg0" | grep -E "not supported \(csi|shared namespace|duplicate|IDs" | sort | uniq -c | sed 's/^/  dmesg: /'
	# SLM's Memory Write (05h) and Read (02h) through its generic head node
	h=/dev/ng$(mp_head 3 | sed 's/^nvme//')
	rm -rf $TMP && mkdir -p $TMP
	head -c 8192 /dev/urandom > $TMP/in
	out=$(nvme io-passthru "$h" --opcode=0x5 -n 3 --cdw10=8192 --cdw12=8192 \
		--data-len=8192 -w -i $TMP/in 2>&1) || { echo "$out"; fail "Memory Write on $h"; return; }
	nvme io-passthru "$h" --opcode=0x2 -n 3 --cdw10=8192 --cdw12=8192 --data-len=8192 \
		-r -b > $TMP/out 2> $TMP/err || { cat $TMP/err; fail "Memory Read on $h"; return; }
	cmp $TMP/in $TMP/out || { fail "Memory Read on $h returned other data"; return; }
	rm -rf $TMP
}

# A KV drive of two controllers: its KV namespace (CSI 01h) is shared
# too (NMIC from CNS 08h and KV's 05h), a hidden head with a generic head
# node that takes Store and Retrieve.
t_kv() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	mp_load kv=1 capacity_mb=16 || return
	local h ng
	h=$(mp_head 1) || { fail "no head for the KV namespace"; return; }
	ng=/dev/ng${h#nvme}
	[[ ! -e /dev/$h ]] || { fail "/dev/$h: a block device for the KV namespace"; return; }
	[[ -c $ng ]] || { fail "no generic head node $ng"; return; }
	mp_path "$C1" 1 > /dev/null || { fail "no path of $C1 to the KV namespace"; return; }
	ub_kv_roundtrip "$ng" "hello, kv" || return
	echo "  KV: head $h hidden, $ng: Store and Retrieve"
}

t_data() {
	mp_load capacity_mb=64 || return
	local h
	h=$(mp_head 1) || { fail "no head for NSID 1"; return; }
	rm -rf $TMP && mkdir -p $TMP
	fio --name=head --filename="/dev/$h" --ioengine=io_uring --direct=1 --rw=randwrite \
		--bs=4k --iodepth=16 --size=16M --verify=crc32c --verify_fatal=1 \
		--output=$TMP/fio1 > /dev/null 2>&1 || { cat $TMP/fio1; fail "fio io_uring verify on /dev/$h"; return; }
	fio --name=nghead --filename="/dev/ng${h#nvme}" --ioengine=io_uring_cmd --cmd_type=nvme \
		--rw=randwrite --bs=4k --iodepth=16 --offset=32M --size=16M --verify=crc32c \
		--verify_fatal=1 --output=$TMP/fio2 > /dev/null 2>&1 ||
		{ cat $TMP/fio2; fail "fio io_uring_cmd verify on /dev/ng${h#nvme}"; return; }
	echo "  fio: io_uring $(grep -o 'IOPS=[^,]*' $TMP/fio1 | head -1), io_uring_cmd $(grep -o 'IOPS=[^,]*' $TMP/fio2 | head -1)"
	rm -rf $TMP
}

# A zoned drive of two controllers: the ZNS namespace's head is a zoned
# block device of the drive's zones; fio zonemode=zbd verifies through it
# under the default iopolicy (numa: one path per node).  Under
# round-robin, writes alternate between the paths: 6.1 passes them to the
# drive, which checks them against its one write pointer; 6.10+ (zone
# write plugging) keeps a write pointer per path disk, and fails a write
# whose path did not see the one before (EIO, nothing sent): expected
# there, and reported, not failed.
t_zoned() {
	command -v blkzone > /dev/null || { skip "blkzone (util-linux) missing"; return; }
	mp_load capacity_mb=64 zoned=1 zone_size_mb=4 || return
	local h zones v policy rc
	h=$(mp_head 1) || { fail "no head for the ZNS namespace"; return; }
	expect_eq "/sys/block/$h/queue/zoned" host-managed "$(<"/sys/block/$h/queue/zoned")" || return
	zones=$(blkzone report "/dev/$h" | wc -l)
	expect_eq "zones of /dev/$h (blkzone report)" "$(<"/sys/block/uringblk0/queue/nr_zones")" "$zones" || return
	rm -rf $TMP && mkdir -p $TMP
	for policy in numa round-robin; do
		echo $policy > "/sys/class/nvme-subsystem/$SUBSYS/iopolicy" || return
		blkzone reset "/dev/$h" || { fail "blkzone reset /dev/$h"; return; }
		fio --name=z --filename="/dev/$h" --ioengine=io_uring --direct=1 --zonemode=zbd \
			--rw=write --bs=64k --iodepth=1 --size=16M --verify=crc32c --verify_fatal=1 \
			--output=$TMP/fio > /dev/null 2>&1
		rc=$?
		IFS=. read -r -a v <<< "$(uname -r)"
		if ((rc)) && [[ $policy == round-robin ]] && ((v[0] > 6 || (v[0] == 6 && v[1] >= 10))); then
			echo "  ZNS, round-robin: fio fails on $(uname -r), as expected (zone write plugging per path): $(grep -o 'err=[^)]*)' $TMP/fio | head -1)"
			continue
		fi
		((rc == 0)) || { cat $TMP/fio; fail "fio zonemode=zbd on /dev/$h, iopolicy $policy"; return; }
		blkzone report -c 4 /dev/uringblk0 | grep -q 'wptr 0x002000' ||
			{ blkzone report -c 4 /dev/uringblk0; fail "uringblk0's first zones are not full"; return; }
		echo "  ZNS, $policy: head /dev/$h host-managed, $zones zones, fio zonemode=zbd verified"
	done
	rm -rf $TMP
}

t_iopolicy() {
	mp_load capacity_mb=64 || return
	local h p0 p1 r0 r1 d0 d1
	h=$(mp_head 1) && p0=$(mp_path "$C0" 1) && p1=$(mp_path "$C1" 1) ||
		{ fail "no head or paths for NSID 1"; return; }
	echo round-robin > "/sys/class/nvme-subsystem/$SUBSYS/iopolicy" ||
		{ fail "iopolicy round-robin"; return; }
	expect_eq iopolicy round-robin "$(<"/sys/class/nvme-subsystem/$SUBSYS/iopolicy")" || return
	r0=$(mp_reads "$p0") r1=$(mp_reads "$p1")
	fio --name=rr --filename="/dev/$h" --ioengine=io_uring --direct=1 --rw=randread \
		--bs=4k --iodepth=8 --size=16M --number_ios=4000 --output=$TMP.fio > /dev/null 2>&1 ||
		{ cat $TMP.fio; fail "fio randread on /dev/$h"; return; }
	rm -f $TMP.fio
	d0=$(($(mp_reads "$p0") - r0)) d1=$(($(mp_reads "$p1") - r1))
	echo "  round-robin: $p0 $d0 reads, $p1 $d1 reads"
	((d0 + d1 >= 4000)) || { fail "the paths completed $((d0 + d1)) reads, not 4000"; return; }
	((d0 >= (d0 + d1) / 4 && d1 >= (d0 + d1) / 4)) ||
		fail "round-robin: one path took under a quarter of the reads"
}

# The limit, URINGBLK_NVME_MAX_CTRLS: four controllers, CNTLIDs 0-3, one
# subsystem; round-robin reaches every path.
t_four() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	mp_load capacity_mb=16 nvme_ctrl=4 || return
	local c i p h r=() d out
	h=$(mp_head 1) || { fail "no head for NSID 1"; return; }
	for i in 0 1 2 3; do
		if ((i)); then
			c=$(ub_nvme_ctrl address "traddr=uringblk0,trsvcid=$i") ||
				{ fail "no controller with trsvcid=$i"; return; }
		else
			c=$C0
		fi
		expect_eq "$c cntlid" $i "$(<"/sys/class/nvme/$c/cntlid")" || return
		[[ -e /sys/class/nvme-subsystem/$SUBSYS/$c ]] || { fail "$c not in $SUBSYS"; return; }
		p[i]=$(mp_path "$c" 1) || { fail "no path of $c to NSID 1"; return; }
		r[i]=$(mp_reads "${p[i]}")
	done
	out=$(nvme list-subsys 2>&1)
	expect_eq "controllers in nvme list-subsys" 4 "$(grep -c ' uringblk traddr=uringblk0' <<< "$out")" || return
	echo round-robin > "/sys/class/nvme-subsystem/$SUBSYS/iopolicy" || return
	fio --name=rr4 --filename="/dev/$h" --ioengine=io_uring --direct=1 --rw=randread \
		--bs=4k --iodepth=8 --size=16M --number_ios=4000 --output=$TMP.fio > /dev/null 2>&1 ||
		{ cat $TMP.fio; fail "fio randread on /dev/$h"; return; }
	rm -f $TMP.fio
	out=
	for i in 0 1 2 3; do
		d=$(($(mp_reads "${p[i]}") - r[i]))
		out+=" ${p[i]} $d"
		((d >= 500)) || { fail "round-robin over four: ${p[i]} took $d reads of 4000"; return; }
	done
	echo "  four controllers, round-robin:$out"
}

t_failover() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	mp_load capacity_mb=64 || return
	local h c i
	h=$(mp_head 1) || { fail "no head for NSID 1"; return; }
	echo round-robin > "/sys/class/nvme-subsystem/$SUBSYS/iopolicy" || return
	mp_ready "$h" || return
	rm -rf $TMP && mkdir -p $TMP
	# time-based until stopped, every block read back (lib.sh): a job of
	# a set size ended before the last reset on a fast host
	ub_fio_start $TMP fo "/dev/$h" --ioengine=io_uring --direct=1
	ub_wait_io 0 64 60 "$UB_FIO_PID" || { ub_fio_stop $TMP fo; cat $TMP/fo.out; return 1; }
	for c in "$C0" "$C1" "$C0" "$C1"; do
		nvme reset "/dev/$c" || { ub_fio_stop $TMP fo; fail "nvme reset $c"; return; }
		for ((i = 0; i < 300; i++)); do
			[[ $(<"/sys/class/nvme/$c/state") == live ]] && break
			sleep 0.1
		done
		expect_eq "$c's state after its reset" live "$(<"/sys/class/nvme/$c/state")" ||
			{ ub_fio_stop $TMP fo; return 1; }
		ub_wait_io 0 64 60 "$UB_FIO_PID" || { ub_fio_stop $TMP fo; cat $TMP/fo.out; return 1; }
	done
	ub_fio_stop $TMP fo
	[[ $UB_FIO_RESULT == ok ]] ||
		{ cat $TMP/fo.out; fail "fio on the head across the resets: $UB_FIO_RESULT"; return; }
	echo "  fio: every block read back across 4 resets, alternating controllers" \
		"($(grep -o 'issued rwts: total=[0-9]*,[0-9]*' $TMP/fo.out | cut -d= -f2) reads,writes)"
	rm -rf $TMP
}

t_removal() {
	local pid idx c0 c1 h d n
	[[ $(cat /sys/module/nvme_core/parameters/multipath 2>/dev/null) == Y ]] ||
		{ skip "nvme-core without native multipath"; return; }
	ub_ctrl_drive r 2 || return
	idx=$UB_IDX
	c0=$(ub_nvme_ctrl address "traddr=uringblk$idx") &&
		c1=$(ub_nvme_ctrl address "traddr=uringblk$idx,trsvcid=1") ||
		{ fail "no two controllers for uringblk$idx"; return; }
	mp_subsys "$c0" "$c1" || return
	h=$(mp_head 1) || { fail "no head for NSID 1"; return; }
	echo round-robin > "/sys/class/nvme-subsystem/$SUBSYS/iopolicy" || return
	rm -rf $TMP && mkdir -p $TMP
	fio --name=rm --filename="/dev/$h" --ioengine=io_uring --direct=1 --rw=randrw --bs=4k \
		--iodepth=32 --size=64M --time_based --runtime=20 > $TMP/out 2>&1 &
	pid=$!
	ub_wait_io "$idx" || { kill $pid; return 1; }
	ub_rmdev r || { kill $pid; fail "removing the drive under fio"; return; }
	ub_reap_after_removal $pid $TMP/out || return
	for d in "$c0" "$c1"; do
		[[ ! -e /sys/class/nvme/$d ]] || { fail "$d still there after the removal"; return; }
	done
	# the subsystem goes with its last controller and its heads
	for ((n = 0; n < 300; n++)); do
		[[ -e /sys/class/nvme-subsystem/$SUBSYS ]] || break
		sleep 0.1
	done
	[[ ! -e /sys/class/nvme-subsystem/$SUBSYS ]] || { fail "$SUBSYS still there"; return; }
	[[ ! -e /dev/$h ]] || { fail "/dev/$h still there"; return; }
	rm -rf $TMP
	ub_unload || fail "the module does not unload"
}

# A drive removed (rmdir: not refused) while its head's generic node is
# open: the namespace, its controllers and subsystem stay until the last
# close, then go; the module unloads after.
t_removal_open() {
	local c0 c1 h n idx
	[[ $(cat /sys/module/nvme_core/parameters/multipath 2>/dev/null) == Y ]] ||
		{ skip "nvme-core without native multipath"; return; }
	ub_ctrl_drive o 2 || return
	idx=$UB_IDX
	c0=$(ub_nvme_ctrl address "traddr=uringblk$idx") || { fail "no controller"; return; }
	mp_subsys "$c0" || return
	h=$(mp_head 2) || { fail "no head for NSID 2"; return; }
	# fd 7 closes with the test's subshell (ktap_run) if a check fails
	exec 7< "/dev/ng${h#nvme}" || { fail "open /dev/ng${h#nvme}"; return; }
	! echo 0 > "$UB_CFS/o/power" 2>/dev/null ||
		{ fail "power 0 with /dev/ng${h#nvme} open was not refused"; return; }
	rmdir "$UB_CFS/o" || { fail "rmdir with /dev/ng${h#nvme} open"; return; }
	c1=$(ub_nvme_ctrl address "traddr=uringblk$idx,trsvcid=1")
	[[ -z $c1 && ! -e /sys/class/nvme/$c0 ]] || { fail "a controller outlived the removal"; return; }
	[[ -e /sys/class/nvme-subsystem/$SUBSYS ]] ||
		{ fail "$SUBSYS went while /dev/ng${h#nvme} is open"; return; }
	dmesg | tail -20 | grep -q "/dev/ng${h#nvme} is open as its namespace goes: the namespace stays until its last close" ||
		{ fail "no word of the kept namespace in the kernel log"; return; }
	exec 7<&-
	for ((n = 0; n < 50; n++)); do
		[[ -e /sys/class/nvme-subsystem/$SUBSYS ]] || break
		sleep 0.1
	done
	[[ ! -e /sys/class/nvme-subsystem/$SUBSYS ]] || { fail "$SUBSYS still there 5 s after the close"; return; }
	ub_unload || fail "the module does not unload"
}

t_dmesg() { ub_dmesg_clean "$dmesg_start"; }

ub_need_ko || exit 1
ktap_plan 12
dmesg_start=$(dmesg | wc -l)
ktap_run nvme_mpath_refuse t_refuse
ktap_run nvme_mpath_subsys t_subsys
ktap_run nvme_mpath_nodes t_nodes
ktap_run nvme_mpath_kv t_kv
ktap_run nvme_mpath_data t_data
ktap_run nvme_mpath_zoned t_zoned
ktap_run nvme_mpath_iopolicy t_iopolicy
ktap_run nvme_mpath_four t_four
ktap_run nvme_mpath_failover t_failover
ktap_run nvme_mpath_removal t_removal
ktap_run nvme_mpath_removal_open t_removal_open
ktap_run dmesg_clean t_dmesg
ub_unload
ktap_finish
