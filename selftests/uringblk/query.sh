#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Queries (Documentation/examples/queries.md): `uringblk query` compiles a query into a
# program and runs it in the drive over a file on ext4 on a uringblk drive;
# every answer must equal
#   - the library's host interpreter over the same file (--check), and
#   - an independent engine: sqlite3 (or awk when sqlite3 is missing) over
#     the same text, with decimals handled as integers of cents;
# on a generated lineitem-like table ('|'-separated, with a final '|'):
#   - a Q6-like filter/aggregate, a group-by with min/max, negative
#     numbers, a header with field names, fixed-length binary records of
#     the same rows (written by perl);
#   - the same CSV written raw to the drive and queried over its blocks;
#   - a bad query: exit 2 and a caret under the error;
#   - issue 35: an empty file, 16 one-digit fields within the default
#     budget, FROM csv(header) names without --header, the empty name;
#   - issue 50: comparisons across scales at 10^18 (CSV on both programs,
#     JSON, binary), an untyped field in both orders of an AND, a header
#     line of 70000 bytes;
#   - the CSV queries on both programs: the default one on the drive's
#     record helpers and the byte loop (--byte-loop), whose results must
#     be the same and which must run several times the instructions.
#
# Uses the repository's CLI, out/bin/uringblk next to $URINGBLK_KO; without
# it, or without mkfs.ext4, the test is a SKIP.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
TMP=/tmp/ubt-query.$$
MNT=$TMP.mnt
ROWS=${URINGBLK_QUERY_ROWS:-20000}
CSV=$MNT/lineitem.tbl

# orderkey|quantity|extendedprice|discount|shipdate|returnflag|delta|
gen_csv() {
	awk -v n="$ROWS" 'BEGIN {
		srand(15)
		for (i = 1; i <= n; i++)
			printf "%d|%d|%d.%02d|0.%02d|%04d-%02d-%02d|%s|%d|\n", i,
				1 + int(rand() * 50), 900 + int(rand() * 100000),
				int(rand() * 100), int(rand() * 11),
				1992 + int(rand() * 7), 1 + int(rand() * 12),
				1 + int(rand() * 28), substr("ANR", 1 + int(rand() * 3), 1),
				int(rand() * 2000) - 1000
	}'
}

# the drive's answer, checked against the host's by the CLI itself
drive() {
	local out
	out=$("$CLI" query "$@" --check --stats) || { echo "$out"; return 1; }
	echo "$out"
}

# the data rows of a result, decimals as integers ("12.34" -> 1234)
rows() {
	# as text: awk's numbers would lose digits past 2^53 or print as %g
	grep -v '^#' | tail -n +2 | awk '{ for (i = 1; i <= NF; i++) {
		if ($i !~ /^-?[0-9]+\.[0-9]+$/) continue
		s = $i; neg = sub(/^-/, "", s); sub(/\./, "", s); sub(/^0+/, "", s)
		$i = (neg ? "-" : "") (s == "" ? "0" : s) }
		print }'
}

# sqlite3 over the text: t(k, q, p, d, s, f, delta, x) with p and d in cents
indep() {
	if command -v sqlite3 > /dev/null; then
		sqlite3 -separator ' ' ':memory:' \
			"CREATE TABLE t(k, q, p, d, s, f, delta, x);" \
			".separator |" ".import $CSV t" ".separator ' '" \
			"CREATE VIEW v AS SELECT CAST(q AS INTEGER) q, CAST(replace(p, '.', '') AS INTEGER) p, CAST(replace(d, '.', '') AS INTEGER) d, s, f, CAST(delta AS INTEGER) delta FROM t;" \
			"$1"
	else
		awk -F'|' "$2" "$CSV"
	fi
}

