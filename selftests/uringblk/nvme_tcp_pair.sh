#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uringblk drives exported over NVMe/TCP by the kernel's own target (nvmet,
# nvmet-tcp) in one guest and used by the kernel's NVMe/TCP host in another:
#   tools/vm/run-pair -- selftests/uringblk/nvme_tcp_pair.sh   (selftests/run_pair)
# The target exports with tools/nvmet-export (allowed_hosts only); the
# initiator checks that another host NQN is refused, discovers and connects,
# verifies data with fio, makes, fills and scrubs a btrfs, keeps writing
# while the target's link is down for longer than the keep-alive timeout
# (the controller reconnects, no acknowledged write is lost: fio verifies
# its own, and the target finds each write the initiator logged once its
# fdatasync returned on its own block device), sees the drive
# removed under it (errors, no hang), then uses a ZNS namespace (blkzone
# report, fio zonemode=zbd with verification).  The target also checks the
# export's refusals (no host, conventional zones, a smaller last zone) and
# that unexport undoes everything and may be repeated, and that a drive
# mounted, or exported already under another NQN, is refused.  A WARN/BUG in
# either guest's log fails that guest (tools/vm/run).
#
# Needs root, URINGBLK_KO, the URINGBLK_PAIR_* variables of tools/vm/run-pair,
# nvme-cli, fio, blkzone, btrfs-progs.

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./pair.sh

TOP=$(cd ../.. && pwd)
EXPORT=$TOP/tools/nvmet-export
NQN_NVM=nqn.2026-11.io.uringblk:pair-nvm
NQN_ZNS=nqn.2026-11.io.uringblk:pair-zns
HOST_OK=nqn.2014-08.org.nvmexpress:uuid:34343434-0000-4000-8000-000000000001
HOST_BAD=nqn.2014-08.org.nvmexpress:uuid:34343434-0000-4000-8000-000000000002
ID_OK=34343434-0000-4000-8000-000000000001
ID_BAD=34343434-0000-4000-8000-000000000002
T=${URINGBLK_PAIR_TARGET:-10.34.0.1}
CFG=/sys/kernel/config/nvmet
# Each half's waits: the other guest's boot, module loads and fio under TCG.
WAIT=300

# ============================ target ======================================

t_refusals() {
	local out rc
	ub_fresh /tmp/unused || return
	ub_mkdev nvm capacity_mb=256 || { fail "configfs drive"; return; }
	expect_eq "the configfs drive's index" 0 "$(<"$UB_CFS/nvm/index")" || return
	out=$("$EXPORT" export /dev/uringblk0 --nqn "$NQN_NVM" --addr "$T" 2>&1)
	expect_eq "export without --host-nqn: status" 2 $? || return
	[[ $out == *"--host-nqn"* ]] || { fail "no hint about --host-nqn: $out"; return; }
	out=$("$EXPORT" export /dev/uringblk0 --nqn "bad nqn" --addr "$T" --host-nqn "$HOST_OK" 2>&1)
	expect_eq "export with a blank in the NQN: status" 2 $? || return
	out=$("$EXPORT" export /dev/nonexistent --nqn "$NQN_NVM" --addr "$T" --host-nqn "$HOST_OK" 2>&1)
	expect_eq "export of a missing device: status" 1 $? || return
	# unexport of what is not there: nothing to do, success
	check "unexport of nothing" "$EXPORT" unexport --nqn "$NQN_NVM" || return
	# in use, on the real kernel: a mounted file system, an export
	mkdir -p /tmp/ub-mnt
	check "mkfs.ext4" mkfs.ext4 -q -F /dev/uringblk0 && check "mount" mount /dev/uringblk0 /tmp/ub-mnt ||
		return
	out=$("$EXPORT" export /dev/uringblk0 --nqn "$NQN_NVM" --addr "$T" --host-nqn "$HOST_OK" 2>&1)
	rc=$?
	umount /tmp/ub-mnt
	expect_eq "export of a mounted drive: status" 1 $rc || return
	[[ $out == *"uringblk0 is mounted at /tmp/ub-mnt"* ]] || { fail "no mount named: $out"; return; }
	check "export" "$EXPORT" export /dev/uringblk0 --nqn "$NQN_NVM-1" --addr "$T" \
		--host-nqn "$HOST_OK" > /dev/null || return
	out=$("$EXPORT" export /dev/uringblk0 --nqn "$NQN_NVM" --addr "$T" --host-nqn "$HOST_OK" 2>&1)
	rc=$?
	"$EXPORT" unexport --nqn "$NQN_NVM-1"
	expect_eq "a second export of one drive: status" 1 $rc || return
	[[ $out == *"exported already: namespace 1 of subsystem $NQN_NVM-1"* ]] ||
		fail "the first export not named: $out"
}

