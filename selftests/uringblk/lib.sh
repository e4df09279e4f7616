#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the uringblk shell selftests: KTAP output (the same format the
# C tests print through kselftest.h) and module control.
#
#   source "$(dirname "$0")/lib.sh"
#   ktap_plan 3
#   ktap_run name func [args...]   # func: return 0 pass, $KSFT_SKIP skip
#                                  # (after `skip "reason"`), else fail
#   ktap_finish                    # prints "# Totals: ..." and exits
#
# Test functions run in a subshell with errexit off; they report failures
# with `fail "message"` (returns 1) and use `check` for one-line asserts.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# Parameter-string marker of the C helpers (uringblk_test.c): any module
# (un)load here makes it stale, so every load/unload removes it.
UB_MARKER=/tmp/uringblk-selftest.params

_ktap_n=0 _ktap_pass=0 _ktap_fail=0 _ktap_skip=0
_ktap_reason=$(mktemp)

# kernel_at_least MAJOR MINOR: is the running kernel that version or newer?
# For what the kernel does and no probe can tell (say which release).
kernel_at_least() {
	local maj min
	IFS=. read -r maj min _ <<<"$(uname -r)"
	((maj > $1 || (maj == $1 && ${min%%[!0-9]*} >= $2)))
}

ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

ktap_print() {
	sed 's/^/# /'
}

# Run one test function and print its KTAP result line.
ktap_run() {
	local name=$1 rc start=$SECONDS
	shift
	_ktap_n=$((_ktap_n + 1))
	: > "$_ktap_reason"
	echo "# RUN $name"
	("$@") 2>&1 | ktap_print
	rc=${PIPESTATUS[0]}
	echo "# $name: $((SECONDS - start)) s"
	case $rc in
	0) echo "ok $_ktap_n $name"; _ktap_pass=$((_ktap_pass + 1)) ;;
	"$KSFT_SKIP")
		echo "ok $_ktap_n $name # SKIP $(<"$_ktap_reason")"
		_ktap_skip=$((_ktap_skip + 1)) ;;
	*) echo "not ok $_ktap_n $name"; _ktap_fail=$((_ktap_fail + 1)) ;;
	esac
}

