#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection (/sys/block/uringblkN/fault/) as real clients see it:
# dd and fio get EIO at exactly the configured blocks and nowhere else,
# writes, flushes (fsync), discards and write-zeroes fail when asked to,
# every_nth and seeded probabilities fail exactly the blocks the documented
# hash predicts (recomputed here), delays slow requests that still succeed,
# read-only and offline zones behave as ZBC says with blkzone showing them
# and the open/active accounting intact, bad knob values get EINVAL/ERANGE
# with a message naming them, clear restores service, and the module
# unloads after injected faults under load.  EXEC over a failing range is
# fault_exec (C).
#
# Needs root and URINGBLK_KO.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
F=/sys/block/uringblk0/fault
S=/sys/block/uringblk0/uringblk

# Write $2 to knob $1; prints the error text of a failed write ("" if ok).
knob() {
	local err
	err=$( { echo "$2" > "$F/$1"; } 2>&1)
	echo "${err##*write error: }"
}

# set_knobs name=value...: all must be accepted.
set_knobs() {
	local kv err
	for kv; do
		err=$(knob "${kv%%=*}" "${kv#*=}")
		[[ -z $err ]] || { fail "$kv: $err"; return 1; }
	done
}

stat_of() {
	local v
	read -r v < "$S/$1" && echo "$v"
}

# dd one block: "ok", "EIO" or the error text.
dd_block() {	# read|write bs lba
	local err
	if [[ $1 == read ]]; then
		err=$(dd if=$DEV of=/dev/null bs="$2" skip="$3" count=1 iflag=direct status=none 2>&1)
	else
		err=$(dd if=/dev/zero of=$DEV bs="$2" seek="$3" count=1 oflag=direct status=none 2>&1)
	fi
	if [[ -z $err ]]; then
		echo ok
	elif [[ $err == *"Input/output error"* ]]; then
		echo EIO
	else
		echo "$err"
	fi
}

# dd_scan read|write bs first count: the blocks that gave EIO, one dd each.
dd_scan() {
	local lba r out=()
	for ((lba = $3; lba < $3 + $4; lba++)); do
		r=$(dd_block "$1" "$2" "$lba")
		case $r in
		ok) ;;
		EIO) out+=("$lba") ;;
		*) echo "dd $1 of block $lba: $r" >&2; return 1 ;;
		esac
	done
	echo "${out[*]}"
}

# The distinct byte values (hex) of block $2 of size $1.
block_bytes() {
	dd if=$DEV bs="$1" skip="$2" count=1 iflag=direct status=none |
		od -An -tx1 -v | tr -s ' \n' '\n\n' | sort -u | grep -v '^$' | tr '\n' ' ' | sed 's/ $//'
}

seq_list() {	# first last: "first ... last"
	local i out=()
	for ((i = $1; i <= $2; i++)); do out+=("$i"); done
	echo "${out[*]}"
}

# The driver's hash (fault.c), in bash's 64-bit arithmetic: the same bits.
# _mix sets H; logical right shifts are masked arithmetic ones.
_mix() {
	local x=$1
	x=$((x ^ ((x >> 30) & ((1 << 34) - 1))))
	x=$((x * 0xbf58476d1ce4e5b9))
	x=$((x ^ ((x >> 27) & ((1 << 37) - 1))))
	x=$((x * 0x94d049bb133111eb))
	H=$((x ^ ((x >> 31) & ((1 << 33) - 1))))
}

# chance ppm seed a b: status 0 if the driver's choice says yes.
chance() {
	local h
	_mix "$4"; _mix $(($3 ^ H)); _mix $(($2 ^ H))
	h=$(((H >> 32) & 0xffffffff))
	(((h * 1000000) >> 32 < $1))
}

# Load one plain drive of $1 MiB with $2-byte blocks; fault knobs default.
load_plain() {
	ub_unload && ub_load capacity_mb="$1" block_size="$2" nr_devices=1 || return 1
	DMESG0=$(dmesg | wc -l)
}

