# SPDX-License-Identifier: GPL-2.0
# Lesson 7: 2,000 sales records (62.5 KiB) at LBA 0; the revenue of the
# sales with qty >= 1 (all) and >= 40, against perl's unpack of the same
# bytes.
LESSON_MODPARAMS="capacity_mb=16"
LESSON_EXERCISE_FAILS="FAIL: r0 \\(revenue, qty >= 1\\)"

lesson_check() {
	local min want got wants
	# the records, and perl's revenue and count for qty >= 1 and >= 40,
	# from the packed bytes it wrote
	wants=$(perl -e 'srand(7); my @it = qw(disk cable fan ssd tape); my $d = "";
		for my $id (1 .. 2000) { $d .= pack("VVQ<a16", $id, 1 + int rand 60, 99 + int rand 500000, $it[int rand @it]) }
		open(my $f, ">", "'"$WORK/sales"'") or die; print $f $d; close $f;
		for my $min (1, 40) { my ($s, $n) = (0, 0);
			for my $r (unpack("(a32)*", $d)) { my ($id, $q, $p) = unpack("VVQ<", $r); next if $q < $min; $s += $q * $p; $n++ }
			print "$s $n\n" }') || return
	put "$WORK/sales" 0 || return
	load "$1" || return
	mapfile -t wants <<<"$wants"
	for min in 1 40; do
		want=${wants[0]}
		[[ $min == 40 ]] && want=${wants[1]}
		run_prog exec $PROG_ID --lba 0 --count 125 --arg $min --u64s --out-size 16 || return
		want_eq "r0 (revenue, qty >= $min)" "${want% *}" "$R0" \
			"skip the sales with qty < args[0]; add qty * price_cents, a product of 64 bits" || return
		got=$(echo $(json_u64s))
		want_eq "output { revenue, sales }" "$want" "$got" \
			"store out[0] = sum and out[1] = count: 16 bytes, as two u64s" || return
	done
}
