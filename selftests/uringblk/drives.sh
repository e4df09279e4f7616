#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many drives made at runtime with the CLI (uringblk create/remove/list,
# i.e. liburingblk's configfs functions):
#   cli_*                 every create option lands in the drive, list shows
#                         it, refusals name the value and leave nothing
#                         behind, EEXIST/ENOENT/EPERM/ENODEV with messages
#   concurrent_configs    512 B, 4 KiB x 4 queues, polled and zoned drives
#                         under fio verify at once; each drive's counters
#                         show exactly its own I/O
#   cycles_under_io       20 create -> I/O -> remove cycles (every 5th
#                         removed while fio runs on it) next to a drive
#                         that fio keeps writing and verifying throughout
#   remove_during_exec    two long EXECs in flight on a drive when it is
#                         removed: both end with ENODEV at once, an EXEC
#                         on another drive is untouched, the module unloads
# Needs root, URINGBLK_KO and the CLI (out/bin/uringblk, or URINGBLK_CLI,
# or uringblk in PATH); fio for the I/O tests.  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CFG=/sys/kernel/config/uringblk
CLI=${URINGBLK_CLI:-}
[[ -z $CLI && -x ../../bin/uringblk ]] && CLI=$(realpath ../../bin/uringblk)
[[ -z $CLI ]] && CLI=$(command -v uringblk)

need_cli() {
	[[ -n $CLI && -x $CLI ]] || { skip "no uringblk CLI (set URINGBLK_CLI)"; return; }
}

# Load the module with no drive and make configfs available.
load_empty() {
	ub_unload || return
	insmod "$URINGBLK_KO" nr_devices=0 "$@" || { fail "insmod"; return 1; }
	rm -f "$UB_MARKER"
	ub_configfs || { skip "no configfs interface"; return; }
}

# expect_fail STATUS PATTERN -- ARGS: the CLI exits with STATUS and its
# stderr matches PATTERN (grep -E).
expect_fail() {
	local want=$1 pattern=$2 err rc
	shift 3
	err=$("$CLI" "$@" 2>&1 >/dev/null)
	rc=$?
	if [[ $rc != "$want" ]] || ! grep -qE -- "$pattern" <<<"$err"; then
		fail "uringblk $* -> exit $rc (want $want): '$err' (wanted /$pattern/)"
		return 1
	fi
	echo "uringblk $*: $err"
}

sysblk() {
	cat "/sys/block/uringblk$1/$2"
}

# --- the CLI ----------------------------------------------------------------

