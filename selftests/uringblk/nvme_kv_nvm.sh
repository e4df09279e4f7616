#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed's KV dialect on an NVM namespace: a drive with kv_nvm_mb keeps
# a KV image in a region hidden after the host's capacity, and its NSID 1
# (still CSI 00h NVM) takes 81h-84h there (Documentation/dev/nvme-kv.md,
# "Where the dialect lives"), with the unmodified nvme-cli:
#  - seed_example: the seed's example as written (io-passthru --opcode=0x81
#    -n 1), Retrieve 82h whole and from an offset, append 800h, Key Exists
#    (0x4089) for 200h, KV Key Does Not Exist (0x4087), Invalid Key Size
#    (0x4086); a select (83h/84h) by uringblk kv query, the same answer
#    as the host's; the effects log of CSI 00h lists 81h-84h; a standard KV
#    opcode (Exist 14h) stays Invalid Opcode;
#  - sizes: the block device and Identify Namespace's NSZE/NCAP are the
#    capacity alone, the region excluded;
#  - isolation: the whole block device filled with a pattern, a value
#    stored, both read back intact; the last LBA written again, the value
#    intact; the value stored again, the block device intact;
#  - file_persist: a file-backed drive's file is the capacity plus the
#    region; removed and made again on the same file, the object and the
#    host's data are both there;
#  - refused: kv_nvm_mb with zoned, with kv, past the capacity limit, with
#    capacity_mb=0, and a region holding an image of another block size,
#    each with its message in "error";
#  - without: a drive without the option answers 81h Invalid Opcode
#    (0x4001);
#  - nothing in dmesg.
#
# Needs root, URINGBLK_KO and nvme-cli (else every case skips).  Leaves the
# module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

TMP=/tmp/ub-kvnvm
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
KEY=0x6f626a31		# "obj1", big-endian in CDW15 as the seed has it

ub_need_ko || exit $KSFT_SKIP

need_nvme() {
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
}

# mk NAME key=value...: a powered configfs drive; IDX its index
mk() {
	ub_mkdev "$@" || { fail "drive $1 ($*): $(cat "$UB_CFS/$1/error" 2>/dev/null)"; return 1; }
	IDX=$(<"$UB_CFS/$1/index")
	[[ -c /dev/uringblkc$IDX && -b /dev/uringblk$IDX ]] || { fail "nodes of $1"; return 1; }
}

# seed_store DEV FILE [CDW11]: Store 81h of FILE under KEY
seed_store() {
	nvme io-passthru "$1" --opcode=0x81 -n 1 --data-len="$(stat -c %s "$2")" \
		--write --cdw10="$(stat -c %s "$2")" --cdw11="${3:-4}" --cdw15=$KEY \
		--input-file="$2"
}

# seed_get DEV LEN OUT [OFFSET]: Retrieve 82h of KEY into OUT
seed_get() {
	nvme io-passthru "$1" --opcode=0x82 -n 1 --data-len="$2" --read \
		--cdw10="$2" --cdw11=4 --cdw12="${4:-0}" --cdw15=$KEY -b > "$3"
}