t_serve_nvm() {
	local ev end rc
	check "export" "$EXPORT" export /dev/uringblk0 --nqn "$NQN_NVM" --addr "$T" \
		--host-nqn "$HOST_OK" || { pair_signal nvm-ready fail; return 1; }
	expect_eq "allow_any_host" 0 "$(<"$CFG/subsystems/$NQN_NVM/attr_allow_any_host")" || return
	[[ -L $CFG/subsystems/$NQN_NVM/allowed_hosts/$HOST_OK ]] || { fail "host not allowed"; return; }
	"$EXPORT" show
	pair_signal nvm-ready ok
	ev=$(pair_wait $WAIT linkcut-go nvm-done) || { fail "initiator: $ev"; return; }
	if [[ $ev == linkcut-go ]]; then
		# Longer than the keep-alive timeout (5 s): nvmet drops the
		# controller, the host must reconnect.
		echo "link down for 12 s"
		ip link set eth0 down
		sleep 12
		ip link set eth0 up
		pair_signal link-up
		ev=$(pair_wait $WAIT verify-go nvm-done) || { fail "initiator: $ev"; return; }
	fi
	if [[ $ev == verify-go ]]; then
		pair_signal verified "$(pair_verify_acked /dev/uringblk0)"
		ev=$(pair_wait $WAIT remove-go nvm-done) || { fail "initiator: $ev"; return; }
	fi
	if [[ $ev == remove-go ]]; then
		# The drive goes while nvmet holds it and the host reads.
		echo "removing the drive"
		end=$SECONDS
		timeout 120 bash -c 'echo 0 > /sys/kernel/config/uringblk/nvm/power'
		rc=$?
		echo "power 0: status $rc after $((SECONDS - end)) s"
		pair_signal removed "$rc"
		((rc == 0)) || fail "removing the exported drive: status $rc" || return
		ev=$(pair_wait $WAIT nvm-done) || { fail "initiator: $ev"; return; }
	fi
	check "unexport" "$EXPORT" unexport --nqn "$NQN_NVM" || return
	[[ ! -e $CFG/subsystems/$NQN_NVM ]] || { fail "subsystem left"; return; }
	[[ -z $(ls "$CFG/ports") && -z $(ls "$CFG/hosts") ]] ||
		{ fail "ports or hosts left: $(ls "$CFG/ports" "$CFG/hosts")"; return; }
	check "unexport again" "$EXPORT" unexport --nqn "$NQN_NVM"
	rmdir /sys/kernel/config/uringblk/nvm
}

