#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SSD model in a drive (ssd=, driver/timing_ssd.c over driver/ssd/;
# Documentation/admin/timing-model.md, "The SSD model").  What the model
# counts is exact for a given sequence of writes, so most cases check
# counts, never speed; the one latency case checks only the bound the model
# guarantees (no read completes before its modelled idle time):
#   config          ssd=970pro as a module parameter: sysfs "ssd" shows the
#                   preset's keys and the override, the drive is blk-mq, the
#                   model is fitted to the capacity (ssd_stats: its pages
#                   and the fewest blocks per plane that hold them with 7%
#                   OP and GC's reserve of 4 lines)
#   sequential      a sequential fill and two sequential overwrites by dd:
#                   host pages exact, WAF exactly 1.000, no page moved, an
#                   erase for every block of each collected line; GET_STATS
#                   (`uringblk stats --json`) and the ssd_NAME files have
#                   ssd_stats' 17 counters, a reset leaves them, IDENTIFY
#                   says "ssd"; without a model they are 0, no "ssd"
#   random_gc       4 KiB random writes of twice the capacity by fio: GC
#                   runs and moves pages, WAF above 1, NAND pages = host
#                   pages + pages moved, erases = lines collected x dies
#   nvme_wear       random writes past capacity (pe_cycles=10), then
#                   nvme-cli on the NVMe face: smart-log's and
#                   endurance-log's Percentage Used are ssd_stats' erases x
#                   100 / (dies x planes x lines x 10); endurance-log's
#                   Data and Media Units Written the host's and the NAND
#                   pages' bytes in billions, rounded up, its Endurance
#                   Estimate the array's bytes x 10 (and x 10^6) in
#                   billions, rounded up; Identify advertises Endurance
#                   Group 1 (CTRATT bit 4, ENDGIDMAX, ENDGID); without a
#                   model, and for group 2, the log is Invalid Field
#   flush_pad       one 4 KiB write and fsync: FLUSH closes the open program
#                   unit, its other 7 slots are programmed as pad
#   trim            blkdiscard: every mapped page trimmed; reads of trimmed
#                   pages cost no NAND read
#   internal_reads  an EXEC's scan of 4 MiB and a MEM_COPY of two 4 KiB
#                   ranges read 1024 and 2 pages inside the drive
#                   (internal_pages_read), none for the host
#   ctrl_cores      ssd=...,ctrl_cores=2: the writes' firmware time is
#                   booked on the controller's cores (ctrl_busy_ns grows
#                   by write_ops x fw_write_ns) and an EXEC's modelled run
#                   time too (ctrl_compute_ns = timing_cu_model_ns)
#   qd1_latency     no QD1 4 KiB read completes before fw_read_ns + tR + its
#                   channel and link transfers (the model's idle read)
#   bad_config      refused with EINVAL and the reason in configfs "error":
#                   an unknown preset or key, a bad value, channels=0,
#                   blocks_per_plane, zero dies (at power-on), ssd with
#                   queue_mode=bio, a conventional preset on zones, with the timing model's own
#                   link, for a drive whose model needs more than 512 MiB;
#                   a change while powered is EBUSY; insmod with a bad ssd=
#                   fails and says why
#   removal_under_fio  a drive under 4 KiB random writes is powered off;
#                   fio ends, the module unloads, the kernel log is clean
# Needs root, URINGBLK_KO, fio and python3 (nvme_wear: nvme-cli).  Leaves
# the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
S=/sys/block/uringblk0/uringblk
CLI=${URINGBLK_CLI:-}
[[ -z $CLI && -x ../../bin/uringblk ]] && CLI=$(realpath ../../bin/uringblk)
[[ -z $CLI ]] && CLI=$(command -v uringblk)
# 970pro with 8 pages a block: a line is 16 dies x 8 pages x 8 slots of 4 KiB
# (4 MiB), so a 64 MiB drive has 20 lines: GC comes quickly
SSD=970pro,pages_per_block=8
DIES=16

need_tools() {
	command -v fio >/dev/null || { skip "no fio"; return; }
	command -v python3 >/dev/null || { skip "no python3"; return; }
}

