#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offload over files: ext4, btrfs and zoned btrfs on uringblk drives,
# count_pattern run over files through `exec --file` (EXEC over the
# file's extents) and `execute --file` (MEM_COPY into SLM, a range set,
# EXECUTE with data_len), each answer equal to a userspace count
# (grep -o Alpha FILE | wc -l):
#   - a fragmented file (three files grown in interleaved 4 KiB appends
#     with fsync; its map must have more than one data extent), every 4 KiB
#     boundary splitting an "Alpha" so that patterns cross extent ends;
#   - a sparse file (holes as zero extents), unwritten (fallocate) blocks,
#     a file smaller than a block;
#   - the file changed between mapping and run (append, truncate, rewrite
#     in place, the last right after the file was written: the racily-clean
#     wait) -> ESTALE with what changed, through URINGBLK_TEST_AFTER_MAP;
#   - refusals with their message: an empty file (ENODATA), a file on tmpfs
#     (EXDEV, naming tmpfs).
# btrfs (a runtime drive of its own) runs the same cases, its FIEMAP
# addresses translated through the chunk tree, and then:
#   - a balance between mapping and run (ESTALE: the blocks moved), after
#     which the file's first address really differs from FIEMAP's (filefrag)
#     and the counts are right;
#   - refusals: an inline file, a compressed file (EOPNOTSUPP, named by
#     their FIEMAP flag), no CAP_SYS_ADMIN (EPERM: the chunk tree), a file
#     system over two drives (EOPNOTSUPP);
#   - zoned btrfs on a zoned drive (64 MiB zones): fragmented, sparse,
#     balance.
#
# Uses the repository's CLI, out/bin/uringblk next to $URINGBLK_KO; without
# it, or without mkfs.ext4, the test is a SKIP; without mkfs.btrfs
# (btrfs-progs) the btrfs cases are.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./file_lib.sh

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
OBJ=progs/count_pattern.bpf.o
TMP=/tmp/ubt-file-offload.$$
MNT=$TMP.mnt
PIND=7
PROG_ID=

# a 4096-byte chunk: "pha", 255 lines with an Alpha, padding, "Al"
make_chunk() {
	local i s=""
	for ((i = 0; i < 255; i++)); do
		s+="word Alpha text"$'\n'
	done
	printf 'pha%sxxxxxxxxxxxAl' "$s" > "$TMP.chunk"
	[[ $(stat -c %s "$TMP.chunk") == 4096 ]]
}

append_chunk() {
	dd if="$TMP.chunk" of="$1" oflag=append conv=notrunc,fsync bs=4096 \
		status=none
}

t_fragmented() {
	local i f=$MNT/frag out n
	for ((i = 0; i < 24; i++)); do
		append_chunk "$MNT/frag" && append_chunk "$MNT/other1" &&
			append_chunk "$MNT/other2" || { fail "append $i"; return; }
	done
	out=$("$CLI" file map "$f") || { echo "$out"; fail "file map: exit $?"; return; }
	echo "$out"
	grep -q '^offloadable   yes$' <<<"$out" || { fail "not offloadable"; return; }
	n=$(grep -cE '^ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+  data$' <<<"$out")
	((n > 1)) || { fail "the file has $n data extent(s), wanted > 1"; return; }
	"$CLI" file map --json "$f" | grep -q '"offloadable": true' ||
		{ fail "file map --json"; return; }
	count_both "$f"
}

