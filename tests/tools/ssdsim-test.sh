#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uringblk-ssdsim (tools/ssdsim) as users run it: no drive, model time.
# Checks that a run is deterministic (the same output twice), that QD1
# 4 KiB random reads on the 970pro preset run at 1 / (fw_read + tR +
# 4 KiB over the channel + 4 KiB over the link), the hand calculation
# from the preset's numbers (21,500 + 35,760 + 5,120 + 1,220 ns), that a
# sequential overwrite reports WAF 1.000, that --capacity alone fits the
# blocks to it, --csv's header, and that bad
# options and geometries are refused with exit status 2 and a reason.
# Also pins two PREDICTED figures of the datasheet table
# (Documentation/dev/ssd-model.md) to the model's exact values, so that a
# change to the model that moves a validation figure is seen and the
# table re-measured: 4 KiB random reads at QD32 x 4 on 970pro and pm9a3.
# The pushdown example's options: --internal (no host link), open-loop
# --bg-write-iops past --span, --precondition, --ramp; and zoned jobs.
#
# usage: tests/tools/ssdsim-test.sh path/to/uringblk-ssdsim

sim=${1:?usage: $0 path/to/uringblk-ssdsim}
passed=0 failed=0
check() {	# check OK WHAT
	if [[ $1 == 1 ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $2" >&2
	fi
}

job=(--preset 970pro --blocks 64 --rw randread --qd 1 --time 2s --fill)
a=$("$sim" "${job[@]}")
b=$("$sim" "${job[@]}")
check "$([[ -n $a && $a == "$b" ]] && echo 1)" "two runs differ"

iops=$(sed -n 's/^# total: \([0-9]*\) IOPS.*/\1/p' <<<"$a")
want=$((1000000000 / (21500 + 35760 + 5120 + 1220)))
check "$((iops >= want && iops <= want + 1))" "QD1 randread: $iops IOPS, want $want"

seq=$("$sim" --preset 970pro --blocks 64 --rw write --bs 128k --qd 4 --time 2s --fill)
check "$(grep -q '^# total: .* WAF 1\.000,' <<<"$seq" && echo 1)" \
	"sequential overwrite: WAF 1.000: $(grep '^# total' <<<"$seq")"

# predicted figures, exact (the model is deterministic): update the table
# in Documentation/dev/ssd-model.md with them when they move
pin() {	# pin WANT-IOPS ARGS...
	local want=$1 got
	shift
	got=$("$sim" "$@" | sed -n 's/^# total: \([0-9]*\) IOPS.*/\1/p')
	check "$([[ $got == "$want" ]] && echo 1)" "predicted figure moved: $* -> $got IOPS, table says $want"
}
pin 367031 --preset 970pro --blocks 64 --rw randread --qd 128 --time 2s --fill
pin 981754 --preset pm9a3 --pages 128 --blocks 128 --rw randread --qd 128 --time 2s --fill

# --capacity without --blocks: the fewest blocks per plane that hold it,
# as a drive of that capacity fits its model (ssd_cfg_fit()): that many
# take the capacity with --blocks, one fewer refuse it; and the fitted
# drive meets GC under random overwrites (it did not when the preset's
# blocks were kept: a 256 MiB drive on 2 TiB of NAND)
fit=$("$sim" --preset 970pro --capacity 256m --rw randwrite --time 3s --fill)
nb=$(sed -n '1s/.*, \([0-9]*\) blocks x .*/\1/p' <<<"$fit")
check "$([[ $nb =~ ^[0-9]+$ ]] && "$sim" --preset 970pro --blocks "$nb" --capacity 256m --time 1s > /dev/null &&
	! "$sim" --preset 970pro --blocks $((nb - 1)) --capacity 256m --time 1s > /dev/null 2>&1 && echo 1)" \
	"--capacity 256m: $nb blocks per plane, not the fewest that hold it"
check "$(grep -qE '^# total: .* GC runs [1-9]' <<<"$fit" && echo 1)" \
	"--capacity 256m randwrite: no GC: $(grep '^# total' <<<"$fit")"

# a scan in the drive (--internal) crosses no host link: a fresh drive's
# sequential reads run at the channels' 8 x 800 MB/s, the host's at the
# link's 3,360 (within 0.2%: whole commands in a second)
mbps() { "$sim" "$@" | sed -n 's/^# total: [0-9]* IOPS, \([0-9]*\)\..*/\1/p'; }
scan=(--preset 970pro --blocks 64 --rw read --bs 128k --qd 16 --time 1s --fill --span 50)
h=$(mbps "${scan[@]}") d=$(mbps "${scan[@]}" --internal)
check "$((h >= 3355 && h <= 3365 && d >= 6390 && d <= 6410))" \
	"scan by the host $h MB/s (want 3,360), in the drive $d MB/s (want 6,400)"
# open-loop background writes at their rate, past --span, after a ramp;
# with preconditioning they make GC run
bg=$("$sim" "${scan[@]}" --bg-write-iops 20000 --precondition 2 --ramp 500ms)
check "$(grep -qx '# background: 4 KiB random writes, 20000 IOPS' <<<"$bg" &&
	grep -q '^# precondition: 2.00 capacities' <<<"$bg" &&
	grep -qE '^# total: .* GC runs [1-9]' <<<"$bg" && echo 1)" \
	"--bg-write-iops 20000 --precondition 2: $(grep '^#' <<<"$bg" | tail -3)"
