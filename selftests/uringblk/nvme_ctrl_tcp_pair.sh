#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The drive's controller of Linux's NVMe driver (nvme_ctrl=1) exported whole
# over NVMe/TCP by the kernel's target (passthru, 6.12) in one guest, and
# its compute used from an unmodified host in another:
#   tools/vm/run-pair -- selftests/uringblk/nvme_ctrl_tcp_pair.sh   (selftests/run_pair)
# Target: makes a drive with the controller (configfs), writes 1 MiB of text
# ("Alpha" in every 7th line) and a B+-tree after it, loads and activates
# count_pattern and btree_lookup and makes a memory range set over SLM for
# each on its own /dev/nvmeX (the admin commands nvmet's passthru does not
# forward), then exports /dev/nvmeX by passthru
# to one host NQN with a DH-HMAC-CHAP key (nvme gen-dhchap-key) with
# tools/nvmet-export, and takes it down with it after.
# Initiator:
#   refused     the right host NQN with a wrong key, and another host NQN
#               with none: no controller either way
#   list        connected with the key: `nvme list` shows the drive's
#               serial and model, NSIDs 1-3 are there (2 and 3 generic
#               nodes only, CSI 4 and 3)
#   compute     Memory Copy (NSID 3) then Execute Program (NSID 2) over
#               TCP: the drive's count equals the initiator's own count of
#               the 1 MiB it reads over the fabric from NSID 1
#   lookup      a depth-6 B+-tree (after the text) copied into SLM by
#               Memory Copy over TCP, then btree_lookup by Execute Program
#               in its offset mode and Memory Read of the value: the value
#               the target's own lookup found; a missing key answers 0
#   admin       Program Activation Management (88h) over the fabric:
#               Invalid Command Opcode, nvmet's answer for an admin opcode
#               it does not forward
#   zns_status  a zoned drive's controller, exported the same way: a write
#               off a zone's write pointer answers Zone Invalid Write
#   kv          a KV drive's controller, exported the same way: Store and
#               Retrieve on its KV namespace (CSI 01h) over TCP
#   link_cut    400 4 KiB writes at most, each logged as acknowledged once
#               its fdatasync returned, across a 12 s cut of the target's
#               link (past the keep-alive timeout: the host reconnects);
#               the target finds every logged block on the drive
#   removal     the drive removed (configfs power 0) on the target under
#               fio reads over the fabric: they end in errors within
#               120 s, and the removal completes
# Target, after: disconnect seen, export taken down, the module unloads, no
# warning in either log.  On a kernel whose nvmet has no passthru (Debian's
# 6.1), or a module built without the controller, every case skips.
#
# Needs root, URINGBLK_KO, the URINGBLK_PAIR_* variables of tools/vm/run-pair,
# nvme-cli, llvm-objcopy and out/bpf/count_pattern.bpf.o.

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./pair.sh

TOP=$(ub_top out/bpf/count_pattern.bpf.o)
EXPORT=$TOP/tools/nvmet-export
NQN=nqn.2026-11.io.uringblk:pair-ctrl
NQN_ZNS=nqn.2026-11.io.uringblk:pair-ctrl-zns
NQN_KV=nqn.2026-11.io.uringblk:pair-ctrl-kv
HOST_OK=nqn.2014-08.org.nvmexpress:uuid:34343434-0000-4000-8000-000000000011
HOST_BAD=nqn.2014-08.org.nvmexpress:uuid:34343434-0000-4000-8000-000000000012
ID_OK=34343434-0000-4000-8000-000000000011
ID_BAD=34343434-0000-4000-8000-000000000012
T=${URINGBLK_PAIR_TARGET:-10.34.0.1}
CFG=/sys/kernel/config/nvmet
PIND=3 BT_PIND=4
# The tree: on the drive and in SLM from 2 MiB on (the text is 1 MiB)
BT_OFF=2097152
TMP=/tmp/ub-ctrl-tcp
WAIT=300