t_seed_example() {
	local dev out
	need_nvme || return
	mk seed capacity_mb=16 kv_nvm_mb=8 || return 1
	dev=/dev/uringblkc$IDX
	printf 'seed object' > $TMP.seed
	out=$(seed_store $dev $TMP.seed 2>&1) || { fail "0x81 -n 1: $out"; return 1; }
	[[ $out == *Success* ]] || { fail "0x81: $out"; return 1; }
	out=$(nvme io-passthru $dev --opcode=0x82 -n 1 --data-len=16 --read \
		--cdw10=16 --cdw11=4 --cdw15=$KEY -b 2>/dev/null > $TMP.out; echo $?)
	expect_eq "0x82 exit" 0 "$out" || return 1
	expect_eq "0x82 whole" "seed object" "$(head -c 11 $TMP.out)" || return 1
	out=$(nvme io-passthru $dev --opcode=0x82 -n 1 --data-len=16 --read \
		--cdw10=16 --cdw11=4 --cdw15=$KEY 2>&1)
	[[ $out == *"result: 0x0000000b"* ]] || { fail "0x82 DW0 (the size, 11): $out"; return 1; }
	seed_get $dev 16 $TMP.out 5 || { fail "0x82 offset 5"; return 1; }
	expect_eq "0x82 at offset 5" "object" "$(head -c 6 $TMP.out)" || return 1
	printf '+more' > $TMP.seed2
	seed_store $dev $TMP.seed2 0x804 > /dev/null || { fail "0x81 append"; return 1; }
	seed_get $dev 32 $TMP.out || { fail "0x82 after append"; return 1; }
	expect_eq "appended" "seed object+more" "$(head -c 16 $TMP.out)" || return 1
	out=$(seed_store $dev $TMP.seed2 0x204 2>&1)
	[[ $out == *"(0x4089)"* ]] || { fail "0x81 must-not-exist on an existing key: $out"; return 1; }
	out=$(nvme io-passthru $dev --opcode=0x82 -n 1 --data-len=16 --read \
		--cdw10=16 --cdw11=4 --cdw15=0x6e6f6e65 2>&1)
	[[ $out == *"(0x4087)"* ]] || { fail "0x82 of an absent key: $out"; return 1; }
	out=$(nvme io-passthru $dev --opcode=0x82 -n 1 --data-len=16 --read \
		--cdw10=16 --cdw11=17 --cdw15=$KEY 2>&1)
	[[ $out == *"(0x4086)"* ]] || { fail "0x82 key length 17: $out"; return 1; }
	# a select (83h, 84h) over an object stored by 81h: uringblk kv query in
	# the drive, the same answer as uringblk query of the file on the host
	seq 1 500 | awk '{ print $1 "," $1 % 7 }' > $TMP.csv
	nvme io-passthru $dev --opcode=0x81 -n 1 --data-len="$(stat -c %s $TMP.csv)" --write \
		--cdw10="$(stat -c %s $TMP.csv)" --cdw11=4 --cdw15=0x74626c31 \
		--input-file=$TMP.csv > /dev/null || { fail "0x81 of the CSV"; return 1; }
	q='SELECT count(*), sum($1:int) WHERE $2:int > 3'
	out=$("$CLI" kv query $dev tbl1 "$q") || { fail "kv query in the drive: $out"; return 1; }
	expect_eq "kv query = uringblk query of the file" "$("$CLI" query $TMP.csv "$q" --host)" \
		"$out" || return 1
	expect_eq "the count, by awk" "$(awk -F, '$2 > 3' $TMP.csv | wc -l)" \
		"$(sed -n 2p <<< "$out" | awk '{ print $1 }')" || return 1
	# the standard KV set stays on KV drives: Exist 14h is Invalid Opcode here
	out=$(nvme io-passthru $dev --opcode=0x14 -n 1 --cdw2=0x316a626f --cdw11=4 2>&1)
	grep -qi 'INVALID_OPCODE\|Invalid Command Opcode\|(0x4001)' <<< "$out" ||
		{ fail "KV Exist 14h on the NVM namespace: $out"; return 1; }
	# the effects log (05h) of CSI 00h: 81h CSUPP|LBCC, 82h-84h CSUPP
	nvme admin-passthru $dev --opcode=0x02 --cdw10=$(((1023 << 16) | 5)) \
		--cdw14=0 --data-len=4096 --read --raw-binary > $TMP.eff 2>/dev/null ||
		{ fail "effects log"; return 1; }
	out=$(od -An -tu4 -j$((1024 + 4 * 0x81)) -N16 $TMP.eff | xargs)
	expect_eq "effects of 81h-84h" "3 1 1 1" "$out" || return 1
	ub_rmdev seed
}

# desc_csi FILE: the CSI of a Namespace Identification Descriptor list
desc_csi() {
	local -a b
	local at=0
	read -ra b < <(od -An -v -tu1 -N4096 "$1" | xargs)
	while ((at + 4 <= 4096 && b[at] != 0)); do
		((b[at] == 4)) && { echo "${b[at + 4]}"; return; }
		at=$((at + 4 + b[at + 1]))
	done
	echo none
}