# busy with GC, the scan slows, in the drive and by the host alike
hb=$(mbps "${scan[@]}" --bg-write-iops 60000 --precondition 2 --ramp 500ms)
db=$(mbps "${scan[@]}" --bg-write-iops 60000 --precondition 2 --ramp 500ms --internal)
check "$((hb < h && db < d && db > hb))" "under GC: host $hb, drive $db MB/s"
err=$("$sim" --preset zn540 --rw read --bg-write-iops 10 2>&1); st=$?
check "$([[ $st == 2 && $err == *"a zoned drive takes sequential writes only"* ]] && echo 1)" \
	"zoned with background writes: $st $err"
err=$("$sim" --precondition 101 2>&1); st=$?
check "$([[ $st == 2 && $err == *"--precondition '101': 0..100"* ]] && echo 1)" "--precondition 101: $st $err"

# zoned: sequential writes over the capacity reset each zone before it is
# written again; random writes refused
z=$("$sim" --preset zn540 --blocks 4 --rw write --bs 128k --qd 8 --time 4s)
check "$(grep -qE '^# zone resets: [1-9]' <<<"$z" && grep -qE '^# total: .* WAF 1\.000,' <<<"$z" && echo 1)" \
	"zn540 sequential writes: $(grep '^#' <<<"$z" | tail -2)"
err=$("$sim" --preset zn540 --rw randwrite 2>&1); st=$?
check "$([[ $st == 2 && $err == *"a zoned drive takes sequential writes only"* ]] && echo 1)" \
	"zoned randwrite: $st $err"

csv=$("$sim" "${job[@]}" --csv)
check "$(grep -qx 'time_s,iops,mbps,p50_us,p99_us,p999_us,waf,gc_runs' <<<"$csv" && echo 1)" \
	"--csv header"

err=$("$sim" --preset nosuch 2>&1); st=$?
check "$([[ $st == 2 && $err == *"no preset 'nosuch'"* ]] && echo 1)" "unknown preset: $st $err"
err=$("$sim" --dies 0 2>&1); st=$?
check "$([[ $st == 2 && $err == *"dies_per_channel 0: zero dies"* ]] && echo 1)" "zero dies: $st $err"
err=$("$sim" --bs 6k 2>&1); st=$?
check "$([[ $st == 2 && $err == *"--bs: a multiple of 4 KiB"* ]] && echo 1)" "--bs 6k: $st $err"

echo "ssdsim: $passed checks passed, $failed failed"
((failed == 0))
