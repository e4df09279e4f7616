#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's NVMe target as the oracle: nvmet + nvmet-tcp export
# /dev/uringblk0 over loopback NVMe/TCP (configfs only), nvme-cli asks the
# same of /dev/nvmeX and of /dev/uringblkc0, and the fields both must agree
# on are compared: smart-log's data units and commands, id-ctrl's oacs,
# frmw, lpa, vwc, id-ns's size and LBA format, get-feature -f 6, an unknown
# LID's status code.  Skips when the modules or nvme-cli are missing.
# And tools/nvmet-export's refusals of a device in use (6.1's nvmet opens
# it without FMODE_EXCL, so nvmet itself refuses none of these): mounted
# (ext4), swap, and one drive exported a second time under another NQN;
# each refused with exit status 1 and a message naming the user, nothing
# left in configfs; the device exports once it is free.
#
# Needs root, nvme-cli, jq and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblkc0
CFG=/sys/kernel/config/nvmet
NQN=uringblk-oracle

teardown() {
	nvme disconnect -n $NQN > /dev/null 2>&1
	rm -f $CFG/ports/1/subsystems/$NQN 2>/dev/null
	rmdir $CFG/ports/1 2>/dev/null
	echo 0 > $CFG/subsystems/$NQN/namespaces/1/enable 2>/dev/null
	rmdir $CFG/subsystems/$NQN/namespaces/1 $CFG/subsystems/$NQN 2>/dev/null
	modprobe -r nvme-tcp nvmet-tcp nvmet 2>/dev/null
}

# f CMD... FIELD: the value of "FIELD : value" in nvme-cli's output.
f() {
	local field=${*: -1}
	"${@:1:$#-1}" 2>&1 | sed -n "s/^$field *: *//p" | head -1 | sed 's/ *$//'
}

t_oracle() {
	command -v nvme > /dev/null && command -v jq > /dev/null || { skip "nvme-cli or jq missing"; return; }
	local ctrl k a b
	# iostats=1: nvmet's SMART data units and commands are its block
	# device's statistics (part_stat), which are off by default here, as brd
	ub_unload && ub_load capacity_mb=64 iostats=1 || return
	ip link set lo up 2>/dev/null
	for k in nvmet nvmet-tcp nvme-tcp; do
		modprobe $k 2>/dev/null || { skip "no $k module"; return; }
	done
	[[ -d $CFG ]] || mount -t configfs none /sys/kernel/config 2>/dev/null
	mkdir $CFG/subsystems/$NQN && echo 1 > $CFG/subsystems/$NQN/attr_allow_any_host &&
	mkdir $CFG/subsystems/$NQN/namespaces/1 &&
	echo /dev/uringblk0 > $CFG/subsystems/$NQN/namespaces/1/device_path &&
	echo 1 > $CFG/subsystems/$NQN/namespaces/1/enable &&
	mkdir $CFG/ports/1 && echo tcp > $CFG/ports/1/addr_trtype &&
	echo ipv4 > $CFG/ports/1/addr_adrfam && echo 127.0.0.1 > $CFG/ports/1/addr_traddr &&
	echo 4420 > $CFG/ports/1/addr_trsvcid &&
	ln -s $CFG/subsystems/$NQN $CFG/ports/1/subsystems/$NQN || { fail "configuring nvmet"; return; }
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $NQN \
		--hostnqn=nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001 > /dev/null ||
		{ fail "nvme connect"; return; }
	sleep 1
	ctrl=$(grep -l "^$NQN\$" /sys/class/nvme/nvme*/subsysnqn 2>/dev/null | head -1)
	ctrl=/dev/$(basename "$(dirname "$ctrl")")
	[[ -c $ctrl ]] || { fail "no controller node for $NQN"; return; }
	echo "  nvmet's controller: $ctrl"
	nvme write $DEV -n 1 -s 0 -c 127 -z 65536 -d /dev/zero > /dev/null || { fail "nvme write"; return; }
	nvme read $DEV -n 1 -s 0 -c 127 -z 65536 -d /dev/null > /dev/null || { fail "nvme read"; return; }
	a=$(nvme smart-log "$ctrl" -o json) b=$(nvme smart-log $DEV -o json) || { fail "smart-log"; return; }
	for k in data_units_read data_units_written host_read_commands host_write_commands \
		 critical_warning media_errors num_err_log_entries; do
		expect_eq "smart-log $k (nvmet, uringblk)" "$(jq -r .$k <<< "$a")" "$(jq -r .$k <<< "$b")" || return
		echo "  smart-log $k: $(jq -r .$k <<< "$b")"
	done
	for k in oacs acl frmw lpa vwc; do
		expect_eq "id-ctrl $k" "$(f nvme id-ctrl "$ctrl" $k)" "$(f nvme id-ctrl $DEV $k)" || return
	done
	for k in nsze ncap nuse nlbaf flbas "lbaf  0"; do
		expect_eq "id-ns $k" "$(f nvme id-ns "${ctrl}n1" "$k")" "$(f nvme id-ns $DEV -n 1 "$k")" || return
	done
	expect_eq "get-feature -f 6" "$(nvme get-feature "$ctrl" -f 6 | sed 's/.*value://')" \
		"$(nvme get-feature $DEV -f 6 | sed 's/.*value://')" || return
	# nvmet adds the More bit (its error log entry): compare SC and SCT
	a=$(nvme get-log "$ctrl" --log-id=0x70 --log-len=512 2>&1 | sed -n 's/.*(0x\([0-9a-f]*\))$/\1/p')
	b=$(nvme get-log $DEV --log-id=0x70 --log-len=512 2>&1 | sed -n 's/.*(0x\([0-9a-f]*\))$/\1/p')
	expect_eq "unknown LID status (SCT, SC)" $((0x$a & 0x7ff)) $((0x$b & 0x7ff)) || return
}