test_knobs() {
	local f want nr=$((16 * 2048)) msg
	load_plain 16 512 || return 1

	for f in ops lba_start lba_count probability seed every_nth delay_us delay_probability; do
		expect_eq "mode of $f" 644 "$(stat -c %a "$F/$f")" || return 1
	done
	expect_eq "mode of clear" 200 "$(stat -c %a "$F/clear")" || return 1
	for f in zone_readonly zone_offline zone_restore; do
		[[ ! -e $F/$f ]] || { fail "$f exists on a drive that is not zoned"; return 1; }
	done
	expect_eq "defaults" "none 0 0 1000000 0 0 0 1000000" \
		"$(cat "$F"/{ops,lba_start,lba_count,probability,seed,every_nth,delay_us,delay_probability} | tr '\n' ' ' | sed 's/ $//')" || return 1

	# ops parsing, canonical order on read
	set_knobs "ops=write, read" || return 1
	expect_eq "ops list" "read,write" "$(<"$F/ops")" || return 1
	set_knobs ops=all || return 1
	expect_eq "ops all" "read,write,flush,discard,write_zeroes" "$(<"$F/ops")" || return 1
	set_knobs ops= || return 1
	expect_eq "ops empty" none "$(<"$F/ops")" || return 1

	# range edges: the last block is fine, one past is not
	set_knobs lba_start=$((nr - 1)) lba_count=1 || return 1
	expect_eq "lba_count past the end" "Numerical result out of range" "$(knob lba_count 2)" || return 1
	set_knobs lba_count=0 lba_start=0 lba_count=$nr || return 1
	expect_eq "lba_start with a full count" "Numerical result out of range" "$(knob lba_start 1)" || return 1
	set_knobs lba_count=0 || return 1
	expect_eq "lba_start = blocks" "Numerical result out of range" "$(knob lba_start $nr)" || return 1
	set_knobs probability=1000000 delay_probability=0 delay_us=10000000 seed=0xffffffffffffffff || return 1
	expect_eq "seed hex" 18446744073709551615 "$(<"$F/seed")" || return 1

	# bad values: errno and a log line naming the value
	while IFS=$'\t' read -r f v want msg; do
		expect_eq "$f=$v" "$want" "$(knob "$f" "$v")" || return 1
		ub_dmesg_since "$DMESG0" | grep -qF -- "$msg" ||
			{ fail "no kernel message \"$msg\" for $f=$v"; return 1; }
	done <<-EOF
	ops	reed	Invalid argument	unknown operation "reed"
	ops	read,,bogus	Invalid argument	unknown operation "bogus"
	lba_start	-1	Invalid argument	fault lba_start="-1": not a number
	lba_count	12abc	Invalid argument	fault lba_count="12abc": not a number
	seed	99999999999999999999	Numerical result out of range	fault seed="99999999999999999999": not a number (too large)
	probability	1000001	Numerical result out of range	fault probability=1000001: parts per million
	delay_probability	2000000	Numerical result out of range	fault delay_probability=2000000: parts per million
	delay_us	10000001	Numerical result out of range	fault delay_us=10000001: at most
	every_nth	4294967296	Numerical result out of range	fault every_nth=4294967296: at most
	lba_start	$nr	Numerical result out of range	fault lba_start=$nr: the range must lie inside
	EOF
	# a refused value changes nothing
	expect_eq "delay_us after refusals" 10000000 "$(<"$F/delay_us")" || return 1
	check "clear" eval 'echo 1 > "$F/clear"' || return 1
	expect_eq "after clear" "none 0 0 1000000 0 0 0 1000000" \
		"$(cat "$F"/{ops,lba_start,lba_count,probability,seed,every_nth,delay_us,delay_probability} | tr '\n' ' ' | sed 's/ $//')" || return 1
	ub_dmesg_since "$DMESG0" | grep -q "uringblk0: fault injection cleared" ||
		{ fail "no log line for clear"; return 1; }
	ub_dmesg_clean "$DMESG0"
}