# ============================ target ======================================

# The data, then the programs and their range sets, through the target's
# own controller; prints "PIND RSID BT_RSID BT_SIZE KEY VALUE MISSING": the
# tree's set and bytes, a key of it with its value, a key not in it.
t_prepare() {
	local rsid bt n k v m
	mkdir -p $TMP
	awk 'BEGIN { for (i = 0; i < 120000; i++) printf "%s %d\n", i % 7 ? "beta" : "Alpha", i }' |
		head -c 1048576 > $TMP/data
	dd if=$TMP/data of="$DRIVE" bs=1M oflag=direct status=none || return
	rsid=$(pair_cp_program "$1" "$TOP/out/bpf/count_pattern.bpf.o" $PIND 1048576) ||
		{ echo "$rsid"; return 1; }
	bt=$("$TOP/out/bin/uringblk-btree" build "$DRIVE" --keys 2000 --depth 6 --seed 1 \
		--offset $BT_OFF) || { echo "btree build: $bt"; return 1; }
	n=$(awk '$1 == "image" { print $2; exit }' <<< "$bt")
	# a key and its value, and a key not there, as the target's EXEC finds them
	read -r _ k _ _ v _ < <("$TOP/out/bin/uringblk-btree" lookup "$DRIVE" --nth 1234 \
		--offset $BT_OFF) && [[ $v == 0x* ]] || { echo "btree lookup on the target"; return 1; }
	read -r _ m _ < <("$TOP/out/bin/uringblk-btree" lookup "$DRIVE" --missing 77 \
		--offset $BT_OFF) || { echo "btree lookup --missing on the target"; return 1; }
	bt=$(pair_cp_program "$1" "$TOP/out/bpf/btree_lookup.bpf.o" $BT_PIND \
		$(((n + 4095) / 4096 * 4096)) $BT_OFF) || { echo "$bt"; return 1; }
	echo "$PIND $rsid $bt $n ${k%:} $v ${m%:}"
}

t_serve() {
	local ctrl key prep ev v out rc
	command -v nvme > /dev/null || { pair_signal ready "skip nvme-cli missing"; skip "nvme-cli missing"; return; }
	ub_ctrl_drive ctrl 1 || {
		rc=$?
		((rc == KSFT_SKIP)) && pair_signal ready "skip the module has no controller" ||
			pair_signal ready fail
		return $rc
	}
	ctrl=/dev/$(ub_nvme_ctrl address "traddr=uringblk$UB_IDX") ||
		{ pair_signal ready fail; fail "no controller for uringblk$UB_IDX"; return; }
	DRIVE=/dev/uringblk$UB_IDX
	command -v llvm-objcopy > /dev/null && [[ -r $TOP/out/bpf/count_pattern.bpf.o ]] ||
		{ pair_signal ready "skip no llvm-objcopy or count_pattern.bpf.o"; skip "no llvm-objcopy or out/bpf/count_pattern.bpf.o (make)"; return; }
	prep=$(t_prepare "$ctrl") || { echo "$prep"; pair_signal ready fail; fail "the program"; return; }
	echo "  program $PIND active, range set ${prep#* } on $ctrl"
	key=$(nvme gen-dhchap-key --nqn="$HOST_OK") || { pair_signal ready fail; fail "gen-dhchap-key"; return; }
	out=$("$EXPORT" export "$ctrl" --nqn "$NQN" --addr "$T" --host-nqn "$HOST_OK" \
		--dhchap-key "$key" 2>&1)
	rc=$?
	echo "  $out"
	if ((rc == 1)) && [[ $out == *CONFIG_NVME_TARGET_PASSTHRU* ]]; then
		pair_signal ready "skip nvmet has no passthru (CONFIG_NVME_TARGET_PASSTHRU)"
		skip "nvmet has no passthru (Debian's 6.1: CONFIG_NVME_TARGET_PASSTHRU not set)"
		return
	fi
	((rc == 0)) || { pair_signal ready fail; fail "the passthru export of $ctrl: status $rc"; return; }
	expect_eq "the export's host key" "$key" "$(<"$CFG/hosts/$HOST_OK/dhchap_key")" ||
		{ pair_signal ready fail; return; }
	pair_signal ready "ok $prep $(grep -c Alpha $TMP/data) $key"
	# A zoned drive's controller (ZNS statuses over TCP) and a KV drive's
	# (CSI 01h), exported the same way
	t_drive_export zns "$NQN_ZNS" "$key" capacity_mb=64 zoned=1 zone_size_mb=4
	t_drive_export kv "$NQN_KV" "$key" capacity_mb=16 kv=1
	# What the initiator asks for, until it has finished.
	while ev=$(pair_wait $WAIT linkcut-go verify-go remove-go finished); do
		v=$(pair_value "$ev")
		rm -f "$URINGBLK_PAIR_DIR/$ev"
		case $ev in
		linkcut-go)
			# Longer than the keep-alive timeout (5 s): nvmet drops
			# the controller, the host must reconnect.
			echo "  link down for 12 s"
			ip link set eth0 down
			sleep 12
			ip link set eth0 up
			pair_signal link-up
			;;
		verify-go) pair_signal verified "$(pair_verify_acked "$DRIVE")" ;;
		remove-go)
			# The drive goes while nvmet passes commands through to
			# its controller and the host reads.
			local start=$SECONDS
			timeout 120 bash -c "echo 0 > $UB_CFS/ctrl/power"
			rc=$?
			echo "  power 0: status $rc after $((SECONDS - start)) s"
			pair_signal removed "$rc"
			;;
		finished) expect_eq "initiator's end" ok "$v"; return ;;
		esac
	done
	fail "initiator: $ev"
}

