#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's program slots and EXECUTE against a live drive: `prog load
# --slot`, `prog list` (table and --json: pind, type, active), `prog
# activate|deactivate`, `prog unload` of an active program (EBUSY),
# `execute` over a range set filled by `mem copy` giving exec's answer over
# the same blocks, the device-defined twin giving it too, and EXECUTE of a
# deactivated program (ENOEXEC).
#
# Uses the repository's CLI, out/bin/uringblk next to $URINGBLK_KO (built
# by `make tools`); without it the test is a SKIP.  Leaves the module
# unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
OBJ=progs/count_pattern.bpf.o
BLOCKS=2048	# 1 MiB of 512-byte blocks

# The r0 of a --json reply.
r0_of() {
	sed -nE 's/.*"r0": ([0-9]+).*/\1/p' <<<"$1"
}

t_slots() {
	local out id json
	out=$("$CLI" prog load 0 "$OBJ" --slot 5) || { fail "prog load --slot 5: $?"; return; }
	echo "$out"
	[[ $out =~ as\ program\ ([0-9]+)\ in\ slot\ 5 ]] || { fail "no 'in slot 5'"; return; }
	id=${BASH_REMATCH[1]}
	json=$("$CLI" prog list 0 --json) || { fail "prog list --json"; return; }
	grep -qE "\"id\": $id, \"pind\": 5, \"type\": \"ebpf\", \"active\": false" <<<"$json" ||
		{ echo "$json"; fail "list entry of slot 5"; return; }
	"$CLI" prog load 0 "$OBJ" --slot 5 2>&1 | grep -q 'errno EBUSY' ||
		{ fail "load into a taken slot is not EBUSY"; return; }
	check "activate" "$CLI" prog activate 0 5 || return
	json=$("$CLI" prog list 0 --json)
	grep -qE "\"pind\": 5, \"type\": \"ebpf\", \"active\": true" <<<"$json" ||
		{ echo "$json"; fail "slot 5 not active"; return; }
	out=$("$CLI" prog list 0)
	echo "$out"
	grep -qE "^ +$id +5 +ebpf +interp +yes +count_pattern " <<<"$out" ||
		{ fail "table row of slot 5"; return; }
	"$CLI" prog unload 0 "$id" 2>&1 | grep -q 'errno EBUSY' ||
		fail "unloading an active program is not EBUSY"
}

t_execute() {
	local rsid ej xj dj dd
	check "data" dd if=/dev/urandom of=/tmp/cli_slots.dat bs=1M count=1 status=none || return
	for off in 100 5000 77777 300001 1000000; do
		printf 'Alpha' | dd of=/tmp/cli_slots.dat bs=1 seek=$off conv=notrunc status=none
	done
	check "write" dd if=/tmp/cli_slots.dat of=$DEV bs=1M oflag=direct status=none || return
	rm -f /tmp/cli_slots.dat
	check "mem copy" "$CLI" mem copy 0 0 0:$BLOCKS > /dev/null || return
	rsid=$("$CLI" rangeset create 0 0:1M) || { fail "rangeset create"; return; }
	ej=$("$CLI" exec 0 "$(sed -nE 's/.*"id": ([0-9]+), "pind": 5,.*/\1/p' <<<"$("$CLI" prog list 0 --json)")" \
		--lba 0 --count $BLOCKS --pattern Alpha --json) || { echo "$ej"; fail "exec"; return; }
	xj=$("$CLI" execute 0 5 "$rsid" --pattern Alpha --json) || { echo "$xj"; fail "execute"; return; }
	echo "$xj"
	grep -q '"completed": true' <<<"$xj" || { fail "execute did not complete"; return; }
	expect_eq "execute r0 = exec r0" "$(r0_of "$ej")" "$(r0_of "$xj")" || return
	(($(r0_of "$xj") >= 5)) || { fail "fewer than the 5 planted patterns"; return; }
	# the device-defined twin, when the drive has one
	dd=$("$CLI" prog list 0 --json | sed -nE 's/.*"pind": ([0-9]+), "type": "device", "active": true, "device_defined": true, "name": "count_pattern".*/\1/p')
	if [[ -z $dd ]] && "$CLI" prog list 0 --json | grep -q '"type": "device"'; then
		fail "device-defined programs listed, but no active count_pattern among them"
		return
	fi
	if [[ -n $dd ]]; then
		dj=$("$CLI" execute 0 "$dd" "$rsid" --pattern Alpha --json) ||
			{ echo "$dj"; fail "execute of the device-defined twin"; return; }
		expect_eq "device-defined r0" "$(r0_of "$xj")" "$(r0_of "$dj")" || return
	fi
	check "deactivate" "$CLI" prog deactivate 0 5 || return
	"$CLI" execute 0 5 "$rsid" --pattern Alpha 2>&1 | grep -q 'errno ENOEXEC' ||
		{ fail "EXECUTE of an inactive program is not ENOEXEC"; return; }
	"$CLI" execute 0 5 $((rsid + 100)) --pattern Alpha 2>&1 | grep -q 'errno ENOEXEC' ||
		fail "the slot is checked before the set"
	check "rangeset delete" "$CLI" rangeset delete 0 "$rsid"
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run cli_slots skip "$why"
	ktap_finish
fi
if [[ ! -x $CLI ]]; then
	ktap_plan 1
	ktap_run cli_slots skip "no CLI at $CLI (make tools)"
	ktap_finish
fi

ktap_plan 2
ub_unload && ub_load capacity_mb=64 || exit $KSFT_FAIL
ktap_run prog_slots_cli t_slots
ktap_run execute_cli t_execute
ub_unload
ktap_finish
