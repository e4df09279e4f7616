#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU's own emulated NVMe controller as the oracle (tools/vm/run
# --qemu-nvme: Debian's QEMU 7.2 -device nvme, NSID 1 NVM, NSID 2 ZNS),
# driven by the kernel's real NVMe driver, against uringblk driven by the
# same unmodified nvme-cli 2.3 and fio 3.33:
#   /dev/uringblkc0 (a regular drive, 1 GiB)  against  $URINGBLK_VM_NVME_NG1
#   /dev/uringblkcN (a zoned drive, 64 MiB in 16 zones of 4 MiB, at most 6
#                    open and 8 active: QEMU's ZNS namespace's geometry)
#                                              against  $URINGBLK_VM_NVME_NG2
# Field by field, from nvme-cli's JSON: id-ctrl, id-ns (both namespaces),
# ns-descs, zns id-ctrl, zns id-ns, effects-log (CSI 00h and 02h), zns
# report-zones after the same zone operations on both; the NVMe status (or
# errno) of the same bad commands (nvme-cli prints no JSON for an error:
# the status it prints in hex is parsed); fio --ioengine=io_uring_cmd
# --cmd_type=nvme with crc32c verification on both NVM namespaces and with
# zonemode=zbd on both ZNS namespaces.  Then the drive as a controller of
# nvme-core (nvme_ctrl=1) against QEMU's controller, both under the same
# host driver: Set Features Number of Queues once the I/O queues exist,
# the mandatory features through the generic nodes, and fio io_uring_cmd
# with verification on each NVM namespace's generic node through ten
# controller resets (no error on either).
#
# Every field and status is compared.  The ones that differ by design, or
# that were found to differ and were reported (Documentation/dev/
# nvme-passthrough.md, "Checked against QEMU's NVMe device"), are in one
# table, KNOWN, with the reason: those are printed with both values, never
# asserted.  Anything else that differs fails the test, so a new difference
# is never silently accepted; a KNOWN entry that has come to agree fails
# too ("agrees now: drop it"), so the table stays exact.
#
# Without --qemu-nvme (no $URINGBLK_VM_NVME_NG1) every case SKIPs with the
# reason; selftests/run_suite attaches the controller when it runs this
# test.  Needs root, nvme-cli, jq, fio and URINGBLK_KO.  Leaves the module
# unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

U=/dev/uringblkc0
Q=${URINGBLK_VM_NVME_NG1:-}
QZ=${URINGBLK_VM_NVME_NG2:-}
UZ=		# the zoned drive's command device, set by setup
QBAD=		# why $Q and $QZ are not QEMU's NSIDs 1 and 2, set by setup
TMP=/tmp/ub-nvme-qemu
CAP_MB=1024	# QEMU's NSID 1 (tools/vm/run)
ZPARAMS="capacity_mb=64 zoned=1 zone_size_mb=4 zone_max_open=6 zone_max_active=8"