t_sparse() {
	local f=$MNT/sparse out
	check "truncate" truncate -s 1M "$f" || return
	dd if="$TMP.chunk" of="$f" bs=4096 seek=64 conv=notrunc,fsync status=none &&
		dd if="$TMP.chunk" of="$f" bs=4096 seek=65 conv=notrunc,fsync status=none &&
		dd if="$TMP.chunk" of="$f" bs=4096 seek=200 conv=notrunc,fsync status=none ||
		{ fail "dd"; return; }
	out=$("$CLI" file map "$f") || { echo "$out"; fail "file map: exit $?"; return; }
	echo "$out"
	grep -qE '^ +0 +0 +- +262144  zero$' <<<"$out" || { fail "no leading hole"; return; }
	grep -qE '  zero$' <<<"$(tail -2 <<<"$out")" || { fail "no trailing hole"; return; }
	count_both "$f" || return
	# unwritten (fallocate) blocks read as zeroes too; not on zoned
	# btrfs, which cannot preallocate (EOPNOTSUPP)
	[[ $1 == no_prealloc ]] && return
	check "fallocate" fallocate -l 64K "$MNT/prealloc" || return
	append_chunk "$MNT/prealloc" || return
	out=$("$CLI" file map "$MNT/prealloc")
	echo "$out"
	count_both "$MNT/prealloc"
}

t_small() {
	printf 'xAlphaAlpha' > "$MNT/small" && sync "$MNT/small" || { fail "write"; return; }
	count_both "$MNT/small" || return
	expect_eq "small: count" 2 "$(ucount "$MNT/small")"
}

# stale KIND HOOK WANT: the hook changes the file after the mapping
stale() {
	local what=$1 hook=$2 want=$3 f=$MNT/stale.$1 err rc cmd
	for cmd in exec execute; do
		for ((i = 0; i < 4; i++)); do
			append_chunk "$f" || { fail "write"; return; }
		done
		if [[ $cmd == exec ]]; then
			err=$(URINGBLK_TEST_AFTER_MAP="${hook//FILE/$f}" "$CLI" exec $DEV \
			      "$PROG_ID" --file "$f" --pattern Alpha 2>&1 >/dev/null)
		else
			err=$(URINGBLK_TEST_AFTER_MAP="${hook//FILE/$f}" "$CLI" execute $DEV \
			      $PIND --file "$f" --pattern Alpha 2>&1 >/dev/null)
		fi
		rc=$?
		echo "$cmd, $what: $err"
		expect_eq "$cmd $what: exit status" 1 $rc || return
		[[ $err == *"the file changed since it was mapped: $want"*"(errno ESTALE)" ]] ||
			{ fail "$cmd $what: '$err', wanted '$want'"; return; }
		rm -f "$f"
	done
}

t_stale() {
	stale append 'echo Alpha >> FILE' 'size 16384 -> 16390' || return
	stale truncate 'truncate -s 100 FILE' 'size 16384 -> 100' || return
	# same size, same blocks: only mtime tells; right after the writes
	# (mtime within the clock tick of the mapping without the wait)
	stale rewrite 'dd if=FILE of=FILE bs=4096 count=1 seek=3 conv=notrunc,fsync status=none' \
		'mtime differs' || return
	# after a run that was not stale, the same file still counts right
	append_chunk "$MNT/stale.ok" && count_both "$MNT/stale.ok"
}

t_refused() {
	local out err
	: > "$MNT/empty"
	out=$("$CLI" file map "$MNT/empty")
	expect_eq "empty: file map exit" 1 $? || return
	grep -q '^offloadable   no: the file is empty$' <<<"$out" || { echo "$out"; fail "empty map"; return; }
	err=$("$CLI" exec $DEV "$PROG_ID" --file "$MNT/empty" --pattern Alpha 2>&1)
	[[ $err == "uringblk: exec: the file is empty: there is no data to run over (errno ENODATA)" ]] ||
		{ fail "empty exec: '$err'"; return; }
	mkdir -p "$TMP.tmpfs" && mount -t tmpfs none "$TMP.tmpfs" || { fail "mount tmpfs"; return; }
	cp "$TMP.chunk" "$TMP.tmpfs/f"
	out=$("$CLI" file map "$TMP.tmpfs/f")
	expect_eq "tmpfs: file map exit" 1 $? || { umount "$TMP.tmpfs"; return 1; }
	echo "$out"
	grep -qE "^offloadable   no: $TMP.tmpfs/f is on device [0-9]+:[0-9]+ \(tmpfs\), not on a uringblk drive \(errno EXDEV\)$" <<<"$out" ||
		{ umount "$TMP.tmpfs"; fail "tmpfs map"; return; }
	err=$("$CLI" exec $DEV "$PROG_ID" --file "$TMP.tmpfs/f" --pattern Alpha 2>&1)
	echo "$err"
	umount "$TMP.tmpfs"
	[[ $err =~ \(tmpfs\),\ not\ on\ /dev/uringblk0\ \([0-9]+:[0-9]+\)\ or\ a\ partition\ of\ it\ \(errno\ EXDEV\)$ ]] ||
		fail "tmpfs exec: '$err'"
}

