#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Int8 vector top-k (ABI 1.7, helpers dot_i8/l2sq_i8, bpf/topk_i8):
#   - identify: the drive announces vec_i8;
#   - raw: random vectors written at LBA 0; for several dims, k (k > n
#     too), dot and L2, `uringblk vec topk` in the drive (SLM + EXECUTE)
#     prints exactly what --host (O_DIRECT reads, scored in C) prints;
#     few distinct vectors make ties, which both break by lower index;
#   - file: a vector file on ext4 on the drive, both paths equal;
#   - budget: the same EXECUTE by hand (mem copy, mem write, rangeset,
#     execute --json): the units it reports are enough, one less is
#     ETIME (the helpers' work counts in the budget); bad args: EINVAL.
#
# Uses out/bin/uringblk and out/bin/uringblk-embed next to $URINGBLK_KO;
# without them the test is a SKIP.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
# next to the CLI when URINGBLK_CLI names it (the debug suite's module is in
# out/debug/module, not in the tree's top)
BIN=${URINGBLK_BIN:-$(dirname "${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}")}
CLI=$BIN/uringblk
EMBED=$BIN/uringblk-embed
OBJ=progs/topk_i8.bpf.o
TMP=/tmp/ubt-vec.$$
MNT=$TMP.mnt

# both paths over SRC with ARGS: the same hit lines
same() {
	local what=$1 d h
	shift
	d=$("$CLI" vec topk "$@" --prog "$OBJ" 2>"$TMP.err") ||
		{ cat "$TMP.err"; fail "$what: drive path exit $?"; return; }
	h=$("$CLI" vec topk "$@" --host 2>>"$TMP.err") ||
		{ cat "$TMP.err"; fail "$what: host path exit $?"; return; }
	[[ -n $d ]] || { fail "$what: no hits"; return; }
	if [[ "$d" != "$h" ]]; then
		diff <(echo "$d") <(echo "$h") | head -20
		fail "$what: drive and host differ"
		return
	fi
	echo "$what: $(wc -l <<<"$d") hits equal; best: $(head -1 <<<"$d")"
}

t_identify() {
	"$CLI" info $DEV | grep -q 'vec_i8' || { "$CLI" info $DEV; fail "no vec_i8 feature"; }
}

t_raw() {
	local dim n k m seed
	for spec in "384 3000 10" "384 3000 1" "1 5000 7" "100 2000 64" \
		    "4096 40 5" "64 30 100" "768 500 1024"; do
		read -r dim n k <<<"$spec"
		seed=$((dim * 7 + k))
		"$EMBED" random --dim "$dim" --count "$n" --seed $seed -o "$TMP.v" &&
			"$EMBED" random --dim "$dim" --count 1 --seed $((seed + 1)) -o "$TMP.q" &&
			dd if="$TMP.v" of=$DEV bs=1M oflag=direct conv=fsync status=none ||
			{ fail "generate $spec"; return; }
		for m in "" --l2; do
			same "raw dim $dim n $n k $k ${m:-dot}" $DEV --dim "$dim" \
				--count "$n" --k "$k" --query "$TMP.q" $m || return
		done
	done
	# ties: 5 distinct vectors repeated; the lowest indices win
	"$EMBED" random --dim 48 --count 5 --seed 9 -o "$TMP.five" || return
	for i in $(seq 40); do cat "$TMP.five"; done > "$TMP.v"
	dd if="$TMP.v" of=$DEV bs=1M oflag=direct conv=fsync status=none || return
	"$EMBED" random --dim 48 --count 1 --seed 10 -o "$TMP.q" || return
	same "ties dot" $DEV --dim 48 --count 200 --k 12 --query "$TMP.q" || return
	same "ties l2" $DEV --dim 48 --count 200 --k 12 --query "$TMP.q" --l2 || return
	# and the list is really by (score, index): indices of one score ascend
	"$CLI" vec topk $DEV --dim 48 --count 200 --k 12 --query "$TMP.q" \
		--prog "$OBJ" 2>/dev/null | awk '
		NR > 1 && $3 == s && $2 <= i { bad = 1 }
		NR > 1 && $3 > s { bad = 1 }
		{ s = $3; i = $2 } END { exit bad }' || fail "ties not by index"
}

