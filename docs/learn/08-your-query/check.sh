# SPDX-License-Identifier: GPL-2.0
# Lesson 8: sales.csv (3,000 lines) on ext4 on the drive; the query for
# two regions (one a prefix of another region's name, so a prefix match
# is wrong), and one that matches nothing, against awk over the same file.
LESSON_MODPARAMS="capacity_mb=64"
LESSON_EXERCISE_FAILS="FAIL: north: \\{ count, sum, min, max \\}"

lesson_check() {
	local f=$MNT/sales.csv region want got wants i=0
	mkfs_mount || return 2
	perl -e 'srand(8); my @r = qw(north south east west northwest);
		print "id,region,amount\n";
		for my $id (1 .. 3000) { print "$id,$r[int rand @r],", int(rand 100000), "\n" }' > $f || return
	sync $f
	# the answers, by awk over the same file: one line per region
	mapfile -t wants < <(awk -F, 'NR > 1 { k = $2; n[k]++; s[k] += $3
			if (n[k] == 1 || $3 < lo[k]) lo[k] = $3; if ($3 > hi[k]) hi[k] = $3 }
		END { split("north west nowhere", q, " ")
			for (i = 1; i <= 3; i++) printf "%d %d %d %d\n", n[q[i]], s[q[i]], lo[q[i]], hi[q[i]] }' $f)
	load "$1" || return
	for region in north west nowhere; do
		want=${wants[i++]}
		run_prog exec $PROG_ID --file $f --pattern $region --u64s --out-size 32 --budget 50000000 || return
		got=$(echo $(json_u64s))
		want_eq "$region: { count, sum, min, max }" "$want" "$got" \
			"a line matches when each of its region's bytes equals pat[pos] and it has exactly plen of them" || return
		want_eq "$region: r0 (the sum)" "$(cut -d' ' -f2 <<<"$want")" "$R0" || return
	done
}
