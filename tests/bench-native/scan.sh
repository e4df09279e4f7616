#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scan.sh OUT MIB RUNS - run OUT/scan-old and OUT/scan-new interleaved
# (the order alternating every round), then print the median MB/s of
# every data set and row with the min-max over the runs, and new/old.
set -euo pipefail
out=$1 mib=${2:-64} runs=${3:-7}
read -r l1 l5 l15 _ </proc/loadavg
echo "scan: $mib MiB, $runs interleaved runs each, CPU time (thread), nice $(nice)," \
     "host load average $l1 $l5 $l15, $(nproc) CPUs"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for ((r = 0; r < runs; r++)); do
	if ((r % 2)); then order="new old"; else order="old new"; fi
	for b in $order; do
		"$out/scan-$b" "$b" "$mib" >>"$tmp"
	done
done
read -r l1 l5 l15 _ </proc/loadavg
echo "scan: host load average at the end $l1 $l5 $l15"
awk '
function median(key,   n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	lo[key] = a[1]; hi[key] = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	key = $2 " " $3 " " $4
	vals[key] = vals[key] " " $5
	if (!(key in count)) count[key] = $6
	else if (count[key] != $6) bad = bad "\n  " key ": " count[key] " and " $6
	if (!($3 in seen)) { seen[$3] = 1; sets[++ns] = $3 }
	if (!($4 in seenr)) { seenr[$4] = 1; rows[++nr] = $4 }
}
END {
	for (s = 1; s <= ns; s++) {
		printf "\n%s (count %s)\n", sets[s], count["new " sets[s] " helper"]
		printf "  %-8s %24s %24s %8s\n", "", "old MB/s (min-max)", "new MB/s (min-max)", "new/old"
		for (r = 1; r <= nr; r++) {
			ko = "old " sets[s] " " rows[r]; kn = "new " sets[s] " " rows[r]
			mo = median(ko); mn = median(kn)
			med[kn] = mn
			printf "  %-8s %9.0f (%5.0f-%5.0f) %9.0f (%5.0f-%5.0f) %7.2fx\n", rows[r], mo, lo[ko], hi[ko], mn, lo[kn], hi[kn], mn / mo
		}
		printf "  new helper time: %.2fx native C, %.2fx naive C; rate %.0f%% of memchr, %.0f%% of memcpy\n",
			med["new " sets[s] " native"] / med["new " sets[s] " helper"],
			med["new " sets[s] " naive"] / med["new " sets[s] " helper"],
			100 * med["new " sets[s] " helper"] / med["new " sets[s] " memchr"],
			100 * med["new " sets[s] " helper"] / med["new " sets[s] " memcpy"]
	}
	if (bad != "") { printf "\nscan: FAILED: counts differ:%s\n", bad; exit 1 }
}' "$tmp"