# ---- btrfs ----------------------------------------------------------------
# The cases above run again on btrfs (DEV, MNT and PROG_ID switched to a
# drive of its own), then what only btrfs has.

# translated FILE: FIEMAP's address of extent 0 (filefrag: btrfs logical,
# in 4 KiB blocks) is not the drive block the map has for it (4 KiB
# blocks too): the address went through the chunk tree
translated() {
	local logical lba
	logical=$(filefrag -v -b4096 "$1" | awk '$1 == "0:" { sub(/\.\./, "", $4); print $4 }')
	lba=$("$CLI" file map "$1" --json | sed -nE '0,/"lba"/s/.*"lba": ([0-9]+).*/\1/p')
	echo "$1: extent 0 at btrfs logical block $logical, drive lba $lba"
	[[ -n $logical && -n $lba && $logical != "$lba" ]] ||
		fail "$1: logical $logical, lba $lba: not translated"
}

# In the main shell (cases run in subshells): a drive with btrfs on it,
# mounted at MNT, count_pattern loaded; DEV, MNT and PROG_ID switched
setup_btrfs() {
	local bt
	ub_cli_create bt --capacity-mb 1024 --block-size 4096 || return
	bt=$UB_IDX
	mkfs.btrfs -q -f /dev/uringblk$bt > "$TMP.mkfs" 2>&1 ||
		{ cat "$TMP.mkfs"; return 1; }
	MNT=$TMP.btrfs
	mkdir -p "$MNT" && mount -t btrfs /dev/uringblk$bt "$MNT" && use_drive "$bt"
}

# a balance relocates the data chunks: the file's blocks move (new btrfs
# logical addresses, new device offsets), which the check after the run
# sees; a file mapped after a balance counts right, its first address
# translated (on zoned btrfs the first data zone's logical and device
# addresses coincide: only after a balance do they differ)
t_btrfs_balance() {
	local f=$MNT/balanced i
	stale balance "btrfs balance start -d $MNT" 'its blocks moved' || return
	for ((i = 0; i < 8; i++)); do
		append_chunk "$f" || { fail "write"; return; }
	done
	check "balance" btrfs balance start -d "$MNT" > /dev/null || return
	translated "$f" || return
	count_both "$f"
}

t_btrfs_refusals() {
	local out
	# a small file lives inline in the metadata
	printf 'xAlphax' > "$MNT/inline" && sync "$MNT/inline"
	refused_map "$MNT/inline" EOPNOTSUPP "FIEMAP_EXTENT_DATA_INLINE" || return
	# compressed extents do not hold the file's bytes
	check "remount compress" mount -o remount,compress=zlib "$MNT" || return
	for ((i = 0; i < 8; i++)); do
		append_chunk "$MNT/compressed" || { fail "write"; return; }
	done
	check "remount" mount -o remount,compress=no "$MNT" || return
	refused_map "$MNT/compressed" EOPNOTSUPP "FIEMAP_EXTENT_ENCODED" || return
	# the chunk tree needs CAP_SYS_ADMIN: root without it in its bounding set
	out=$(setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin \
	      "$CLI" file map "$MNT/frag")
	expect_eq "without CAP_SYS_ADMIN: exit status" 1 $? || { echo "$out"; return 1; }
	grep '^offloadable' <<<"$out"
	[[ $out == *"needs CAP_SYS_ADMIN (errno EPERM)"* ]] || fail "no CAP_SYS_ADMIN refusal"
}

