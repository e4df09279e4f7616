# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tools/bench/hostcpu.sh - sourced by the benchmarks that put the host CPU
# time of the test VM beside what the guest measured (baseline, drift,
# zoned).  Under TCG the host CPU is busy exactly while the guest executes.

# find_qemu DIR: the pid of the QEMU whose writable share is DIR (the
# result directory tools/vm/run --share was given).  Only reads /proc,
# never signals.  Status 1 if there is none (yet).
find_qemu() {
	local dir=$1 p a

	for p in /proc/[0-9]*; do
		mapfile -d '' -t a 2>/dev/null <"$p/cmdline" || continue
		[[ ${a[0]:-} == *qemu-system-* ]] || continue
		if [[ " ${a[*]} " == *"path=$dir,mount_tag=share"* ]]; then
			echo "${p#/proc/}"
			return 0
		fi
	done
	return 1
}

# hostcpu_sampler PID DIR: every 20 ms, until PID exits, log "host-time
# cpu-ticks" (utime + stime of all its threads) to DIR/hostcpu.log and
# keep the host time in DIR/hostclock, fixed width and written in place,
# so that a reader sees the old or the new value: the guest reads it
# (fio's exec_prerun/exec_postrun) to place its runs on this log's clock.
# (The guest cannot read the host's /proc itself: its 9p root is mounted
# cache=loose, and procfs files have size 0.)
hostcpu_sampler() {
	local pid=$1 dir=$2 l f t

	mkfifo "$dir/.tick"
	exec 3<>"$dir/.tick"
	rm -f "$dir/.tick"
	while read -r l 2>/dev/null <"/proc/$pid/stat"; do
		t=$EPOCHREALTIME
		read -r -a f <<<"${l##*) }"
		echo "$t $((f[11] + f[12]))"
		printf '%20s\n' "$t" 1<>"$dir/hostclock"
		read -r -t 0.02 -u 3 _ || true
	done >"$dir/hostcpu.log"
}
