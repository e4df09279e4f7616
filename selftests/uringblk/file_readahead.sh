#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Programs scanning a file-backed drive read ahead (driver/file.c,
# "Readahead for programs"): what they count is what the drive holds.
# The drive's image is a file on ext4 on a memory drive (uringblk0), used
# with direct I/O (asynchronous 512 KiB reads) and through the page cache
# (direct_io=0: POSIX_FADV_WILLNEED, then one copy a chunk).  For each:
#   - 24 MiB of text written through the block device, "Alpha" at every
#     alignment (so matches cross pages and 512 KiB chunks), scanned whole
#     (six times the largest readahead window) and over unaligned block
#     ranges (odd start and length, the last block of the drive), each
#     count equal to grep over the same bytes;
#   - the data changed between scans, through the drive and (direct I/O)
#     through the image file itself: the next scan counts the new bytes;
#   - with direct I/O, the scan reads the image in large requests: the
#     memory drive below sees far fewer reads than the scan has pages;
#   - a file on ext4 on the file-backed drive (EXEC over its extents, one
#     piece after another), counted as grep counts it;
#   - the drive removed while a scan of all of it runs: removal ends (30 s
#     at most on a loaded TCG host; 1-4 s seen), the EXEC ends with its
#     count or ENODEV (part of the drive scanned), the kernel logs no
#     warning, and the module comes out.
#
# Uses the repository's CLI (out/bin/uringblk next to $URINGBLK_KO) and
# mkfs.ext4; without either the test is a SKIP.  Leaves the module
# unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./file_lib.sh

CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
OBJ=progs/count_pattern.bpf.o
PIND=7
TMP=/tmp/ubt-file-ra.$$
MNT=$TMP.ext4		# ext4 on uringblk0: the image
INNER=$TMP.inner	# ext4 on the file-backed drive
CAP_MB=32
DATA=$((24 << 20))
BS=512

# $TMP.data: DATA bytes of random text, "Alpha" about every 70 bytes
make_data() {
	head -c $((DATA * 3 / 4)) /dev/urandom | base64 -w 97 | sed 's/Q/Alpha/g' |
		head -c $DATA > "$TMP.data"
	[[ $(stat -c %s "$TMP.data") == "$DATA" ]]
}

# want FILE OFF LEN: grep's count of Alpha in LEN bytes of FILE from OFF
want() {
	dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" bs=1M \
		status=none | grep -ao Alpha | wc -l
}

# scan LBA COUNT WHAT: EXEC of count_pattern over the blocks equals grep
# over the same bytes of the drive
scan() {
	local lba=$1 count=$2 what=$3 out got exp
	exp=$(want "$DEV" $((lba * BS)) $((count * BS)))
	out=$("$CLI" exec "$DEV" "$PROG_ID" --lba "$lba" --count "$count" \
	      --pattern Alpha --json) || { echo "$out"; fail "$what: exec exit $?"; return; }
	got=$(r0_of "$out")
	expect_eq "$what (lba $lba + $count)" "$exp" "$got" || return
	echo "$what: $got Alpha"
}

# reads_below: read requests the memory drive under the image completed (the
# driver's own counter: the block layer's iostats are off by default)
reads_below() {
	ub_stat 0 read_ops
}

# drive_cases NAME DIRECT: the cases on a file-backed drive NAME
drive_cases() {
	local name=$1 direct=$2 img=$MNT/$1.img n0 idx r0 r1 pages inner
	n0=$(dmesg | wc -l)
	check "file-backed drive ($name)" ub_mkdev "$name" backing=file path="$img" \
		capacity_mb=$CAP_MB direct_io="$direct" || return
	if ((direct)) && ub_dmesg_since "$n0" | grep -q "no direct I/O here"; then
		fail "ext4 should allow direct I/O"; return
	fi
	idx=$(cat "$UB_CFS/$name/index" 2>/dev/null) ||
		idx=$(ls /sys/block | sed -n 's/^uringblk\([1-9][0-9]*\)$/\1/p' | head -1)
	[[ -b /dev/uringblk$idx ]] || { fail "no node for $name"; return; }
	use_drive "$idx" || { fail "load count_pattern on $DEV"; return; }
	check "write the text" dd if="$TMP.data" of="$DEV" bs=1M oflag=direct \
		conv=fsync status=none || return

	r0=$(reads_below)
	scan 0 $((DATA / BS)) "the whole text" || return
	r1=$(reads_below)
	pages=$((DATA / 4096))
	echo "$name: the scan of $pages pages made $((r1 - r0)) reads below"
	if ((direct)) && ((r1 - r0 > pages / 8)); then
		fail "$name: $((r1 - r0)) reads for $pages pages: no readahead?"; return
	fi
	scan 7 4105 "odd start and length" || return
	scan 1 $((DATA / BS - 3)) "nearly all, unaligned" || return
	scan $((1024 * 1024 / BS - 1)) 3 "across a chunk boundary" || return
	scan $((CAP_MB * 2048 - 1)) 1 "the last block" || return
	scan $((DATA / BS - 5)) 2000 "text into the unwritten end" || return

	# changed between scans: through the drive, then (direct I/O) the file
	head -c $((3 << 20)) /dev/zero | tr '\0' 'B' > "$TMP.b"
	check "rewrite 3 MiB through the drive" dd if="$TMP.b" of="$DEV" bs=1M \
		seek=5 oflag=direct conv=fsync status=none || return
	scan 0 $((DATA / BS)) "after a rewrite through the drive" || return
	if ((direct)); then
		check "rewrite 1 MiB of the image" dd if="$TMP.data" of="$img" bs=1M \
			count=1 seek=9 oflag=direct conv=notrunc,fsync status=none || return
		scan 0 $((DATA / BS)) "after a rewrite of the image" || return
	fi

	# a file on ext4 on this drive: EXEC over its extents
	mkdir -p "$INNER"
	check "mkfs.ext4 on $DEV" mkfs.ext4 -q -F "$DEV" || return
	check "mount" mount "$DEV" "$INNER" || return
	inner=$INNER/text
	dd if="$TMP.data" of="$inner" bs=1M count=20 conv=fsync status=none
	out=$("$CLI" exec "$DEV" "$PROG_ID" --file "$inner" --pattern Alpha --json)
	r0=$?
	umount "$INNER"
	expect_eq "$name: exec --file exit" 0 "$r0" || { echo "$out"; return 1; }
	expect_eq "$name: exec --file over ext4" "$(want "$TMP.data" 0 $((20 << 20)))" \
		"$(r0_of "$out")" || return
	echo "$name: exec --file: $(r0_of "$out") Alpha"
	ub_dmesg_clean "$n0"
}

