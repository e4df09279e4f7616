#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's `uringblk stats --latency` against a live drive: after a reset
# and a known number of O_DIRECT reads (dd), the table, the JSON and the
# --sysfs variant all show exactly that many reads with percentiles in
# time units; recording is off by default, and latency_enable=0 is
# reported; the plain `stats` output is unchanged (no latency columns).
#
# Uses the repository's CLI, out/bin/uringblk next to $URINGBLK_KO (built
# by `make tools`); without it the test is a SKIP.  Leaves the module
# unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
SYS=/sys/block/uringblk0/uringblk
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
READS=24

# The row of one operation in `stats --latency`: "op count mean p50 ...".
row() {
	grep -E "^$1 " <<<"$2"
}

t_latency_table() {
	local out r n
	check "reset" "$CLI" stats --latency --reset 0 > /dev/null || return
	check "dd" dd if=$DEV of=/dev/null bs=4k count=$READS iflag=direct status=none || return
	out=$("$CLI" stats --latency 0) || { fail "stats --latency exit status $?"; return; }
	echo "$out"
	[[ $(head -1 <<<"$out") =~ ^op\ +count\ +mean\ +p50\ +p90\ +p99\ +p99\.9\ +max$ ]] ||
		{ fail "header line"; return; }
	r=$(row read "$out")
	read -r _ n _ <<<"$r"
	expect_eq "reads counted" "$READS" "$n" || return
	# count, mean, then five times "<number> <unit>".
	[[ $r =~ ^read\ +$READS(\ +[0-9.]+\ (ns|us|ms|s)){6}$ ]] ||
		{ fail "read row '$r' is not count + 6 times"; return; }
	n=$(row exec "$out")
	[[ $n =~ ^exec\ +0$ ]] || fail "exec row '$n': nothing was run"
}

t_latency_json_and_sysfs() {
	local json sys lines=0 l
	json=$("$CLI" stats --latency --json 0) || { fail "--json exit status $?"; return; }
	grep -qE "\"read\": \\{\"count\": $READS, \"sum_ns\": [1-9][0-9]*, \"p50_ns\": [1-9]" <<<"$json" ||
		{ echo "$json"; fail "JSON read entry"; return; }
	grep -q '"enabled": true' <<<"$json" || { fail "JSON enabled"; return; }
	sys=$("$CLI" stats --latency --sysfs 0) || { fail "--sysfs exit status $?"; return; }
	[[ $(row read "$sys") =~ ^read\ +$READS\ +-\  ]] ||
		{ echo "$sys"; fail "--sysfs read row (no mean from sysfs)"; return; }
	# The file itself: one "<lower> <upper> <count>" line per bucket, summing to READS.
	while read -r _ _ l; do
		lines=$((lines + l))
	done < "$SYS/latency_read"
	expect_eq "sum of latency_read" "$READS" "$lines"
}

OFF_LINE='(recording is off: latency_enable is 0; echo 1 > /sys/block/uringblkN/uringblk/latency_enable turns it on)'

# A drive loaded without latency=1 records nothing, and says so.
t_latency_default_off() {
	local out r n
	expect_eq "latency_enable by default" 0 "$(<"$SYS/latency_enable")" || return
	check "dd" dd if=$DEV of=/dev/null bs=4k count=4 iflag=direct status=none || return
	out=$("$CLI" stats --latency 0) || { fail "stats --latency exit status $?"; return; }
	grep -qxF "$OFF_LINE" <<<"$out" || { echo "$out"; fail "no 'recording is off' line"; return; }
	r=$(row read "$out")
	read -r _ n _ <<<"$r"
	expect_eq "reads recorded while off" 0 "$n" || return
	echo 1 > "$SYS/latency_enable" || fail "cannot write latency_enable"
}

t_latency_off() {
	local out
	echo 0 > "$SYS/latency_enable" || { fail "cannot write latency_enable"; return; }
	out=$("$CLI" stats --latency 0)
	echo 1 > "$SYS/latency_enable"
	grep -qxF "$OFF_LINE" <<<"$out" || { echo "$out"; fail "no 'recording is off' line"; }
}

t_plain_stats_unchanged() {
	local out
	out=$("$CLI" stats 0) || { fail "stats exit status $?"; return; }
	grep -qE "^read_ops +$READS$" <<<"$out" || { echo "$out"; fail "read_ops line"; return; }
	! grep -qE 'p50|latency' <<<"$out" || fail "latency in the plain stats output"
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run cli_latency skip "$why"
	ktap_finish
fi
if [[ ! -x $CLI ]]; then
	ktap_plan 1
	ktap_run cli_latency skip "no CLI at $CLI (make tools)"
	ktap_finish
fi

ktap_plan 5
ub_unload && ub_load capacity_mb=64 || exit $KSFT_FAIL
ktap_run stats_latency_default_off t_latency_default_off
ktap_run stats_latency_table t_latency_table
ktap_run stats_latency_json_and_sysfs t_latency_json_and_sysfs
ktap_run stats_latency_recording_off t_latency_off
ktap_run stats_plain_unchanged t_plain_stats_unchanged
ub_unload
ktap_finish