# t_drive_export NAME NQN KEY ATTR=VALUE...: configfs drive NAME with these
# attributes and a controller, powered on and its controller exported
# whole under NQN to HOST_OK with KEY; event NAME-ready says ok or fail.
t_drive_export() {
	local name=$1 nqn=$2 key=$3 a c ok=1
	shift 3
	mkdir "$UB_CFS/$name" || ok=0
	for a in "$@" nvme_ctrl=1 power=1; do
		((ok)) && { echo "${a#*=}" > "$UB_CFS/$name/${a%%=*}" || ok=0; }
	done
	if ((ok)) && c=$(ub_nvme_ctrl address "traddr=uringblk$(<"$UB_CFS/$name/index")") &&
		"$EXPORT" export "/dev/$c" --nqn "$nqn" --addr "$T" --host-nqn "$HOST_OK" \
			--dhchap-key "$key"; then
		pair_signal "$name-ready" ok
	else
		pair_signal "$name-ready" fail
		fail "the $name drive's controller export"
	fi
}

t_teardown() {
	check "unexport" "$EXPORT" unexport --nqn "$NQN" &&
		check "unexport ZNS" "$EXPORT" unexport --nqn "$NQN_ZNS" &&
		check "unexport KV" "$EXPORT" unexport --nqn "$NQN_KV" || return
	echo 0 > "$UB_CFS/zns/power" 2>/dev/null
	echo 0 > "$UB_CFS/kv/power" 2>/dev/null
	rmdir "$UB_CFS/ctrl" "$UB_CFS/zns" "$UB_CFS/kv" 2>/dev/null
	[[ ! -e $CFG/subsystems/$NQN && ! -e $CFG/hosts/$HOST_OK ]] ||
		{ fail "the subsystem or its host is still there"; return; }
	modprobe -r nvmet-tcp nvmet 2>/dev/null
	ub_unload || fail "the module does not unload"
}

target() {
	local dmesg_start
	dmesg_start=$(dmesg | wc -l)
	ktap_plan 3
	ktap_run serve t_serve
	ktap_run teardown t_teardown
	ktap_run dmesg ub_dmesg_clean "$dmesg_start"
	ktap_finish
}

