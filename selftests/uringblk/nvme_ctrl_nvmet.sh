#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's NVMe target exports the drive's controller of Linux's NVMe
# driver (nvme_ctrl=1) whole, by passthru (6.12: CONFIG_NVME_TARGET_PASSTHRU),
# over nvme-loop, and the initiator side uses it with nvme-cli and fio
# (Documentation/dev/nvme-controller.md, step 7):
#  - export: subsystem passthru/device_path=/dev/nvmeX, a loop port,
#    nvme connect; the loop controller has the drive's three namespaces
#    (NSID 1 a block device, NSIDs 2 and 3 generic nodes of CSI 4 and 3)
#    and Identify Controller's serial and model are the drive's;
#  - data: written through the loop controller's block device, read
#    through /dev/uringblk0, and fio verifies over the loop;
#  - compute: Documentation/examples/nvme.md's flow with its admin
#    commands on the target's /dev/nvmeX (the program loaded and
#    activated there) and its I/O commands (Memory Copy, Execute Program)
#    over the loop: the drive's count equals the host's;
#  - the Computational Programs admin commands over the loop: nvmet's
#    passthru refuses an admin opcode it does not know (Invalid Command
#    Opcode): what issue 54 is to change;
#  - disconnect, disable, the module unloads; nothing in dmesg.
# Skips where the kernel cannot export by passthru (6.1), or the module
# was built without the controller, or nvme-cli is missing.
#
# Needs root, fio, nvme-cli and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

TOP=$(ub_top Documentation/examples/nvme.md)
NQN=nqn.2026-11.io.uringblk:passthru
CFS=/sys/kernel/config/nvmet
TMP=/tmp/ub-nvme-pt
CTRL='' LOOP=''

# found: CTRL and LOOP from sysfs (each case runs in its own subshell), or
# skip when the first case did not export the drive.
found() {
	CTRL=$(ub_nvme_ctrl address traddr=uringblk0) && LOOP=$(ub_nvme_ctrl subsysnqn $NQN) ||
		{ skip "the drive is not exported (see nvme_ctrl_nvmet_export)"; return; }
}

teardown() {
	nvme disconnect -n $NQN > /dev/null 2>&1
	rm -f "$CFS/ports/1/subsystems/$NQN" 2>/dev/null
	rmdir "$CFS/ports/1" 2>/dev/null
	[[ -e $CFS/subsystems/$NQN/passthru/enable ]] &&
		echo 0 > "$CFS/subsystems/$NQN/passthru/enable" 2>/dev/null
	rmdir "$CFS/subsystems/$NQN" 2>/dev/null
	modprobe -r nvme-loop nvmet 2>/dev/null
	rm -rf $TMP
}

t_export() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	ub_load_ctrl capacity_mb=64 || return
	CTRL=$UB_CTRL
	modprobe nvmet && modprobe nvme-loop ||
		{ skip "no nvmet or nvme-loop module (6.1's Debian kernel has no nvme-loop)"; return; }
	ub_configfs || mount -t configfs configfs /sys/kernel/config 2>/dev/null
	mkdir "$CFS/subsystems/$NQN" || { fail "mkdir the subsystem"; return; }
	if [[ ! -d $CFS/subsystems/$NQN/passthru ]]; then
		skip "nvmet has no passthru (CONFIG_NVME_TARGET_PASSTHRU; 6.1's Debian kernel: not set)"
		return
	fi
	echo 1 > "$CFS/subsystems/$NQN/attr_allow_any_host" &&
		echo "/dev/$CTRL" > "$CFS/subsystems/$NQN/passthru/device_path" &&
		echo 1 > "$CFS/subsystems/$NQN/passthru/enable" ||
		{ fail "passthru of /dev/$CTRL refused"; return; }
	mkdir "$CFS/ports/1" && echo loop > "$CFS/ports/1/addr_trtype" &&
		ln -s "$CFS/subsystems/$NQN" "$CFS/ports/1/subsystems/$NQN" ||
		{ fail "the loop port"; return; }
	nvme connect -t loop -n $NQN > /dev/null || { fail "nvme connect -t loop"; return; }
	LOOP=$(ub_nvme_ctrl subsysnqn $NQN) || { fail "no controller for $NQN after connect"; return; }
	echo "  /dev/$CTRL exported as $NQN, connected as /dev/$LOOP"
	local n1 n2 n3 g2 g3 out v
	n1=$(ub_nvme_ns "$LOOP" 1) && n2=$(ub_nvme_ns "$LOOP" 2) && n3=$(ub_nvme_ns "$LOOP" 3) &&
		g2=$(ub_nvme_ng "$LOOP" 2) && g3=$(ub_nvme_ng "$LOOP" 3) ||
		{ ls "/sys/class/nvme/$LOOP"; fail "$LOOP lacks one of NSIDs 1-3"; return; }
	[[ -b /dev/$n1 && -c $g2 && -c $g3 && ! -e /dev/$n2 ]] ||
		{ fail "$LOOP's nodes: /dev/$n1 a block device, $g2 and $g3 generic only"; return; }
	expect_eq "$n2's csi" 4 "$(ns_csi "$LOOP" 2 "$n2")" || return
	expect_eq "$n3's csi" 3 "$(ns_csi "$LOOP" 3 "$n3")" || return
	out=$(nvme id-ctrl "/dev/$LOOP") || { fail "nvme id-ctrl /dev/$LOOP"; return; }
	v=$(sed -n 's/^sn *: *//p' <<< "$out" | sed 's/ *$//')
	expect_eq "serial over the loop" uringblk0 "$v" || return
	v=$(sed -n 's/^mn *: *//p' <<< "$out" | sed 's/ *$//')
	expect_eq "model over the loop" "uringblk computational storage" "$v"
}

