# SPDX-License-Identifier: GPL-2.0
# Lesson 3: offsets of "ERROR" in 32 KiB of log lines, as u64 output.
LESSON_MODPARAMS="capacity_mb=16"
LESSON_EXERCISE_FAILS="FAIL: r0 \(occurrences\)"

lesson_check() {
	local want_n want_offs got_offs
	# 32 KiB of log lines, the same every run; perl also finds the offsets
	want_offs=$(perl -e 'srand(3); my @l = ("INFO disk ok", "WARN slow read", "ERROR crc mismatch", "INFO flush done", "DEBUG queue 3");
		my $s = ""; my $t = 0; while (length($s) < 32768) { $s .= sprintf("%06d %s\n", $t++, $l[int rand @l]) }
		$s = substr($s, 0, 32768); open(my $f, ">", "'"$WORK/log"'") or die; print $f $s; close $f;
		my $p = -1; my @o; while (($p = index($s, "ERROR", $p + 1)) >= 0) { push @o, $p } print "@o"') || return
	put "$WORK/log" 0 || return
	want_n=$(wc -w <<<"$want_offs")
	load "$1" || return
	run_prog exec $PROG_ID --lba 0 --count 64 --pattern ERROR --u64s || return
	got_offs=$(json_u64s)
	got_offs=$(echo $got_offs)
	want_eq "r0 (occurrences)" "$want_n" "$R0" "count every match you emit" || return
	want_eq "number of offsets in the output" "$want_n" "$(wc -w <<<"$got_offs")" \
		"emit each offset with uringblk_emit(&at, sizeof(at))" || return
	want_eq "the offsets (first 5)" "$(cut -d' ' -f1-5 <<<"$want_offs")" "$(cut -d' ' -f1-5 <<<"$got_offs")" || return
	want_eq "all $want_n offsets" "$want_offs" "$got_offs" "offsets from the start of the range, in order" || return
}
