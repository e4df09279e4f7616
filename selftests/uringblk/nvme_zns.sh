#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ZNS through NVMe passthrough with the real, unmodified tools (Debian's
# nvme-cli 2.3 and fio 3.33) on a zoned drive without conventional zones,
# /dev/uringblkc0:
#  - nvme zns id-ctrl (zasl from zone_append_max_bytes), nvme zns id-ns
#    (mar, mor, the zone size of LBA format 0);
#  - nvme zns report-zones compared field by field with blkzone report of
#    /dev/uringblk0 (start, write pointer, capacity, condition), after
#    writes, open, close, finish; reset-zone, open-zone, close-zone,
#    finish-zone (one zone and -a), zone-append (the LBA it prints, the data
#    nvme read returns); a zone opened and closed without data is CLOSED
#    on both reports; nvme read across a zone boundary Zone Boundary Error,
#    the block device's dd over it a success;
#  - fio --ioengine=io_uring_cmd --zonemode=zbd writes and verifies;
#  - nothing in dmesg.
# Skips when nvme-cli is missing (tools/deps.sh installs it).
#
# Needs root, fio, nvme-cli, blkzone and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblkc0
TMP=/tmp/ub-nvme-zns
ZSZE=8192		# 4 MiB zones of 512-byte LBAs
NR_ZONES=16		# 64 MiB
PARAMS="capacity_mb=64 zoned=1 zone_size_mb=4 zone_max_open=6 zone_max_active=8"

field() {
	sed -n "s/^$1 *: *//p" <<< "$out" | head -1 | sed 's/ *$//'
}

need_nvme() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return 1; }
}

# nvme-cli's report as "SLBA WP CAP STATE" lines, numbers in decimal
# (nvme-cli 2.3 prints the descriptor's raw ZS byte: the state << 4).
nvme_report() {
	nvme zns report-zones $DEV -n 1 "$@" 2>&1 |
	sed -n 's/^SLBA: *\([0-9a-fx]*\) *WP: *\([0-9a-fx]*\) *Cap: *\([0-9a-fx]*\) *State: *\([0-9a-fx]*\).*/\1 \2 \3 \4/p' |
	while read -r s w c st; do
		case $((st >> 4)) in
		1) st=EMPTY ;; 2) st=IMP_OPEN ;; 3) st=EXP_OPEN ;; 4) st=CLOSED ;;
		14) st=FULL ;; 13) st=READONLY ;; 15) st=OFFLINE ;; *) st="zs=$st" ;;
		esac
		echo "$((s)) $((w)) $((c)) $st"
	done
}

# blkzone's report the same way (512-byte sectors = LBAs here; its write
# pointer is relative to the zone's start).
blk_report() {
	blkzone report /dev/uringblk0 |
	sed -n 's/.*start: *\(0x[0-9a-f]*\), len \(0x[0-9a-f]*\), cap \(0x[0-9a-f]*\), wptr \(0x[0-9a-f]*\).*zcond: *[0-9]*(\([a-z]*\)).*/\1 \4 \3 \5/p' |
	while read -r s w c st; do
		case $st in
		em) st=EMPTY ;; oi) st=IMP_OPEN ;; oe) st=EXP_OPEN ;;
		cl) st=CLOSED ;; fu) st=FULL ;; ro) st=READONLY ;; ol) st=OFFLINE ;;
		esac
		echo "$((s)) $((s + w)) $((c)) $st"
	done
}

# compare_reports WHAT: nvme-cli's and blkzone's reports agree, line by line.
compare_reports() {
	local a b
	a=$(nvme_report) b=$(blk_report)
	if [[ -z $a || $(wc -l <<< "$a") -ne $NR_ZONES ]]; then
		echo "$a"; nvme zns report-zones $DEV -n 1 | head -5
		fail "$1: nvme zns report-zones: $(wc -l <<< "$a") zones"
		return 1
	fi
	if ! diff <(echo "$a") <(echo "$b"); then
		fail "$1: nvme-cli and blkzone disagree"
		return 1
	fi
	echo "  $1: $NR_ZONES zones agree (e.g. '$(sed -n 2p <<< "$a")')"
}

zstate() {	# zstate ZONE: its state in nvme-cli's report
	nvme_report | sed -n "$(($1 + 1))p" | cut -d' ' -f4
}