t_sizes() {
	local dev nsze ncap
	need_nvme || return
	mk sizes capacity_mb=16 kv_nvm_mb=8 block_size=4096 || return 1
	dev=/dev/uringblkc$IDX
	expect_eq "block device bytes" $((16 << 20)) "$(blockdev --getsize64 /dev/uringblk$IDX)" || return 1
	nvme admin-passthru $dev --opcode=0x06 -n 1 --cdw10=0 --data-len=4096 --read \
		--raw-binary > $TMP.id 2>/dev/null || { fail "Identify Namespace"; return 1; }
	read -r nsze ncap < <(od -An -tu8 -N16 $TMP.id)
	expect_eq "NSZE (4096-byte LBAs)" $((16 << 20 >> 12)) "$nsze" || return 1
	expect_eq "NCAP" $((16 << 20 >> 12)) "$ncap" || return 1
	# the CSI of NSID 1 is NVM: the descriptor list (CNS 03h), type 04h
	nvme admin-passthru $dev --opcode=0x06 -n 1 --cdw10=3 --data-len=4096 --read \
		--raw-binary > $TMP.desc 2>/dev/null || { fail "CNS 03h"; return 1; }
	expect_eq "NSID 1's CSI" "0" "$(desc_csi $TMP.desc)" || return 1
	ub_rmdev sizes
}

# pat FILE MIB SEED: MIB MiB of a pattern that differs in every block
pat() {
	awk -v n=$(($2 * 2048)) -v s="$3" 'BEGIN { for (i = 0; i < n; i++)
		printf "%s-block-%08d-%0494d\n", s, i, 0 }' > "$1"
}

t_isolation() {
	local dev bdev last
	need_nvme || return
	mk iso capacity_mb=8 kv_nvm_mb=4 block_size=512 || return 1
	dev=/dev/uringblkc$IDX bdev=/dev/uringblk$IDX
	pat $TMP.host 8 A
	expect_eq "pattern size" $((8 << 20)) "$(stat -c %s $TMP.host)" || return 1
	check "fill the block device" dd if=$TMP.host of=$bdev bs=1M oflag=direct status=none || return 1
	head -c 65536 /dev/urandom > $TMP.val
	seed_store $dev $TMP.val > /dev/null || { fail "0x81 of 64 KiB"; return 1; }
	seed_get $dev 65536 $TMP.out || { fail "0x82 of 64 KiB"; return 1; }
	check "the value back" cmp $TMP.val $TMP.out || return 1
	check "the block device intact after the Store" \
		cmp $TMP.host <(dd if=$bdev bs=1M iflag=direct status=none) || return 1
	# the last LBA written again, by the host: the value does not change
	last=$(((8 << 20) / 512 - 1))
	head -c 512 /dev/urandom > $TMP.lba
	check "write the last LBA" dd if=$TMP.lba of=$bdev bs=512 seek=$last oflag=direct status=none || return 1
	seed_get $dev 65536 $TMP.out || { fail "0x82 after the host's write"; return 1; }
	check "the value intact after the host's write" cmp $TMP.val $TMP.out || return 1
	# and the value stored again: the host's blocks do not change
	dd if=$TMP.lba of=$TMP.host bs=512 seek=$last conv=notrunc status=none
	head -c 65536 /dev/urandom > $TMP.val
	seed_store $dev $TMP.val > /dev/null || { fail "0x81 again"; return 1; }
	seed_get $dev 65536 $TMP.out || { fail "0x82 again"; return 1; }
	check "the new value back" cmp $TMP.val $TMP.out || return 1
	check "the block device intact after the second Store" \
		cmp $TMP.host <(dd if=$bdev bs=1M iflag=direct status=none) || return 1
	ub_rmdev iso
}