t_zns_refusals() {
	local out
	ub_unload && ub_load zoned=1 capacity_mb=64 zone_size_mb=4 zone_nr_conv=1 || return
	out=$("$EXPORT" export /dev/uringblk0 --nqn "$NQN_ZNS" --addr "$T" --host-nqn "$HOST_OK" 2>&1)
	expect_eq "export with a conventional zone: status" 1 $? || return
	echo "$out"
	[[ $out == *"conventional zone"* ]] || { fail "message does not name the conventional zones"; return; }
	[[ ! -e $CFG/subsystems/$NQN_ZNS ]] || { fail "a refused export left its subsystem"; return; }
	ub_unload || return
	# A smaller last zone: null_blk (configfs) makes one, uringblk does not.
	modprobe null_blk nr_devices=0 2>/dev/null && [[ -d /sys/kernel/config/nullb ]] ||
		{ echo "no null_blk: the smaller-last-zone rule is not checked"; return 0; }
	mkdir /sys/kernel/config/nullb/z34 &&
		echo 66 > /sys/kernel/config/nullb/z34/size &&
		echo 1 > /sys/kernel/config/nullb/z34/zoned &&
		echo 4 > /sys/kernel/config/nullb/z34/zone_size &&
		echo 1 > /sys/kernel/config/nullb/z34/power || { fail "null_blk zoned device"; return; }
	# 6.1's null_blk names a configfs device after its directory
	local dev=/dev/z34 rc
	out=$("$EXPORT" export "$dev" --nqn "$NQN_ZNS" --addr "$T" --host-nqn "$HOST_OK" 2>&1)
	rc=$?
	echo 0 > /sys/kernel/config/nullb/z34/power
	rmdir /sys/kernel/config/nullb/z34
	modprobe -r null_blk
	echo "$out"
	expect_eq "export with a smaller last zone: status" 1 $rc || return
	[[ $out == *"not a multiple of the zone size"* ]] || fail "message does not name the zone size rule"
}

t_serve_zns() {
	local ev
	ub_unload && ub_load zoned=1 capacity_mb=64 zone_size_mb=4 ||
		{ pair_signal zns-ready fail; return 1; }
	check "export ZNS" "$EXPORT" export /dev/uringblk0 --nqn "$NQN_ZNS" --addr "$T" \
		--host-nqn "$HOST_OK" || { pair_signal zns-ready fail; return 1; }
	pair_signal zns-ready ok
	ev=$(pair_wait $WAIT zns-done) || { fail "initiator: $ev"; return; }
	check "unexport ZNS" "$EXPORT" unexport --nqn "$NQN_ZNS"
}

target() {
	ktap_plan 4
	ktap_run export_refusals t_refusals
	ktap_run serve_nvm t_serve_nvm
	ktap_run zns_refusals t_zns_refusals
	ktap_run serve_zns t_serve_zns
	"$EXPORT" unexport --nqn "$NQN_NVM"
	"$EXPORT" unexport --nqn "$NQN_ZNS"
	modprobe -r nvmet-tcp nvmet 2>/dev/null
	ub_unload
	ktap_finish
}

# =========================== initiator ====================================

