# SPDX-License-Identifier: GPL-2.0
# Lesson 6: a text file on ext4 on the drive, written in appends
# interleaved with another file (so its blocks are not in one piece), its
# last line without a newline; the program run with exec --file and with
# execute --file; both answers against perl's count of lines.
LESSON_MODPARAMS="capacity_mb=64 slm_size_mb=16"
LESSON_EXERCISE_FAILS="FAIL: exec --file: lines"

lesson_check() {
	local f=$MNT/notes.txt want
	mkfs_mount || return 2
	# six pieces of notes, each fsync'd after 8 KiB of another file, so
	# that ext4 puts them apart; perl counts the lines it writes
	want=$(perl -e 'use IO::Handle; srand(6); my $lines = 0;
		open(my $f, ">", "'"$f"'") or die; open(my $o, ">", "'"$MNT/other"'") or die;
		for my $i (1 .. 6) {
			for (1 .. 300 + int rand 200) { print $f "note ", int rand 1e6, "\n"; $lines++ }
			$f->flush; $f->sync; print $o "\0" x 8192; $o->flush; $o->sync;
		}
		print $f "the last line has no newline"; $lines++; $f->flush; $f->sync; print $lines') || return
	say "$f: $(stat -c %s $f) bytes, $("$CLI" file map $f | sed -n 's/^extents *//p') extents, $want lines"
	load "$1" --slot 4 || return
	"$CLI" prog activate $DEV 4 || return 2
	run_prog exec $PROG_ID --file $f || return
	want_eq "exec --file: lines" "$want" "$R0" \
		"data_len is the file's size: if the byte at data_len - 1 is not '\\n', the last line has no newline" || return
	run_prog execute 4 --file $f || return
	want_eq "execute --file: lines" "$want" "$R0" || return
}
