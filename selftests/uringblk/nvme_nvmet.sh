#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's NVMe target as the oracle: nvmet + nvmet-tcp export
# /dev/uringblk0 over loopback NVMe/TCP (configfs only), nvme-cli asks the
# same of /dev/nvmeX and of /dev/uringblkc0, and the fields both must agree
# on are compared: smart-log's data units and commands, id-ctrl's oacs,
# frmw, lpa, vwc, id-ns's size and LBA format, get-feature -f 6, an unknown
# LID's status code.  Skips when the modules or nvme-cli are missing.
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

ub_need_ko || exit 1
ktap_plan 1
ktap_run nvmet_oracle t_oracle
teardown
ub_unload
ktap_finish
