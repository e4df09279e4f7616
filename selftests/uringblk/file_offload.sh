#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offload over files: ext4 on a uringblk drive, count_pattern run over
# files through `exec --file` (EXEC over the file's extents) and `execute
# --file` (MEM_COPY into SLM, a range set, EXECUTE with data_len), each
# answer equal to a userspace count (grep -o Alpha FILE | wc -l):
#   - a fragmented file (three files grown in interleaved 4 KiB appends
#     with fsync; its map must have more than one data extent), every 4 KiB
#     boundary splitting an "Alpha" so that patterns cross extent ends;
#   - a sparse file (holes as zero extents), a file smaller than a block;
#   - the file changed between mapping and run (append, truncate, rewrite
#     in place, the last right after the file was written: the racily-clean
#     wait) -> ESTALE with what changed, through URINGBLK_TEST_AFTER_MAP;
#   - refusals with their message: an empty file (ENODATA), a file on tmpfs
#     (EXDEV, naming tmpfs), a btrfs file (EOPNOTSUPP, if mkfs.btrfs exists).
#
# Uses the repository's CLI, out/bin/uringblk next to $URINGBLK_KO; without
# it, or without mkfs.ext4, the test is a SKIP.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
OBJ=progs/count_pattern.bpf.o
TMP=/tmp/ubt-file-offload.$$
MNT=$TMP.mnt
PIND=7
PROG_ID=

r0_of() {
	sed -nE 's/.*"r0": ([0-9]+).*/\1/p' <<<"$1"
}

ucount() {
	grep -ao Alpha "$1" | wc -l
}

# both paths over FILE give the userspace count
count_both() {
	local f=$1 want out got
	want=$(ucount "$f")
	out=$("$CLI" exec $DEV "$PROG_ID" --file "$f" --pattern Alpha --json) ||
		{ echo "$out"; fail "exec --file $f: exit $?"; return; }
	got=$(r0_of "$out")
	expect_eq "exec --file $f (bytes $(stat -c %s "$f"))" "$want" "$got" || return
	out=$("$CLI" execute $DEV $PIND --file "$f" --pattern Alpha --json) ||
		{ echo "$out"; fail "execute --file $f: exit $?"; return; }
	got=$(r0_of "$out")
	expect_eq "execute --file $f" "$want" "$got" || return
	echo "$f: $want Alpha, both paths"
}

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
	count_both "$f"
	# unwritten (fallocate) blocks read as zeroes too
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

t_btrfs() {
	local out
	command -v mkfs.btrfs > /dev/null || { skip "no mkfs.btrfs"; return; }
	umount "$MNT" || { fail "umount ext4"; return; }
	check "mkfs.btrfs" mkfs.btrfs -q -f $DEV > /dev/null || return
	check "mount btrfs" mount $DEV "$MNT" || return
	append_chunk "$MNT/f"
	out=$("$CLI" file map "$MNT/f")
	expect_eq "btrfs: file map exit" 1 $? || return
	echo "$out"
	grep -q "^offloadable   no: $MNT/f is on btrfs, whose FIEMAP gives btrfs logical addresses, not the drive's (the library does not translate them through the chunk tree) (errno EOPNOTSUPP)$" <<<"$out" ||
		fail "btrfs refusal"
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

ktap_plan 6
ub_unload && ub_load capacity_mb=256 slm_size_mb=16 || exit $KSFT_FAIL
mkdir -p "$MNT"
if ! mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 $DEV ||
   ! mount -t ext4 $DEV "$MNT" || ! make_chunk; then
	echo "# mkfs/mount of ext4 on $DEV failed"
	ub_unload
	exit $KSFT_FAIL
fi
out=$("$CLI" prog load $DEV "$OBJ" --slot $PIND)
[[ $out =~ as\ program\ ([0-9]+)\ in\ slot\ $PIND ]] && PROG_ID=${BASH_REMATCH[1]}
"$CLI" prog activate $DEV $PIND || echo "# activate failed"
ktap_run fragmented t_fragmented
ktap_run sparse t_sparse
ktap_run small t_small
ktap_run stale t_stale
ktap_run refused t_refused
ktap_run btrfs_refused t_btrfs
umount "$MNT" 2>/dev/null
"$CLI" prog deactivate $DEV $PIND > /dev/null 2>&1
rm -rf "$TMP".*
ub_unload
ktap_finish