# EIO at exactly the failing blocks, in logical blocks of 4096 and 512 B.
test_read_range() {
	local bs first cnt got want f0 e0 lba
	for cfg in "4096 10 3" "512 100 4"; do
		read -r bs first cnt <<<"$cfg"
		load_plain 16 "$bs" || return 1
		check "pattern" ./fault_scan write $DEV "$bs" 0 $((first + cnt + 12)) > /dev/null || return 1
		f0=$(stat_of faults_injected) e0=$(stat_of errors)
		set_knobs ops=read lba_start="$first" lba_count="$cnt" || return 1
		got=$(dd_scan read "$bs" $((first - 4)) $((cnt + 8))) || return 1
		expect_eq "bs $bs: blocks failing" "$(seq_list "$first" $((first + cnt - 1)))" "$got" || return 1
		# a request overlapping the range by one block fails whole
		got=$(dd if=$DEV of=/dev/null bs="$bs" skip=$((first - 3)) count=4 iflag=direct 2>&1)
		[[ $got == *"Input/output error"* ]] || { fail "bs $bs: a read of blocks $((first - 3))..$first did not fail: $got"; return 1; }
		got=$(dd if=$DEV of=/dev/null bs="$bs" skip=$((first - 3)) count=3 iflag=direct status=none 2>&1)
		[[ -z $got ]] || { fail "bs $bs: the read just before the range failed: $got"; return 1; }
		# the blocks around it still hold their data (not zeroes, not garbage)
		for lba in $((first - 1)) $((first + cnt)); do
			want=$(printf '%02x' $(((lba & 255) + 1)))
			expect_eq "bs $bs: data of block $lba" "$want" "$(block_bytes "$bs" "$lba")" || return 1
		done
		expect_eq "bs $bs: faults_injected" $((f0 + cnt + 1)) "$(stat_of faults_injected)" || return 1
		expect_eq "bs $bs: errors" $((e0 + cnt + 1)) "$(stat_of errors)" || return 1
		check "clear" eval 'echo 1 > "$F/clear"' || return 1
		got=$(dd_scan read "$bs" $((first - 4)) $((cnt + 8))) || return 1
		expect_eq "bs $bs: after clear" "" "$got" || return 1
	done
	ub_dmesg_clean "$DMESG0"
}