t_cli_create_options() {
	local rc=0 row
	need_cli || return
	ub_unload && ub_load nr_devices=1 capacity_mb=64 || return
	ub_configfs || { skip "no configfs interface"; return; }

	ub_cli_create opts --capacity-mb 96 --block-size 4096 --queues 3 --queue-depth 16 \
		--poll-queues 1 --backing mem || return
	expect_eq "size" $((96 * 2048)) "$(sysblk "$UB_IDX" size)" || rc=1
	expect_eq "logical_block_size" 4096 "$(sysblk "$UB_IDX" queue/logical_block_size)" || rc=1
	expect_eq "nr_tags" 16 "$(sysblk "$UB_IDX" mq/0/nr_tags)" || rc=1
	expect_eq "io_poll" 1 "$(sysblk "$UB_IDX" queue/io_poll)" || rc=1
	expect_eq "configfs nr_hw_queues" 3 "$(<$CFG/opts/nr_hw_queues)" || rc=1
	row=$("$CLI" list | grep '^opts ')
	echo "list: $row"
	[[ $row =~ ^opts\ +/dev/uringblk$UB_IDX\ +96\ MiB\ +4096\ mem\ +no\ +3\+1x16\ +configfs$ ]] ||
		{ fail "list row of opts"; rc=1; }

	ub_cli_create zoned --zoned --capacity-mb 64 --zone-size-mb 8 --zone-capacity-mb 6 \
		--zone-conv 1 --zone-max-open 3 --zone-max-active 5 || return
	expect_eq "zoned" host-managed "$(sysblk "$UB_IDX" queue/zoned)" || rc=1
	expect_eq "nr_zones" 8 "$(sysblk "$UB_IDX" queue/nr_zones)" || rc=1
	expect_eq "chunk_sectors" $((8 * 2048)) "$(sysblk "$UB_IDX" queue/chunk_sectors)" || rc=1
	expect_eq "max_open_zones" 3 "$(sysblk "$UB_IDX" queue/max_open_zones)" || rc=1
	expect_eq "max_active_zones" 5 "$(sysblk "$UB_IDX" queue/max_active_zones)" || rc=1
	"$CLI" info "$UB_IDX" --json | grep -q "\"zone_capacity\": $((6 << 20))," ||
		{ fail "IDENTIFY zone_capacity is not 6 MiB"; rc=1; }
	"$CLI" info "$UB_IDX" --json | grep -q '"nr_conv_zones": 1,' ||
		{ fail "IDENTIFY nr_conv_zones is not 1"; rc=1; }
	"$CLI" list | grep -qE "^zoned +/dev/uringblk$UB_IDX +64 MiB +512 mem +8 zones " ||
		{ fail "list row of zoned"; rc=1; }

	# --set takes any attribute the driver lists; later ones win
	ub_cli_create setq --set capacity_mb=32 --set queue_depth=4 --set queue_depth=8 || return
	expect_eq "--set queue_depth" 8 "$(sysblk "$UB_IDX" mq/0/nr_tags)" || rc=1
	expect_eq "--set capacity_mb" $((32 * 2048)) "$(sysblk "$UB_IDX" size)" || rc=1

	# queue_mode=auto: no queue option, a bio-based drive, and list says
	# so; --queue-mode mq forces blk-mq with its default poll queue
	ub_cli_create plain --capacity-mb 16 || return
	expect_eq "plain's queue_mode" bio "$(<$CFG/plain/queue_mode)" || rc=1
	"$CLI" list | grep -qE "^plain +/dev/uringblk$UB_IDX +16 MiB +512 mem +no +bio +configfs$" ||
		{ "$CLI" list; fail "list row of plain"; rc=1; }
	"$CLI" list --json | grep -q '"name": "plain", .*"nr_hw_queues": 0, .*"queue_mode": "bio"' ||
		{ fail "list --json row of plain"; rc=1; }
	ub_cli_create forcedmq --capacity-mb 16 --queue-mode mq || return
	expect_eq "forcedmq's queue_mode" mq "$(sysblk "$UB_IDX" uringblk/queue_mode)" || rc=1
	expect_eq "forcedmq's io_poll" 1 "$(sysblk "$UB_IDX" queue/io_poll)" || rc=1

	# a driver with file backing takes --path; one without says so
	if grep -q '\bpath\b' $CFG/features; then
		truncate -s 64M /tmp/drives-backing
		ub_cli_create filed --backing file --path /tmp/drives-backing --capacity-mb 64 || rc=1
		"$CLI" list | grep -qE "^filed .* file " || { fail "list row of filed"; rc=1; }
		"$CLI" remove filed || rc=1
		rm -f /tmp/drives-backing
	else
		expect_fail 1 "unknown attribute 'path' .*\(errno EINVAL\)$" -- \
			create filed --path /tmp/x || rc=1
		[[ ! -e $CFG/filed ]] || { fail "filed left in configfs"; rc=1; }
	fi

	# no NAME: the first free driveN
	ub_cli_create || return
	[[ -d $CFG/drive0 ]] || { fail "no drive0 item"; rc=1; }
	ub_cli_create --capacity-mb 16 || return
	[[ -d $CFG/drive1 ]] || { fail "no drive1 item"; rc=1; }

	"$CLI" list
	# uringblk0, opts, zoned, setq, plain, forcedmq, drive0, drive1
	expect_eq "list rows" 8 "$("$CLI" list | tail -n +2 | wc -l)" || rc=1
	"$CLI" list | grep -qE '^- +/dev/uringblk0 +64 MiB +512 .* modparam$' ||
		{ fail "the nr_devices drive is not listed as modparam"; rc=1; }
	expect_eq "list --json entries" 8 "$("$CLI" list --json | grep -c '"origin"')" || rc=1
	"$CLI" list --json | grep -q '"name": "setq", "origin": "configfs"' ||
		{ fail "list --json lacks setq"; rc=1; }
	return $rc
}