# The tree's tools/nvmet-export: next to $URINGBLK_KO, or above this
# directory (selftests/uringblk, or the build's out/selftests/uringblk).
for TOP in "$(dirname "${URINGBLK_KO:-.}")" ../.. ../../..; do
	[[ -x $TOP/tools/nvmet-export && -d $TOP/selftests/uringblk ]] && break
done
EXPORT=$(cd "$TOP" && pwd -P)/tools/nvmet-export
NQN_A=nqn.2026-11.io.uringblk:in-use-a
NQN_B=nqn.2026-11.io.uringblk:in-use-b

# refused WHAT WORDS: an export of /dev/uringblk0 under NQN_B must fail
# with status 1, its message holding WORDS, and leave no subsystem behind.
refused() {
	local out rc
	out=$("$EXPORT" export /dev/uringblk0 --nqn $NQN_B --addr 127.0.0.1 --port 4421 \
		--allow-any-host 2>&1)
	rc=$?
	"$EXPORT" unexport --nqn $NQN_B > /dev/null 2>&1
	expect_eq "export of a $1 device: status" 1 $rc || { echo "  $out"; return 1; }
	[[ $out == *"$2"* ]] || { fail "the refusal of a $1 device does not say '$2': $out"; return 1; }
	[[ ! -e $CFG/subsystems/$NQN_B ]] || { fail "a refused export left $NQN_B"; return 1; }
	echo "  $1: ${out//$'\n'/ }"
}

t_export_in_use() {
	local mnt=/tmp/nvmet-in-use
	command -v mkfs.ext4 > /dev/null && command -v mkswap > /dev/null ||
		{ skip "mkfs.ext4 or mkswap missing"; return; }
	ub_unload && ub_load capacity_mb=64 || return
	ip link set lo up 2>/dev/null
	for k in nvmet nvmet-tcp; do
		modprobe $k 2>/dev/null || { skip "no $k module"; return; }
	done
	[[ -d $CFG ]] || mount -t configfs none /sys/kernel/config 2>/dev/null
	mkfs.ext4 -q -F /dev/uringblk0 > /dev/null && mkdir -p $mnt &&
		mount /dev/uringblk0 $mnt || { fail "mkfs.ext4 and mount"; return; }
	refused mounted "is mounted at $mnt"
	local rc=$?
	umount $mnt
	((rc == 0)) || return
	# A kernel without CONFIG_SWAP (the debug kernel's fragment) has no
	# swapon(2): ENOSYS, and nothing to refuse.
	if [[ -e /proc/swaps ]]; then
		mkswap -q /dev/uringblk0 > /dev/null && swapon /dev/uringblk0 || { fail "swapon"; return; }
		refused swap "is in use as swap"
		rc=$?
		swapoff /dev/uringblk0
		((rc == 0)) || return
	else
		echo "  swap: not checked, this kernel has no swap (no /proc/swaps)"
	fi
	check "export of the free drive" "$EXPORT" export /dev/uringblk0 --nqn $NQN_A \
		--addr 127.0.0.1 --port 4421 --allow-any-host || return
	refused "exported" "exported already: namespace 1 of subsystem $NQN_A"
	rc=$?
	check "unexport" "$EXPORT" unexport --nqn $NQN_A || return
	return $rc
}

ub_need_ko || exit 1
ktap_plan 2
ktap_run nvmet_oracle t_oracle
teardown
ktap_run export_in_use t_export_in_use
"$EXPORT" unexport --nqn $NQN_A > /dev/null 2>&1
"$EXPORT" unexport --nqn $NQN_B > /dev/null 2>&1
modprobe -r nvmet-tcp nvmet 2>/dev/null
ub_unload
ktap_finish