t_btrfs_two_devices() {
	local m=$TMP.btrfs2 d2 d3 rc
	ub_cli_create bt2 --capacity-mb 512 || return
	d2=$UB_IDX
	ub_cli_create bt3 --capacity-mb 512 || return
	d3=$UB_IDX
	check "mkfs.btrfs on two drives" mkfs.btrfs -q -f -d single -m single \
		/dev/uringblk$d2 /dev/uringblk$d3 || return
	mkdir -p "$m" && check "mount" mount -t btrfs /dev/uringblk$d2 "$m" || return
	append_chunk "$m/f"
	refused_map "$m/f" EOPNOTSUPP "the btrfs file system spans 2 devices"
	rc=$?
	umount "$m"
	"$CLI" remove bt2 bt3 || fail "remove bt2 bt3"
	return $rc
}

# zoned btrfs: sequential zones written by zone append, chunks on zones
t_zoned_btrfs() {
	local zi out rc
	ub_cli_create zb --zoned --capacity-mb 2048 --zone-size-mb 64 --block-size 4096 || return
	zi=$UB_IDX
	if ! out=$(mkfs.btrfs -q -f -O zoned /dev/uringblk$zi 2>&1); then
		echo "$out"
		fail "mkfs.btrfs -O zoned /dev/uringblk$zi"
		return
	fi
	MNT=$TMP.zoned
	mkdir -p "$MNT" && check "mount zoned btrfs" mount -t btrfs /dev/uringblk$zi "$MNT" || return
	use_drive "$zi" || { fail "loading count_pattern on uringblk$zi"; umount "$MNT"; return; }
	t_fragmented && t_sparse no_prealloc && t_btrfs_balance
	rc=$?
	umount "$MNT"
	return $rc
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run file_offload skip "$why"
	ktap_finish
fi
for need in "$CLI" "$OBJ"; do
	if [[ ! -e $need ]]; then
		ktap_plan 1
		ktap_run file_offload skip "no $need (make tools, make selftests)"
		ktap_finish
	fi
done
if ! command -v mkfs.ext4 > /dev/null; then
	ktap_plan 1
	ktap_run file_offload skip "no mkfs.ext4"
	ktap_finish
fi

ktap_plan 12
ub_unload && ub_load capacity_mb=256 slm_size_mb=16 || exit $KSFT_FAIL
mkdir -p "$MNT"
if ! mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 $DEV ||
   ! mount -t ext4 $DEV "$MNT" || ! make_chunk; then
	echo "# mkfs/mount of ext4 on $DEV failed"
	ub_unload
	exit $KSFT_FAIL
fi
use_drive 0 || echo "# loading or activating count_pattern on $DEV failed"
ktap_run fragmented t_fragmented
ktap_run sparse t_sparse
ktap_run small t_small
ktap_run stale t_stale
ktap_run refused t_refused
umount "$MNT" 2>/dev/null
BTRFS_CASES="fragmented sparse_unwritten stale balance refusals"
if ! command -v mkfs.btrfs > /dev/null || ! ub_configfs; then
	for t in $BTRFS_CASES two_devices; do
		ktap_run btrfs_$t skip "no mkfs.btrfs (btrfs-progs) or no configfs"
	done
	ktap_run zoned_btrfs skip "no mkfs.btrfs (btrfs-progs) or no configfs"
else
	if setup_btrfs; then
		ktap_run btrfs_fragmented t_fragmented
		ktap_run btrfs_sparse_unwritten t_sparse
		ktap_run btrfs_stale t_stale
		ktap_run btrfs_balance t_btrfs_balance
		ktap_run btrfs_refusals t_btrfs_refusals
	else
		for t in $BTRFS_CASES; do
			ktap_run btrfs_$t fail "setting up btrfs on a drive failed"
		done
	fi
	umount "$MNT" 2>/dev/null
	ktap_run btrfs_two_devices t_btrfs_two_devices
	ktap_run zoned_btrfs t_zoned_btrfs
	"$CLI" remove bt zb > /dev/null 2>&1
fi
rm -rf "$TMP".*
ub_unload
ktap_finish