t_id() {
	need_nvme || return
	local amax zasl=0
	ub_unload && ub_load $PARAMS || return
	out=$(nvme zns id-ctrl $DEV 2>&1) || { echo "$out"; fail "nvme zns id-ctrl"; return; }
	echo "$out" | sed 's/^/  /'
	read -r amax < /sys/block/uringblk0/queue/zone_append_max_bytes
	while (((4096 << (zasl + 1)) <= amax)); do ((zasl++)); done
	expect_eq "zns id-ctrl zasl (zone_append_max_bytes $amax)" "$zasl" "$(field zasl)" || return
	out=$(nvme zns id-ns $DEV -n 1 2>&1) || { echo "$out"; fail "nvme zns id-ns"; return; }
	echo "$out" | grep -vE '^(rrl|frl)[0-9]' | grep -vE 'lbafe *([1-9]|[1-6][0-9]) *:' | sed 's/^/  /'
	expect_eq "zns id-ns mar" 7 "$(($(field mar)))" || return
	expect_eq "zns id-ns mor" 5 "$(($(field mor)))" || return
	grep -iE 'lbafe *0' <<< "$out" | grep -qiE '(zsze|Zone Size)[: ]*(0x2000|8192)\b' ||
		{ fail "zns id-ns: lbafe 0's zone size is not 0x2000"; return; }
	# and the namespace's command set, by the descriptor list
	out=$(nvme ns-descs $DEV -n 1 2>&1)
	echo "  ns-descs: $(tr '\n' ' ' <<< "$out")"
	grep -qiE 'csi *: *(0x)?2\b' <<< "$out" || fail "ns-descs: CSI not 2"
}