t_cli_refusals() {
	local rc=0 before
	need_cli || return
	ub_loaded || { ub_load nr_devices=1 capacity_mb=64 || return; }
	ub_configfs || { skip "no configfs interface"; return; }
	before=$(ls $CFG | wc -l)

	# invalid values: the message names the value, nothing is left
	expect_fail 1 'block_size=1000.*\(errno EINVAL\)$' -- create bad --block-size 1000 || rc=1
	expect_fail 1 'queue_depth=0.*\(errno EINVAL\)$' -- create bad --queue-depth 0 || rc=1
	expect_fail 1 'nr_hw_queues=0.*\(errno EINVAL\)$' -- create bad --queues 0 || rc=1
	expect_fail 1 'zone_size_mb=3.*\(errno EINVAL\)$' -- create bad --zoned --zone-size-mb 3 || rc=1
	expect_fail 1 'capacity_mb=99999999999999: .*\(errno ERANGE\)$' -- \
		create bad --capacity-mb 99999999999999 || rc=1
	expect_fail 1 'backing=tape: .*\(errno EINVAL\)$' -- create bad --backing tape || rc=1
	expect_fail 1 "unknown attribute 'frob'.*\(errno EINVAL\)$" -- create bad --set frob=1 || rc=1
	expect_fail 1 "unknown attribute 'power'" -- create bad --set power=1 || rc=1
	expect_fail 1 "'frob' is not KEY=VALUE" -- create bad --set frob || rc=1
	expect_fail 1 "'a/b' is not a drive name" -- create a/b || rc=1
	expect_fail 2 "--block-size '4k' is not a number" -- create bad --block-size 4k || rc=1
	expect_eq "configfs items after refusals" "$before" "$(ls $CFG | wc -l)" || rc=1
	[[ ! -e $CFG/bad ]] || { fail "$CFG/bad left behind"; rc=1; }

	# the same name twice
	ub_cli_create twice --capacity-mb 16 || return
	expect_fail 1 "a drive named 'twice' already exists.*\(errno EEXIST\)$" -- \
		create twice || rc=1
	expect_eq "power of the first twice" 1 "$(<$CFG/twice/power)" || rc=1

	# remove: by name, by node, by number; unknown; the nr_devices drive
	check "remove twice" "$CLI" remove twice || rc=1
	[[ ! -e $CFG/twice && ! -e /dev/uringblk$UB_IDX ]] || { fail "twice still there"; rc=1; }
	ub_cli_create bynode --capacity-mb 16 || return
	check "remove /dev/uringblk$UB_IDX" "$CLI" remove "/dev/uringblk$UB_IDX" || rc=1
	[[ ! -e $CFG/bynode ]] || { fail "bynode still there"; rc=1; }
	ub_cli_create bynum --capacity-mb 16 || return
	check "remove $UB_IDX" "$CLI" remove "$UB_IDX" || rc=1
	[[ ! -e $CFG/bynum ]] || { fail "bynum still there"; rc=1; }
	expect_fail 1 "no drive named 'nosuch'.*\(errno ENOENT\)$" -- remove nosuch || rc=1
	expect_fail 1 "no drive uringblk63.*\(errno ENOENT\)$" -- remove /dev/uringblk63 || rc=1
	expect_fail 1 "uringblk0 was made by the nr_devices module parameter.*\(errno EPERM\)$" -- \
		remove 0 || rc=1
	[[ -b /dev/uringblk0 ]] || { fail "uringblk0 gone after a refused remove"; rc=1; }

	# configfs not mounted, then the module not loaded
	if umount /sys/kernel/config 2>/dev/null; then
		expect_fail 1 'configfs is not mounted.*\(errno ENODEV\)$' -- create x || rc=1
		"$CLI" list | grep -qE '^- +/dev/uringblk0 .* modparam$' ||
			{ fail "list without configfs lacks uringblk0"; rc=1; }
		mount -t configfs configfs /sys/kernel/config || rc=1
	else
		echo "configfs busy: not testing create without it"
	fi
	ub_unload || return
	expect_fail 1 'module is not loaded.*\(errno ENODEV\)$' -- create x || rc=1
	expect_fail 1 'module is not loaded.*\(errno ENODEV\)$' -- list || rc=1
	expect_fail 1 'module is not loaded.*\(errno ENODEV\)$' -- remove x || rc=1
	return $rc
}

