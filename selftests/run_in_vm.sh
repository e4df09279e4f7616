#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the uringblk kselftests inside the test guest.
#
#   selftests/run_in_vm.sh /path/to/uringblk.ko [TEST...]
#
# Run inside the VM (tools/vm/run -- selftests/run_in_vm.sh "$PWD/uringblk.ko")
# with the module NOT loaded: each test loads the module with the
# parameters it needs (URINGBLK_KO is exported for them).  Runs the tests
# built by `make -C selftests` into out/selftests/uringblk (or
# $URINGBLK_SELFTEST_DIR) in kselftest-list.txt order, or only the TESTs
# named, and prints KTAP: each test's own output indented with "# ", one
# result line per test, and finally
#   # Totals: pass:N fail:N xfail:0 xpass:0 skip:N error:0
# summing the test cases of all tests.  A test that dies or times out
# without printing its totals counts as one failure, and so does a test
# during which the kernel logged a WARNING, BUG (KASAN, KFENCE, sleeping in
# atomic), lockdep or UBSAN report: its log is printed under the test.
# URINGBLK_SELFTEST_TIMEOUT overrides the per-test limit of the settings
# file (the debug kernel is several times slower).
#
# After each test the module must come out (rmmod, retried for 10 s: a
# freed kernel-BPF program drops its module reference only after an RCU
# grace period).  If it does not, that test fails, whatever its cases said;
# what holds the module is printed (refcnt, holders, every drive's
# programs, debugfs, bpftool, open files, mounts, configfs drives) and the
# runner recovers: it kills the processes that hold /dev/uringblk* open,
# unloads every downloaded program, removes the configfs drives and tries
# rmmod again.  If the module still stays, no later test could start clean:
# the runner stops there ("# stuck: ...").
#
# For selftests/run_suite, which carries the remaining tests to a fresh
# guest: URINGBLK_SELFTEST_PROGRESS=FILE appends one line per event
#   start N NAME | done N NAME PASS FAIL SKIP | stuck N NAME | end PASS FAIL SKIP
# (on the writable share, so that it survives a guest that dies), and
# URINGBLK_SELFTEST_FIRST=N numbers the first test N.
# Each result line names the kernel the guest runs, in brackets after the
# test's name (make check runs the suite on each kernel of
# URINGBLK_CHECK_KERNELS):
#   ok 5 selftests: uringblk: io_data [6.1.0-56-amd64] # 15s
# Exit status: 0 if nothing failed, 1 otherwise, 2 on usage errors.

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
dir=${URINGBLK_SELFTEST_DIR:-$here/../out/selftests/uringblk}