# KNOWN[key]: why uringblk and QEMU differ there.  Keys are globs over the
# flattened JSON paths "COMMAND.path.to.field" (arrays by index) and over
# "status.NAME" for the bad commands.  One table, so the list of known
# differences is in one place; each reason says whether it is by design or
# a difference reported to be looked at ("reported").
declare -A KNOWN=(
	# --- id-ctrl: identity, by design
	[id-ctrl.vid]="PCI vendor id: QEMU's (1b36), uringblk has no PCI function (0)"
	[id-ctrl.ssvid]="PCI subsystem vendor id: as vid"
	[id-ctrl.ieee]="IEEE OUI: QEMU's; uringblk has none"
	[id-ctrl.sn]="serial number: each device its own"
	[id-ctrl.mn]="model number: each device its own"
	[id-ctrl.fr]="firmware revision: QEMU's version, uringblk's driver version"
	[id-ctrl.subnqn]="NQN: each device its own"
	# --- id-ctrl: what each controller implements, by design
	[id-ctrl.ver]="version: uringblk claims NVMe 2.0 (command set identifiers, CNS 08h), QEMU 7.2 1.4"
	[id-ctrl.rab]="arbitration burst: QEMU arbitrates among its PCIe queues (6), uringblk has no NVMe queues"
	[id-ctrl.oaes]="async event notices: QEMU sends Namespace Attribute Notices (bit 8); uringblk raises no asynchronous event (AER answers Limit Exceeded at once)"
	[id-ctrl.ctratt]="QEMU: Extended LBA Formats (bit 15) for its ZNS LBA format extensions; uringblk has one format, none needed"
	[id-ctrl.oacs]="QEMU: Format NVM, Namespace Management, Doorbell Buffer Config; uringblk none of them"
	[id-ctrl.elpe]="error log entries: uringblk 64 (nvmet's choice, fewer), QEMU 1 (0's based 0)"
	[id-ctrl.tnvmcap]="total capacity: uringblk reports it, QEMU 0 (not reported)"
	[id-ctrl.nn]="namespaces: uringblk 3 (NVM, CP, SLM), QEMU 256 (its maximum)"
	[id-ctrl.mnan]="maximum allowed namespaces: uringblk 3 (NN), QEMU 0 (not reported)"
	[id-ctrl.oncs]="optional NVM commands: QEMU also Save/Select in Features, Timestamp, Verify; uringblk Compare, DSM, Write Zeroes, Copy (asserted: uringblk's bits are a subset)"
	[id-ctrl.vwc]="Flush with NSID FFFFFFFFh: QEMU 11b (supported); uringblk 00b (not reported), as nvmet: Linux's host check (nsid = the node's, else EINVAL) keeps it from any device behind a node, QEMU's included"
	[id-ctrl.ocfs]="copy formats: QEMU formats 0 and 1, uringblk format 0 only"
	# --- id-ns
	[id-ns.nlbaf]="LBA formats: QEMU offers 8 (512 and 4096 B, 0/8/16/64 B metadata), uringblk 1 (the in-use format is compared)"
	[id-ns.lbafs.[1-7].*]="QEMU's LBA formats beyond the in-use one (nlbaf)"
	[id-ns.nsfeat]="QEMU: bit 2 (deallocated-block error) and bit 4 (npwg..nows valid); uringblk none"
	[id-ns.mc]="metadata capabilities: QEMU has metadata, uringblk none"
	[id-ns.dpc]="protection information: QEMU has it, uringblk none"
	[id-ns.nvmcap]="NVM capacity: uringblk reports it, QEMU 0"
	[id-ns.mssrl]="Copy limits: QEMU's defaults (128, 128), uringblk MDTS in LBAs and 4 x that (msrc 127 agrees)"
	[id-ns.mcl]="Copy limits: as mssrl"
	[id-ns.np*]="npwg/npwa/npdg/npda: printed by nvme-cli only when nsfeat bit 4 is set (QEMU)"
	[id-ns.nows]="as npwg"
	[id-ns-zns.nlbaf]="as id-ns.nlbaf"
	[id-ns-zns.lbafs.[1-7].*]="as id-ns.lbafs"
	[id-ns-zns.nsfeat]="as id-ns.nsfeat"
	[id-ns-zns.mc]="as id-ns.mc"
	[id-ns-zns.dpc]="as id-ns.dpc"
	[id-ns-zns.nvmcap]="as id-ns.nvmcap"
	[id-ns-zns.mssrl]="as id-ns.mssrl (Copy on ZNS: both have it; msrc 127 agrees)"
	[id-ns-zns.mcl]="as id-ns.mssrl"
	[id-ns-zns.np*]="as id-ns.np*"
	[id-ns-zns.nows]="as id-ns.np*"
	# --- ZNS
	[zns-id-ctrl.zasl]="zone append limit: QEMU 0 (= mdts), uringblk the same limit written out (7); the effective limit is asserted"
	[zns-id-ns.lbafe.[1-7].*]="zone size of QEMU's other LBA formats"
	[report-zones.zone_list.*.wp]="a full zone's write pointer: QEMU FFFFFFFFFFFFFFFFh (not valid), uringblk the zone's end (null_blk's and blkzone's convention); other zones are asserted"
	# --- effects log: admin commands only a PCIe controller or QEMU has
	[effects-*.admin_cmd_set.ACS_[0145] *]="I/O queue create/delete: uringblk has no NVMe queues"
	["effects-*.admin_cmd_set.ACS_21 *"]="Namespace Attachment: QEMU's namespace management"
	["effects-*.admin_cmd_set.ACS_133 *"]="Load Program (85h): the Computational Programs admin commands, which QEMU 7.2 does not have"
	["effects-*.admin_cmd_set.ACS_136 *"]="Program Activation Management (88h): the Computational Programs admin commands, which QEMU 7.2 does not have"
	["effects-*.admin_cmd_set.ACS_137 *"]="Memory Range Set Management (89h): the Computational Programs admin commands, which QEMU 7.2 does not have"
	["effects-*.admin_cmd_set.ACS_28 *"]="Virtualization Management: QEMU's SR-IOV"
	["effects-*.admin_cmd_set.ACS_124 *"]="Doorbell Buffer Config: PCIe only"
	["effects-*.admin_cmd_set.ACS_128 *"]="Format NVM: QEMU has it, uringblk not"
	["effects-*.io_cmd_set.IOCS_0 *"]="Flush: QEMU CSUPP|LBCC (3), uringblk CSUPP (1), as later nvmet: Flush changes no block's content as a read sees it (the permission rule still wants a node open for writing)"
	["effects-csi2.*io_cmd_set.IOCS_9 *"]="Dataset Management on ZNS: QEMU has it, uringblk's zoned drive has no deallocate"
	["effects-*.io_cmd_set.IOCS_12 *"]="Verify: QEMU has it, uringblk not yet"
	# --- statuses
	[status.compare-miscompare]="Compare Failure: uringblk sets DNR (0x4285), QEMU not (0x285): the same command on the same data fails the same way, DNR's meaning"
	[status.zsa-reserved]="ZSA 11h (ZNS 1.1's Flush Explicit ZRWA Range): QEMU 7.2 has ZRWAs and answers a zone without one Invalid Zone Operation Request (0x41b6); uringblk has no ZRWA (ozcs bit 1 clear): an action it does not take, Invalid Field (0x4002, nvmet's answer)"
	[status.effects-csi-7]="the effects log of an I/O command set the controller lacks (CSI 07h): uringblk Invalid Log Page (0x4109), nvmet's answer; QEMU 7.2 ignores the CSI it does not know (a log with the admin commands only)"
	[status.copy-zns-off-wp]="Copy on ZNS off the write pointer: QEMU 7.2 checks the destination only after reading the sources (nvme_copy_in_completed_cb()) and answers Internal Error (0x6, no DNR); uringblk Zone Invalid Write (0x41bc) before any data moves, as QEMU's own Write answers (status.write-off-wp)"
	[status.copy-zns-full-zone]="Copy on ZNS to a full zone: QEMU 7.2 implicitly opens the destination zone (nvme_zrm_auto()) before checking the write, and a full zone cannot open: Invalid Zone State Transition (0x1bf, no DNR); uringblk Zone Is Full (0x41b9), as QEMU's own Write and Zone Append answer (status.zone-append-full)"
	[status.compare-across-zone]="Compare across a zone boundary with RAZB clear: QEMU 7.2's nvme_compare() has no zone check (its Read has, status.read-across-zone); uringblk Zone Boundary Error (0x41b8) as for a Read, by design: RAZB is about operations that read the media, and Compare reads the LBAs as Read does"
	[status.temp-thresh-set]="Set Features Temperature Threshold: QEMU stores the thresholds (success); uringblk's are fixed, its temperature a constant: Feature Not Changeable (0x410e), and Get Features' SEL 011b says so"
	[status.set-feature-nsid-1]="reported: Set Features of a feature that is not namespace specific (Volatile Write Cache) with NSID 1: QEMU Feature Not Namespace Specific (0x410f); uringblk ignores the NSID, as nvmet does (nvme-cli sends the node's NSID by default)"
	[status.cns-08h]="CNS 08h (I/O command set independent namespace): uringblk has it (NVMe 2.0), QEMU 7.2 Invalid Field"
	[status.copy-nlb-above-mssrl]="Copy with a range above MSSRL: QEMU 7.2 answers Internal Error (0x6, no DNR), as for the ZNS destination it checks only after reading the ranges (status.copy-zns-off-wp); uringblk Command Size Limit Exceeded (0x4183) before any data moves, what QEMU answers for NR above MSRC (status.copy-nr-above-msrc)"
	[status.set-feature-err-recovery-dulbe]="Set Features Error Recovery with DULBE: QEMU's namespaces have Deallocated or Unwritten Logical Block errors (NSFEAT bit 2) and store it; uringblk's have not (a deallocated block reads as zeroes): Invalid Field (0x4002); the case after it turns QEMU's off again"
	[status.set-feature-vwc-off]="Set Features Volatile Write Cache off: QEMU turns its cache off (success); uringblk's cache cannot be turned off (main.c's queue is write-back): Feature Not Changeable (0x410e), and the case after it turns QEMU's back on"
)
# Linux 6.12's host driver refuses, from userspace, Set Features of what it
# manages itself (Number of Queues, Keep Alive, Host Memory Buffer, APST,
# Host Behavior: drivers/nvme/host/ioctl.c, nvme_admin_cmd_allowed(), -EACCES
# even for root; the release that brought it is not confirmed here, 6.1
# sends the command), so QEMU's controller never sees it.  uringblk's
# device is not behind that driver and answers the command itself.
kernel_at_least 6 12 &&
	KNOWN[status.set-feature-num-queues]="Set Features Number of Queues: Linux 6.12's host driver refuses it before QEMU sees it (Permission denied); uringblk answers Command Sequence Error (0x400c), as QEMU does on 6.1"

