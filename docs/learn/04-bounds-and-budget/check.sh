# SPDX-License-Identifier: GPL-2.0
# Lesson 4: lesson 2's count over 9 blocks (4,608 bytes: the exercise's
# `<=` makes one 256-byte read past the end), with a budget of 2,000,000
# units, ten times what the fixed program needs.
LESSON_MODPARAMS="capacity_mb=16"
LESSON_EXERCISE_FAILS="unknown helper 14"

lesson_check() {
	local b want counts
	# 4,608 letters a..f; perl counts the a's and the f's
	counts=$(perl -e 'srand(4); my $s = join("", map { chr(97 + int rand 6) } 1 .. 4608);
		open(my $f, ">", "'"$WORK/data"'") or die; print $f $s; close $f;
		print scalar(() = $s =~ /a/g), " ", scalar(() = $s =~ /f/g)') || return
	put "$WORK/data" 0 || return
	load "$1" || return
	for b in 97 102; do	# 'a' and 'f'
		want=${counts%% *}
		[[ $b == 102 ]] && want=${counts##* }
		run_prog exec $PROG_ID --lba 0 --count 9 --arg $b --budget 2000000 || return
		want_eq "bytes equal to $b in 9 blocks" "$want" "$R0" || return
	done
}