ktap_finish() {
	rm -f "$_ktap_reason"
	echo "# Totals: pass:$_ktap_pass fail:$_ktap_fail xfail:0 xpass:0 skip:$_ktap_skip error:0"
	if ((_ktap_fail)); then
		exit $KSFT_FAIL
	elif ((_ktap_pass == 0 && _ktap_skip > 0)); then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# Inside a test function: `skip "why"; return $?`
skip() {
	echo "$*" > "$_ktap_reason"
	echo "SKIP: $*"
	return $KSFT_SKIP
}

fail() {
	echo "FAIL: $*"
	return 1
}

# check "what" command...: run a command that must succeed.
check() {
	local what=$1
	shift
	if ! "$@"; then
		echo "FAIL: $what (command: $*)"
		return 1
	fi
}

# expect_eq "what" expected actual
expect_eq() {
	if [[ "$2" != "$3" ]]; then
		echo "FAIL: $1: expected '$2', got '$3'"
		return 1
	fi
}

# --- module control ----------------------------------------------------

# A module built with the NVMe controller (driver/nvme_ctrl.c) depends on
# nvme-core, and insmod resolves no dependency; tools/vm's guest loads it at
# boot, but a `modprobe -r` of a fabrics module since (nvmet tests) may have
# unloaded it with itself.  Every insmod of these tests goes through here.
insmod() {
	[[ -d /sys/module/nvme_core ]] || modprobe -q nvme-core 2>/dev/null
	command insmod "$@"
}

ub_loaded() {
	[[ -d /sys/module/uringblk ]]
}

# Process creation is slow in the TCG guest (~0.1-1 s per exec), so the
# helpers below use shell builtins wherever they can.

# rmmod, retrying for up to 10 s: a just-closed file can hold the module a
# moment, a freed kernel-BPF program until an RCU-tasks-trace grace period
# (uringblk_test.c: ubt_module_unload()).
ub_unload() {
	local i d
	[[ -e $UB_MARKER ]] && rm -f "$UB_MARKER"
	ub_loaded || return 0
	# configfs items pin the module: power them off and remove them.
	for d in /sys/kernel/config/uringblk/*/; do
		[[ -e $d/power ]] || continue
		echo 0 > "$d/power" 2>/dev/null
		rmdir "$d" 2>/dev/null
	done
	# By the clock: each rmmod is a fork and exec, slow in the TCG guest.
	local end=$((SECONDS + 10))
	while ((SECONDS < end)); do
		rmmod uringblk 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# uringblk still in use after 10 s (refcnt $(cat /sys/module/uringblk/refcnt 2>/dev/null))"
	rmmod uringblk
}

# ub_load [param=value...]: insmod $URINGBLK_KO and wait for the nodes.
ub_load() {
	local i
	[[ -e $UB_MARKER ]] && rm -f "$UB_MARKER"
	# A regular file where a node should be (a tool wrote to a vanished
	# device) would hide the real node from devtmpfs.
	for i in /dev/uringblk*; do
		[[ -e $i && ! -b $i && ! -c $i ]] && { echo "removing stray $i"; rm -f "$i"; }
	done
	insmod "$URINGBLK_KO" "$@" || return 1
	for ((i = 0; i < 100; i++)); do
		[[ -b /dev/uringblk0 && -c /dev/uringblkc0 ]] && return 0
		sleep 0.05
	done
	echo "FAIL: /dev/uringblk0 or /dev/uringblkc0 did not appear"
	return 1
}

# A stats counter of device N from sysfs.
ub_stat() {
	local v
	read -r v < "/sys/block/uringblk$1/uringblk/$2" && echo "$v"
}

# ub_wait_io N [OPS [SECONDS [PID]]]: wait until drive N has completed OPS
# more reads and writes (default 64) than when called, for at most SECONDS
# (default 60): a job started in the background is then doing I/O, however
# long it took to start on a loaded host.  Fails with what it saw, at once
# if process PID (the job) has ended.
ub_wait_io() {
	local n=$1 want=${2:-64} end=$((SECONDS + ${3:-60})) pid=${4:-} r w n0='' now
	while :; do
		read -r r < "/sys/block/uringblk$n/uringblk/read_ops" &&
			read -r w < "/sys/block/uringblk$n/uringblk/write_ops" || return 1
		now=$((r + w)) n0=${n0:-$((r + w))}
		((now - n0 >= want)) && return 0
		if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
			echo "FAIL: the job (pid $pid) ended after uringblk$n completed $((now - n0)) reads and writes, not $want"
			return 1
		fi
		((SECONDS < end)) || break
		sleep 0.05
	done
	echo "FAIL: uringblk$n completed $((now - n0)) reads and writes in ${3:-60} s, not $want"
	return 1
}

# ub_wait_stat N STAT [SECONDS]: wait until drive N's STAT is above 0, for
# at most SECONDS (default 60); fails with its last value.
ub_wait_stat() {
	local v=0 end=$((SECONDS + ${3:-60}))
	while ((SECONDS < end)); do
		read -r v < "/sys/block/uringblk$1/uringblk/$2" || return 1
		((v > 0)) && return 0
		sleep 0.05
	done
	echo "FAIL: uringblk$1's $2 is still $v after ${3:-60} s"
	return 1
}

# Hardware queues blk-mq shows in sysfs: only those some CPU maps to.
ub_visible_queues() {
	local hwq=$1 poll=$2 ncpu
	ncpu=$(nproc)
	echo $(((hwq < ncpu ? hwq : ncpu) + (poll < ncpu ? poll : ncpu)))
}

# Lines the kernel logged since line $1 (from `dmesg | wc -l`).
ub_dmesg_since() {
	dmesg | tail -n +"$(($1 + 1))"
}

# Fail if the kernel logged a warning, BUG or oops since line $1.
ub_dmesg_clean() {
	local bad
	bad=$(ub_dmesg_since "$1" | grep -E 'WARNING:|BUG:|Oops|general protection|RIP:|Call Trace')
	[[ -z $bad ]] || { echo "$bad"; fail "kernel log shows a warning or crash"; }
}

# Make /sys/kernel/config/uringblk available (module must be loaded).
ub_configfs() {
	local cfg=/sys/kernel/config/uringblk
	if [[ ! -d $cfg ]] && ! mountpoint -q /sys/kernel/config; then
		mount -t configfs configfs /sys/kernel/config 2>/dev/null
	fi
	[[ -d $cfg ]]
}

# --- the drive as a controller of Linux's NVMe driver (nvme_ctrl=1) ---

# ub_nvme_ctrl FILE VALUE: the controller (nvmeX) whose sysfs FILE reads
# VALUE: "address traddr=uringblkN" for drive N's, "subsysnqn NQN" for a
# fabrics connection's.
ub_nvme_ctrl() {
	local c v
	for c in /sys/class/nvme/nvme*; do
		read -r v 2>/dev/null < "$c/$1" || continue
		[[ $v == "$2" ]] && { echo "${c##*/}"; return 0; }
	done
	return 1
}