# known KEY: the KNOWN pattern KEY matches, with its reason after a tab.
known() {
	local pat
	for pat in "${!KNOWN[@]}"; do
		# shellcheck disable=SC2053 # the table's keys are globs
		if [[ $1 == $pat ]]; then
			printf '%s\t%s\n' "$pat" "${KNOWN[$pat]}"
			return 0
		fi
	done
	return 1
}

# flat FILE: nvme-cli's JSON as "path<TAB>value" lines (strings trimmed).
# jq 1.6 holds numbers as doubles: a value above 2^53 (a write pointer of
# FFFFFFFFFFFFFFFFh) prints rounded, the same way on both sides.
flat() {
	jq -r 'paths(scalars) as $p | [($p | map(tostring) | join(".")),
		(getpath($p) | tostring | sub(" +$"; ""))] | @tsv' "$1"
}

# compare_json NAME UFILE QFILE: every field of both; fails on a difference
# KNOWN does not list.  Prints the counts, each KNOWN pattern that matched
# differing fields once (how many, one example, the reason), each KNOWN
# pattern whose fields all agree now, and every other difference.
compare_json() {
	local name=$1 k v m pat bad=0 same=0 diffs=0
	local -A a=() b=() ndiff=() nsame=() example=()
	local -a keys
	[[ -s $2 && -s $3 ]] || {
		fail "$name: no JSON (uringblk $(wc -c < "$2") B, QEMU $(wc -c < "$3") B): $(cat "$2.err" "$3.err" 2>/dev/null)"
		return 1
	}
	while IFS=$'\t' read -r k v; do a[$k]=$v; done < <(flat "$2")
	while IFS=$'\t' read -r k v; do b[$k]=$v; done < <(flat "$3")
	((${#a[@]} && ${#b[@]})) || { fail "$name: nvme-cli printed no fields"; return 1; }
	mapfile -t keys < <(printf '%s\n' "${!a[@]}" "${!b[@]}" | sort -uV)
	for k in "${keys[@]}"; do
		m=$(known "$name.$k") && pat=${m%%$'\t'*} || pat=
		if [[ -v a[$k] && -v b[$k] && ${a[$k]} == "${b[$k]}" ]]; then
			same=$((same + 1))
			[[ -n $pat ]] && nsame[$pat]=$((${nsame[$pat]:-0} + 1))
			continue
		fi
		diffs=$((diffs + 1))
		if [[ -n $pat ]]; then
			ndiff[$pat]=$((${ndiff[$pat]:-0} + 1))
			[[ -v example[$pat] ]] ||
				example[$pat]="$name.$k: uringblk '${a[$k]-(absent)}' QEMU '${b[$k]-(absent)}'"
		else
			echo "FAIL: $name.$k: uringblk '${a[$k]-(absent)}' QEMU '${b[$k]-(absent)}' (not in KNOWN)"
			bad=1
		fi
	done
	for pat in "${!ndiff[@]}"; do
		echo "  differs: ${example[$pat]}$( ((ndiff[$pat] > 1)) && echo " (and $((ndiff[$pat] - 1)) more of $pat)"): ${KNOWN[$pat]}"
	done
	# The table stays exact: an entry whose fields all agree now is stale.
	for pat in "${!nsame[@]}"; do
		[[ -v ndiff[$pat] ]] && continue
		echo "FAIL: $name: $pat agrees now: drop it from KNOWN (${KNOWN[$pat]})"
		bad=1
	done
	echo "  $name: $same fields agree, $diffs differ"
	((bad == 0))
}

# run2 NAME UDEV QDEV ARGS...: nvme ARGS with @DEV@ replaced by uringblk's
# node, then by QEMU's, into $TMP/NAME.u and $TMP/NAME.q.
run2() {
	local name=$1 udev=$2 qdev=$3
	shift 3
	nvme "${@/@DEV@/$udev}" > "$TMP/$name.u" 2> "$TMP/$name.u.err"
	nvme "${@/@DEV@/$qdev}" > "$TMP/$name.q" 2> "$TMP/$name.q.err"
}

# status DEV nvme-args...: "0x<status>" (NVMe status, nvme-cli's hex), an
# errno message ("Invalid argument"), or "success".
status() {
	local out rc
	out=$(nvme "$@" 2>&1 < /dev/null)
	rc=$?
	if [[ $out =~ NVMe\ status:.*\((0x[0-9a-f]+)\) ]]; then
		echo "${BASH_REMATCH[1]}"
	elif ((rc == 0)) && [[ $out =~ result:\ *(0*[1-9a-f][0-9a-f]*) ]]; then
		echo "success, result 0x${BASH_REMATCH[1]}"	# e.g. Abort's bit 0
	elif ((rc == 0)) && [[ $out =~ Current\ value:\ *(0x[0-9a-f]+) ]]; then
		echo "success, value ${BASH_REMATCH[1]}"	# get-feature
	elif ((rc == 0)); then
		echo success
	else
		echo "${out##*: }" | head -1
	fi
}

# need: 0 to run a case, $KSFT_SKIP (skip's status) with the reason, or 1.
need() {
	[[ -n $Q && -c $Q && -n $QZ && -c $QZ ]] ||
		{ skip "no QEMU NVMe controller: the guest was not booted with tools/vm/run --qemu-nvme"; return; }
	local t
	for t in nvme jq fio; do
		command -v $t > /dev/null || { skip "$t not installed (tools/deps.sh)"; return; }
	done
	[[ -n $UZ && -c $UZ ]] || { fail "setup made no zoned drive"; return 1; }
	[[ -z $QBAD ]] || { fail "$QBAD"; return 1; }
}

# nsid_of NODE: the NSID the kernel's driver gives NODE (NVME_IOCTL_ID).
nsid_of() {
	local out
	out=$(nvme get-ns-id "$1" 2>&1) && [[ $out =~ namespace-id:\ *([0-9]+) ]] &&
		echo "${BASH_REMATCH[1]}"
}

setup() {
	[[ -n $Q ]] || return 0
	# The runner names the nodes by NSID (tools/vm/guest-init): a node
	# name's Y is an instance number, not the NSID.
	local n1 n2
	n1=$(nsid_of "$Q") n2=$(nsid_of "$QZ")
	[[ $n1 == 1 && $n2 == 2 ]] ||
		QBAD="QEMU's nodes $Q and $QZ are NSIDs '$n1' and '$n2', not 1 (NVM) and 2 (ZNS)"
	ub_unload && ub_load capacity_mb=$CAP_MB || return 1
	ub_configfs || return 1
	ub_mkdev zq $ZPARAMS || return 1
	local i
	for ((i = 0; i < 50; i++)); do
		# a drive's command device, not a namespace node (uringblkcNn2)
		for UZ in /dev/uringblkc*; do
			[[ $UZ =~ ^/dev/uringblkc[0-9]+$ && $UZ != "$U" && -c $UZ ]] && return 0
		done
		sleep 0.1
	done
	UZ=
}

t_id_ctrl() {
	need || return
	run2 idc $U $Q id-ctrl @DEV@ -o json
	compare_json id-ctrl $TMP/idc.u $TMP/idc.q || return
	# oncs: what uringblk claims, QEMU's device has too (it is the more
	# complete NVM controller); on the zoned drive too.
	local u q uz
	u=$(jq .oncs $TMP/idc.u) q=$(jq .oncs $TMP/idc.q)
	uz=$(nvme id-ctrl "$UZ" -o json | jq .oncs)
	expect_eq "oncs bits of uringblk ($u, zoned $uz) that QEMU ($q) lacks" 0 $(((u | uz) & ~q))
}

t_id_ns() {
	need || return
	run2 idn $U $Q id-ns @DEV@ -o json
	compare_json id-ns $TMP/idn.u $TMP/idn.q || return
	run2 idnz "$UZ" "$QZ" id-ns @DEV@ -o json
	# The sizes differ only by the drives' capacity: 64 MiB both.
	compare_json id-ns-zns $TMP/idnz.u $TMP/idnz.q || return
	run2 nsd $U $Q ns-descs @DEV@ -o json
	compare_json ns-descs $TMP/nsd.u $TMP/nsd.q || return
	run2 nsdz "$UZ" "$QZ" ns-descs @DEV@ -o json
	compare_json ns-descs-zns $TMP/nsdz.u $TMP/nsdz.q
}

t_zns_id() {
	need || return
	run2 zidc "$UZ" "$QZ" zns id-ctrl @DEV@ -o json
	compare_json zns-id-ctrl $TMP/zidc.u $TMP/zidc.q || return
	# zasl 0 means "mdts": the limit each one applies must be the same.
	local z m u q
	z=$(jq .zasl $TMP/zidc.u) m=$(nvme id-ctrl "$UZ" -o json | jq .mdts)
	u=$((z ? z : m))
	z=$(jq .zasl $TMP/zidc.q) m=$(nvme id-ctrl "$QZ" -o json | jq .mdts)
	q=$((z ? z : m))
	expect_eq "the effective zone append limit (zasl, or mdts when 0)" "$q" "$u" || return
	echo "  effective zasl: $u both"
	run2 zidn "$UZ" "$QZ" zns id-ns @DEV@ -o json
	compare_json zns-id-ns $TMP/zidn.u $TMP/zidn.q
}

t_effects() {
	need || return
	run2 eff0 $U $Q effects-log @DEV@ --csi=0 -o json
	compare_json effects-csi0 $TMP/eff0.u $TMP/eff0.q || return
	run2 eff2 "$UZ" "$QZ" effects-log @DEV@ --csi=2 -o json
	compare_json effects-csi2 $TMP/eff2.u $TMP/eff2.q
}

# The same zone operations on both ZNS namespaces, then their reports.
t_report_zones() {
	need || return
	local d
	for d in "$UZ" "$QZ"; do
		nvme zns reset-zone $d -a > /dev/null &&
		# zone 1: 8 LBAs written (implicitly open), zone 2 explicitly open,
		# zone 3 written then closed, zone 4 full (finish), zone 5 full by
		# writes (its whole capacity by zone append), zone 11 explicitly
		# opened then closed without data (ZNS: CLOSED, not EMPTY)
		nvme write $d -s 8192 -c 7 -z 4096 -d /dev/zero > /dev/null &&
		nvme zns open-zone $d -s 16384 > /dev/null &&
		nvme zns open-zone $d -s 90112 > /dev/null &&
		nvme zns close-zone $d -s 90112 > /dev/null &&
		nvme write $d -s 24576 -c 15 -z 8192 -d /dev/zero > /dev/null &&
		nvme zns close-zone $d -s 24576 > /dev/null &&
		nvme zns finish-zone $d -s 32768 > /dev/null &&
		for ((i = 0; i < 16; i++)); do
			nvme zns zone-append $d -s 40960 -z 262144 -d /dev/zero > /dev/null || break
		done || { fail "zone operations on $d"; return 1; }
	done
	run2 rz "$UZ" "$QZ" zns report-zones @DEV@ -o json
	compare_json report-zones $TMP/rz.u $TMP/rz.q || return
	# The write pointers that are valid (not a full zone's) agree.
	local uw qw
	uw=$(jq -c '[.zone_list[] | select(.state != "FULL") | .wp]' $TMP/rz.u)
	qw=$(jq -c '[.zone_list[] | select(.state != "FULL") | .wp]' $TMP/rz.q)
	expect_eq "write pointers of the zones that are not full" "$qw" "$uw" || return
	echo "  states: $(jq -r '[.zone_list[].state] | join(" ")' $TMP/rz.u)"
	# Partial report and a state filter (-S 5: ZRASF 05h, full zones) too.
	run2 rzf "$UZ" "$QZ" zns report-zones @DEV@ -S 5 -p -d 1 -o json
	compare_json report-zones $TMP/rzf.u $TMP/rzf.q
}

# The same bad commands on both: nvme-cli's status, or the errno.
t_statuses() {
	need || return
	local nsze znsze name u q why bad=0
	nsze=$(nvme id-ns $U -o json | jq .nsze)
	znsze=$(nvme id-ns "$UZ" -o json | jq .nsze)
	# zone 12 appended to up to 8 LBAs before its end, on both
	local d i
	for d in "$UZ" "$QZ"; do
		for ((i = 0; i < 15; i++)); do
			nvme zns zone-append $d -s 98304 -z 262144 -d /dev/zero > /dev/null || break
		done
		nvme zns zone-append $d -s 98304 -z 258048 -d /dev/zero > /dev/null ||
			{ fail "zone 12 of $d not filled to 8 LBAs before its end"; return 1; }
	done
	# name|nvme arguments, @N@ the NVM node, @Z@ the ZNS node
	local cases=(
		"opcode-0x81|io-passthru @N@ --opcode=0x81 -n @NSID@"
		"opcode-0x81-zns|io-passthru @Z@ --opcode=0x81 -n @ZNSID@"
		"read-past-end|io-passthru @N@ --opcode=0x02 -n @NSID@ --cdw10=$nsze --data-len=512 -r"
		"read-across-end|io-passthru @N@ --opcode=0x02 -n @NSID@ --cdw10=$((nsze - 1)) --cdw12=1 --data-len=1024 -r"
		"write-zeroes-past-end|write-zeroes @N@ -s $nsze -c 0"
		"nsid-mismatch|io-passthru @N@ --opcode=0x02 -n 7 --cdw10=0 --data-len=512 -r"
		"nsid-0|io-passthru @N@ --opcode=0x02 --cdw10=0 --data-len=512 -r"
		"cns-unknown|admin-passthru @N@ --opcode=0x06 -n @NSID@ --cdw10=0x7f --data-len=4096 -r"
		"cns-05h-csi-7|admin-passthru @N@ --opcode=0x06 -n @NSID@ --cdw10=5 --cdw11=0x07000000 --data-len=4096 -r"
		"cns-08h|admin-passthru @N@ --opcode=0x06 -n @NSID@ --cdw10=8 --data-len=4096 -r"
		"cns-00h-nsid-ffffffff|admin-passthru @N@ --opcode=0x06 -n 0xffffffff --cdw10=0 --data-len=4096 -r"
		"lid-unknown|get-log @N@ --log-id=0x70 --log-len=512"
		"effects-csi-7|get-log @N@ --log-id=5 --log-len=4096 --csi=7"
		"admin-opcode-0xc1|admin-passthru @N@ --opcode=0xc1"
		"feature-unknown|get-feature @N@ -f 0x78"
		"compare-miscompare|compare @N@ -s 0 -c 0 -z 512 -d /dev/urandom"
		"zone-append-mid-zone|zns zone-append @Z@ -s 8 -z 512 -d /dev/zero"
		"zone-append-past-end|zns zone-append @Z@ -s $znsze -z 512 -d /dev/zero"
		"open-full-zone|zns open-zone @Z@ -s 32768"
		"close-empty-zone|zns close-zone @Z@ -s 49152"
		"zone-append-full|zns zone-append @Z@ -s 32768 -z 512 -d /dev/zero"
		"zone-append-no-room|zns zone-append @Z@ -s 98304 -z 8192 -d /dev/zero"
		"read-across-zone|io-passthru @Z@ --opcode=0x02 -n @ZNSID@ --cdw10=8190 --cdw12=2 --data-len=1536 -r"
		"compare-across-zone|io-passthru @Z@ --opcode=0x05 -n @ZNSID@ --cdw10=8190 --cdw12=2 --data-len=1536 -w -i /dev/zero"
		"write-off-wp|write @Z@ -s 57352 -c 0 -z 512 -d /dev/zero"
		"zrasf-reserved|zns report-zones @Z@ -S 0xe -o json"
		"zsa-reserved|zns zone-mgmt-send @Z@ -s 0 -z 0x11"
		"zone-send-not-start|zns open-zone @Z@ -s 8"
		"zra-extended|io-passthru @Z@ --opcode=0x7a -n @ZNSID@ --cdw12=1023 --cdw13=1 --data-len=4096 -r"
		"abort-sqid-0|admin-passthru @N@ --opcode=0x08"
		"abort-sqid-ffff|admin-passthru @N@ --opcode=0x08 --cdw10=0xffff"
		"keep-alive|admin-passthru @N@ --opcode=0x18"
		"temp-thresh-over|get-feature @N@ -f 4"
		"temp-thresh-under|get-feature @N@ -f 4 --cdw11=0x100000"
		"temp-thresh-thsel-reserved|get-feature @N@ -f 4 --cdw11=0x200000"
		"temp-thresh-set|set-feature @N@ -n 0xffffffff -f 4 -v 343"
		"set-feature-nsid-1|set-feature @N@ -n 1 -f 6 -v 1"
		"copy-zns-at-wp|copy @Z@ --sdlba=73728 --slbs=0 --blocks=7"
		"copy-zns-off-wp|copy @Z@ --sdlba=81928 --slbs=0 --blocks=7"
		"copy-zns-full-zone|copy @Z@ --sdlba=32768 --slbs=0 --blocks=7"
		# Identify of an NSID that is not valid: 0, NN + 1 (each its own
		# NN), FFFFFFFEh; CNS 05h of NSID 0
		"cns-00h-nsid-0|admin-passthru @N@ --opcode=0x06 -n 0 --cdw10=0 --data-len=4096 -r"
		"cns-00h-nsid-nn+1|admin-passthru @N@ --opcode=0x06 -n @NN1@ --cdw10=0 --data-len=4096 -r"
		"cns-00h-nsid-fffffffe|admin-passthru @N@ --opcode=0x06 -n 0xfffffffe --cdw10=0 --data-len=4096 -r"
		"cns-05h-nsid-0|admin-passthru @N@ --opcode=0x06 -n 0 --cdw10=5 --data-len=4096 -r"
		# the mandatory features, their values, and what Set does to them
		# (NSID FFFFFFFFh: nvme-cli sends the node's for -n 0)
		"get-feature-arbitration|get-feature @N@ -f 1"
		"get-feature-power-mgmt|get-feature @N@ -f 2"
		"get-feature-irq-coalesce|get-feature @N@ -f 8"
		"get-feature-irq-config-0|get-feature @N@ -f 9 --cdw11=0"
		"get-feature-irq-config-1|get-feature @N@ -f 9 --cdw11=1"
		"get-feature-irq-config-ffff|get-feature @N@ -f 9 --cdw11=0xffff"
		"get-feature-aec-default|get-feature @N@ -f 0xb -s 1"
		"get-feature-unknown-buffer|get-feature @N@ -f 0x78 -l 4096"
		"set-feature-arbitration|set-feature @N@ -n 0xffffffff -f 1 -v 0"
		"set-feature-power-mgmt|set-feature @N@ -n 0xffffffff -f 2 -v 0"
		"set-feature-irq-coalesce|set-feature @N@ -n 0xffffffff -f 8 -v 0"
		"set-feature-irq-config|set-feature @N@ -n 0xffffffff -f 9 -v 0x10000"
		"set-feature-num-queues|set-feature @N@ -n 0xffffffff -f 7 -v 0x00010001"
		"set-feature-vwc-off|set-feature @N@ -n 0xffffffff -f 6 -v 0"
		"set-feature-vwc-on|set-feature @N@ -n 0xffffffff -f 6 -v 1"
		# Error Recovery (05h, per namespace) and Write Atomicity Normal
		# (0Ah): mandatory for an NVM controller (nvme-passthrough.md);
		# DULBE is turned off again at once (QEMU's reads of unwritten
		# blocks would fail)
		"get-feature-err-recovery|get-feature @N@ -n 1 -f 5"
		"get-feature-err-recovery-caps|get-feature @N@ -n 1 -f 5 -s 3"
		"get-feature-err-recovery-nsid-ffffffff|get-feature @N@ -n 0xffffffff -f 5"
		"set-feature-err-recovery-dulbe|set-feature @N@ -n 1 -f 5 -v 0x10000"
		"set-feature-err-recovery-tler|set-feature @N@ -n 0xffffffff -f 5 -v 0"
		"get-feature-write-atomic|get-feature @N@ -f 0xa"
		"get-feature-write-atomic-caps|get-feature @N@ -f 0xa -s 3"
		"set-feature-write-atomic|set-feature @N@ -n 0xffffffff -f 0xa -v 0"
		# Copy's size limits: Command Size Limit Exceeded (SCT 1h, 0x4183)
		"copy-nr-above-msrc|io-passthru @N@ --opcode=0x19 -n @NSID@ --cdw10=4096 --cdw12=128 --data-len=4128 -w -i $TMP/copy-129-ranges"
		"copy-nlb-above-mssrl|copy @N@ --sdlba=4096 --slbs=0 --blocks=65535"
	)
	head -c 4128 /dev/zero > $TMP/copy-129-ranges
	local unn qnn
	unn=$(nvme id-ctrl $U -o json | jq .nn) qnn=$(nvme id-ctrl $Q -o json | jq .nn)
	local c args a side
	local -A res
	for c in "${cases[@]}"; do
		name=${c%%|*}
		for side in u q; do
			args=${c#*|}
			if [[ $side == u ]]; then
				args=${args//@N@/$U} args=${args//@Z@/$UZ} args=${args//@ZNSID@/1}
				args=${args//@NN1@/$((unn + 1))}
			else
				# QEMU's ZNS namespace is NSID 2, uringblk's drives NSID 1
				args=${args//@N@/$Q} args=${args//@Z@/$QZ} args=${args//@ZNSID@/2}
				args=${args//@NN1@/$((qnn + 1))}
			fi
			args=${args//@NSID@/1}
			read -r -a a <<< "$args"
			res[$side]=$(status "${a[@]}")
		done
		u=${res[u]} q=${res[q]}
		if [[ $u == "$q" ]]; then
			echo "  status.$name: $u both"
			if why=$(known "status.$name"); then
				echo "FAIL: status.$name agrees now: drop it from KNOWN (${why#*$'\t'})"
				bad=1
			fi
		elif why=$(known "status.$name"); then
			echo "  differs: status.$name: uringblk $u QEMU $q: ${why#*$'\t'}"
		else
			echo "FAIL: status.$name: uringblk '$u' QEMU '$q' (not in KNOWN): nvme ${c#*|}"
			bad=1
		fi
	done
	((bad == 0))
}

# fio_run NAME ARGS...: one fio job; fails on a non-zero exit, an I/O error
# or a verification failure.
fio_run() {
	local name=$1 rc
	shift
	fio --name="$name" --ioengine=io_uring_cmd --cmd_type=nvme --bs=64k --iodepth=4 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 \
		"$@" > "$TMP/fio-$name.out" 2>&1
	rc=$?
	if ((rc != 0)) || grep -qE 'err= *[1-9]' "$TMP/fio-$name.out" ||
	   grep -qiE 'verify: bad|fio: (pid|io_u) error|failed' "$TMP/fio-$name.out"; then
		cat "$TMP/fio-$name.out"
		fail "fio $name ($*) exited with $rc"
		return 1
	fi
	echo "  fio $name: $(grep -oE '(READ|WRITE): bw=[^,]*' "$TMP/fio-$name.out" | tr '\n' ' ')"
}

t_fio_verify() {
	need || return
	local d
	for d in "$U" "$Q"; do
		fio_run "verify-${d##*/}" --filename="$d" --rw=randwrite --size=32M || return
	done
}

t_fio_zbd() {
	need || return
	local d
	for d in "$UZ" "$QZ"; do
		nvme zns reset-zone "$d" -a > /dev/null || { fail "zns reset-zone -a $d"; return 1; }
		fio_run "zbd-${d##*/}" --filename="$d" --zonemode=zbd --rw=write --size=32M || return
	done
}

# The drive as a controller of nvme-core (nvme_ctrl=1) against QEMU's
# controller, both behind the same host driver: the answers nvme-core's own
# state decides.  Each case loads the module again (they run in
# subshells), so these cases come last.
QC=		# QEMU's controller, /dev/nvmeX, set by ctrl_setup
UC=		# ours, set by ctrl_setup
UNG=		# our NVM namespace's generic node

ctrl_setup() {
	[[ -n $Q && -c $Q ]] ||
		{ skip "no QEMU NVMe controller: the guest was not booted with tools/vm/run --qemu-nvme"; return; }
	local t
	for t in nvme fio; do
		command -v $t > /dev/null || { skip "$t not installed (tools/deps.sh)"; return; }
	done
	[[ -z $QBAD ]] || { fail "$QBAD"; return 1; }
	QC=${URINGBLK_VM_NVME:-}
	[[ -c $QC ]] || { fail "no QEMU controller node (URINGBLK_VM_NVME '$QC')"; return 1; }
	ub_load_ctrl capacity_mb=$CAP_MB || return
	UC=/dev/$UB_CTRL
	UNG=$(ub_nvme_ng "$UB_CTRL" 1) || { fail "no NSID 1 under $UB_CTRL"; return 1; }
}

# The same admin commands through both controllers' nodes: Set Features
# Number of Queues once the I/O queues exist (6.1 sends it: Command
# Sequence Error on both; 6.12's host driver refuses it before either sees
# it), and the mandatory features through the controllers' generic nodes.
t_ctrl_statuses() {
	ctrl_setup || return
	local cases=(
		"ctrl-set-feature-num-queues|set-feature @C@ -n 0xffffffff -f 7 -v 0x00010001"
		"ctrl-set-feature-num-queues-ffff|set-feature @C@ -n 0xffffffff -f 7 -v 0xffffffff"
		"ctrl-get-feature-err-recovery|get-feature @G@ -n 1 -f 5"
		"ctrl-get-feature-err-recovery-caps|get-feature @G@ -n 1 -f 5 -s 3"
		"ctrl-set-feature-err-recovery-tler|set-feature @G@ -n 0xffffffff -f 5 -v 0"
		"ctrl-get-feature-write-atomic|get-feature @G@ -f 0xa"
		"ctrl-set-feature-write-atomic|set-feature @G@ -n 0xffffffff -f 0xa -v 0"
	)
	local c name args a u q bad=0
	for c in "${cases[@]}"; do
		name=${c%%|*} args=${c#*|}
		read -r -a a <<< "${args//@C@/$UC}"
		a=("${a[@]//@G@/$UNG}")
		u=$(status "${a[@]}")
		read -r -a a <<< "${args//@C@/$QC}"
		a=("${a[@]//@G@/$Q}")
		q=$(status "${a[@]}")
		if [[ $u == "$q" ]]; then
			echo "  status.$name: $u both"
		else
			echo "FAIL: status.$name: uringblk '$u' QEMU '$q': nvme $args"
			bad=1
		fi
	done
	((bad == 0))
}

# fio_resets NAME NG CTRL: ub_fio_ng_start's job on NG while CTRL is reset
# ten times; prints its UB_FIO_RESULT.  The first reset waits for fio's
# start: its open sends Identify Namespace, which nvme-core fails while
# the controller is being reset ("failed to fetch identify namespace":
# a CI guest took more than 5 s to get there, 2026-11-30).  uringblk's job
# is waited for until it does I/O (uringblk0's counters); QEMU's node has
# no counter, so it gets 5 s.
fio_resets() {
	local name=$1 ng=$2 ctrl=$3 i
	ub_fio_ng_start "$TMP" "$name" "$ng"
	if [[ $ng == "$UNG" ]]; then
		ub_wait_io 0 16 60 "$UB_FIO_PID" ||
			{ ub_fio_stop "$TMP" "$name"; echo "fio did no I/O on $ng: $UB_FIO_RESULT"; return 1; }
	else
		sleep 5
	fi
	for ((i = 1; i <= 10; i++)); do
		kill -0 $UB_FIO_PID 2> /dev/null || break
		nvme reset "$ctrl" > /dev/null ||
			{ kill $UB_FIO_PID; wait $UB_FIO_PID; echo "nvme reset $ctrl failed"; return 1; }
		sleep 0.2
	done
	ub_wait_live "${ctrl#/dev/}" > /dev/null
	ub_fio_stop "$TMP" "$name"
	echo "$UB_FIO_RESULT"
}

# Passthrough I/O through resets: nvme-pci holds a reset's requests in
# blk-mq (quiesced queues) and so does this controller; nvme-core never
# retries a passthrough request it fails instead.  uringblk's job must
# complete, or fail as QEMU's does when the host itself fails it: QEMU's
# may end with EINTR (err=4), since nvme-pci cancels the commands in
# flight when it disables the device and nvme-core answers -EINTR for a
# cancelled passthrough command (drivers/nvme/host/ioctl.c); this
# controller lets them finish.  Host Path Error (-880) is the controller
# failing what it should have held.
t_ctrl_reset_fio() {
	ctrl_setup || return
	local u q
	u=$(fio_resets reset-uringblk "$UNG" "$UC") || { fail "$u"; return 1; }
	q=$(fio_resets reset-qemu "$Q" "$QC") || { fail "$q"; return 1; }
	echo "  fio io_uring_cmd verify through 10 resets: uringblk $u, QEMU $q"
	if [[ $u == ok ]]; then
		return 0
	elif [[ ${u%%:*} == "${q%%:*}" ]]; then
		echo "  both fail the same way: the host's (Linux $(uname -r))"
	else
		fail "uringblk's generic node: $u, QEMU's: $q"
		return 1
	fi
}

ub_need_ko || exit 1
rm -rf $TMP && mkdir -p $TMP
setup || { echo "setup failed"; }
ktap_plan 10
ktap_run qemu_id_ctrl t_id_ctrl
ktap_run qemu_id_ns t_id_ns
ktap_run qemu_zns_id t_zns_id
ktap_run qemu_effects t_effects
ktap_run qemu_report_zones t_report_zones
ktap_run qemu_statuses t_statuses
ktap_run qemu_fio_verify t_fio_verify
ktap_run qemu_fio_zbd t_fio_zbd
ktap_run qemu_ctrl_statuses t_ctrl_statuses
ktap_run qemu_ctrl_reset_fio t_ctrl_reset_fio
ub_unload
ktap_finish