# =========================== initiator ====================================

# ready: the target's state (skip, fail) or its values; sets PIND, RSID,
# the tree's BT_RSID BT_SIZE BT_KEY BT_VALUE BT_MISSING (t_prepare), COUNT
# (the target's count of "Alpha"), KEY.
ready() {
	local ev v
	ev=$(pair_wait $WAIT ready) || { fail "target: $ev"; return; }
	v=$(pair_value ready)
	case $v in
	skip*) skip "target: ${v#skip }"; return ;;
	ok\ *) read -r _ PIND RSID BT_RSID BT_SIZE BT_KEY BT_VALUE BT_MISSING COUNT KEY <<< "$v" ;;
	*) fail "target: $v"; return ;;
	esac
}

# connect HOSTNQN HOSTID LOSS-TMO [KEY]: status 124 if it hung for
# CONNECT_WAIT seconds (default 60).  A refused connect must not be
# retried (the target may close the connection before the host reads its
# answer, a path error the host would retry until LOSS-TMO), the real one
# must outlive the link cut.
connect() {
	local args=(-t tcp -a "$T" -s 4420 -n "${CONNECT_NQN:-$NQN}" --hostnqn="$1" --hostid="$2"
		--ctrl-loss-tmo="$3" --reconnect-delay=1)
	[[ -n ${4:-} ]] && args+=(--dhchap-secret="$4")
	timeout "${CONNECT_WAIT:-60}" nvme connect "${args[@]}"
}

i_refused() {
	ready || return
	local bad out rc
	# the right host with another key: the key's bytes changed, its CRC too
	bad=$(nvme gen-dhchap-key --nqn="$HOST_OK") || { fail "gen-dhchap-key"; return; }
	# The target may end the connection as it fails the key ("nvmet: ctrl
	# 1 fatal error occurred!") before the host reads the failure; the
	# host's authentication then waits for nvme-core's admin_timeout (60
	# s) and fails the connect (6.12, CI 2026-11-30: the error at 60.0 s,
	# as a 60 s timeout here killed it).  So more than a minute here: a
	# hang is still one.
	out=$(CONNECT_WAIT=90 connect "$HOST_OK" "$ID_OK" 0 "$bad" 2>&1)
	rc=$?
	echo "  connect with a wrong key: status $rc: $out"
	((rc != 0 && rc != 124)) || { fail "connect with a wrong DH-HMAC-CHAP key: status $rc"; return; }
	! ub_nvme_ctrl subsysnqn "$NQN" > /dev/null || { fail "a wrong key got a controller"; return; }
	out=$(connect "$HOST_BAD" "$ID_BAD" 0 2>&1)
	rc=$?
	echo "  connect as another host: status $rc: $out"
	((rc != 0 && rc != 124)) || { fail "connect of a host not allowed: status $rc"; return; }
	! ub_nvme_ctrl subsysnqn "$NQN" > /dev/null || fail "a host not allowed got a controller"
}

i_list() {
	ready || return
	local c out n2 n3
	check "connect with the key" connect "$HOST_OK" "$ID_OK" 60 "$KEY" > /dev/null || return
	c=$(ub_nvme_ctrl subsysnqn "$NQN") || { fail "no controller for $NQN after connect"; return; }
	# nvme-core scans the namespaces after the connect returned: nvme list
	# shows none until NSID 1's block device is there (CI met that)
	ub_nvme_ns "$c" 1 > /dev/null && n2=$(ub_nvme_ns "$c" 2) && n3=$(ub_nvme_ns "$c" 3) ||
		{ ls "/sys/class/nvme/$c"; fail "$c lacks one of NSIDs 1-3"; return; }
	out=$(nvme list 2>&1)
	echo "$out" | grep -E "^Node|uringblk" | sed 's/^/  /'
	grep -q "uringblk computational storage" <<< "$out" || { fail "nvme list lacks the drive's model"; return; }
	grep -q "uringblk0 " <<< "$out" || { fail "nvme list lacks the drive's serial"; return; }
	[[ ! -e /dev/$n2 && ! -e /dev/$n3 ]] || { fail "NSIDs 2, 3 have block devices"; return; }
	expect_eq "NSID 2's csi" 4 "$(<"/sys/class/nvme/$c/$n2/csi")" || return
	expect_eq "NSID 3's csi" 3 "$(<"/sys/class/nvme/$c/$n3/csi")"
}

