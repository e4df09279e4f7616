# SPDX-License-Identifier: GPL-2.0
# Lesson 1: the program loads and returns 42 over one block.
LESSON_MODPARAMS="capacity_mb=16"
# what the exercise's failure must say (selftests/uringblk/learn.sh)
LESSON_EXERCISE_FAILS="FAIL: r0"

lesson_check() {
	load "$1" || return
	run_prog exec $PROG_ID --lba 0 --count 1 || return
	want_eq "r0" 42 "$R0" "return 42; from the function: r0 is what it returns"
}