# --- several drives at once ----------------------------------------------

# run_fio LOG ARGS...: fio in the background; its pid in FIO_PID.
run_fio() {
	local log=$1
	shift
	# allow_file_create=0: never a regular file where a node vanished
	fio --ioengine=io_uring --direct=1 --allow_file_create=0 \
		--verify_state_save=0 "$@" > "$log" 2>&1 &
	FIO_PID=$!
}

# fio_ok NAME PID LOG: fio exited 0 without errors or verify complaints.
fio_ok() {
	local name=$1 pid=$2 log=$3 rc
	wait "$pid"
	rc=$?
	if ((rc)) || grep -qE 'err= *[1-9]|verify: bad|bad magic|fio: (pid|io_u) error' "$log"; then
		cat "$log"
		fail "fio on $name exited with $rc"
		return 1
	fi
	grep -E '^ *(write|read):' "$log" | sed "s/^/$name: /"
}

t_concurrent_configs() {
	local rc=0 d i before log
	local -a name idx pid want
	command -v fio > /dev/null || { skip "fio not installed"; return; }
	need_cli || return
	load_empty || return
	before=$(dmesg | wc -l)

	ub_cli_create b512 --capacity-mb 64 --block-size 512 --queues 1 --queue-depth 32 || return
	name[0]=b512 idx[0]=$UB_IDX
	ub_cli_create k4q4 --capacity-mb 128 --block-size 4096 --queues 4 --queue-depth 64 || return
	name[1]=k4q4 idx[1]=$UB_IDX
	ub_cli_create polled --capacity-mb 64 --block-size 4096 --queues 1 --poll-queues 1 || return
	name[2]=polled idx[2]=$UB_IDX
	ub_cli_create zoned --zoned --capacity-mb 128 --zone-size-mb 8 --zone-max-open 4 || return
	name[3]=zoned idx[3]=$UB_IDX
	"$CLI" list

	# counters from here on are fio's only
	for i in 0 1 2 3; do
		echo 1 > "/sys/block/uringblk${idx[i]}/uringblk/reset_stats"
	done
	log=$(mktemp -d)
	# randwrite covers each block once (fio's random map), then the
	# verify pass reads each once: bytes written = read = size
	run_fio "$log/0" --name=b512 --filename=/dev/uringblk${idx[0]} --rw=randwrite \
		--bs=512 --size=4m --iodepth=16 --verify=crc32c --verify_fatal=1
	pid[0]=$FIO_PID want[0]=$((4 << 20))
	run_fio "$log/1" --name=k4q4 --filename=/dev/uringblk${idx[1]} --rw=randwrite \
		--bs=4k --size=32m --numjobs=2 --offset_increment=32m --iodepth=32 \
		--verify=crc32c --verify_fatal=1
	pid[1]=$FIO_PID want[1]=$((64 << 20))
	run_fio "$log/2" --name=polled --filename=/dev/uringblk${idx[2]} --rw=randwrite \
		--hipri=1 --bs=16k --size=16m --iodepth=8 --verify=crc32c --verify_fatal=1
	pid[2]=$FIO_PID want[2]=$((16 << 20))
	run_fio "$log/3" --name=zoned --filename=/dev/uringblk${idx[3]} --zonemode=zbd \
		--rw=write --bs=64k --size=128m --iodepth=4 --verify=crc32c --verify_fatal=1
	pid[3]=$FIO_PID want[3]=$((128 << 20))

	for i in 0 1 2 3; do
		fio_ok "${name[i]}" "${pid[i]}" "$log/$i" || rc=1
	done
	rm -rf "$log"
	for i in 0 1 2 3; do
		d=${idx[i]}
		expect_eq "${name[i]} write_bytes" "${want[i]}" "$(ub_stat "$d" write_bytes)" || rc=1
		expect_eq "${name[i]} read_bytes" "${want[i]}" "$(ub_stat "$d" read_bytes)" || rc=1
		expect_eq "${name[i]} errors" 0 "$(ub_stat "$d" errors)" || rc=1
	done
	expect_eq "full zones" 16 "$(awk '$7 == "full"' "/sys/block/uringblk${idx[3]}/uringblk/zones" | wc -l)" || rc=1
	for i in 0 1 2 3; do
		"$CLI" remove "${name[i]}" || { fail "remove ${name[i]}"; rc=1; }
	done
	ub_dmesg_clean "$before" || rc=1
	ub_unload || { fail "rmmod"; rc=1; }
	return $rc
}