i_compute() {
	ready || return
	local c blk cp sl out answer here
	c=$(ub_nvme_ctrl subsysnqn "$NQN") || { fail "not connected (see list)"; return; }
	blk=/dev/$(ub_nvme_ns "$c" 1) && cp=$(ub_nvme_ng "$c" 2) && sl=$(ub_nvme_ng "$c" 3) ||
		{ fail "the nodes of $c"; return; }
	mkdir -p $TMP
	# Memory Copy (01h, NSID 3): LBAs 0-2047 of NSID 1 into SLM byte 0
	pair_copy_range 0 2048 > $TMP/ranges
	check "Memory Copy over TCP" nvme io-passthru "$sl" --opcode=0x01 --namespace-id=3 \
		--cdw2=1048576 --cdw12=$((0 | 2 << 8)) --data-len=32 --input-file=$TMP/ranges \
		-w > /dev/null || return
	# Execute Program (01h, NSID 2): count "Alpha" in the range set
	pair_le 5 8 > $TMP/param
	out=$(nvme io-passthru "$cp" --opcode=0x01 --namespace-id=2 --cdw2=$((PIND | RSID << 16)) \
		--cdw10=0x68706c41 --cdw11=0x61 --data-len=8 --input-file=$TMP/param -w 2>&1) ||
		{ echo "$out"; fail "Execute Program over TCP"; return; }
	answer=$(pair_result "$out")
	# the same count here, from the bytes read over the fabric
	here=$(dd if="$blk" bs=1M count=1 iflag=direct status=none | grep -c Alpha)
	echo "  Alpha: the drive counted $answer over TCP, the initiator $here (the target $COUNT)"
	((here > 0)) || { fail "nothing to count"; return; }
	expect_eq "the drive's count" "$here" "$answer" || return
	expect_eq "the target's count" "$COUNT" "$here"
}