# ub_nvme_find NSID TENTHS GLOB [REGEX]: the name of the first sysfs
# directory GLOB matches (expanded anew at each try; its name matching
# REGEX, if given) whose nsid file reads NSID, waiting up to TENTHS tenths
# of a second for nvme-core's scan.
ub_nvme_find() {
	local d n i
	for ((i = 0; i < $2; i++)); do
		# shellcheck disable=SC2086 # the glob is meant to expand here
		for d in $3; do
			[[ -z ${4:-} || ${d##*/} =~ $4 ]] || continue
			read -r n < "$d/nsid" 2>/dev/null || continue
			[[ $n == "$1" ]] && { echo "${d##*/}"; return 0; }
		done
		sleep 0.1
	done
	return 1
}

# ub_nvme_ns CTRL NSID: the namespace's block device name under controller
# CTRL, from its sysfs nsid, waiting up to 5 s for the scan.  nvme-core
# names it nvmeSnH: S its subsystem's instance, which is CTRL's own only
# when CTRL made the subsystem (a controller that joins one, as a second
# path or after a drive whose namespace was kept, gets the first's), and H
# the namespace head's instance, the NSID only by chance.
ub_nvme_ns() { ub_nvme_find "$2" 50 "/sys/class/nvme/$1/nvme*n*" '^nvme[0-9]+n[0-9]+$'; }

# ub_nvme_ng CTRL NSID: the namespace's generic node, /dev/ngCnH: C the
# controller's instance (not the subsystem's), H the head's, as its block
# device's name has it (a controller without multipath).
ub_nvme_ng() {
	local n
	n=$(ub_nvme_ns "$1" "$2") || return 1
	echo "/dev/ng${1#nvme}n${n##*n}"
}

# ub_kv_roundtrip NG VALUE: Store VALUE (at most 4096 bytes) under key
# "key1" on the KV namespace (NSID 1) behind generic node NG, then Retrieve
# it into 4 KiB (Documentation/dev/nvme-kv.md's commands): the same bytes
# must come back, and Retrieve's result must be their size.  Prints what
# came back; fails the test (and returns 1) otherwise.
ub_kv_roundtrip() {
	local ng=$1 len=${#2} out tmp
	tmp=$(mktemp -d)
	printf '%s' "$2" > "$tmp/value"
	# Store (01h): the key in CDW2, the value's size in CDW10, key length 4
	out=$(nvme io-passthru "$ng" --namespace-id=1 --opcode=0x01 --cdw2=0x3179656b \
		--cdw10="$len" --cdw11=4 --data-len="$len" --input-file="$tmp/value" --write 2>&1) ||
		{ echo "$out"; rm -r "$tmp"; fail "Store on $ng"; return; }
	# Retrieve (02h) into 4 KiB
	nvme io-passthru "$ng" --namespace-id=1 --opcode=0x02 --cdw2=0x3179656b --cdw10=4096 \
		--cdw11=4 --data-len=4096 --read --raw-binary 2> "$tmp/err" > "$tmp/out" ||
		{ cat "$tmp/err"; rm -r "$tmp"; fail "Retrieve on $ng"; return; }
	out=$(head -c "$len" "$tmp/out")
	echo "  Retrieve on $ng: '$out', $(grep -o 'result: 0x[0-9a-f]*' "$tmp/err")"
	if ! grep -q "result: $(printf '0x%08x' "$len")" "$tmp/err"; then
		cat "$tmp/err"
		rm -r "$tmp"
		fail "Retrieve's result is not the value's size"
		return
	fi
	rm -r "$tmp"
	expect_eq "Retrieve's value" "$2" "$out"
}

# ub_ctrl_drive NAME COUNT: the module afresh with no drive, then configfs
# drive NAME (64 MiB) with COUNT controllers of nvme-core, powered on;
# UB_IDX is its index.  Fails the test, or skips it on a module built
# without the controller, and returns that status.
ub_ctrl_drive() {
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 && ub_configfs || return
	mkdir "$UB_CFS/$1" && echo 64 > "$UB_CFS/$1/capacity_mb" || return
	echo "$2" > "$UB_CFS/$1/nvme_ctrl" 2>/dev/null || { fail "configfs nvme_ctrl $2"; return; }
	if ! echo 1 > "$UB_CFS/$1/power"; then
		grep -q "built without" "$UB_CFS/$1/error" &&
			{ skip "module built without the NVMe controller"; return; }
		fail "power on: $(<"$UB_CFS/$1/error")"
		return
	fi
	UB_IDX=$(<"$UB_CFS/$1/index")
}

# ub_load_ctrl [params]: the module with nvme_ctrl=1; sets UB_CTRL (nvme0,
# ...) to drive 0's controller, or skips when the module has none.
ub_load_ctrl() {
	local out
	ub_unload || return
	if ! out=$(insmod "$URINGBLK_KO" nvme_ctrl=1 "$@" 2>&1); then
		if dmesg | tail -5 | grep -q "built without nvme-core's header"; then
			skip "module built without the NVMe controller (tools/nvme-src)"
			return
		fi
		echo "$out"
		fail "insmod nvme_ctrl=1 $*"
		return
	fi
	# shellcheck disable=SC2034 # for the caller
	UB_CTRL=$(ub_nvme_ctrl address traddr=uringblk0) ||
		{ fail "no controller with address traddr=uringblk0"; return; }
}

# ub_reap_after_removal PID LOG: fio (PID, its output in LOG) on a drive just
# removed must stop within 10 s; prints its exit status and first error,
# or kills it and fails.
ub_reap_after_removal() {
	local i rc
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"
		fail "fio still running 10 s after the removal"
		return
	fi
	wait "$1"
	rc=$?
	echo "  fio after the removal: exit $rc: $(grep -m1 -E 'error|err=' "$2")"
}

# ub_wait_live CTRL: wait up to 5 s for controller CTRL (nvme0, ...) to be
# live, as after a reset; fails with its state.
ub_wait_live() {
	local i state
	for ((i = 0; i < 50; i++)); do
		state=$(<"/sys/class/nvme/$1/state")
		[[ $state == live ]] && return 0
		sleep 0.1
	done
	echo "FAIL: $1 is $state, not live, after 5 s"
	return 1
}

# ub_fio_start DIR NAME FILE FIO ARGS: fio on FILE in the background
# (UB_FIO_PID; its output in DIR/NAME.out): random 4 KiB writes at depth
# 16, each verified as it goes (verify_backlog), until ub_fio_stop; FIO
# ARGS name the engine (--ioengine=io_uring --direct=1).  For I/O across
# controller resets: time-based, so that it runs through every reset
# however fast the host is (a size-based job ended before the first reset
# on a faster host: CI, 2026-11-29, and before the last one of
# nvme_mpath_failover: CI, 2026-11-30), and ended by its trigger file,
# not a signal (fio exits 128 on SIGINT).
# It opens FILE once: fio 3.33 leaves a time-based job's I/O loop to
# verify every 2 x size bytes it issues (do_io() in backend.c) and closes
# and reopens its files then, unless the job has no random map and an
# io_size above that.  So: norandommap, with the LFSR generator, which
# still writes each block once per pass, and serialize_overlap, so that
# no write meets an earlier I/O to its block in flight (fio's HOWTO).
# With the random map fio reopened the file 72 times in 4 s of 4 KiB
# writes to a file; like this, once.
ub_fio_start() {
	local dir=$1 name=$2 file=$3
	shift 3
	rm -f "$dir/stop-$name"
	(cd "$dir" && exec fio --trigger-file="$dir/stop-$name" --name="$name" --filename="$file" \
		--rw=randwrite --bs=4k --iodepth=16 --size=16M --time_based --runtime=600 \
		--norandommap --random_generator=lfsr --serialize_overlap=1 --io_size=1P \
		--verify=crc32c --do_verify=1 --verify_backlog=256 --verify_fatal=1 --verify_state_save=0 "$@") \
		> "$dir/$name.out" 2>&1 &
	UB_FIO_PID=$!
}

# ub_fio_ng_start DIR NAME NG [FIO ARGS]: ub_fio_start's job as io_uring_cmd
# on generic node NG.  For passthrough I/O through controller resets, which
# nvme-core never retries: it completes only if the controller holds it
# (quiesced queues).  Such a job must
#  - open NG once, after which the caller's first reset may come (its
#    first I/O says so): fio's NVMe engine sends Identify Namespace at each
#    open, an admin command nvme-core fails on a controller that is not
#    live, and the job then ends at once with exit status 0 (CI,
#    2026-11-30, when ub_fio_start's job still reopened its file);
#  - use registered buffers (fixedbufs): a command that meets a reset waits
#    in an io-wq worker, where the host may cut a plain buffer's address
#    to 32 bits (EFAULT; Documentation/dev/nvme-controller.md).
ub_fio_ng_start() {
	local dir=$1 name=$2 ng=$3
	shift 3
	ub_fio_start "$dir" "$name" "$ng" --ioengine=io_uring_cmd --cmd_type=nvme --fixedbufs=1 "$@"
}

# ub_fio_stop DIR NAME [PID]: end ub_fio_start's job (PID, default
# UB_FIO_PID: the last one started) as its runtime would (its trigger
# file: no signal) and set UB_FIO_RESULT to "ok", or to its
# first error ("err=N": N the negated CQE result, -880 Host Path Error
# 370h, 14 EFAULT, 4 EINTR, nvme-core's answer to a passthrough command it
# cancelled) or exit status, then ": " and fio's first error line; a job
# that ended before its stop with no error is not "ok" either.  In the
# shell that started it (no $(...): wait needs its parent).
ub_fio_stop() {
	local out=$1/$2.out pid=${3:-$UB_FIO_PID} rc=0 err early=1
	kill -0 "$pid" 2>/dev/null && touch "$1/stop-$2" && early=0
	wait "$pid" || rc=$?
	err=$(grep -oE 'err= *-?[0-9]+' "$out" | grep -v 'err= *0$' | head -1 | tr -d ' ')
	# shellcheck disable=SC2034 # for the caller
	if ((rc == 0)) && [[ -z $err ]] &&
	   ! grep -qiE 'verify: bad|fio: (pid|io_u) error|failed' "$out"; then
		UB_FIO_RESULT=ok
		((early == 0)) || UB_FIO_RESULT="ended before its stop, with no error"
	else
		UB_FIO_RESULT="${err:-exit $rc}: $(grep -m1 -iE 'err= *-?[1-9]|verify|error|fail' "$out")"
	fi
}

# ub_ssd_stat NAME: one line of drive 0's SSD model counters (sysfs
# uringblk/ssd_stats); fails, saying so, when it has no such line.
ub_ssd_stat() {
	local k v
	while read -r k v; do
		[[ $k == "$1" ]] && { echo "$v"; return 0; }
	done < /sys/block/uringblk0/uringblk/ssd_stats
	echo "ssd_stats has no $1" >&2
	return 1
}

# ub_ssd_key NAME: one key of drive 0's SSD model (sysfs uringblk/ssd).
ub_ssd_key() {
	local kv
	IFS=, read -ra kv < /sys/block/uringblk0/uringblk/ssd
	for kv in "${kv[@]}"; do
		[[ ${kv%%=*} == "$1" ]] && { echo "${kv#*=}"; return 0; }
	done
	return 1
}

# Runtime drives through configfs (the module must be loaded).
UB_CFS=/sys/kernel/config/uringblk

# ub_mkdev NAME key=value...: a configfs item, configured, powered on.
ub_mkdev() {
	local name=$1 kv
	shift
	mkdir "$UB_CFS/$name" || return 1
	for kv in "$@"; do
		echo "${kv#*=}" > "$UB_CFS/$name/${kv%%=*}" || { echo "setting $kv failed"; return 1; }
	done
	echo 1 > "$UB_CFS/$name/power"
}

# ub_rmdev NAME: power the item off and remove it.
ub_rmdev() {
	echo 0 > "$UB_CFS/$1/power" && rmdir "$UB_CFS/$1"
}

# ub_cfs_refused ITEM ATTR VALUE WHY: writing VALUE fails with EINVAL and
# the item's "error" says WHY.  A power-on taken is undone.
ub_cfs_refused() {
	local err
	if err=$(echo "$3" 2>&1 > "$UB_CFS/$1/$2"); then
		fail "$2=$3 was taken"
		[[ $2 == power ]] && echo 0 > "$UB_CFS/$1/power"
		return 1
	fi
	[[ $err == *"Invalid argument"* ]] || { fail "$2=$3: $err, not EINVAL"; return 1; }
	grep -qF -- "$4" "$UB_CFS/$1/error" ||
		{ fail "$2=$3: error says '$(cat "$UB_CFS/$1/error")', not '$4'"; return 1; }
}

# ub_power_refused ITEM WHY: power-on fails with EINVAL, "error" says WHY
ub_power_refused() {
	ub_cfs_refused "$1" power 1 "$2"
}

# ub_cli_create NAME [uringblk create options]: a runtime drive made by the
# CLI ($CLI, which the calling test sets): checks what it printed
# ("NAME: /dev/uringblkN /dev/uringblkcN") and that both nodes exist, and
# sets UB_IDX to N; else fails the test (with why) and returns 1.
ub_cli_create() {
	local out
	UB_IDX=
	out=$("$CLI" create "$@") || { fail "uringblk create $*"; return 1; }
	[[ $out =~ ^[^:]+:\ /dev/uringblk([0-9]+)\ /dev/uringblkc([0-9]+)$ ]] &&
		[[ ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]] ||
		{ fail "uringblk create printed '$out'"; return 1; }
	UB_IDX=${BASH_REMATCH[1]}
	[[ -b /dev/uringblk$UB_IDX && -c /dev/uringblkc$UB_IDX ]] || {
		fail "/dev/uringblk$UB_IDX or /dev/uringblkc$UB_IDX missing after create"
		return 1
	}
}

# ub_fresh DIR: the module with no device (ub_load waits for uringblk0),
# and DIR empty.
ub_fresh() {
	ub_unload && rm -rf "$1" && mkdir -p "$1" &&
		insmod "$URINGBLK_KO" nr_devices=0 && ub_configfs
}

# ub_top PATH...: the tree a test belongs to, absolute: beside the module
# (make check), else above the test (in selftests/uringblk, or its build
# copy in out/selftests/uringblk), the first that has every PATH; a module
# built elsewhere (the debug kernel's, out/debug/module) has no tree
# beside it.  Run from the test's directory.
ub_top() {
	local top p
	for top in "$(dirname "${URINGBLK_KO:-.}")" ../.. ../../..; do
		for p; do
			[[ -e $top/$p ]] || continue 2
		done
		break
	done
	(cd "$top" && pwd -P)
}

ub_need_ko() {
	if [[ -z ${URINGBLK_KO:-} || ! -r $URINGBLK_KO ]]; then
		echo "URINGBLK_KO not set or unreadable"
		return 1
	fi
	if [[ $(id -u) != 0 ]]; then
		echo "needs root"
		return 1
	fi
}