t_zones() {
	need_nvme || return
	local lba
	ub_unload && ub_load $PARAMS || return
	rm -rf $TMP && mkdir -p $TMP
	compare_reports "empty drive" || return
	head -c 8192 /dev/urandom > $TMP/w
	nvme write $DEV -n 1 -s 0 -c 15 -z 8192 -d $TMP/w > /dev/null 2>&1 ||
		{ fail "nvme write at zone 0's write pointer"; return; }
	nvme zns open-zone $DEV -n 1 -s $((ZSZE)) || { fail "zns open-zone"; return; }
	nvme write $DEV -n 1 -s $((2 * ZSZE)) -c 15 -z 8192 -d $TMP/w > /dev/null 2>&1 || return
	nvme zns close-zone $DEV -n 1 -s $((2 * ZSZE)) || { fail "zns close-zone"; return; }
	nvme zns finish-zone $DEV -n 1 -s $((3 * ZSZE)) || { fail "zns finish-zone"; return; }
	expect_eq "zone 0" IMP_OPEN "$(zstate 0)" || return
	expect_eq "zone 1" EXP_OPEN "$(zstate 1)" || return
	expect_eq "zone 2" CLOSED "$(zstate 2)" || return
	expect_eq "zone 3" FULL "$(zstate 3)" || return
	compare_reports "written, opened, closed, finished" || return
	# ZNS: an explicitly opened zone closed without data is CLOSED (the
	# block device's report agrees: closed, write pointer at its start)
	nvme zns open-zone $DEV -n 1 -s $((7 * ZSZE)) > /dev/null &&
	nvme zns close-zone $DEV -n 1 -s $((7 * ZSZE)) > /dev/null ||
		{ fail "zns open-zone, close-zone of zone 7"; return; }
	expect_eq "zone 7 opened, closed without data" CLOSED "$(zstate 7)" || return
	compare_reports "zone 7 closed without data" || return
	nvme zns reset-zone $DEV -n 1 -s $((7 * ZSZE)) > /dev/null || return
	# a read across zones 0 and 1: Zone Boundary Error (RAZB is 0); the
	# block device splits the same read and succeeds
	out=$(nvme read $DEV -n 1 -s $((ZSZE - 4)) -c 7 -z 4096 -d $TMP/r 2>&1) &&
		{ fail "nvme read across a zone boundary succeeded"; return; }
	echo "  nvme read across zones 0 and 1: $out"
	grep -qiE '0x41b8|ZONE_BOUNDARY' <<< "$out" || { fail "not Zone Boundary Error"; return; }
	dd if=/dev/uringblk0 of=$TMP/r bs=512 skip=$((ZSZE - 4)) count=8 iflag=direct status=none ||
		{ fail "the block device's read across zones 0 and 1"; return; }
	# the state filter and the partial report
	out=$(nvme zns report-zones $DEV -n 1 -S 4 2>&1)
	expect_eq "report-zones -S 4 (closed)" 1 "$(grep -c '^SLBA' <<< "$out")" || return
	out=$(nvme zns report-zones $DEV -n 1 -d 2 -p 2>&1)
	echo "$out" | sed 's/^/  /'
	expect_eq "report-zones -d 2 -p" 2 "$(grep -c '^SLBA' <<< "$out")" || return
	# an invalid transition: open a full zone
	out=$(nvme zns open-zone $DEV -n 1 -s $((3 * ZSZE)) 2>&1) &&
		{ fail "open of a full zone succeeded"; return; }
	echo "  open of a full zone: $out"
	grep -qiE '0x41bf|0x1bf|invalid.*transition' <<< "$out" ||
		{ fail "not Invalid Zone State Transition"; return; }
	# zone append: the LBA printed, the data there
	head -c 4096 /dev/urandom > $TMP/a
	out=$(nvme zns zone-append $DEV -n 1 -s $((5 * ZSZE)) -z 4096 -d $TMP/a 2>&1) ||
		{ echo "$out"; fail "zns zone-append"; return; }
	echo "  zone-append: $out"
	out=$(nvme zns zone-append $DEV -n 1 -s $((5 * ZSZE)) -z 4096 -d $TMP/a 2>&1) ||
		{ echo "$out"; fail "zns zone-append (2)"; return; }
	echo "  zone-append: $out"
	# nvme-cli 2.3: "Success appended data to LBA a008" (hex, no 0x)
	lba=$(sed -n 's/.*to LBA \(0x\)\{0,1\}\([0-9a-f]*\).*/\2/p' <<< "$out")
	expect_eq "second append's LBA" $((5 * ZSZE + 8)) "$((16#${lba:-x}))" || return
	nvme read $DEV -n 1 -s $((5 * ZSZE + 8)) -c 7 -z 4096 -d $TMP/r > /dev/null 2>&1 ||
		{ fail "read back the append"; return; }
	cmp $TMP/a $TMP/r || { fail "appended data differs"; return; }
	compare_reports "after zone-append" || return
	# Select All: finish, then reset
	nvme zns finish-zone $DEV -n 1 -a || { fail "zns finish-zone -a"; return; }
	expect_eq "zone 0 after finish -a" FULL "$(zstate 0)" || return
	expect_eq "zone 5 after finish -a" FULL "$(zstate 5)" || return
	expect_eq "zone 6 after finish -a" EMPTY "$(zstate 6)" || return
	compare_reports "after finish-zone -a" || return
	nvme zns reset-zone $DEV -n 1 -s $((3 * ZSZE)) || { fail "zns reset-zone"; return; }
	expect_eq "zone 3 after reset" EMPTY "$(zstate 3)" || return
	nvme zns reset-zone $DEV -n 1 -a || { fail "zns reset-zone -a"; return; }
	expect_eq "full zones after reset -a" 0 "$(nvme_report | grep -c FULL)" || return
	compare_reports "after reset-zone -a" || return
	rm -rf $TMP
}

t_fio_zbd() {
	local rc
	ub_unload && ub_load $PARAMS || return
	mkdir -p $TMP
	fio --name=zbd --filename=$DEV --ioengine=io_uring_cmd --cmd_type=nvme \
		--zonemode=zbd --rw=write --bs=64k --iodepth=1 --size=32M \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 \
		> $TMP/fio.out 2>&1
	rc=$?
	if ((rc != 0)) || grep -qE 'err= *[1-9]' $TMP/fio.out ||
	   grep -qiE 'verify: bad|fio: (pid|io_u) error|failed' $TMP/fio.out; then
		cat $TMP/fio.out
		fail "fio zonemode=zbd io_uring_cmd exited with $rc"
		return
	fi
	grep -E '^ *(write|read):|err=' $TMP/fio.out | sed 's/^/  /'
	# what fio wrote, the block device sees as full zones
	expect_eq "full zones after fio (blkzone)" 8 \
		"$(blkzone report /dev/uringblk0 | grep -c '(fu)')" || return
	rm -rf $TMP
}

t_dmesg() { ub_dmesg_clean "$dmesg_start"; }

ub_need_ko || exit 1
ktap_plan 4
dmesg_start=$(dmesg | wc -l)
ktap_run nvme_zns_id t_id
ktap_run nvme_zns_zones t_zones
ktap_run fio_zonemode_zbd_io_uring_cmd t_fio_zbd
ktap_run dmesg_clean t_dmesg
ub_unload
ktap_finish