# btree_lookup pushed down over TCP: the tree into SLM by one Memory Copy,
# then Execute Program (BTREE_LOOKUP_OFFSET: r0 the value's offset in the
# set) and Memory Read of the 8 bytes there; a missing key answers 0.
i_lookup() {
	ready || return
	local c cp sl out off v
	c=$(ub_nvme_ctrl subsysnqn "$NQN") || { fail "not connected (see list)"; return; }
	cp=$(ub_nvme_ng "$c" 2) && sl=$(ub_nvme_ng "$c" 3) || { fail "the nodes of $c"; return; }
	mkdir -p $TMP
	pair_copy_range $((BT_OFF / 512)) $(((BT_SIZE + 511) / 512)) > $TMP/btrange
	check "Memory Copy of the tree over TCP" nvme io-passthru "$sl" --opcode=0x01 \
		--namespace-id=3 --cdw2=$(((BT_SIZE + 511) / 512 * 512)) --cdw10=$BT_OFF \
		--cdw12=$((0 | 2 << 8)) --data-len=32 --input-file=$TMP/btrange -w > /dev/null || return
	pair_le 1 8 > $TMP/btmode	# args[2] = BTREE_LOOKUP_OFFSET
	# bt_exec KEY: Execute Program's r0 (CPARAM2: the root, at 512 in
	# every image, bpf/btree.h)
	bt_exec() {
		out=$(nvme io-passthru "$cp" --opcode=0x01 --namespace-id=2 \
			--cdw2=$((BT_PIND | BT_RSID << 16)) --cdw10=$(($1 & 0xffffffff)) \
			--cdw11=$((($1 >> 32) & 0xffffffff)) --cdw12=512 --data-len=8 \
			--input-file=$TMP/btmode -w 2>&1) || { echo "$out"; return 1; }
		pair_result "$out"
	}
	off=$(bt_exec "$BT_KEY") || { echo "$off"; fail "Execute Program of btree_lookup over TCP"; return; }
	((off >= 512 && off % 8 == 0 && off < BT_SIZE)) ||
		{ fail "key $BT_KEY: r0 $off is not a value's offset"; return; }
	nvme io-passthru "$sl" --opcode=0x02 --namespace-id=3 --cdw10=$((BT_OFF + off)) \
		--cdw12=8 --data-len=8 -r -b > $TMP/btvalue 2> $TMP/bterr ||
		{ cat $TMP/bterr; fail "Memory Read of the value over TCP"; return; }
	out=$(od -An -tx8 $TMP/btvalue | tr -d ' ')
	v=0x${out#"${out%%[!0]*}"}
	[[ $v == 0x ]] && v=0x0
	echo "  key $BT_KEY: value $v at offset $off over TCP (the target found $BT_VALUE)"
	expect_eq "the value over TCP" "$BT_VALUE" "$v" || return
	off=$(bt_exec "$BT_MISSING") || { echo "$off"; fail "Execute Program (missing key)"; return; }
	expect_eq "a missing key's r0" 0 "$off"
}

i_admin_refused() {
	ready || return
	local c out
	c=$(ub_nvme_ctrl subsysnqn "$NQN") || { fail "not connected (see list)"; return; }
	# Program Activation Management (88h), deactivate slot PIND
	out=$(nvme admin-passthru "/dev/$c" --opcode=0x88 --namespace-id=2 --cdw10="$PIND" 2>&1) &&
		{ echo "$out"; fail "nvmet's passthru forwarded 88h: fabrics.md needs updating"; return; }
	echo "  88h over TCP: $out"
	grep -qi 'Invalid Command Opcode\|INVALID_OPCODE' <<< "$out" ||
		fail "88h over TCP: not Invalid Command Opcode"
}

# Writes logged once their fdatasync returned (pair.sh), from block 1024 on
# (past the text), across a 12 s cut of the target's link: the target
# finds every one on the drive, and some write waited for the reconnect.
i_link_cut() {
	ready || return
	local c blk acked before v state
	c=$(ub_nvme_ctrl subsysnqn "$NQN") && blk=/dev/$(ub_nvme_ns "$c" 1) ||
		{ fail "not connected (see list)"; return; }
	before=$(dmesg | wc -l)
	acked=$(pair_acked_writes "$blk" 1024 linkcut-go link-up) || { echo "$acked"; fail "a write failed"; return; }
	state=$(cat "/sys/class/nvme/$c/state" 2>/dev/null)
	ub_dmesg_since "$before" | grep -E "nvme" | tail -n 6
	echo "  ${acked%% *} writes acknowledged, ${acked#* } of them waited 5 s or more (the cut)"
	[[ -e $URINGBLK_PAIR_DIR/link-up ]] || { fail "the target did not bring its link back"; return; }
	((${acked#* } >= 1)) || { fail "no write waited across the cut: the link was not cut"; return; }
	expect_eq "controller state after the cut" live "$state" || return
	pair_signal verify-go
	v=$(pair_wait $WAIT verified) || { fail "target: $v"; return; }
	v=$(pair_value verified)
	echo "  target: $v"
	expect_eq "acknowledged writes found on the target" "ok ${acked%% *}" "$v"
}

# The drive removed on the target under reads over the fabric: the reads
# end in errors, not a hang, and the target's removal completes.
i_removal() {
	ready || return
	local c blk
	c=$(ub_nvme_ctrl subsysnqn "$NQN") && blk=/dev/$(ub_nvme_ns "$c" 1) ||
		{ fail "not connected (see list)"; return; }
	pair_reads_removed "$blk"
}

# connected NAME NQN: once the target's event NAME-ready says its drive is
# exported under NQN, connected with the key (no retries: ctrl-loss-tmo
# 0); prints the controller.
connected() {
	local ev c
	ev=$(pair_wait $WAIT "$1-ready") && [[ $(pair_value "$1-ready") == ok ]] ||
		{ fail "target: no $1 export"; return; }
	CONNECT_NQN=$2 check "connect $1" connect "$HOST_OK" "$ID_OK" 0 "$KEY" > /dev/null || return
	c=$(ub_nvme_ctrl subsysnqn "$2") || { fail "no controller for $2 after connect"; return; }
	echo "$c"
}

# A zoned drive's controller exported whole: a write off a zone's write
# pointer over TCP answers ZNS's Zone Invalid Write (1BCh), the drive's
# own status, where a block-device export can only say Internal Error
# (nvmet maps the block layer's EIO so).
i_zns_status() {
	ready || return
	local c n out
	c=$(connected zns "$NQN_ZNS") || { echo "$c"; return 1; }
	n=$(ub_nvme_ns "$c" 1) || { fail "no NSID 1 of $NQN_ZNS"; return; }
	expect_eq "NSID 1's csi" 2 "$(<"/sys/class/nvme/$c/$n/csi")" || return
	# LBA 1 of the empty first zone (its write pointer is at 0)
	out=$(nvme write "/dev/$n" --start-block=1 --block-count=0 --data-size=512 \
		--data=/dev/zero 2>&1)
	echo "  write at LBA 1 of an empty zone over TCP: $out"
	timeout 60 nvme disconnect -n "$NQN_ZNS" > /dev/null
	grep -qi "ZONE_INVALID_WRITE\|Zone Invalid Write\|0x1bc\|0x21bc\|0x41bc" <<< "$out" ||
		fail "not Zone Invalid Write"
}

# A KV drive's controller exported whole: Store and Retrieve (nvme-kv.md's
# commands) on its namespace's generic node over TCP.
i_kv() {
	ready || return
	local c ng rc
	c=$(connected kv "$NQN_KV") || { echo "$c"; return 1; }
	ng=$(ub_nvme_ng "$c" 1) || { fail "no NSID 1 of $NQN_KV"; return; }
	expect_eq "NSID 1's csi" 1 "$(<"/sys/class/nvme/$c/$(ub_nvme_ns "$c" 1)/csi")" || return
	ub_kv_roundtrip "$ng" "hello over tcp"
	rc=$?
	timeout 60 nvme disconnect -n "$NQN_KV" > /dev/null
	return $rc
}

initiator() {
	local rc=ok
	modprobe nvme-tcp || { echo "Bail out! no nvme-tcp module"; pair_signal finished fail; exit 4; }
	ktap_plan 9
	ktap_run refused i_refused
	ktap_run list i_list
	ktap_run compute i_compute
	ktap_run lookup i_lookup
	ktap_run admin_refused i_admin_refused
	ktap_run zns_status i_zns_status
	ktap_run kv i_kv
	ktap_run link_cut i_link_cut
	ktap_run removal i_removal
	timeout 60 nvme disconnect -n "$NQN" > /dev/null 2>&1
	! ub_nvme_ctrl subsysnqn "$NQN" > /dev/null || rc="the controller stayed after disconnect"
	pair_signal finished "$rc"
	modprobe -r nvme-tcp 2>/dev/null
	ktap_finish
}

[[ -n ${URINGBLK_PAIR_DIR:-} && -d ${URINGBLK_PAIR_DIR:-} ]] ||
	{ echo "run through tools/vm/run-pair (URINGBLK_PAIR_DIR)"; exit 4; }
case ${URINGBLK_PAIR_ROLE:-} in
target) ub_need_ko || exit 1; target ;;
initiator) initiator ;;
*) echo "URINGBLK_PAIR_ROLE must be target or initiator"; exit 2 ;;
esac
