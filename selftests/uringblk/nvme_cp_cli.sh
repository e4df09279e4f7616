#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The standard's computational storage flow with standard tools only:
# the script of Documentation/examples/nvme.md (between its
# "nvme-cp-flow" markers), run as it stands with Debian's nvme-cli 2.3 and
# llvm-objcopy: Load Program of count_pattern's instructions in two pieces
# (LOFF), Program Activation Management, 1 MiB of LBAs into SLM by the
# SLM set's Memory Copy on /dev/uringblkc0n3, Memory Range Set Management,
# Execute Program on
# /dev/uringblkc0n2, its answer (the completion's DW0) against the host's
# grep count, and the clean-up.
#  - the flow, on a freshly loaded drive: it succeeds and prints the
#    drive's count equal to the host's (not 0);
#  - the flow again on the same drive (its clean-up left the slot and the
#    set free): a new program id and RSID, the same count;
#  - the flow on the same drive as a controller of Linux's NVMe driver
#    (nvme_ctrl=1): the page's script with CTRL=/dev/nvmeX and CPNS and
#    SLMNS its generic nodes of NSIDs 2 and 3, the same answer (skips
#    when the module has no controller);
#  - the CLI takes the namespace nodes for their drive: `uringblk info`
#    of /dev/uringblkc0n2, /dev/uringblkc0n3 and uringblkc0n2 prints what
#    it prints for /dev/uringblkc0; uringblkc0n1 and n4 are usage errors;
#  - nothing in dmesg.
# Skips when nvme-cli or llvm-objcopy is missing, or the tree has no
# out/bpf/count_pattern.bpf.o.  Needs root and URINGBLK_KO; leaves the
# module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

# The tree: next to the module, else above this script.
for TOP in "$(dirname "${URINGBLK_KO:-.}")" ../.. ../../..; do
	[[ -r $TOP/Documentation/examples/nvme.md && -d $TOP/selftests/uringblk ]] && break
done
TOP=$(cd "$TOP" && pwd -P)
DOC=$TOP/Documentation/examples/nvme.md
OUT=/tmp/ub-nvme-cp

# The script of the page: the lines between the markers, less the fences.
flow_script() {
	sed -n '/<!-- nvme-cp-flow: begin -->/,/<!-- nvme-cp-flow: end -->/p' "$DOC" |
		sed '1d;$d' | sed '1{/^```/d};${/^```/d}'
}

need_tools() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	command -v llvm-objcopy > /dev/null || { skip "llvm-objcopy not installed"; return; }
	[[ -r $TOP/out/bpf/count_pattern.bpf.o ]] ||
		{ skip "no $TOP/out/bpf/count_pattern.bpf.o (make)"; return; }
	[[ $(flow_script | wc -l) -gt 20 ]] || { fail "no flow script in $DOC"; return; }
}

# run_flow: the page's script with the tree's object; its output in $OUT.
run_flow() {
	local rc
	(cd "$TOP" && OBJ=$TOP/out/bpf/count_pattern.bpf.o \
		bash -c "$(flow_script)") > $OUT 2>&1
	rc=$?
	sed 's/^/  /' $OUT
	((rc == 0)) || { fail "the flow script exited $rc"; return; }
	local line
	line=$(grep '^Alpha: the drive counted' $OUT)
	[[ $line =~ counted\ ([0-9]+),\ the\ host\ ([0-9]+)$ ]] ||
		{ fail "no answer line in the output"; return; }
	expect_eq "the drive's count against the host's" "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}" || return
	((BASH_REMATCH[1] > 0)) || fail "the count is 0: nothing was counted"
}

t_flow() {
	need_tools || return
	ub_unload && ub_load || return
	run_flow || return
	expect_eq "the first program's id (Load Program's result)" 1 \
		"$(grep -c 'is Success and result: 0x00000001$' $OUT)" || return
	# again: the ids move on, the answer does not
	run_flow || return
	grep -q '^memory range set 2$' $OUT || fail "the second set is not RSID 2"
}

# The page's script through the kernel's nodes of the drive's controller.
t_flow_ctrl() {
	local cpns slmns
	need_tools || return
	ub_load_ctrl || return
	cpns=$(ub_nvme_ng "$UB_CTRL" 2) && slmns=$(ub_nvme_ng "$UB_CTRL" 3) ||
		{ fail "no generic nodes for NSIDs 2 and 3 under $UB_CTRL"; return; }
	echo "  CTRL=/dev/$UB_CTRL CPNS=$cpns SLMNS=$slmns"
	CTRL=/dev/$UB_CTRL CPNS=$cpns SLMNS=$slmns run_flow
}

t_cli_ns_nodes() {
	local cli=$TOP/out/bin/uringblk want got n
	[[ -x $cli ]] || { skip "no $cli (make)"; return; }
	ub_unload && ub_load || return
	want=$("$cli" info /dev/uringblkc0) || { fail "info /dev/uringblkc0"; return; }
	for n in /dev/uringblkc0n2 /dev/uringblkc0n3 uringblkc0n2; do
		[[ $n != /* || -c $n ]] || { fail "no node $n"; return; }
		got=$("$cli" info $n) || { fail "info $n: exit $?"; return; }
		expect_eq "info $n (its drive's)" "$want" "$got" || return
	done
	for n in uringblkc0n1 uringblkc0n4; do
		"$cli" info $n > /dev/null 2>&1
		expect_eq "info $n: a usage error" 2 $? || return
	done
	echo "  info of n2, n3: drive 0's"
}

t_dmesg() { ub_dmesg_clean "$dmesg_start"; }

ktap_plan 4
dmesg_start=$(dmesg | wc -l)
ktap_run nvme_cp_flow t_flow
ktap_run nvme_cp_flow_ctrl t_flow_ctrl
ktap_run cli_ns_nodes t_cli_ns_nodes
ktap_run dmesg_clean t_dmesg
ub_unload
rm -f $OUT
ktap_finish