t_file() {
	mkdir -p "$MNT" || return
	mkfs.ext4 -q -F -b 4096 $DEV && mount -t ext4 $DEV "$MNT" ||
		{ fail "mkfs/mount ext4"; return; }
	"$EMBED" random --dim 384 --count 20000 --seed 5 -o "$MNT/vectors" &&
		"$EMBED" random --dim 384 --count 1 --seed 6 -o "$TMP.q" && sync ||
		{ umount "$MNT"; fail "write the file"; return; }
	same "file dot" "$MNT/vectors" --dim 384 --k 10 --query "$TMP.q" &&
		same "file l2" "$MNT/vectors" --dim 384 --k 10 --query "$TMP.q" --l2
	local rc=$?
	umount "$MNT"
	return $rc
}

t_budget() {
	local dim=256 n=1024 out pind insns a0 bs rs
	"$EMBED" random --dim $dim --count $n --seed 3 -o "$TMP.v" &&
		"$EMBED" random --dim $dim --count 1 --seed 4 -o "$TMP.q" &&
		dd if="$TMP.v" of=$DEV bs=1M oflag=direct conv=fsync status=none ||
		return
	# a drive path run loads and activates topk_i8; find its slot
	"$CLI" vec topk $DEV --dim $dim --count $n --query "$TMP.q" --prog "$OBJ" \
		> /dev/null 2>&1 || { fail "first run"; return; }
	pind=$("$CLI" prog list $DEV | awk '$0 ~ /topk_i8/ { print $1; exit }')
	[[ -n $pind ]] || { "$CLI" prog list $DEV; fail "no topk_i8 slot"; return; }
	bs=$(blockdev --getss $DEV) || { fail "block size"; return; }
	check "mem copy" "$CLI" mem copy $DEV 4096 0:$((n * dim / bs)) || return
	check "mem write" "$CLI" mem write $DEV 0 "$TMP.q" || return
	rs=$("$CLI" rangeset create $DEV 0:$((4096 + n * dim))) || { fail "rangeset"; return; }
	a0=$((dim | 10 << 16))
	out=$("$CLI" execute $DEV "$pind" "$rs" --cparam1 $a0 --cparam2 4096 \
		--arg2 $n --json) || { echo "$out"; fail "execute"; return; }
	insns=$(sed -nE 's/.*"insns": ([0-9]+).*/\1/p' <<<"$out")
	expect_eq "r0" 10 "$(sed -nE 's/.*"r0": ([0-9]+).*/\1/p' <<<"$out")" || return
	echo "topk over $n x $dim: $insns units"
	((insns >= n * dim / 64)) || { fail "$insns units: the helper's work is not charged"; return; }
	out=$("$CLI" execute $DEV "$pind" "$rs" --cparam1 $a0 --cparam2 4096 \
		--arg2 $n --budget "$insns" --json) || { echo "$out"; fail "budget = units used"; return; }
	out=$("$CLI" execute $DEV "$pind" "$rs" --cparam1 $a0 --cparam2 4096 \
		--arg2 $n --budget $((insns - 1)) --json)
	grep -q '"errno": "ETIME"\|ETIME' <<<"$out" || { echo "$out"; fail "budget - 1 is not ETIME"; return; }
	out=$("$CLI" execute $DEV "$pind" "$rs" --cparam1 $((0 | 10 << 16)) \
		--cparam2 4096 --arg2 $n --json)
	grep -q 'EINVAL' <<<"$out" || { echo "$out"; fail "dim 0 is not EINVAL"; return; }
	"$CLI" rangeset delete $DEV "$rs"
}

ktap_plan 4
if [[ ! -x $CLI || ! -x $EMBED ]]; then
	echo "# no $CLI or $EMBED: build with make tools"
	ktap_run identify skip "no CLI"
	ktap_finish
fi
ub_unload && ub_load capacity_mb=256 slm_size_mb=64 || exit $KSFT_FAIL
ktap_run identify t_identify
ktap_run raw t_raw
ktap_run file t_file
ktap_run budget t_budget
rm -rf "$TMP".*
ub_unload
ktap_finish