t_q6() {
	local out got want
	out=$(drive "$CSV" "SELECT sum(\$3:dec2 * \$4:dec2), count(*) FROM csv(sep='|')
		WHERE \$5 >= date '1994-01-01' AND \$5 < date '1995-01-01'
		AND \$4 BETWEEN 0.05 AND 0.07 AND \$2 < 24") || { fail "query"; return; }
	echo "$out"
	got=$(rows <<<"$out")
	want=$(indep "SELECT sum(p * d), count(*) FROM v WHERE s >= '1994-01-01' AND s < '1995-01-01' AND d BETWEEN 5 AND 7 AND q < 24;" \
		'{ d = $4; sub(/\./, "", d); p = $3; sub(/\./, "", p)
		   if ($5 >= "1994-01-01" && $5 < "1995-01-01" && d + 0 >= 5 && d + 0 <= 7 && $2 < 24) { s += p * d; n++ } }
		 END { printf "%d %d\n", s, n }')
	expect_eq "Q6 against ${want:+the independent engine}" "$want" "$got"
}

t_group() {
	local out got want
	out=$(drive "$CSV" "SELECT \$6, count(*), sum(\$2), min(\$3:dec2), max(\$3),
		sum(\$7), min(\$7) FROM csv(sep='|') WHERE \$7 < 500 GROUP BY \$6:str") ||
		{ fail "query"; return; }
	echo "$out"
	got=$(rows <<<"$out")
	want=$(indep "SELECT f, count(*), sum(q), min(p), max(p), sum(delta), min(delta) FROM v WHERE delta < 500 GROUP BY f ORDER BY f;" \
		'$7 < 500 { p = $3; sub(/\./, "", p); p += 0; f = $6; n[f]++; q[f] += $2; s[f] += $7
		   if (!(f in lo) || p < lo[f]) lo[f] = p; if (!(f in hi) || p > hi[f]) hi[f] = p
		   if (!(f in md) || $7 < md[f]) md[f] = $7 }
		 END { for (f in n) printf "%s %d %d %d %d %d %d\n", f, n[f], q[f], lo[f], hi[f], s[f], md[f] }' | sort)
	expect_eq "group by against the independent engine" "$want" "$got"
}

# the same rows with a header line and ',' separators: fields by name
t_header() {
	local f=$MNT/named.csv out got want
	{ echo "orderkey,quantity,price,discount,shipdate,flag,delta,x"; tr '|' ',' < "$CSV"; } > "$f"
	out=$(drive "$f" --header "SELECT flag, count(*), sum(price:dec2 * discount:dec2)
		WHERE shipdate BETWEEN date '1995-03-01' AND date '1995-03-31'
		GROUP BY flag:str") || { fail "query"; return; }
	echo "$out"
	got=$(rows <<<"$out")
	want=$(indep "SELECT f, count(*), sum(p * d) FROM v WHERE s BETWEEN '1995-03-01' AND '1995-03-31' GROUP BY f ORDER BY f;" \
		'$5 >= "1995-03-01" && $5 <= "1995-03-31" { d = $4; sub(/\./, "", d); p = $3; sub(/\./, "", p)
		   n[$6]++; s[$6] += p * d } END { for (f in n) printf "%s %d %d\n", f, n[f], s[f] }' | sort)
	expect_eq "by name against the independent engine" "$want" "$got"
}

# binary rows of 28 bytes: i32 key, i64 quantity, i64 price in cents,
# i32 yyyymmdd, c2 flag (NUL-padded), 2 bytes of padding
t_binary() {
	local f=$MNT/lineitem.bin out got want
	command -v perl > /dev/null || { skip "no perl"; return; }
	perl -ne 'my @c = split /\|/; (my $p = $c[2]) =~ s/\.//; (my $s = $c[4]) =~ s/-//g;
		print pack("l<q<q<l<a2x2", $c[0], $c[1], $p, $s, $c[5])' "$CSV" > "$f"
	expect_eq "binary size" $((ROWS * 28)) "$(stat -c %s "$f")" || return
	out=$(drive "$f" "SELECT c2@24, count(*), sum(dec2@12 * i64@4), max(date@20)
		FROM binary(reclen=28) WHERE date@20 >= date '1994-01-01' AND i64@4 <= 10
		GROUP BY c2@24") || { fail "query"; return; }
	echo "$out"
	got=$(rows <<<"$out")
	want=$(indep "SELECT f, count(*), sum(p * q), max(s) FROM v WHERE s >= '1994-01-01' AND q <= 10 GROUP BY f ORDER BY f;" \
		'$5 >= "1994-01-01" && $2 <= 10 { p = $3; sub(/\./, "", p); n[$6]++; s[$6] += p * $2
		   if ($5 > m[$6]) m[$6] = $5 }
		 END { for (f in n) printf "%s %d %d %s\n", f, n[f], s[f], m[f] }' | sort)
	expect_eq "binary against the independent engine" "$want" "$got"
}

# the text written raw to the drive, queried over its blocks
t_raw() {
	local size out
	size=$(stat -c %s "$CSV")
	cp "$CSV" "$TMP.csv" || { fail "copy"; return; }
	umount "$MNT" || { fail "umount"; return; }
	check "dd to $DEV" dd if="$TMP.csv" of=$DEV bs=1M conv=fsync status=none || return
	out=$(drive $DEV --bytes "$size" "SELECT count(*), sum(\$2), min(\$7), max(\$7) FROM csv(sep='|')") ||
		{ fail "query $DEV"; return; }
	echo "$out"
	grep -q "^$ROWS " <<<"$out" || fail "count is not $ROWS"
}

# "# program N insns (KIND), ran M insns ..." -> "KIND M"
prog_run() {
	sed -n 's/^# program [0-9]* insns (\(.*\)), ran \([0-9]*\) insns.*/\1 \2/p'
}

# the same CSV queries with the byte loop: the same answers, more work
t_byte_loop() {
	local q out1 out2 k1 k2
	for q in "SELECT sum(\$3:dec2 * \$4:dec2), count(*) FROM csv(sep='|')
		WHERE \$5 >= date '1994-01-01' AND \$5 < date '1995-01-01'
		AND \$4 BETWEEN 0.05 AND 0.07 AND \$2 < 24" \
		 "SELECT \$6, count(*), min(\$3:dec2), max(\$7) FROM csv(sep='|') GROUP BY \$6:str"; do
		out1=$(drive "$CSV" "$q" 2>&1) || { fail "record helpers: $out1"; return; }
		out2=$(drive "$CSV" "$q" --byte-loop 2>&1) || { fail "byte loop: $out2"; return; }
		echo "$out2"
		expect_eq "results" "$(grep -v '^# program' <<<"$out1")" \
			"$(grep -v '^# program' <<<"$out2")" || return
		k1=$(prog_run <<<"$out1")
		k2=$(prog_run <<<"$out2")
		echo "# $k1 insns; $k2 insns"
		[[ $k1 == "record helpers "* && $k2 == "byte loop "* ]] ||
			{ fail "program kinds: '$k1', '$k2'"; return; }
		# about 16x fewer budget units a byte; 4x is the floor
		((${k1##* } * 4 < ${k2##* })) || { fail "record helpers ran ${k1##* }, byte loop ${k2##* }"; return; }
	done
}

t_bad() {
	local out rc
	out=$("$CLI" query $DEV "SELECT sum(\$3) WHERE \$5 >= date '1994-13-01'" 2>&1)
	rc=$?
	echo "$out"
	expect_eq "bad query: exit status" 2 $rc || return
	grep -q "query:1:33: a date is 'yyyy-mm-dd'" <<<"$out" || fail "no position"
	grep -qxF "$(printf '%34s' '')^~~~~~~~~~~~" <<<"$out" || fail "no caret"
}

# issue 35, on the drive: an empty file answers as the host does (it was
# ENODATA); 16 one-digit fields (125 budget units a byte on the byte loop)
# run within the default budget (the old 64 a byte + 1 M stopped them
# with ETIME); FROM csv(header) resolves names without --header; the
# empty name is refused (exit 2) on every engine
t_issue35() {
	local out rc f=$MNT/wide.csv q="SELECT count(*), sum(\$1"

	: > "$MNT/empty.csv"
	out=$("$CLI" query "$MNT/empty.csv" 'SELECT sum($1), count(*)' --check 2>&1)
	rc=$?
	echo "$out"
	expect_eq "empty file: exit status" 0 $rc || return
	grep -qx '# records 0, matched 0, malformed 0, groups 0' <<<"$out" ||
		grep -q '^NULL' <<<"$out" || fail "empty file: no empty result"

	awk 'BEGIN { srand(35); for (r = 0; r < 20000; r++) {
		for (j = 1; j <= 16; j++) printf "%d%s", int(rand() * 10), j < 16 ? "," : "\n" } }' > "$f"
	for j in $(seq 2 16); do q+=" + \$$j"; done
	drive "$f" "$q)" || { fail "16 fields: not within the default budget"; return; }

	printf 'a,,b c\n1,2,3\n4,5,6\n' > "$MNT/names.csv"
	out=$(drive "$MNT/names.csv" 'SELECT sum(a), sum($2), sum("b c") FROM csv(header)') ||
		{ fail "FROM csv(header): $out"; return; }
	grep -q '^5 *7 *9$' <<<"$out" || fail "FROM csv(header): wrong sums"
	out=$("$CLI" query "$MNT/names.csv" 'SELECT sum("")' --header 2>&1)
	expect_eq 'the empty name: exit status' 2 $? || return
	grep -q 'an empty name' <<<"$out" || fail "the empty name: no message"
}

# the data rows of a result, fields one blank apart
vals() {
	rows | awk '{ $1 = $1; print }'
}

# issue 50, on the drive (both CSV programs, JSON, binary): a value
# compared with one of a larger scale is exact (`$1:int > 0.5` took
# -10^18 for a match: its product by 10 wrapped); an untyped field's type
# does not depend on the order of the conjuncts; a header line longer
# than 4 KiB resolves its names.  The answers are awk's, over the same text
t_issue50() {
	local out want got f=$MNT/scale.csv j=$MNT/scale.json b=$MNT/scale.bin

	printf '10,1\n-10,1\n1000000000000000000,1\n-1000000000000000000,1\n5,1\n' > "$f"
	want=$(awk -F, '$1 > 0.5 { n++; if (m == "" || $1 + 0 < m + 0) m = $1 } END { print n, m }' "$f")
	for prog in "" --byte-loop; do
		out=$(drive "$f" 'SELECT count(*), min($1:int) WHERE $1:int > 0.5' $prog) ||
			{ fail "int > 0.5 $prog: $out"; return; }
		got=$(vals <<<"$out")
		expect_eq "int > 0.5 $prog" "$want" "$got" || return
	done
	awk -F, '{ printf "{\"a\": %s}\n", $1 }' "$f" > "$j"
	out=$(drive "$j" 'SELECT count(*), min(a:int) FROM json WHERE a:int > 0.5') ||
		{ fail "JSON: $out"; return; }
	expect_eq "JSON a:int > 0.5" "$want" "$(vals <<<"$out")" || return
	perl -ne 'chomp; my @f = split /,/; print pack("q<", $f[0])' "$f" > "$b"
	want=$(awk -F, '$1 > 0.5 && $1 <= 100 { n++ } END { print n }' "$f")
	out=$(drive "$b" 'SELECT count(*) FROM binary(reclen=8) WHERE i64@0 BETWEEN 0.5 AND 100') ||
		{ fail "binary: $out"; return; }
	expect_eq "binary BETWEEN 0.5 AND 100" "$want" "$(vals <<<"$out")" || return

	printf '1.5\n2.25\n-0.5\n' > "$f"
	want=$(awk '$1 > 0.5 && $1 < 2.5 { n++ } END { print n }' "$f")
	for w in '$1 > 0.5 AND $1 < 2.50' '$1 < 2.50 AND $1 > 0.5'; do
		out=$(drive "$f" "SELECT count(*) WHERE $w") || { fail "$w: $out"; return; }
		expect_eq "$w" "$want" "$(vals <<<"$out")" || return
		grep -q 'malformed 0' <<<"$out" || { fail "$w: malformed records"; return; }
	done

	perl -e 'print "x" x 70000, ",target\n"; print "$_,", $_ * 3, "\n" for 1 .. 50' > "$f"
	want=$(awk -F, 'NR > 1 { s += $2 } END { print s }' "$f")
	out=$(drive "$f" 'SELECT sum(target)' --header) || { fail "long header: $out"; return; }
	expect_eq "a 70000-byte header" "$want" "$(vals <<<"$out")"
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run query skip "$why"
	ktap_finish
fi
if [[ ! -x $CLI ]]; then
	ktap_plan 1
	ktap_run query skip "no $CLI (make tools)"
	ktap_finish
fi
if ! command -v mkfs.ext4 > /dev/null; then
	ktap_plan 1
	ktap_run query skip "no mkfs.ext4"
	ktap_finish
fi

ktap_plan 9
ub_unload && ub_load capacity_mb=256 || exit $KSFT_FAIL
mkdir -p "$MNT"
if ! mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 $DEV ||
   ! mount -t ext4 $DEV "$MNT" || ! gen_csv > "$CSV"; then
	echo "# mkfs/mount of ext4 on $DEV, or the data, failed"
	ub_unload
	exit $KSFT_FAIL
fi
echo "# $CSV: $ROWS rows, $(stat -c %s "$CSV") bytes; independent engine: $(command -v sqlite3 || echo awk)"
ktap_run q6 t_q6
ktap_run group_by t_group
ktap_run header_names t_header
ktap_run binary t_binary
ktap_run byte_loop t_byte_loop
ktap_run issue35 t_issue35
ktap_run issue50 t_issue50
ktap_run raw_device t_raw
ktap_run bad_query t_bad
umount "$MNT" 2>/dev/null
rm -rf "$MNT" "$TMP.csv"
ub_unload
ktap_finish