# removal while a scan of the whole drive runs
removal_case() {
	local img=$MNT/gone.img n0 idx runs out rc t0 pid
	n0=$(dmesg | wc -l)
	check "drive" ub_mkdev gone backing=file path="$img" capacity_mb=128 || return
	idx=$(cat "$UB_CFS/gone/index" 2>/dev/null) ||
		idx=$(ls /sys/block | sed -n 's/^uringblk\([1-9][0-9]*\)$/\1/p' | head -1)
	use_drive "$idx" || { fail "load count_pattern"; return; }
	dd if="$TMP.data" of="$DEV" bs=1M oflag=direct status=none
	runs=$(ub_stat "$idx" prog_runs)
	"$CLI" exec "$DEV" "$PROG_ID" --lba 0 --count $((128 * 2048)) --pattern Alpha \
		--json > "$TMP.out" 2>&1 &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		(( $(ub_stat "$idx" prog_runs) > runs )) && break
		sleep 0.02
	done
	# The run stops at its next reschedule point and waits only for
	# the reads it has in flight (ms); the bound is loose for loaded TCG
	# hosts (4 s seen at load 10), where a stall would be forever.
	t0=$SECONDS
	echo 0 > "$UB_CFS/gone/power"
	rmdir "$UB_CFS/gone"
	echo "removal took $((SECONDS - t0)) s"
	((SECONDS - t0 <= 30)) || { fail "removal took $((SECONDS - t0)) s"; return; }
	wait $pid
	rc=$?
	out=$(<"$TMP.out")
	echo "the EXEC: exit $rc: $out"
	if ((rc)); then
		[[ $out == *ENODEV* || $out == *"No such device"* ]] ||
			{ fail "the EXEC ended with neither its count nor ENODEV"; return; }
		[[ $out =~ \"bytes_scanned\":\ ([0-9]+) ]] &&
			((BASH_REMATCH[1] < 128 << 20)) ||
			{ fail "stopped, yet it scanned the whole drive?"; return; }
	else
		[[ -n $(r0_of "$out") ]] || { fail "no r0"; return; }
	fi
	ub_dmesg_clean "$n0"
}

t_file_readahead() {
	local rc=0
	command -v mkfs.ext4 >/dev/null || { skip "no mkfs.ext4"; return $?; }
	[[ -x $CLI ]] || { skip "no CLI at $CLI"; return $?; }
	ub_unload; rm -rf "$TMP"*; mkdir -p "$MNT"
	check "text" make_data || return
	check "memory drive for ext4" ub_load capacity_mb=512 || return
	check "mkfs.ext4" mkfs.ext4 -q -F /dev/uringblk0 || return
	check "mount" mount /dev/uringblk0 "$MNT" || return
	ub_configfs
	drive_cases direct 1 || rc=1
	ub_rmdev direct 2>/dev/null
	((rc)) || drive_cases cached 0 || rc=1
	ub_rmdev cached 2>/dev/null
	((rc)) || removal_case || rc=1
	ub_rmdev gone 2>/dev/null
	umount "$INNER" 2>/dev/null
	umount "$MNT"
	rm -rf "$TMP"*
	ub_unload || rc=1
	return $rc
}

ub_need_ko || exit $KSFT_FAIL
ktap_plan 1
ktap_run file_readahead t_file_readahead
ktap_finish
