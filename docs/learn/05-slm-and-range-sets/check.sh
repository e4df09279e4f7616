# SPDX-License-Identifier: GPL-2.0
# Lesson 5: two 4 KiB pieces of text, copied inside the drive from blocks
# 0..7 and 100..107 into SLM at 0 and 64 KiB; a range set of both; the
# program in slot 3, activated, EXECUTEd over the set; SLM read back and
# compared with `tr a-z A-Z` of the pieces.
LESSON_MODPARAMS="capacity_mb=16 slm_size_mb=8"
LESSON_EXERCISE_FAILS="SLM at 0: the bytes differ"

# same_bytes WHAT WANTFILE GOTFILE: the first difference, if any.
same_bytes() {
	local diff
	cmp -s "$2" "$3" && { say "ok: $1"; return 0; }
	diff=$(cmp "$2" "$3" 2>&1 | sed -n 's/.*differ: byte \([0-9]*\).*/\1/p')
	[[ -n $diff ]] || diff=1
	mismatch "$1: the bytes differ first at byte $((diff - 1))" \
		"$(dd if="$2" bs=1 skip=$((diff - 1)) count=24 status=none | tr '\n' ' ')" \
		"$(dd if="$3" bs=1 skip=$((diff - 1)) count=24 status=none | tr '\n' ' ')" \
		"store into mem[i]: the window is the drive's memory itself, read-write"
}

lesson_check() {
	local rsid want
	perl -e 'srand(5); my @w = qw(the drive keeps its memory close to the data and the program runs there);
		my $s = ""; while (length($s) < 8192) { $s .= $w[int rand @w] . (rand() < 0.1 ? ".\n" : " ") }
		print substr($s, 0, 8192)' > "$WORK/text" || return
	head -c 4096 "$WORK/text" > "$WORK/a" && tail -c 4096 "$WORK/text" > "$WORK/b" || return
	put "$WORK/a" 0 && put "$WORK/b" 100 || return
	say "uringblk mem copy $DEV 0 0:8; uringblk mem copy $DEV 64K 100:8"
	"$CLI" mem copy $DEV 0 0:8 >/dev/null && "$CLI" mem copy $DEV 64K 100:8 >/dev/null || return 2
	rsid=$("$CLI" rangeset create $DEV 0:4K,64K:4K) || return 2
	say "range set $rsid = SLM [0, 4K) + [64K, 68K): the program sees 8 KiB"
	load "$1" --slot 3 || return
	"$CLI" prog activate $DEV 3 || return 2
	run_prog execute 3 "$rsid" || return
	want=$(tr -cd a-z < "$WORK/text" | wc -c)
	"$CLI" mem read $DEV 0 4K -o "$WORK/got_a" && "$CLI" mem read $DEV 64K 4K -o "$WORK/got_b" || return 2
	tr a-z A-Z < "$WORK/a" > "$WORK/want_a" && tr a-z A-Z < "$WORK/b" > "$WORK/want_b"
	want_eq "r0 (letters changed)" "$want" "$R0" "count each lower-case letter you change" || return
	same_bytes "SLM at 0" "$WORK/want_a" "$WORK/got_a" || return
	same_bytes "SLM at 64K (the set's second range)" "$WORK/want_b" "$WORK/got_b" || return
}