# ns_of NQN: the block device of namespace 1 of the connected subsystem.
ns_of() {
	local b
	for b in /sys/block/nvme*n1; do
		# nvmeXcYnZ: a path of native multipath, no node of its own
		[[ ${b##*/} =~ ^nvme[0-9]+c[0-9]+n ]] && continue
		[[ -e $b/device/subsysnqn && $(<"$b/device/subsysnqn") == "$1" ]] &&
			{ echo "/dev/${b##*/}"; return 0; }
	done
	return 1
}

# ctrl_of NQN: the controller (nvmeN) connected to NQN.
ctrl_of() {
	ub_nvme_ctrl subsysnqn "$1"
}

connect() {
	local i
	nvme connect -t tcp -a "$T" -s 4420 -n "$1" --hostnqn="$HOST_OK" --hostid="$ID_OK" \
		--ctrl-loss-tmo=60 --reconnect-delay=1 || return 1
	for ((i = 0; i < 100; i++)); do
		ns_of "$1" > /dev/null && return 0
		sleep 0.1
	done
	echo "no namespace block device for $1"
	return 1
}

i_wait_ready() {
	local ev
	ev=$(pair_wait $WAIT "$1") || { fail "target: $ev"; return; }
	expect_eq "target's $1" ok "$(pair_value "$1")"
}

i_refused() {
	local out rc
	i_wait_ready nvm-ready || return
	out=$(timeout 60 nvme connect -t tcp -a "$T" -s 4420 -n "$NQN_NVM" \
		--hostnqn="$HOST_BAD" --hostid="$ID_BAD" 2>&1)
	rc=$?
	echo "connect as $HOST_BAD: status $rc: $out"
	((rc != 0 && rc != 124)) || { fail "connect of an unauthorised host: status $rc"; return; }
	! ctrl_of "$NQN_NVM" > /dev/null || { fail "an unauthorised host got a controller"; return; }
	dmesg | grep -q 'nvmet: .*not allowed\|host .* not allowed' ||
		echo "(the target logs the refusal, not the initiator)"
}

i_discover() {
	local out
	out=$(nvme discover -t tcp -a "$T" -s 4420 --hostnqn="$HOST_OK" --hostid="$ID_OK" 2>&1)
	echo "$out" | grep -E 'subnqn|trtype|traddr'
	[[ $out == *"$NQN_NVM"* ]] || fail "discovery log does not list $NQN_NVM"
}

i_fio_verify() {
	local dev
	connect "$NQN_NVM" || { fail "connect"; return; }
	dev=$(ns_of "$NQN_NVM")
	echo "connected: $(ctrl_of "$NQN_NVM") $dev, $(($(blockdev --getsize64 "$dev") >> 20)) MiB"
	check "fio verify over NVMe/TCP" fio --name=fabric --filename="$dev" --direct=1 \
		--ioengine=libaio --rw=randwrite --bsrange=4k-128k --iodepth=16 --size=32m \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 --output-format=terse > /dev/null
}

i_btrfs() {
	local dev mnt=/tmp/btrfs-fabric sum1 sum2
	modprobe btrfs || { skip "no btrfs module"; return; }
	command -v mkfs.btrfs > /dev/null || { skip "no btrfs-progs"; return; }
	dev=$(ns_of "$NQN_NVM") || { fail "not connected"; return; }
	check "mkfs.btrfs" mkfs.btrfs -q -f "$dev" || return
	mkdir -p $mnt && check "mount" mount "$dev" $mnt || return
	head -c 24M /dev/urandom > /tmp/btrfs-data
	cp /tmp/btrfs-data $mnt/data && sync
	umount $mnt && check "remount" mount "$dev" $mnt || return
	sum1=$(sha256sum < /tmp/btrfs-data) sum2=$(sha256sum < $mnt/data)
	expect_eq "data read back through btrfs" "$sum1" "$sum2" || { umount $mnt; return 1; }
	out=$(btrfs scrub start -B $mnt 2>&1)
	rc=$?
	echo "$out" | grep -iE 'error|scrubbed|total'
	umount $mnt
	expect_eq "btrfs scrub status" 0 $rc || return
	[[ $out == *"no errors found"* ]] || fail "scrub did not say 'no errors found'"
}

i_link_cut() {
	local dev ctrl before fpid rc state acked v
	dev=$(ns_of "$NQN_NVM") && ctrl=$(ctrl_of "$NQN_NVM") || { fail "not connected"; return; }
	before=$(dmesg | wc -l)
	# Writes in flight across the cut; fio verifies every block it was told
	# was written once the writes are done.
	fio --name=cut --filename="$dev" --direct=1 --ioengine=libaio --rw=write --bs=64k \
		--iodepth=8 --size=64m --verify=crc32c --do_verify=1 --verify_fatal=1 \
		--rate=4m --verify_state_save=0 --output-format=terse > /tmp/fio-cut.out 2>&1 &
	fpid=$!
	# Beside it, from 128 MiB on, writes logged once fdatasync returned,
	# which the target checks on its own block device; they signal the cut.
	acked=$(pair_acked_writes "$dev" 32768 linkcut-go link-up) ||
		{ echo "$acked"; fail "an acknowledged-writes writer's write failed"; kill $fpid; return; }
	echo "acknowledged writes, slow ones (across the cut): $acked"
	timeout 240 tail --pid=$fpid -f /dev/null
	wait $fpid
	rc=$?
	state=$(cat /sys/class/nvme/"$ctrl"/state 2>/dev/null)
	ub_dmesg_since "$before" | grep -E "nvme|$ctrl" | tail -n 12
	expect_eq "fio across the link cut (terse output: $(cut -d';' -f1-6 /tmp/fio-cut.out | head -1))" 0 $rc || return
	expect_eq "controller state after the cut" live "$state" || return
	ub_dmesg_since "$before" | grep -qiE "reconnect|Successfully" ||
		{ fail "no reconnect in the kernel log: the cut did not break the connection"; return; }
	((${acked#* } >= 1)) || { fail "no acknowledged write waited across the cut"; return; }
	pair_signal verify-go
	v=$(pair_wait $WAIT verified) || { fail "target: $v"; return; }
	expect_eq "acknowledged writes found on the target" "ok ${acked%% *}" "$(pair_value verified)"
}

i_removal() {
	local dev before out rc
	dev=$(ns_of "$NQN_NVM") || { fail "not connected"; return; }
	before=$(dmesg | wc -l)
	pair_reads_removed "$dev" || return
	ub_dmesg_since "$before" | grep -iE 'error|nvme' | tail -n 8
	# A read now gets a clear error, at once.
	out=$(timeout 60 dd if="$dev" of=/dev/null bs=4k count=1 iflag=direct 2>&1)
	rc=$?
	echo "dd after removal: status $rc: $(tail -1 <<< "$out")"
	((rc != 0 && rc != 124)) || fail "dd after removal: status $rc (124: hung)" || return
	check "disconnect" timeout 60 nvme disconnect -n "$NQN_NVM" > /dev/null
}

i_zns() {
	local dev nz wp
	i_wait_ready zns-ready || return
	connect "$NQN_ZNS" || { fail "connect ZNS"; return; }
	dev=$(ns_of "$NQN_ZNS")
	expect_eq "zoned model over the fabric" host-managed \
		"$(cat /sys/block/"${dev#/dev/}"/queue/zoned)" || return
	nz=$(blkzone report "$dev" | grep -c 'wptr')
	expect_eq "zones in the report" 16 "$nz" || return
	check "fio zonemode=zbd verify" fio --name=zns --filename="$dev" --direct=1 \
		--ioengine=libaio --zonemode=zbd --rw=write --bs=64k --iodepth=1 \
		--size=16m --verify=crc32c --do_verify=1 --verify_fatal=1 \
		--verify_state_save=0 --output-format=terse > /dev/null || return
	wp=$(blkzone report -c 1 "$dev" | sed -n 's/.*wptr 0x\([0-9a-f]*\).*/\1/p')
	expect_eq "zone 0's write pointer (sectors) after fio" $((4 << 11)) $((0x${wp:-0})) || return
	check "zone reset" blkzone reset "$dev" || return
	wp=$(blkzone report -c 1 "$dev" | sed -n 's/.*wptr 0x\([0-9a-f]*\).*/\1/p')
	expect_eq "zone 0's write pointer after reset" 0 $((0x${wp:-1}))
}

initiator() {
	modprobe nvme-tcp ||
		{ echo "Bail out! no nvme-tcp module"; pair_signal nvm-done; pair_signal zns-done; exit 4; }
	ktap_plan 7
	ktap_run refused_host i_refused
	ktap_run discover i_discover
	ktap_run fio_verify i_fio_verify
	ktap_run btrfs i_btrfs
	ktap_run link_cut i_link_cut
	ktap_run removal i_removal
	nvme disconnect -n "$NQN_NVM" > /dev/null 2>&1
	pair_signal nvm-done
	ktap_run zns i_zns
	nvme disconnect -n "$NQN_ZNS" > /dev/null 2>&1
	pair_signal zns-done
	modprobe -r nvme-tcp 2>/dev/null
	ktap_finish
}

[[ -n ${URINGBLK_PAIR_DIR:-} && -d ${URINGBLK_PAIR_DIR:-} ]] ||
	{ echo "run through tools/vm/run-pair (URINGBLK_PAIR_DIR)"; exit 4; }
for tool in nvme fio blkzone; do
	command -v $tool > /dev/null || { echo "Bail out! $tool missing"; exit 4; }
done
case ${URINGBLK_PAIR_ROLE:-} in
target) ub_need_ko || exit 1; target ;;
initiator) initiator ;;
*) echo "URINGBLK_PAIR_ROLE must be target or initiator"; exit 2 ;;
esac