# MemAvailable in KiB.
mem_available() {
	local k v u
	while read -r k v u; do
		[[ $k == MemAvailable: ]] && { echo "$v"; return; }
	done < /proc/meminfo
}

t_cycles_under_io() {
	local rc=0 i n=20 before steady stop bad log data avail0 avail1 used0 used1 drop pid cfg t0
	command -v fio > /dev/null || { skip "fio not installed"; return; }
	need_cli || return
	load_empty || return
	before=$(dmesg | wc -l)
	ub_cli_create steady --capacity-mb 128 --block-size 4096 --queues 2 || return
	steady=$UB_IDX
	stop=$(mktemp -u) bad=$(mktemp -u) log=$(mktemp) data=$(mktemp)
	head -c $((4 << 20)) /dev/urandom > "$data"

	# the steady drive is written and verified over and over meanwhile
	(
		passes=0
		while [[ ! -e $stop ]]; do
			if ! fio --name=steady --filename=/dev/uringblk$steady --ioengine=io_uring \
				--direct=1 --allow_file_create=0 --verify_state_save=0 \
				--rw=randwrite --bs=4k --size=32m --iodepth=16 \
				--verify=crc32c --verify_fatal=1 --randseed=$passes \
				> "$log" 2>&1; then
				cp "$log" "$bad"
				break
			fi
			passes=$((passes + 1))
		done
		echo "$passes" > "$stop.passes"
	) &
	pid=$!
	avail0=$(mem_available) used0=$(ub_stat "$steady" backing_bytes)
	t0=$SECONDS

	for ((i = 1; i <= n; i++)); do
		case $((i % 5 ? i % 3 : 3)) in
		0) cfg="--capacity-mb 64 --block-size 512 --queues 1" ;;
		1) cfg="--capacity-mb 64 --block-size 4096 --queues 2 --poll-queues 1" ;;
		2) cfg="--capacity-mb 64 --zoned --zone-size-mb 8 --zone-conv 2" ;;
		3) cfg="--capacity-mb 64 --block-size 4096 --queues 2" ;;
		esac
		ub_cli_create "cycle$i" $cfg || { rc=1; break; }
		if ((i % 5 == 0)); then
			# removed while fio runs on it: fio fails, nothing else does
			fio --name=victim --filename=/dev/uringblk$UB_IDX --ioengine=io_uring \
				--direct=1 --allow_file_create=0 --rw=randrw --bs=4k \
				--iodepth=32 --time_based --runtime=120 --size=64m \
				> /dev/null 2>&1 &
			local vpid=$! j ops=0
			# no subshells: process creation is slow in the guest
			for ((j = 0; j < 150; j++)); do
				read -r ops < "/sys/block/uringblk$UB_IDX/uringblk/write_ops"
				((ops > 500)) && break
				kill -0 $vpid 2>/dev/null || break
				sleep 0.2
			done
			((ops > 500)) ||
				{ fail "cycle $i: fio did not get going"; kill $vpid; wait $vpid; rc=1; break; }
			timeout 60 "$CLI" remove "cycle$i" ||
				{ fail "cycle $i: remove under fio failed or hung"; rc=1; }
			for ((j = 0; j < 60; j++)); do kill -0 $vpid 2>/dev/null || break; sleep 1; done
			if kill -0 $vpid 2>/dev/null; then
				fail "cycle $i: fio still running 60 s after the removal"
				kill -9 $vpid
				rc=1
			fi
			wait $vpid && { fail "cycle $i: fio on a removed drive succeeded"; rc=1; }
		else
			dd if="$data" of=/dev/uringblk$UB_IDX bs=1M oflag=direct status=none &&
				dd if=/dev/uringblk$UB_IDX bs=1M count=4 iflag=direct status=none |
				cmp -s - "$data" || { fail "cycle $i: 4 MiB round trip"; rc=1; }
			check "cycle $i: remove" "$CLI" remove "cycle$i" || rc=1
		fi
		[[ ! -e /dev/uringblk$UB_IDX && ! -e $CFG/cycle$i ]] ||
			{ fail "cycle $i: drive left after remove"; rc=1; break; }
		((rc)) && break
	done
	echo "$((i - 1)) cycles in $((SECONDS - t0)) s"

	touch "$stop"
	wait $pid
	if [[ -e $bad ]]; then
		cat "$bad"
		fail "fio on the steady drive failed during the cycles"
		rc=1
	fi
	echo "steady drive: $(<"$stop.passes") verified fio passes during the cycles"
	(($(<"$stop.passes") >= 1)) || { fail "no complete fio pass on the steady drive"; rc=1; }
	expect_eq "steady drive errors" 0 "$(ub_stat "$steady" errors)" || rc=1
	rm -f "$stop" "$stop.passes" "$bad" "$log" "$data"
	sleep 1
	avail1=$(mem_available) used1=$(ub_stat "$steady" backing_bytes)
	# The drives that are gone held 16 x 4 MiB and 4 fio runs of data;
	# what the steady drive filled meanwhile does not count.
	drop=$(((avail0 - avail1) - (used1 - used0) / 1024))
	echo "MemAvailable fell by $((drop / 1024)) MiB besides the steady drive's $(((used1 - used0) >> 20)) MiB"
	if ((drop > 48 * 1024)); then
		fail "MemAvailable fell by $((drop / 1024)) MiB over $n cycles"
		rc=1
	fi
	"$CLI" remove steady || rc=1
	ub_dmesg_clean "$before" || rc=1
	ub_unload || { fail "rmmod after the cycles"; rc=1; }
	return $rc
}