# ns_csi CTRL NSID NS: the namespace's Command Set Identifier: its sysfs
# attribute where the kernel has one (6.12; 6.1 has none, so this test
# found no csi file on 6.1's debug kernel, the first 6.1 with nvmet
# passthru here), else the CSI descriptor (NIDT 04h) of its Namespace
# Identification Descriptor list (Identify CNS 03h), read raw so that no
# nvme-cli output format matters.
ns_csi() {
	local f=/sys/class/nvme/$1/$3/csi b i=0 t l
	[[ -r $f ]] && { cat "$f"; return; }
	read -r -a b < <(nvme ns-descs "/dev/$1" -n "$2" -o binary | od -v -An -tu1 | tr -s ' \n' ' ')
	while ((i + 4 <= ${#b[@]})); do
		t=${b[i]} l=${b[i + 1]}
		((l)) || break
		((t == 4)) && { echo "${b[i + 4]}"; return; }
		i=$((i + 4 + l))
	done
	return 1
}

t_data() {
	found || return
	local blk
	blk=/dev/$(ub_nvme_ns "$LOOP" 1) || { fail "no NSID 1 under $LOOP"; return; }
	mkdir -p $TMP && head -c $((1 << 20)) /dev/urandom > $TMP/a
	dd if=$TMP/a of="$blk" bs=64k oflag=direct status=none || { fail "dd to $blk"; return; }
	cmp <(dd if=/dev/uringblk0 bs=64k count=16 iflag=direct status=none) $TMP/a ||
		{ fail "/dev/uringblk0 reads other data than written over the loop"; return; }
	fio --name=pt --filename="$blk" --ioengine=io_uring --direct=1 --rw=randwrite --bs=4k \
		--iodepth=16 --offset=8M --size=8M --verify=crc32c --verify_fatal=1 \
		--output=$TMP/fio > /dev/null 2>&1 || { cat $TMP/fio; fail "fio verify over the loop"; }
}

t_compute() {
	found || return
	command -v llvm-objcopy > /dev/null || { skip "llvm-objcopy not installed"; return; }
	[[ -r $TOP/out/bpf/count_pattern.bpf.o ]] || { skip "no out/bpf/count_pattern.bpf.o (make)"; return; }
	local cp sl out line
	cp=$(ub_nvme_ng "$LOOP" 2) && sl=$(ub_nvme_ng "$LOOP" 3) ||
		{ fail "no generic nodes of NSIDs 2, 3 under $LOOP"; return; }
	sed -n '/<!-- nvme-cp-flow: begin -->/,/<!-- nvme-cp-flow: end -->/p' \
		"$TOP/Documentation/examples/nvme.md" | sed '1d;$d' | sed '1{/^```/d};${/^```/d}' > $TMP/flow.sh
	echo "  admin on the target's /dev/$CTRL, I/O on $cp and $sl over the loop"
	out=$(cd "$TOP" && CTRL=/dev/$CTRL CPNS=$cp SLMNS=$sl \
		OBJ=$TOP/out/bpf/count_pattern.bpf.o bash $TMP/flow.sh 2>&1) ||
		{ echo "$out"; fail "the flow over the loop"; return; }
	line=$(grep '^Alpha: the drive counted' <<< "$out")
	echo "  $line"
	[[ $line =~ counted\ ([0-9]+),\ the\ host\ ([0-9]+)$ ]] || { fail "no answer line"; return; }
	expect_eq "the drive's count over the loop" "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}" || return
	((BASH_REMATCH[1] > 0)) || fail "nothing was counted"
}

t_cp_admin_refused() {
	found || return
	local out
	# Program Activation Management (88h) of slot 1, deactivate: harmless
	out=$(nvme admin-passthru "/dev/$LOOP" --opcode=0x88 --namespace-id=2 --cdw10=1 2>&1) &&
		{ echo "$out"; fail "nvmet's passthru forwarded 88h: issue 54's analysis needs updating"; return; }
	echo "  88h over the loop: $out"
	grep -qi 'Invalid Command Opcode\|INVALID_OPCODE' <<< "$out" ||
		fail "88h over the loop: not Invalid Command Opcode"
}

t_teardown() {
	teardown
	if ub_nvme_ctrl subsysnqn $NQN > /dev/null; then
		fail "the loop controller is still there after disconnect"
		return
	fi
	ub_unload || fail "the module does not unload"
}

t_dmesg() { ub_dmesg_clean "$dmesg_start"; }

ub_need_ko || exit 1
trap teardown EXIT
ktap_plan 6
dmesg_start=$(dmesg | wc -l)
ktap_run nvme_ctrl_nvmet_export t_export
ktap_run nvme_ctrl_nvmet_data t_data
ktap_run nvme_ctrl_nvmet_compute t_compute
ktap_run nvme_ctrl_nvmet_cp_admin_refused t_cp_admin_refused
ktap_run nvme_ctrl_nvmet_teardown t_teardown
ktap_run dmesg_clean t_dmesg
ktap_finish