if (($# < 1)); then
	echo "usage: $0 /path/to/uringblk.ko [TEST...]" >&2
	exit 2
fi
ko=$(realpath "$1") || exit 2
shift
[[ -r $ko ]] || { echo "$0: cannot read $ko" >&2; exit 2; }
[[ -r $dir/kselftest-list.txt ]] ||
	{ echo "$0: $dir/kselftest-list.txt missing: run make -C selftests" >&2; exit 2; }
export URINGBLK_KO=$ko
# The CLI tests use out/bin next to the module.  A module built elsewhere
# (make module-kver's out/module/RELEASE/, the debug suite's out/debug/)
# has none there: this tree's CLI then, or they would SKIP.
if [[ -z ${URINGBLK_CLI:-} && ! -x $(dirname "$ko")/out/bin/uringblk &&
      -x $here/../out/bin/uringblk ]]; then
	URINGBLK_CLI=$(cd "$here/../out/bin" && pwd -P)/uringblk
	export URINGBLK_CLI
fi
kernel=$(uname -r)
# Freed pages reach MemAvailable at once, as the memory tests (io_data,
# io_flush_discard, drives.sh, load_unload.sh, teardown.sh) measure: 6.12's
# page allocator (not 6.1's) tunes each CPU's free-page cache up to 1/8 of
# memory (mm/page_alloc.c, zone_highsize() with
# MIN_PERCPU_PAGELIST_HIGH_FRACTION), and pages parked there count as used
# (6.12: discarding 256 MiB "gave back only 195 MiB").  A fixed fraction
# turns the tuning off and leaves about 1 MiB per CPU (6.1 keeps a few MiB
# by default; Documentation/admin-guide/sysctl/vm.rst).
echo 4096 >/proc/sys/vm/percpu_pagelist_high_fraction ||
	echo "# could not set vm.percpu_pagelist_high_fraction: memory tests may be off by the per-CPU page caches" >&2

if (($#)); then
	tests=("$@")
else
	mapfile -t tests < "$dir/kselftest-list.txt"
fi
timeout=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
timeout=${URINGBLK_SELFTEST_TIMEOUT:-${timeout:-900}}

# What tools/vm/guest-init's scan calls a kernel problem, attributed here
# to the test that was running.
splat='WARNING:|(^|[^A-Za-z_])BUG([: ]|$)|Oops|Call Trace|general protection'
splat+='|kernel BUG|UBSAN|ODEBUG:|soft lockup|hard LOCKUP|rcu.*stall'
splat+='|blocked for more than|list_(add|del) corruption|refcount_t:'

# Start from a clean slate: no module, no stale helper state.
rm -f /tmp/uringblk-selftest.params
if [[ -d /sys/module/uringblk ]] && ! rmmod uringblk; then
	echo "Bail out! uringblk is loaded and cannot be removed"
	echo "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0"
	exit 1
fi

# Files a test left where device nodes belong would shadow real nodes.
stray_nodes() {
	local f
	for f in /dev/uringblk*; do
		if [[ -e $f && ! -b $f && ! -c $f ]]; then
			echo "# removing stray $f (not a device node)"
			rm -f "$f"
		fi
	done
}
stray_nodes

progress=${URINGBLK_SELFTEST_PROGRESS:-}
# progress WORDS...: one event for selftests/run_suite.
progress() {
	[[ -z $progress ]] || echo "$*" >>"$progress"
}

# The tree's CLI: on PATH in the guest (tools/vm/run puts out/bin first).
cli=$(command -v uringblk 2>/dev/null) || cli=$here/../out/bin/uringblk

loaded() {
	[[ -d /sys/module/uringblk ]]
}

# unload SECONDS: rmmod uringblk, retried for that long; 0 once it is gone.
# A freed kernel-BPF program drops its module reference only after an RCU
# tasks-trace grace period and a work item: seconds in a loaded TCG guest.
# Timed by the clock: each rmmod costs a fork and exec, slow under TCG.
unload() {
	local end=$((SECONDS + $1))
	while ((SECONDS < end)); do
		loaded || return 0
		rmmod uringblk 2>/dev/null && return 0
		sleep 0.1
	done
	! loaded
}

# Processes with a /dev/uringblk* node open: "PID FD NODE" per open file.
node_users() {
	local f link pid
	for f in /proc/[0-9]*/fd/*; do
		link=$(readlink "$f" 2>/dev/null) || continue
		[[ $link == /dev/uringblk* ]] || continue
		pid=${f#/proc/}
		pid=${pid%%/*}
		echo "$pid ${f##*/} $link"
	done
}

# What keeps uringblk loaded, for the log of the test that left it so.
module_report() {
	local d pid fd node
	echo "refcnt: $(cat /sys/module/uringblk/refcnt 2>/dev/null)"
	local h=()
	for d in /sys/module/uringblk/holders/*; do
		[[ -e $d ]] && h+=("${d##*/}")
	done
	echo "holders (modules using it): ${h[*]:-none}"
	for d in /dev/uringblkc*; do
		# the drives' command devices, not their namespace nodes (cNnM)
		[[ -c $d && ${d#/dev/uringblkc} != *n* ]] || continue
		echo "uringblk prog list $d:"
		"$cli" prog list "$d" 2>&1 | sed 's/^/  /'
	done
	[[ -d /sys/kernel/debug/uringblk ]] ||
		mountpoint -q /sys/kernel/debug ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	if [[ -r /sys/kernel/debug/uringblk/holders ]]; then
		echo "/sys/kernel/debug/uringblk/holders:"
		sed 's/^/  /' /sys/kernel/debug/uringblk/holders
	fi
	echo "bpftool prog show:"
	bpftool prog show 2>&1 | sed 's/^/  /'
	echo "open files of /dev/uringblk*:"
	while read -r pid fd node; do
		echo "  pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)) fd $fd: $node"
	done < <(node_users)
	echo "mounts of /dev/uringblk*:"
	grep '^/dev/uringblk' /proc/mounts | sed 's/^/  /'
	echo "configfs drives:"
	for d in /sys/kernel/config/uringblk/*/; do
		[[ -d $d ]] || continue
		echo "  $(basename "$d") power=$(cat "$d/power" 2>/dev/null)"
	done
}

# retry WHAT CMD...: CMD until it succeeds, for up to 5 s (a run may still
# be draining: EBUSY); says what happened.
retry() {
	local what=$1 end=$((SECONDS + 5)) out
	shift
	while :; do
		out=$("$@" 2>&1) && { echo "$what"; return 0; }
		((SECONDS < end)) || break
		sleep 0.1
	done
	echo "$what failed: $out"
	return 1
}

# Undo what a test left that pins the module: processes holding the nodes,
# downloaded programs (a kernel-BPF one holds a module reference), configfs
# drives.  Mounts and the like it leaves: the guest then stops.
recover() {
	local pids d line id pind active dev end
	pids=$(node_users | awk '{ print $1 }' | sort -un | tr '\n' ' ')
	if [[ -n $pids ]]; then
		echo "killing what holds /dev/uringblk* open: $pids"
		# shellcheck disable=SC2086 # one pid per word
		kill -KILL $pids 2>/dev/null
		end=$((SECONDS + 5))
		while [[ -n $(node_users) ]] && ((SECONDS < end)); do
			sleep 0.1
		done
	fi
	for d in /dev/uringblkc*; do
		# the drives' command devices, not their namespace nodes (cNnM)
		[[ -c $d && ${d#/dev/uringblkc} != *n* ]] || continue
		while read -r line; do
			[[ $line =~ ^\{\"id\":\ ([0-9]+),\ \"pind\":\ ([0-9]+),\ \"type\":\ \"[^\"]*\",\ \"active\":\ (true|false),\ \"device_defined\":\ false, ]] ||
				continue
			id=${BASH_REMATCH[1]} pind=${BASH_REMATCH[2]} active=${BASH_REMATCH[3]}
			[[ $active == true ]] &&
				retry "$d: deactivated slot $pind" "$cli" prog deactivate "$d" "$pind"
			retry "$d: unloaded program $id (slot $pind)" "$cli" prog unload "$d" "$id"
		done < <("$cli" prog list "$d" --json 2>/dev/null)
	done
	for d in /sys/kernel/config/uringblk/*/; do
		[[ -e $d/power ]] || continue
		dev=$(basename "$d")
		echo 0 >"$d/power" 2>/dev/null
		if rmdir "$d" 2>/dev/null; then
			echo "removed configfs drive $dev"
		else
			echo "cannot remove configfs drive $dev"
		fi
	done
}

# forks_now: the processes made since boot (/proc/stat), into $forks.
# Each ok line shows a test's count: a fork and exec cost tens of ms
# under TCG, so a test's count says much of where its time goes.
forks_now() {
	local k v
	while read -r k v _; do
		[[ $k == processes ]] && { forks=$v; return; }
	done </proc/stat
}

pass=0 fail=0 skip=0 n=$((${URINGBLK_SELFTEST_FIRST:-1} - 1)) i=0 stuck=0
echo "TAP version 13"
echo "1..${#tests[@]}"
for t in "${tests[@]}"; do
	n=$((n + 1)) i=$((i + 1))
	log=$(mktemp)
	dmesg_before=$(dmesg | wc -l)
	echo "# selftests: uringblk: $t"
	progress start "$n" "$t"
	start=$SECONDS
	forks_now
	forks_start=$forks
	# Into a file, followed until the test ends: a process the test left
	# behind with its output open would keep a pipe, and this runner,
	# waiting for ever.
	(cd "$dir" && exec timeout --foreground -k 10 "$timeout" "./$t") >"$log" 2>&1 </dev/null &
	tpid=$!
	tail -s 0.2 -n +1 -f --pid="$tpid" "$log" | sed 's/^/# /'
	wait "$tpid"
	rc=$?
	forks_now
	forks=$((forks - forks_start))
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+' "$log" | tail -1)
	if [[ -n $totals ]]; then
		# " pass:" with its space: "xpass:" must not match.
		p=$(sed -E 's/.* pass:([0-9]+).*/\1/' <<<"$totals")
		f=$(sed -E 's/.* fail:([0-9]+).*/\1/' <<<"$totals")
		s=$(sed -E 's/.* skip:([0-9]+).*/\1/' <<<"$totals")
		e=$(sed -nE 's/.* error:([0-9]+).*/\1/p' <<<"$totals")
		f=$((f + ${e:-0}))
	else
		p=0 f=1 s=0
	fi
	# A crash after the totals still fails the test.
	if ((rc != 0 && rc != 4 && f == 0)); then
		f=1
	fi
	# So does a module the test leaves loaded: it would fail every later
	# test that loads it.  Unloaded here, so that a teardown splat counts
	# against this test.
	if ! unload 10; then
		echo "# $t: uringblk is still loaded 10 s after the test" \
			"(refcnt $(cat /sys/module/uringblk/refcnt 2>/dev/null)): $t fails"
		module_report | sed 's/^/#   /'
		echo "# $t: recovering"
		recover | sed 's/^/#   /'
		if unload 10; then
			echo "# $t: recovered: uringblk unloaded"
		else
			echo "# $t: uringblk is still loaded after the recovery:"
			module_report | sed 's/^/#   /'
			stuck=1
		fi
		((f == 0)) && f=1
	fi
	# So does a kernel report, even if every test case passed.
	klog=$(dmesg | tail -n +"$((dmesg_before + 1))")
	if grep -Eq -- "$splat" <<<"$klog"; then
		echo "# $t: the kernel reported a problem during the test:"
		awk -v pat="$splat" '!bad && $0 ~ pat { bad = 1 } bad && n++ < 80' <<<"$klog" |
			sed 's/^/#   /'
		((f == 0)) && f=1
		klog_shown=1
	else
		klog_shown=0
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if ((rc == 124)); then
		echo "# $t: timed out after ${timeout}s"
	fi
	if ((f)); then
		if ((!klog_shown)); then
			echo "# $t: kernel log during the test:"
			tail -40 <<<"$klog" | sed 's/^/#   /'
		fi
		echo "not ok $n selftests: uringblk: $t [$kernel] # exit=$rc"
	elif ((rc == 4)); then
		echo "ok $n selftests: uringblk: $t [$kernel] # SKIP"
	else
		echo "ok $n selftests: uringblk: $t [$kernel] # $((SECONDS - start))s, $forks processes"
	fi
	progress "done" "$n" "$t" "$p" "$f" "$s"
	rm -f "$log"
	stray_nodes
	if ((stuck)); then
		# The next test could not load its module: this guest is done.
		progress stuck "$n" "$t"
		echo "# stuck: uringblk cannot be unloaded after $t; not run in this guest:" \
			"${tests[*]:i}"
		break
	fi
done
rm -f /tmp/uringblk-selftest.params
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
((stuck)) || progress end "$pass" "$fail" "$skip"
((fail == 0))