# --- removal with programs running ------------------------------------------

# exec_bg LOG DEV ID LBAS: a count_pattern EXEC over LBAS blocks.
exec_bg() {
	"$CLI" exec "$2" "$3" --lba 0 --count "$4" --pattern uringblk \
		--budget "$BUDGET" > "$1" 2>&1 &
	EXEC_PID=$!
}

t_remove_during_exec() {
	local rc=0 before obj=progs/count_pattern.bpf.o big other id1 id2 p1 p2 p3 i t0
	local l1 l2 l3
	need_cli || return
	[[ -r $obj ]] || { skip "$obj not built"; return; }
	load_empty || return
	before=$(dmesg | wc -l)
	# 16 GiB, sparse: a scan of it all takes minutes in the test guest
	ub_cli_create big --capacity-mb 16384 || return
	big=$UB_IDX
	ub_cli_create other --capacity-mb 8 --block-size 4096 || return
	other=$UB_IDX
	{ printf 'uringblk'; head -c 4088 /dev/zero; } |
		dd of=/dev/uringblk$other bs=4096 seek=1 oflag=direct status=none ||
		{ fail "writing the pattern"; return 1; }
	BUDGET=$("$CLI" info "$big" --json | sed -nE 's/.*"max_insn_budget": *([0-9]+).*/\1/p')
	[[ -n $BUDGET ]] || { fail "no max_insn_budget from uringblk info"; return 1; }
	id1=$("$CLI" prog load "$big" "$obj" | sed -nE 's/.*as program ([0-9]+).*/\1/p')
	id2=$("$CLI" prog load "$other" "$obj" | sed -nE 's/.*as program ([0-9]+).*/\1/p')
	[[ -n $id1 && -n $id2 ]] || { fail "prog load"; return 1; }

	l1=$(mktemp) l2=$(mktemp) l3=$(mktemp)
	exec_bg "$l1" "$big" "$id1" $((16 << 21))
	p1=$EXEC_PID
	exec_bg "$l2" "$big" "$id1" $((16 << 21))
	p2=$EXEC_PID
	for ((i = 0; i < 100; i++)); do
		(($(ub_stat "$big" prog_runs) >= 2)) && break
		sleep 0.1
	done
	sleep 1
	kill -0 $p1 2>/dev/null && kill -0 $p2 2>/dev/null ||
		{ cat "$l1" "$l2"; fail "the EXECs ended before the removal"; rc=1; }

	t0=$SECONDS
	timeout 30 "$CLI" remove big || { fail "remove with EXECs in flight failed or hung"; rc=1; }
	# the removal stops the runs: both end at once, with ENODEV
	for ((i = 0; i < 100; i++)); do
		kill -0 $p1 2>/dev/null || kill -0 $p2 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 $p1 2>/dev/null || kill -0 $p2 2>/dev/null; then
		fail "EXECs still running 10 s after the removal"
		kill -9 $p1 $p2 2>/dev/null
		rc=1
	fi
	wait $p1 && { fail "EXEC 1 succeeded on a removed drive"; rc=1; }
	wait $p2 && { fail "EXEC 2 succeeded on a removed drive"; rc=1; }
	echo "removal and both EXECs done in $((SECONDS - t0)) s"
	grep -h 'status' "$l1" "$l2"
	grep -q 'errno ENODEV' "$l1" && grep -q 'errno ENODEV' "$l2" ||
		{ cat "$l1" "$l2"; fail "the EXECs did not end with ENODEV"; rc=1; }

	# the other drive and its program are untouched
	"$CLI" exec "$other" "$id2" --lba 0 --count 2048 --pattern uringblk > "$l3" 2>&1 ||
		{ cat "$l3"; fail "EXEC on the other drive"; rc=1; }
	grep -qE '^r0 +1 ' "$l3" || { cat "$l3"; fail "count on the other drive is not 1"; rc=1; }
	rm -f "$l1" "$l2" "$l3"
	"$CLI" remove other || rc=1
	ub_dmesg_clean "$before" || rc=1
	ub_unload || { fail "rmmod after removing drives with programs"; rc=1; }
	return $rc
}

ub_need_ko || { echo "1..0 # SKIP $(ub_need_ko 2>&1)"; exit $KSFT_SKIP; }
ktap_plan 5
ktap_run cli_create_options t_cli_create_options
ktap_run cli_refusals t_cli_refusals
ktap_run concurrent_configs t_concurrent_configs
ktap_run cycles_under_io t_cycles_under_io
ktap_run remove_during_exec t_remove_during_exec
ub_unload
ktap_finish
