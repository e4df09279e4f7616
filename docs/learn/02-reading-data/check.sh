# SPDX-License-Identifier: GPL-2.0
# Lesson 2: count a byte value (args[0]) over 64 KiB of text, for two values.
LESSON_MODPARAMS="capacity_mb=16"
LESSON_EXERCISE_FAILS="FAIL: bytes equal to 101"

lesson_check() {
	local b want counts
	# 64 KiB of pseudo-random words and lines, the same every run; perl
	# also counts the bytes 'e' (101) and newline (10) in it
	counts=$(perl -e 'srand(2); my @w = qw(alpha beta gamma delta storage block eBPF drive);
		my $s = ""; while (length($s) < 65536) { $s .= $w[int rand @w] . (rand() < 0.15 ? "\n" : " ") }
		$s = substr($s, 0, 65536); open(my $f, ">", "'"$WORK/data"'") or die; print $f $s; close $f;
		print scalar(() = $s =~ /e/g), " ", scalar(() = $s =~ /\n/g)') || return
	put "$WORK/data" 0 || return
	load "$1" || return
	for b in 101 10; do	# 'e' and newline
		want=${counts%% *}
		[[ $b == 10 ]] && want=${counts##* }
		run_prog exec $PROG_ID --lba 0 --count 128 --arg $b || return
		want_eq "bytes equal to $b in 128 blocks" "$want" "$R0" \
			"compare every byte of buf[0..len) with want and count the equal ones" || return
	done
}