# fio sees exactly the failing requests: 16 blocks of 4 KiB are 16 4k reads
# or one 64k read; its error offsets all lie in the range.
test_fio_range() {
	local out n bs want off size area
	command -v fio > /dev/null || { skip "fio not installed"; return $?; }
	load_plain 16 4096 || return 1
	set_knobs ops=read lba_start=64 lba_count=16 || return 1
	for bs in 4k:16 64k:1 1m:1; do
		want=${bs#*:} bs=${bs%:*}
		out=$(fio --name=scan --filename=$DEV --direct=1 --rw=read --bs="$bs" \
			--ioengine=io_uring --iodepth=8 --continue_on_error=read \
			--output-format=json 2>/dev/null)
		n=$(sed -nE 's/.*"total_err" : ([0-9]+).*/\1/p' <<<"$out" | head -1)
		expect_eq "fio bs=$bs: errors" "$want" "$n" || return 1
	done
	# random 4k reads beside the range never fail, inside it always
	for area in "0 256k 0" "320k 1m 0" "256k 64k 16"; do
		read -r off size want <<<"$area"
		out=$(fio --name=rand --filename=$DEV --direct=1 --rw=randread --bs=4k \
			--offset="$off" --size="$size" --number_ios=2048 --ioengine=io_uring \
			--iodepth=16 --continue_on_error=read --output-format=json 2>/dev/null)
		n=$(sed -nE 's/.*"total_err" : ([0-9]+).*/\1/p' <<<"$out" | head -1)
		expect_eq "fio randread of $size at $off: errors" "$want" "$n" || return 1
	done
	ub_dmesg_clean "$DMESG0"
}

test_write_flush_discard() {
	local got f0
	load_plain 16 4096 || return 1
	check "pattern" ./fault_scan write $DEV 4096 0 32 > /dev/null || return 1

	# writes fail at blocks 20, 21 only, and leave their data alone
	set_knobs ops=write lba_start=20 lba_count=2 || return 1
	got=$(dd_scan write 4096 16 10) || return 1
	expect_eq "blocks whose write failed" "20 21" "$got" || return 1
	expect_eq "block 20 keeps its data" 15 "$(block_bytes 4096 20)" || return 1
	got=$(dd_scan read 4096 16 10) || return 1
	expect_eq "reads unaffected by ops=write" "" "$got" || return 1

	# flush: fsync fails, and only while flush is in ops
	set_knobs ops=flush || return 1
	f0=$(stat_of flush_ops)
	got=$(dd if=/dev/zero of=$DEV bs=4096 count=1 seek=40 conv=fsync status=none 2>&1)
	[[ $got == *"Input/output error"* ]] || { fail "fsync did not fail: '$got'"; return 1; }
	expect_eq "flush_ops (failed flushes do not count)" "$f0" "$(stat_of flush_ops)" || return 1
	set_knobs ops=read || return 1
	got=$(dd if=/dev/zero of=$DEV bs=4096 count=1 seek=40 conv=fsync status=none 2>&1)
	expect_eq "fsync with ops=read" "" "$got" || return 1
	((f0 < $(stat_of flush_ops))) || { fail "the good fsync sent no flush"; return 1; }

	# discard: in the range only
	set_knobs ops=discard lba_start=20 lba_count=2 || return 1
	got=$(blkdiscard -o $((21 * 4096)) -l 4096 $DEV 2>&1)
	[[ $got == *"Input/output error"* ]] || { fail "discard in the range: '$got'"; return 1; }
	check "discard beside the range" blkdiscard -o $((22 * 4096)) -l 4096 $DEV || return 1

	# write-zeroes: Linux 6.1 falls back to writing zero pages when
	# REQ_OP_WRITE_ZEROES fails with any error, so only write_zeroes plus
	# write fails BLKZEROOUT there; 6.12 falls back only when the drive
	# does not offer Write Zeroes (-EOPNOTSUPP) and returns the drive's
	# -EIO (block/blk-lib.c, blkdev_issue_zeroout(); the release between
	# that changed it is not confirmed here)
	set_knobs ops=write_zeroes || return 1
	f0=$(stat_of faults_injected)
	if kernel_at_least 6 12; then
		got=$(blkdiscard -z -o $((20 * 4096)) -l 4096 $DEV 2>&1)
		[[ $got == *"Input/output error"* ]] || { fail "zeroout with write_zeroes: '$got'"; return 1; }
	else
		check "zeroout falls back to writes" blkdiscard -z -o $((20 * 4096)) -l 4096 $DEV || return 1
	fi
	expect_eq "the write-zeroes was failed once" $((f0 + 1)) "$(stat_of faults_injected)" || return 1
	set_knobs ops=write,write_zeroes || return 1
	got=$(blkdiscard -z -o $((21 * 4096)) -l 4096 $DEV 2>&1)
	[[ $got == *"Input/output error"* ]] || { fail "zeroout with write,write_zeroes: '$got'"; return 1; }
	check "zeroout beside the range" blkdiscard -z -o $((22 * 4096)) -l 4096 $DEV || return 1
	check "clear" eval 'echo 1 > "$F/clear"' || return 1
	got=$(dd_scan write 4096 16 10) || return 1
	expect_eq "writes after clear" "" "$got" || return 1
	ub_dmesg_clean "$DMESG0"
}

test_every_nth() {
	local got want=() f0 i n
	load_plain 16 512 || return 1
	f0=$(stat_of faults_injected)
	set_knobs ops=read every_nth=4 || return 1
	got=$(./fault_scan read $DEV 512 0 100) || return 1
	for ((i = 3; i < 100; i += 4)); do want+=("$i"); done
	expect_eq "every 4th read" "${want[*]}" "$got" || return 1
	expect_eq "faults_injected" $((f0 + 25)) "$(stat_of faults_injected)" || return 1

	# every_nth after probability: every 3rd of the blocks the hash picks
	set_knobs probability=500000 seed=7 every_nth=3 || return 1
	want=() n=0
	for ((i = 0; i < 300; i++)); do
		chance 500000 7 0 "$i" || continue
		n=$((n + 1))
		((n % 3)) || want+=("$i")
	done
	got=$(./fault_scan read $DEV 512 0 300) || return 1
	expect_eq "every 3rd of p=0.5 seed=7" "${want[*]}" "$got" || return 1
	echo "$n of 300 picked, ${#want[@]} failed"
	ub_dmesg_clean "$DMESG0"
}

test_probability_seed() {
	local a a2 b want i n
	load_plain 16 512 || return 1
	set_knobs ops=read probability=200000 seed=1 || return 1
	a=$(./fault_scan read $DEV 512 0 500) || return 1
	a2=$(./fault_scan read $DEV 512 0 500) || return 1
	expect_eq "same seed, same failures" "$a" "$a2" || return 1
	set_knobs seed=1 || return 1	# restarts nothing that matters here
	a2=$(./fault_scan read $DEV 512 0 500) || return 1
	expect_eq "seed written again" "$a" "$a2" || return 1
	set_knobs seed=2 || return 1
	b=$(./fault_scan read $DEV 512 0 500) || return 1
	[[ $a != "$b" ]] || { fail "seeds 1 and 2 failed the same blocks: $a"; return 1; }
	for s in 1 2; do
		want=()
		for ((i = 0; i < 500; i++)); do
			chance 200000 $s 0 "$i" && want+=("$i")
		done
		[[ $s == 1 ]] && n=$a || n=$b
		expect_eq "seed $s: the blocks the hash picks" "${want[*]}" "$n" || return 1
		echo "seed $s: ${#want[@]} of 500 blocks fail"
		((${#want[@]} > 60 && ${#want[@]} < 140)) || { fail "p=0.2 gave ${#want[@]} of 500"; return 1; }
	done
	# probability 0: nothing fails
	set_knobs probability=0 || return 1
	expect_eq "probability 0" "" "$(./fault_scan read $DEV 512 0 500)" || return 1
	ub_dmesg_clean "$DMESG0"
}

now_ms() {
	local t
	t=$(date +%s%N)
	echo $((t / 1000000))
}

test_delay() {
	local t0 t1 d0 r0 e0 got want i pid
	load_plain 16 4096 || return 1
	check "pattern" ./fault_scan write $DEV 4096 0 100 > /dev/null || return 1
	d0=$(stat_of delays_injected) r0=$(stat_of read_ops) e0=$(stat_of errors)
	t0=$(now_ms)
	got=$(./fault_scan read $DEV 4096 0 10) || return 1
	t1=$(now_ms)
	echo "10 reads without delay: $((t1 - t0)) ms"
	set_knobs delay_us=200000 || return 1
	t0=$(now_ms)
	got=$(./fault_scan read $DEV 4096 0 10) || return 1
	t1=$(now_ms)
	echo "10 reads delayed by 200 ms: $((t1 - t0)) ms"
	expect_eq "delayed reads succeed" "" "$got" || return 1
	# sleeps of one reader add up: at least 2 s whatever the host load
	((t1 - t0 >= 2000)) || { fail "10 reads delayed by 200 ms took $((t1 - t0)) ms"; return 1; }
	expect_eq "delays_injected" $((d0 + 10)) "$(stat_of delays_injected)" || return 1
	expect_eq "read_ops" $((r0 + 20)) "$(stat_of read_ops)" || return 1
	expect_eq "errors" "$e0" "$(stat_of errors)" || return 1

	# a share of requests, chosen by (seed, arrival number)
	set_knobs delay_us=1 delay_probability=300000 seed=5 || return 1
	d0=$(stat_of delays_injected)
	got=$(./fault_scan read $DEV 4096 0 100) || return 1
	n=0
	for ((i = 1; i <= 100; i++)); do
		chance 300000 5 5 "$i" && n=$((n + 1))
	done
	expect_eq "delays of 100 reads at p=0.3 seed=5" $((d0 + n)) "$(stat_of delays_injected)" || return 1
	echo "$n of 100 reads delayed, as predicted"

	# delayed writes land; data read back
	set_knobs delay_probability=1000000 delay_us=2000 || return 1
	check "delayed writes" ./fault_scan write $DEV 4096 100 50 > /dev/null || return 1
	set_knobs delay_us=0 || return 1
	check "delayed data" ./fault_scan write $DEV 4096 150 1 > /dev/null || return 1
	expect_eq "block 120 holds its delayed write" 79 "$(block_bytes 4096 120)" || return 1

	# a request sleeping its delay stalls nobody: while one read waits 3 s,
	# another one (delays off again) completes at once.  The delay is
	# turned off only once dd's read has it (delays_injected counts it
	# when the request arrives, before its sleep): under host load dd may
	# take longer than any fixed sleep to issue it.
	set_knobs delay_us=3000000 || return 1
	d0=$(stat_of delays_injected)
	t0=$(now_ms)
	dd if=$DEV of=/dev/null bs=4096 count=1 iflag=direct status=none &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		(($(stat_of delays_injected) > d0)) && break
		sleep 0.05
	done
	t_in=$(now_ms)
	set_knobs delay_us=0 || return 1
	expect_eq "dd's read delayed" $((d0 + 1)) "$(stat_of delays_injected)" || return 1
	got=$(./fault_scan read $DEV 4096 0 20) || return 1
	t1=$(now_ms)
	((t1 - t_in < 2500)) || { fail "reads waited for a delayed request ($((t1 - t_in)) ms)"; return 1; }
	check "the delayed read" wait $pid || return 1
	t1=$(now_ms)
	((t1 - t0 >= 3000)) || { fail "the 3 s delay took $((t1 - t0)) ms"; return 1; }
	ub_dmesg_clean "$DMESG0"
}

# Zones: 16 of 4 MiB (8192 sectors), zone 0 conventional, open limit 2.
ZPARAMS="capacity_mb=64 zoned=1 zone_size_mb=4 zone_nr_conv=1 zone_max_open=2 zone_max_active=3"
zs() { echo $(($1 * 8192)); }

zone_cond() {	# blkzone's condition name of zone $1
	blkzone report -o "$(zs "$1")" -c 1 $DEV | sed -nE 's/.*zcond: *[0-9]+\(([a-z]+)\).*/\1/p'
}

test_zones() {
	local got
	command -v blkzone > /dev/null || { skip "blkzone not installed"; return $?; }
	ub_unload && ub_load $ZPARAMS || return 1
	DMESG0=$(dmesg | wc -l)
	expect_eq "zone_readonly at first" none "$(<"$F/zone_readonly")" || return 1

	check "data in zone 2" ./fault_scan write $DEV 512 "$(zs 2)" 8 > /dev/null || return 1
	check "open zone 3" blkzone open -o "$(zs 3)" -c 1 $DEV || return 1
	check "open zone 4" blkzone open -o "$(zs 4)" -c 1 $DEV || return 1
	blkzone open -o "$(zs 5)" -c 1 $DEV 2>/dev/null &&
		{ fail "a third open zone with zone_max_open=2"; return 1; }

	set_knobs zone_readonly=2 zone_readonly=3 || return 1
	expect_eq "zone_readonly" 2,3 "$(<"$F/zone_readonly")" || return 1
	expect_eq "zone 2 in blkzone" ro "$(zone_cond 2)" || return 1
	expect_eq "zone 3 in blkzone" ro "$(zone_cond 3)" || return 1
	grep -qE '^ +3 .* readonly ' "$S/zones" || { fail "sysfs zones table: zone 3 not readonly"; return 1; }
	# zone 3 gave back its open resource: zone 5 opens now, zone 6 not
	check "open zone 5 after zone 3 went read-only" blkzone open -o "$(zs 5)" -c 1 $DEV || return 1
	blkzone open -o "$(zs 6)" -c 1 $DEV 2>/dev/null &&
		{ fail "zone 6 opened: open accounting lost count"; return 1; }

	# read-only: reads give the data, writes and management fail
	got=$(./fault_scan read $DEV 512 "$(zs 2)" 8) || return 1
	expect_eq "reads of read-only zone 2" "" "$got" || return 1
	expect_eq "data of read-only zone 2" 04 "$(block_bytes 512 $(($(zs 2) + 3)))" || return 1
	got=$(./fault_scan write $DEV 512 $(($(zs 2) + 8)) 1) || return 1
	expect_eq "write at zone 2's old write pointer" $(($(zs 2) + 8)) "$got" || return 1
	blkzone reset -o "$(zs 2)" -c 1 $DEV 2>/dev/null && { fail "reset of a read-only zone"; return 1; }
	blkzone finish -o "$(zs 3)" -c 1 $DEV 2>/dev/null && { fail "finish of a read-only zone"; return 1; }

	# offline: reads fail too
	set_knobs zone_offline=4 || return 1
	expect_eq "zone 4 in blkzone" of "$(zone_cond 4)" || return 1
	expect_eq "zone_offline" 4 "$(<"$F/zone_offline")" || return 1
	got=$(./fault_scan read $DEV 512 "$(zs 4)" 2) || return 1
	expect_eq "reads of offline zone 4" "$(zs 4) $(($(zs 4) + 1))" "$got" || return 1
	got=$(./fault_scan write $DEV 512 "$(zs 4)" 1) || return 1
	expect_eq "write to offline zone 4" "$(zs 4)" "$got" || return 1
	# zone 4 released its open resource too
	check "open zone 6 after zone 4 went offline" blkzone open -o "$(zs 6)" -c 1 $DEV || return 1

	# bad zone numbers
	expect_eq "conventional zone" "Invalid argument" "$(knob zone_readonly 0)" || return 1
	ub_dmesg_since "$DMESG0" | grep -q "zone_readonly=0: a conventional zone" ||
		{ fail "no message for the conventional zone"; return 1; }
	expect_eq "zone 16 of 16" "Numerical result out of range" "$(knob zone_offline 16)" || return 1
	expect_eq "zone x" "Invalid argument" "$(knob zone_offline x)" || return 1
	expect_eq "restore an open zone" "Invalid argument" "$(knob zone_restore 5)" || return 1

	# restore: EMPTY, zeroes, writable from its start (with an open
	# resource: zone 6 gives its back)
	check "close zone 6" blkzone close -o "$(zs 6)" -c 1 $DEV || return 1
	set_knobs zone_restore=2 || return 1
	expect_eq "zone 2 restored" em "$(zone_cond 2)" || return 1
	expect_eq "restored zone 2 reads zeroes" 00 "$(block_bytes 512 $(($(zs 2) + 3)))" || return 1
	got=$(./fault_scan write $DEV 512 "$(zs 2)" 4) || return 1
	expect_eq "writes to restored zone 2" "" "$got" || return 1

	check "clear" eval 'echo 1 > "$F/clear"' || return 1
	expect_eq "zone 3 after clear" em "$(zone_cond 3)" || return 1
	expect_eq "zone 4 after clear" em "$(zone_cond 4)" || return 1
	expect_eq "zone_readonly after clear" none "$(<"$F/zone_readonly")" || return 1
	expect_eq "zone_offline after clear" none "$(<"$F/zone_offline")" || return 1
	got=$(./fault_scan read $DEV 512 "$(zs 4)" 2) || return 1
	expect_eq "reads of zone 4 after clear" "" "$got" || return 1
	# open now: 5 explicitly, 2 implicitly (written).  Zone 7 opens by
	# closing zone 2; then two zones are explicitly open and zone 8 cannot
	check "open zone 7" blkzone open -o "$(zs 7)" -c 1 $DEV || return 1
	expect_eq "zone 2 closed to make room" cl "$(zone_cond 2)" || return 1
	blkzone open -o "$(zs 8)" -c 1 $DEV 2>/dev/null &&
		{ fail "zone 8 opened beyond zone_max_open=2"; return 1; }
	ub_dmesg_clean "$DMESG0"
}

# Faults and delays that change under a random read/write load; the
# module must unload afterwards with the knobs still set.
test_stress_unload() {
	local pid i
	command -v fio > /dev/null || { skip "fio not installed"; return $?; }
	load_plain 64 4096 || return 1
	set_knobs ops=all probability=300000 delay_us=500 delay_probability=100000 || return 1
	fio --name=stress --filename=$DEV --direct=1 --rw=randrw --bs=4k --ioengine=io_uring \
		--iodepth=32 --numjobs=2 --time_based --runtime=4 --continue_on_error=all \
		--output=/dev/null 2>/dev/null &
	pid=$!
	for ((i = 0; i < 20; i++)); do
		echo $i > "$F/seed"
		echo $((i % 5)) > "$F/every_nth"
		((i % 4)) || echo "read,flush" > "$F/ops"
		((i % 4 == 2)) && echo all > "$F/ops"
		sleep 0.15
	done
	wait $pid
	echo "faults_injected $(stat_of faults_injected), delays_injected $(stat_of delays_injected), errors $(stat_of errors)"
	(($(stat_of faults_injected) > 0 && $(stat_of delays_injected) > 0)) ||
		{ fail "nothing injected"; return 1; }
	expect_eq "in_flight" 0 "$(stat_of in_flight)" || return 1
	check "rmmod with faults set" ub_unload || return 1
	ub_dmesg_clean "$DMESG0"
}

ub_need_ko || exit $KSFT_SKIP
ktap_plan 9
ktap_run knobs test_knobs
ktap_run read_range test_read_range
ktap_run fio_range test_fio_range
ktap_run write_flush_discard test_write_flush_discard
ktap_run every_nth test_every_nth
ktap_run probability_seed test_probability_seed
ktap_run delay test_delay
ktap_run zones test_zones
ktap_run stress_unload test_stress_unload
ub_unload
ktap_finish