# invariants of every state: NAND pages written = host pages + GC moves,
# and each collected line erased a block on every die (1 plane)
ssd_invariants() {
	local host moved nand runs erases rc=0
	host=$(ub_ssd_stat host_pages_written) moved=$(ub_ssd_stat gc_pages_moved)
	nand=$(ub_ssd_stat nand_pages_written) runs=$(ub_ssd_stat gc_runs)
	erases=$(ub_ssd_stat erases)
	expect_eq "NAND pages = host pages + pages moved" $((host + moved)) "$nand" || rc=1
	expect_eq "erases = lines collected x $DIES dies" $((runs * DIES)) "$erases" || rc=1
	return $rc
}

t_config() {
	local rc=0 want_blocks
	ub_unload && ub_load capacity_mb=64 ssd=$SSD || return
	expect_eq "queue mode" mq "$(cat $S/queue_mode)" || rc=1
	expect_eq "channels" 8 "$(ub_ssd_key channels)" || rc=1
	expect_eq "dies_per_channel" 2 "$(ub_ssd_key dies_per_channel)" || rc=1
	expect_eq "pages_per_block (the override)" 8 "$(ub_ssd_key pages_per_block)" || rc=1
	expect_eq "op_bp" 700 "$(ub_ssd_key op_bp)" || rc=1
	expect_eq "exported pages" 16384 "$(ub_ssd_stat exported_pages)" || rc=1
	# the fewest lines L with (L - gc_high 2 - 2) x 1024 >= 16384 and
	# L x 1024 x 10000 / 10700 >= 16384: 20
	want_blocks=$(python3 -c '
L = 1
while not ((L - 4) * 1024 >= 16384 and L * 1024 * 10000 // 10700 >= 16384):
    L += 1
print(L)')
	expect_eq "blocks per plane, fitted" "$want_blocks" "$(ub_ssd_stat blocks_per_plane)" || rc=1
	expect_eq "lines" "$want_blocks" "$(ub_ssd_stat lines)" || rc=1
	(($(ub_ssd_stat state_bytes) > 16384 * 4)) || { fail "state_bytes below the map's"; rc=1; }
	expect_eq "WAF before any write" 1000 "$(ub_ssd_stat waf_x1000)" || rc=1
	ub_unload
	return $rc
}

t_sequential() {
	local rc=0 pass
	ub_unload && ub_load capacity_mb=64 ssd=$SSD || return
	for pass in 1 2 3; do
		dd if=/dev/zero of=$DEV bs=1M count=64 oflag=direct status=none ||
			{ fail "dd pass $pass"; rc=1; }
	done
	expect_eq "host pages" $((3 * 16384)) "$(ub_ssd_stat host_pages_written)" || rc=1
	expect_eq "WAF of sequential overwrites" 1000 "$(ub_ssd_stat waf_x1000)" || rc=1
	expect_eq "pages moved" 0 "$(ub_ssd_stat gc_pages_moved)" || rc=1
	(($(ub_ssd_stat gc_runs) > 0)) || { fail "no line was collected in 3 passes over 16 of 20 lines"; rc=1; }
	ssd_invariants || rc=1
	stats_abi || rc=1
	ub_unload
	return $rc
}

# stats_abi: the model's counters in GET_STATS (ABI 1.12: `uringblk stats
# --json`, over io_uring) and in their sysfs files (ssd_NAME) are
# ssd_stats' lines, a reset leaves them, IDENTIFY says "ssd"; a drive
# without a model has them all 0 and no "ssd" feature.  Drive 0 is idle,
# after t_sequential's 3 x 16384 pages.
stats_abi() {
	local rc=0 json name v n=0
	[[ -n $CLI ]] || { echo "  no uringblk CLI: GET_STATS' ssd_* not checked"; return 0; }
	"$CLI" stats 0 --reset > /dev/null || { fail "uringblk stats --reset"; return 1; }
	json=$("$CLI" stats 0 --json) || { fail "uringblk stats --json"; return 1; }
	while read -r name v; do
		[[ -e $S/ssd_$name ]] || continue	# WAF, shape
		expect_eq "GET_STATS ssd_$name" "$v" "$(out=$json py "o['ssd_$name']")" &&
			expect_eq "sysfs ssd_$name" "$v" "$(<"$S/ssd_$name")" || rc=1
		n=$((n + 1))
	done < $S/ssd_stats
	expect_eq "ssd_* counters in GET_STATS" 17 \
		"$(out=$json py "sum(k.startswith('ssd_') for k in o)")" || rc=1
	expect_eq "of which in ssd_stats" 17 $n || rc=1
	expect_eq "GET_STATS ssd_host_pages_written after the reset" $((3 * 16384)) \
		"$(out=$json py "o['ssd_host_pages_written']")" || rc=1
	"$CLI" info 0 | grep -E "^features .*\bssd\b" > /dev/null || { fail "uringblk info: no ssd feature"; rc=1; }
	echo "  GET_STATS: $n ssd_* counters = ssd_stats, kept across a reset"
	ub_unload && ub_load capacity_mb=16 || return 1
	json=$("$CLI" stats 0 --json) || { fail "uringblk stats --json"; return 1; }
	expect_eq "no model: ssd_* not 0" "[]" \
		"$(out=$json py "[k for k in o if k.startswith('ssd_') and o[k]]")" || rc=1
	! "$CLI" info 0 | grep -E "^features .*\bssd\b" > /dev/null || { fail "no model: uringblk info says ssd"; rc=1; }
	return $rc
}

t_random_gc() {
	local rc=0 waf
	need_tools || return
	ub_unload && ub_load capacity_mb=64 ssd=$SSD || return
	dd if=/dev/zero of=$DEV bs=1M count=64 oflag=direct status=none || { fail "fill"; rc=1; }
	fio --name=r --filename=$DEV --direct=1 --ioengine=io_uring --rw=randwrite \
		--bs=4k --iodepth=16 --size=64M --io_size=128M --randrepeat=0 \
		--output=/dev/null || { fail "fio randwrite"; rc=1; }
	expect_eq "host pages" $((16384 + 32768)) "$(ub_ssd_stat host_pages_written)" || rc=1
	waf=$(ub_ssd_stat waf_x1000)
	echo "random 4 KiB writes: WAF $waf/1000, $(ub_ssd_stat gc_runs) lines collected," \
		"$(ub_ssd_stat gc_pages_moved) pages moved, $(ub_ssd_stat gc_forced_runs) forced"
	((waf > 1000)) || { fail "WAF $waf: random overwrites moved nothing"; rc=1; }
	(($(ub_ssd_stat gc_pages_moved) > 0)) || { fail "no page moved"; rc=1; }
	ssd_invariants || rc=1
	ub_unload
	return $rc
}

# py EXPR: python3's value of EXPR, the JSON in $out as o, the first 4 KiB
# of the file $bin as b (Identify data)
py() {
	python3 -c "import json, sys
o = json.loads(sys.argv[1]) if sys.argv[1] else None
b = open(sys.argv[2], 'rb').read() if sys.argv[2] else b''
print($1)" "${out:-}" "${bin:-}"
}

# The SSD model's wear in the NVMe logs (nvme_admin.c over
# uringblk_ssd_wear()): what nvme-cli reads is what ssd_stats counts.
t_nvme_wear() {
	local rc=0 out bin=/tmp/ub-ssd-id C=/dev/uringblkc0 pct muw duw waf nand
	local erases dies planes lines wb array ee
	local ctratt4='int.from_bytes(b[96:100], "little") >> 4 & 1'
	need_tools || return
	command -v nvme > /dev/null || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	# without a model: no Endurance Groups, the log an unsupported one
	ub_unload && ub_load capacity_mb=64 || return
	nvme id-ctrl $C -b > $bin || { fail "nvme id-ctrl -b"; rc=1; }
	expect_eq "no model: CTRATT bit 4" 0 "$(py "$ctratt4")" || rc=1
	out=$(nvme endurance-log $C --group-id=1 2>&1) &&
		{ fail "no model: endurance-log: $out"; rc=1; }
	echo "  no model: $out"
	grep -q '(0x4002)' <<< "$out" || { fail "no model: endurance-log not Invalid Field"; rc=1; }
	out=

	ub_unload && ub_load capacity_mb=64 ssd=$SSD,pe_cycles=10 || return
	nvme id-ctrl $C -b > $bin || { fail "nvme id-ctrl -b"; rc=1; }
	expect_eq "CTRATT bit 4 (Endurance Groups)" 1 "$(py "$ctratt4")" || rc=1
	expect_eq "ENDGIDMAX" 1 "$(py 'int.from_bytes(b[340:342], "little")')" || rc=1
	nvme id-ns $C -n 1 -b > $bin || { fail "nvme id-ns -b"; rc=1; }
	expect_eq "namespace 1's ENDGID" 1 "$(py 'int.from_bytes(b[102:104], "little")')" || rc=1
	bin=
	dd if=/dev/zero of=$DEV bs=1M count=64 oflag=direct status=none || { fail "fill"; rc=1; }
	fio --name=r --filename=$DEV --direct=1 --ioengine=io_uring --rw=randwrite \
		--bs=4k --iodepth=16 --size=64M --io_size=128M --randrepeat=0 \
		--output=/dev/null || { fail "fio randwrite"; rc=1; }
	nand=$(ub_ssd_stat nand_pages_written) waf=$(ub_ssd_stat waf_x1000)
	erases=$(ub_ssd_stat erases) dies=$(ub_ssd_stat dies) lines=$(ub_ssd_stat lines)
	planes=$(ub_ssd_key planes_per_die) wb=$(ub_stat 0 write_bytes)
	array=$((dies * planes * lines * $(ub_ssd_key pages_per_block) * $(ub_ssd_key page_size)))
	pct=$((erases * 100 / (dies * planes * lines * 10)))
	((pct > 255)) && pct=255
	echo "  ssd_stats: $erases erases of $((dies * planes * lines)) blocks at 10" \
		"cycles: $pct%; $nand NAND pages, WAF $waf/1000"
	((erases > 0)) || { fail "no erase: GC did not run"; rc=1; }

	out=$(nvme smart-log $C -o json 2>&1) || { echo "$out"; fail "nvme smart-log"; return 1; }
	expect_eq "smart-log percent_used" $pct "$(py 'int(float(o["percent_used"]))')" || rc=1
	expect_eq "smart-log data_units_written" $(((wb / 512 + 999) / 1000)) \
		"$(py 'int(float(o["data_units_written"]))')" || rc=1
	nvme endurance-log $C --group-id=1 | sed 's/^/  /'
	out=$(nvme endurance-log $C --group-id=1 -o json 2>&1) ||
		{ echo "$out"; fail "nvme endurance-log"; return 1; }
	# this log counts bytes in billions, rounded up (not SMART's 512,000);
	# nvme-cli 2.3 names Media Units Written "mediate_write_commands"
	muw=$(py 'int(float(o.get("media_units_written", o.get("mediate_write_commands", -1))))')
	duw=$(py 'int(float(o["data_units_written"]))')
	expect_eq "endurance-log percent_used" $pct "$(py 'int(float(o["percent_used"]))')" || rc=1
	expect_eq "endurance-log data_units_written: $wb bytes in billions, up" \
		$(((wb + 999999999) / 1000000000)) "$duw" || rc=1
	expect_eq "endurance-log media units: $nand NAND pages x 4 KiB in billions, up" \
		$(((nand * 4096 + 999999999) / 1000000000)) "$muw" || rc=1
	expect_eq "endurance-log endurance_estimate: $array array bytes x 10 cycles in billions, up" \
		$(((array * 10 + 999999999) / 1000000000)) \
		"$(py 'int(float(o.get("endurance_estimate", -1)))')" || rc=1
	out=
	out=$(nvme endurance-log $C --group-id=2 2>&1) && { fail "group 2: $out"; rc=1; }
	grep -q '(0x4002)' <<< "$out" || { fail "group 2: not Invalid Field: $out"; rc=1; }
	# a rating that makes the estimate large enough to tell its factors
	ub_unload && ub_load capacity_mb=64 ssd=$SSD,pe_cycles=1000000 || return
	out=$(nvme endurance-log $C --group-id=1 -o json 2>&1) ||
		{ echo "$out"; fail "nvme endurance-log"; return 1; }
	ee=$(py 'int(float(o.get("endurance_estimate", -1)))')
	echo "  at 10^6 cycles: endurance_estimate $ee ($array bytes of NAND)"
	expect_eq "endurance_estimate at 10^6 cycles: $array x 10^6 bytes in billions, up" \
		$(((array + 999) / 1000)) "$ee" || rc=1
	out=
	rm -f /tmp/ub-ssd-id
	ub_unload
	return $rc
}

t_flush_pad() {
	local rc=0
	ub_unload && ub_load capacity_mb=64 ssd=$SSD || return
	dd if=/dev/zero of=$DEV bs=4k count=1 oflag=direct conv=fsync status=none ||
		{ fail "dd with fsync"; rc=1; }
	expect_eq "host pages" 1 "$(ub_ssd_stat host_pages_written)" || rc=1
	expect_eq "pad: the program unit's other 7 slots" 7 "$(ub_ssd_stat nand_pages_padded)" || rc=1
	expect_eq "NAND programs" 1 "$(ub_ssd_stat nand_programs)" || rc=1
	ub_unload
	return $rc
}

t_trim() {
	local rc=0 reads
	ub_unload && ub_load capacity_mb=64 ssd=$SSD || return
	dd if=/dev/zero of=$DEV bs=1M count=64 oflag=direct status=none || { fail "fill"; rc=1; }
	dd if=$DEV of=/dev/null bs=1M count=1 iflag=direct status=none || rc=1
	(($(ub_ssd_stat nand_reads) > 0)) || { fail "reading written pages read no NAND"; rc=1; }
	blkdiscard $DEV || { fail "blkdiscard"; rc=1; }
	expect_eq "pages trimmed" 16384 "$(ub_ssd_stat host_pages_trimmed)" || rc=1
	reads=$(ub_ssd_stat nand_reads)
	dd if=$DEV of=/dev/null bs=1M count=4 iflag=direct status=none || rc=1
	expect_eq "NAND reads after reading trimmed pages" "$reads" "$(ub_ssd_stat nand_reads)" || rc=1
	ub_unload
	return $rc
}

# Reads inside the drive: an EXEC's scan and a MEM_COPY read NAND for the
# drive (internal_pages_read), not for the host, and cross no link.  The
# drive is a CSD on the model (timing-model.md): the compute of timing's
# isp-a53x4 beside it, whose run is modelled at 4 times its measured time.
t_internal_reads() {
	local rc=0 obj=progs/count_pattern.bpf.o id out bs host nand run
	[[ -r $obj && -n $CLI ]] || { skip "$obj or the CLI not built"; return; }
	ub_unload && ub_load capacity_mb=64 ssd=$SSD timing=isp-a53x4 || return
	expect_eq "timing beside the model" "compute_units=4,compute_factor_pct=400" \
		"$(cat /sys/block/uringblk0/uringblk/timing)" || rc=1
	read -r bs < /sys/block/uringblk0/queue/logical_block_size
	dd if=/dev/zero of=$DEV bs=1M count=4 oflag=direct status=none || { fail "fill"; rc=1; }
	host=$(ub_ssd_stat host_pages_read) nand=$(ub_ssd_stat nand_reads)
	id=$("$CLI" prog load 0 "$obj" --quiet) || { fail "prog load"; return 1; }
	out=$("$CLI" exec 0 "$id" --lba 0 --count $((4194304 / bs)) --pattern uringblk --json) ||
		{ echo "$out"; fail "exec"; rc=1; }
	expect_eq "pages the EXEC's scan read inside the drive" 1024 "$(ub_ssd_stat internal_pages_read)" || rc=1
	expect_eq "host pages read by the EXEC" "$host" "$(ub_ssd_stat host_pages_read)" || rc=1
	(($(ub_ssd_stat nand_reads) > nand)) || { fail "the scan read no NAND"; rc=1; }
	run=$(ub_stat 0 timing_cu_run_ns)
	((run > 0)) || { fail "the run's measured time: $run"; rc=1; }
	expect_eq "the run's modelled time (isp-a53x4: 4 x measured)" \
		$((run * 4)) "$(ub_stat 0 timing_cu_model_ns)" || rc=1
	"$CLI" mem copy $DEV 0 0:$((4096 / bs)),$((8192 / bs)):$((4096 / bs)) > /dev/null ||
		{ fail "mem copy"; rc=1; }
	expect_eq "after MEM_COPY of two 4 KiB ranges" 1026 "$(ub_ssd_stat internal_pages_read)" || rc=1
	"$CLI" prog unload 0 "$id" > /dev/null
	ub_unload
	return $rc
}

t_ctrl_cores() {
	local rc=0 obj=progs/count_pattern.bpf.o id out bs busy model w
	[[ -r $obj && -n $CLI ]] || { skip "$obj or the CLI not built"; return; }
	ub_unload && ub_load capacity_mb=64 ssd=$SSD,ctrl_cores=2 timing=compute_units=1 || return
	expect_eq "ctrl_cores" 2 "$(ub_ssd_key ctrl_cores)" || rc=1
	read -r bs < /sys/block/uringblk0/queue/logical_block_size
	# counted from here: the partition scan's reads were booked too
	busy=$(ub_ssd_stat ctrl_busy_ns) w=$(ub_stat 0 write_ops)
	dd if=/dev/zero of=$DEV bs=1M count=4 oflag=direct status=none || { fail "fill"; rc=1; }
	w=$(($(ub_stat 0 write_ops) - w))
	expect_eq "the writes' firmware on the cores: $w x fw_write_ns" \
		$((w * $(ub_ssd_key fw_write_ns))) $(($(ub_ssd_stat ctrl_busy_ns) - busy)) || rc=1
	expect_eq "no run yet" 0 "$(ub_ssd_stat ctrl_compute_ns)" || rc=1
	id=$("$CLI" prog load 0 "$obj" --quiet) || { fail "prog load"; return 1; }
	out=$("$CLI" exec 0 "$id" --lba 0 --count $((4194304 / bs)) --pattern uringblk --json) ||
		{ echo "$out"; fail "exec"; rc=1; }
	model=$(ub_stat 0 timing_cu_model_ns)
	((model > 0)) || { fail "the run's modelled time: $model"; rc=1; }
	expect_eq "the run's modelled time, on the controller" "$model" "$(ub_ssd_stat ctrl_compute_ns)" || rc=1
	"$CLI" prog unload 0 "$id" > /dev/null
	ub_unload
	return $rc
}

t_qd1_latency() {
	local rc=0 min want
	need_tools || return
	ub_unload && ub_load capacity_mb=64 ssd=$SSD || return
	dd if=/dev/zero of=$DEV bs=1M count=64 oflag=direct status=none || { fail "fill"; rc=1; }
	# the idle read: controller, tR, 4 KiB over the channel and the link,
	# each transfer rounded up to a nanosecond as ssd_xfer_ns() does
	want=$(($(ub_ssd_key fw_read_ns) + $(ub_ssd_key t_read_ns) +
		(4096000 + $(ub_ssd_key channel_mbps) - 1) / $(ub_ssd_key channel_mbps) +
		(4096000 + $(ub_ssd_key link_mbps) - 1) / $(ub_ssd_key link_mbps)))
	min=$(fio --name=q --filename=$DEV --direct=1 --ioengine=io_uring --rw=randread \
		--bs=4k --iodepth=1 --size=64M --io_size=2M --output-format=json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["read"]["lat_ns"]["min"])') ||
		{ fail "fio randread"; rc=1; }
	echo "QD1 4 KiB read: fio's minimum $min ns, the model's idle read $want ns"
	((min >= want)) || { fail "a read completed in $min ns < $want"; rc=1; }
	ub_unload
	return $rc
}

t_bad_config() {
	local rc=0 since err
	since=$(dmesg | wc -l)
	ub_fresh /tmp/ssd_model || return
	mkdir "$UB_CFS/a" || return
	echo 64 > "$UB_CFS/a/capacity_mb"
	ub_cfs_refused a ssd 970pr 'unknown preset "970pr"' || rc=1
	ub_cfs_refused a ssd 970pro,nope=1 'unknown key "nope"' || rc=1
	ub_cfs_refused a ssd 970pro,op_bp=x 'op_bp: "x" is not a number' || rc=1
	ub_cfs_refused a ssd 970pro,op_bp=4294967296 'op_bp' || rc=1
	ub_cfs_refused a ssd 970pro,channels=0 'channels=0' || rc=1
	ub_cfs_refused a ssd 970pro,blocks_per_plane=9 "from the drive's capacity" || rc=1
	expect_eq "still off after refusals" off "$(cat "$UB_CFS/a/ssd")" || rc=1
	echo 970pro,dies_per_channel=0 > "$UB_CFS/a/ssd" || { fail "store"; rc=1; }
	ub_power_refused a "dies_per_channel 0" || rc=1
	echo $SSD > "$UB_CFS/a/ssd"
	echo bio > "$UB_CFS/a/queue_mode"
	ub_power_refused a "timing model needs queue_mode=mq" || rc=1
	echo auto > "$UB_CFS/a/queue_mode"
	echo 1 > "$UB_CFS/a/zoned"
	ub_power_refused a "a zoned drive needs the zoned model" || rc=1
	echo 0 > "$UB_CFS/a/zoned"
	echo link_mbps=1000 > "$UB_CFS/a/timing"
	ub_power_refused a "the SSD model is the drive's link and media" || rc=1
	echo compute_units=2 > "$UB_CFS/a/timing"
	echo 1 > "$UB_CFS/a/power" || { fail "ssd with compute_units: $(cat "$UB_CFS/a/error")"; rc=1; }
	if err=$(echo pm9a3 2>&1 > "$UB_CFS/a/ssd"); then
		fail "ssd changed on a powered drive"; rc=1
	else
		[[ $err == *"busy"* ]] || { fail "change while powered: $err, not EBUSY"; rc=1; }
	fi
	echo 0 > "$UB_CFS/a/power"
	echo off > "$UB_CFS/a/timing"
	# a 256 GiB drive's model would need 530 MiB of state
	echo 262144 > "$UB_CFS/a/capacity_mb"
	ub_power_refused a "more than the 512 MiB allowed" || rc=1
	rmdir "$UB_CFS/a" || rc=1
	ub_unload
	if insmod "$URINGBLK_KO" ssd=nope 2>/dev/null; then
		fail "insmod ssd=nope loaded"; rc=1
	fi
	ub_dmesg_since "$since" | grep -q 'unknown preset "nope"' ||
		{ fail "insmod ssd=nope: no reason in the kernel log"; rc=1; }
	ub_unload
	ub_dmesg_clean "$since" || rc=1
	return $rc
}

t_removal_under_fio() {
	local rc=0 since pid
	need_tools || return
	since=$(dmesg | wc -l)
	ub_fresh /tmp/ssd_model || return
	ub_mkdev r capacity_mb=64 ssd=$SSD || { fail "mkdev: $(cat "$UB_CFS/r/error")"; return 1; }
	fio --name=r --filename=$DEV --direct=1 --ioengine=io_uring --rw=randwrite \
		--bs=4k --iodepth=32 --size=64M --time_based --runtime=60 \
		--output=/dev/null 2>/dev/null &
	pid=$!
	ub_wait_io 0 256 || rc=1
	echo 0 > "$UB_CFS/r/power" || { fail "power off under fio"; rc=1; }
	wait $pid	# fio ends with errors: its drive is gone
	rmdir "$UB_CFS/r" || rc=1
	ub_unload || { fail "rmmod"; rc=1; }
	ub_loaded && { fail "the module is still loaded"; rc=1; }
	ub_dmesg_clean "$since" || rc=1
	return $rc
}

ub_need_ko || { echo "1..0 # SKIP $(ub_need_ko)"; exit $KSFT_SKIP; }
ktap_plan 11
ktap_run config t_config
ktap_run sequential t_sequential
ktap_run random_gc t_random_gc
ktap_run nvme_wear t_nvme_wear
ktap_run flush_pad t_flush_pad
ktap_run trim t_trim
ktap_run internal_reads t_internal_reads
ktap_run ctrl_cores t_ctrl_cores
ktap_run qd1_latency t_qd1_latency
ktap_run bad_config t_bad_config
ktap_run removal_under_fio t_removal_under_fio
ub_unload
ktap_finish