t_file_persist() {
	local dev bdev img=$TMP.dir/img
	need_nvme || return
	mkdir -p $TMP.dir && rm -f $img
	mk fp backing=file path=$img capacity_mb=8 kv_nvm_mb=4 block_size=512 || return 1
	dev=/dev/uringblkc$IDX bdev=/dev/uringblk$IDX
	expect_eq "file size: capacity + region" $((12 << 20)) "$(stat -c %s $img)" || return 1
	expect_eq "block device bytes" $((8 << 20)) "$(blockdev --getsize64 $bdev)" || return 1
	pat $TMP.host 8 F
	check "fill the block device" dd if=$TMP.host of=$bdev bs=1M oflag=direct status=none || return 1
	head -c 20000 /dev/urandom > $TMP.val
	seed_store $dev $TMP.val > /dev/null || { fail "0x81"; return 1; }
	check "remove" ub_rmdev fp || return 1
	mk fp backing=file path=$img capacity_mb=8 kv_nvm_mb=4 block_size=512 || return 1
	dev=/dev/uringblkc$IDX bdev=/dev/uringblk$IDX
	expect_eq "file size unchanged" $((12 << 20)) "$(stat -c %s $img)" || return 1
	seed_get $dev 20000 $TMP.out || { fail "0x82 after re-creation"; return 1; }
	check "the object kept" cmp $TMP.val $TMP.out || return 1
	check "the host's data kept" \
		cmp $TMP.host <(dd if=$bdev bs=1M iflag=direct status=none) || return 1
	ub_rmdev fp
	# the same file without the option: refused (its size says otherwise)
	mkdir "$UB_CFS/fp2" && echo file > "$UB_CFS/fp2/backing" && echo $img > "$UB_CFS/fp2/path" &&
		echo 8 > "$UB_CFS/fp2/capacity_mb" || { fail "configure fp2"; return 1; }
	echo 1 > "$UB_CFS/fp2/power" 2>/dev/null && { fail "the file without kv_nvm_mb powered on"; return 1; }
	[[ $(<"$UB_CFS/fp2/error") == *"needs 8388608"*"kv_nvm_mb"* ]] ||
		{ fail "error without kv_nvm_mb: $(<"$UB_CFS/fp2/error")"; return 1; }
	rmdir "$UB_CFS/fp2"
	rm -f $img
}

# refused NAME WANT key=value...: powering on fails, "error" contains WANT
refused() {
	local name=$1 want=$2 kv err
	shift 2
	mkdir "$UB_CFS/$name" || return 1
	for kv in "$@"; do
		echo "${kv#*=}" > "$UB_CFS/$name/${kv%%=*}" || { fail "$name: setting $kv"; return 1; }
	done
	if echo 1 > "$UB_CFS/$name/power" 2>/dev/null; then
		ub_rmdev "$name"
		fail "$name ($*): powered on"
		return 1
	fi
	err=$(<"$UB_CFS/$name/error")
	rmdir "$UB_CFS/$name"
	[[ $err == *"$want"* ]] || { fail "$name: error '$err', wanted '$want'"; return 1; }
	echo "$name: $err"
}

t_refused() {
	local img=$TMP.dir/img2
	refused r_zoned "kv_nvm_mb=8 with zoned=1" capacity_mb=64 zoned=1 zone_size_mb=16 \
		kv_nvm_mb=8 || return 1
	refused r_kv "kv_nvm_mb=8 with kv=1" capacity_mb=16 kv=1 kv_nvm_mb=8 || return 1
	refused r_big "kv_nvm_mb=67108864: the capacity (16 MiB) and the KV region together exceed" \
		capacity_mb=16 kv_nvm_mb=67108864 || return 1
	mkdir -p $TMP.dir && rm -f $img
	refused r_cap0 "kv_nvm_mb=4 with capacity_mb=0" backing=file path=$img capacity_mb=0 \
		kv_nvm_mb=4 || return 1
	# an image of 512-byte blocks, the drive made again with 4096-byte ones
	mk r_bs backing=file path=$img capacity_mb=8 kv_nvm_mb=4 || return 1
	ub_rmdev r_bs || return 1
	refused r_bs2 "kv_nvm_mb=4: the region holds a KV image of another block size" \
		backing=file path=$img capacity_mb=8 kv_nvm_mb=4 block_size=4096 || return 1
	rm -f $img
}

t_without() {
	local out
	need_nvme || return
	mk plain capacity_mb=16 || return 1
	printf 'seed object' > $TMP.seed
	out=$(seed_store /dev/uringblkc$IDX $TMP.seed 2>&1)
	grep -qi 'INVALID_OPCODE\|Invalid Command Opcode\|(0x4001)' <<< "$out" ||
		{ fail "0x81 without kv_nvm_mb: $out"; return 1; }
	ub_rmdev plain
}

ktap_plan 6
dmesg_start=$(dmesg | wc -l)
ub_fresh $TMP.dir || { echo "Bail out! cannot load $URINGBLK_KO"; exit 1; }
ktap_run seed_example t_seed_example
ktap_run sizes t_sizes
ktap_run isolation t_isolation
ktap_run file_persist t_file_persist
ktap_run refused t_refused
ktap_run without t_without
ub_dmesg_clean "$dmesg_start" || _ktap_fail=$((_ktap_fail + 1))
rm -rf $TMP.*
ub_unload
ktap_finish
