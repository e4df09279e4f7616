#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The timing model's configuration (Documentation/admin/timing-model.md):
#   modparam_refusals   timing= values out of range, unknown names, bad
#                       numbers: insmod fails and the kernel log says which
#                       value and why
#   modparam_presets    every preset loads; the drive shows its parameters
#                       in sysfs (uringblk/timing) and IDENTIFY, and a drive
#                       without the model shows "off" and no timing feature
#   configfs_refusals   each parameter's range, a non-number, an unknown
#                       preset: the write fails with EINVAL, the kernel log
#                       and "error" say why, and nothing changes
#   configfs_powered    changes on a powered drive fail with EBUSY (and the
#                       kernel log and "error" say to power off first); after
#                       power-off they land, and the next power-on shows them
#   configfs_error      every refused write, to a timing parameter or any
#                       other attribute (-1, abc, out of range, a u64
#                       overflow, a bad boolean or backing, a too long
#                       path), puts its own message in "error", never an
#                       older one; an accepted write clears it
#   cli_create          uringblk create --set timing=... and --set link_mbps=...;
#                       a refused value: the CLI prints the driver's "error"
# Needs root and URINGBLK_KO; the CLI for IDENTIFY.  Leaves the module
# unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CFG=/sys/kernel/config/uringblk
CLI=${URINGBLK_CLI:-}
[[ -z $CLI && -x ../../bin/uringblk ]] && CLI=$(realpath ../../bin/uringblk)
[[ -z $CLI ]] && CLI=$(command -v uringblk)

need_cli() {
	[[ -n $CLI && -x $CLI ]] || { skip "no uringblk CLI (set URINGBLK_CLI)"; return; }
}

# id_field N FIELD: one number of `uringblk info N --json`
id_field() {
	"$CLI" info "$1" --json | sed -nE "s/^  \"$2\": ([0-9]+),?\$/\1/p"
}

# expect_insmod_fail PARAM PATTERN: insmod with PARAM fails, the log matches
expect_insmod_fail() {
	local before
	before=$(dmesg | wc -l)
	if insmod "$URINGBLK_KO" "$1" 2>/dev/null; then
		fail "insmod $1 succeeded"
		return 1
	fi
	if ! ub_dmesg_since "$before" | grep -qE -- "$2"; then
		ub_dmesg_since "$before"
		fail "insmod $1: the kernel log does not say /$2/"
		return 1
	fi
	echo "insmod $1: $(ub_dmesg_since "$before" | grep -E -- "$2" | tail -1)"
}

t_modparam_refusals() {
	local rc=0
	ub_unload || return
	expect_insmod_fail timing=bogus "timing: 'bogus' is neither a preset" || rc=1
	expect_insmod_fail timing=link_mbps=1000001 \
		"timing: link_mbps=1000001: must be 0 or 1-1000000" || rc=1
	expect_insmod_fail timing=pcie3x4,media_read_lat_ns=100000001 \
		"media_read_lat_ns=100000001: must be 0 or 1-100000000" || rc=1
	expect_insmod_fail timing=compute_factor_pct=0 \
		"compute_factor_pct=0: must be 1-100000" || rc=1
	expect_insmod_fail timing=compute_units=65 "compute_units=65: must be 0 or 1-64" || rc=1
	expect_insmod_fail timing=link_lat_ns=1000,timer_advance_ns=1000001 \
		"timer_advance_ns=1000001: must be 0 or 1-1000000" || rc=1
	expect_insmod_fail timing=link_mbps=fast "timing: link_mbps=fast: not a number" || rc=1
	expect_insmod_fail timing=frob=1 "timing: unknown parameter 'frob'" || rc=1
	ub_loaded && { fail "a refused insmod left the module loaded"; rc=1; }
	return $rc
}

# The text each preset gives (timing_cfg.c), as sysfs shows it.
declare -A PRESET=(
	[pcie3x4]="link_mbps=3938,link_lat_ns=1000"
	[pcie4x4]="link_mbps=7877,link_lat_ns=1000"
	[nand-gen3]="media_read_mbps=3500,media_write_mbps=3300,media_read_lat_ns=80000,media_write_lat_ns=20000"
	[nand-gen4]="media_read_mbps=7000,media_write_mbps=5000,media_read_lat_ns=80000,media_write_lat_ns=20000"
	[isp-a53x4]="compute_units=4,compute_factor_pct=400"
	[arm-a53x4]="fw_overhead_ns=2000,compute_units=4,compute_factor_pct=400"
	[csd-gen3]="link_mbps=3938,link_lat_ns=1000,media_read_mbps=3500,media_write_mbps=3300,media_read_lat_ns=80000,media_write_lat_ns=20000,fw_overhead_ns=2000,compute_units=4,compute_factor_pct=400"
	[csd-gen4]="link_mbps=7877,link_lat_ns=1000,media_read_mbps=7000,media_write_mbps=5000,media_read_lat_ns=80000,media_write_lat_ns=20000,fw_overhead_ns=2000,compute_units=4,compute_factor_pct=400"
	[off]="off"
)

t_modparam_presets() {
	local rc=0 p got feat
	need_cli || return
	for p in "${!PRESET[@]}"; do
		ub_unload && ub_load capacity_mb=64 "timing=$p" || { fail "insmod timing=$p"; return 1; }
		got=$(cat /sys/block/uringblk0/uringblk/timing)
		expect_eq "sysfs timing of preset $p" "${PRESET[$p]}" "$got" || rc=1
	done
	# IDENTIFY: the parameters, and the feature only while on
	ub_unload && ub_load capacity_mb=64 timing=csd-gen3,compute_units=2,link_mbps=200 || return
	expect_eq "sysfs" "link_mbps=200,link_lat_ns=1000,media_read_mbps=3500,media_write_mbps=3300,media_read_lat_ns=80000,media_write_lat_ns=20000,fw_overhead_ns=2000,compute_units=2,compute_factor_pct=400" \
		"$(cat /sys/block/uringblk0/uringblk/timing)" || rc=1
	expect_eq "identify link" 200 "$(id_field 0 timing_link_mbps)" || rc=1
	expect_eq "identify link latency" 1000 "$(id_field 0 timing_link_lat_ns)" || rc=1
	expect_eq "identify media read" 3500 "$(id_field 0 timing_media_read_mbps)" || rc=1
	expect_eq "identify media write" 3300 "$(id_field 0 timing_media_write_mbps)" || rc=1
	expect_eq "identify media read latency" 80000 "$(id_field 0 timing_media_read_lat_ns)" || rc=1
	expect_eq "identify media write latency" 20000 "$(id_field 0 timing_media_write_lat_ns)" || rc=1
	expect_eq "identify firmware" 2000 "$(id_field 0 timing_fw_overhead_ns)" || rc=1
	expect_eq "identify units" 2 "$(id_field 0 timing_compute_units)" || rc=1
	expect_eq "identify factor" 400 "$(id_field 0 timing_compute_factor_pct)" || rc=1
	feat=$(id_field 0 features)
	((feat & (1 << 11))) || { fail "features $feat lack URINGBLK_F_TIMING"; rc=1; }
	"$CLI" info 0 | grep -E '^timing (link|media|compute)' || { fail "info shows no timing lines"; rc=1; }
	# off: the feature and every field clear
	ub_unload && ub_load capacity_mb=64 || return
	expect_eq "sysfs off" off "$(cat /sys/block/uringblk0/uringblk/timing)" || rc=1
	feat=$(id_field 0 features)
	((feat & (1 << 11))) && { fail "features $feat have URINGBLK_F_TIMING with the model off"; rc=1; }
	expect_eq "identify link (off)" 0 "$(id_field 0 timing_link_mbps)" || rc=1
	expect_eq "identify factor (off)" 0 "$(id_field 0 timing_compute_factor_pct)" || rc=1
	# compute_factor_pct alone models nothing, nor does timer_advance_ns
	ub_unload && ub_load capacity_mb=64 timing=compute_factor_pct=300 || return
	expect_eq "sysfs factor alone" off "$(cat /sys/block/uringblk0/uringblk/timing)" || rc=1
	ub_unload && ub_load capacity_mb=64 timing=timer_advance_ns=5000 || return
	expect_eq "sysfs timer advance alone" off "$(cat /sys/block/uringblk0/uringblk/timing)" || rc=1
	expect_eq "identify timer advance (off)" 0 "$(id_field 0 timing_timer_advance_ns)" || rc=1
	# the timer advance (ABI 1.8): shown with the model, in IDENTIFY and info
	ub_unload && ub_load capacity_mb=64 timing=link_lat_ns=1000,timer_advance_ns=300000 || return
	expect_eq "sysfs timer advance" link_lat_ns=1000,timer_advance_ns=300000 \
		"$(cat /sys/block/uringblk0/uringblk/timing)" || rc=1
	expect_eq "identify timer advance" 300000 "$(id_field 0 timing_timer_advance_ns)" || rc=1
	"$CLI" info 0 | grep -x 'timing timers     armed up to 300000 ns before the deadline' ||
		{ fail "info shows no timer advance"; rc=1; }
	ub_unload
	return $rc
}

# cfs_refuse ITEM ATTR VALUE PATTERN: the write fails with EINVAL, the
# kernel log and "error" match PATTERN, the value is unchanged
cfs_refuse() {
	local item=$1 attr=$2 val=$3 pat=$4 before old err
	old=$(cat "$CFG/$item/$attr")
	before=$(dmesg | wc -l)
	if err=$( (echo "$val" > "$CFG/$item/$attr") 2>&1); then
		fail "echo $val > $attr succeeded"
		return 1
	fi
	[[ $err == *"Invalid argument"* ]] || { fail "echo $val > $attr: '$err', not EINVAL"; return 1; }
	ub_dmesg_since "$before" | grep -qE -- "$pat" ||
		{ fail "echo $val > $attr: kernel log lacks /$pat/"; return 1; }
	grep -qE -- "$pat" "$CFG/$item/error" ||
		{ fail "echo $val > $attr: error says '$(cat "$CFG/$item/error")'"; return 1; }
	expect_eq "$attr after the refused write" "$old" "$(cat "$CFG/$item/$attr")" || return 1
	echo "echo $val > $attr: $(ub_dmesg_since "$before" | tail -1)"
}

t_configfs_refusals() {
	local rc=0 k
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 || return
	rm -f "$UB_MARKER"
	ub_configfs || { skip "no configfs interface"; return; }
	mkdir "$CFG/t" || return
	expect_eq "default timing" off "$(cat "$CFG/t/timing")" || rc=1
	for k in link_mbps media_read_mbps media_write_mbps; do
		cfs_refuse t $k 1000001 "$k=1000001: must be 0 or 1-1000000" || rc=1
	done
	for k in link_lat_ns media_read_lat_ns media_write_lat_ns fw_overhead_ns; do
		cfs_refuse t $k 100000001 "$k=100000001: must be 0 or 1-100000000" || rc=1
	done
	cfs_refuse t compute_units 65 "compute_units=65: must be 0 or 1-64" || rc=1
	cfs_refuse t compute_factor_pct 0 "compute_factor_pct=0: must be 1-100000" || rc=1
	cfs_refuse t compute_factor_pct 100001 "compute_factor_pct=100001: must be 1-100000" || rc=1
	cfs_refuse t timer_advance_ns 1000001 "timer_advance_ns=1000001: must be 0 or 1-1000000" || rc=1
	cfs_refuse t link_mbps fast "link_mbps: 'fast' is not a number" || rc=1
	# a whole model: an unknown word anywhere refuses all of it
	echo pcie4x4 > "$CFG/t/timing" || rc=1
	cfs_refuse t timing "nand-gen4 warp9" "timing: 'warp9' is neither a preset" || rc=1
	cfs_refuse t timing "link_mbps=0x1000000" "link_mbps=16777216: must be 0 or 1-1000000" || rc=1
	expect_eq "link_mbps of pcie4x4" 7877 "$(cat "$CFG/t/link_mbps")" || rc=1
	# the whole text is a model of its own, applied over "off"
	echo "nand-gen4 compute_units=3" > "$CFG/t/timing" || rc=1
	expect_eq "timing replaced" "media_read_mbps=7000,media_write_mbps=5000,media_read_lat_ns=80000,media_write_lat_ns=20000,compute_units=3,compute_factor_pct=100" \
		"$(cat "$CFG/t/timing")" || rc=1
	grep -q timing "$CFG/features" && grep -q compute_factor_pct "$CFG/features" &&
		grep -q timer_advance_ns "$CFG/features" ||
		{ fail "features lists no timing attributes: $(cat "$CFG/features")"; rc=1; }
	rmdir "$CFG/t"
	ub_unload
	return $rc
}

t_configfs_powered() {
	local rc=0 before err idx
	need_cli || return
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 || return
	rm -f "$UB_MARKER"
	ub_configfs || { skip "no configfs interface"; return; }
	mkdir "$CFG/p" && echo 64 > "$CFG/p/capacity_mb" &&
		echo "pcie3x4 link_mbps=100" > "$CFG/p/timing" &&
		echo 1 > "$CFG/p/power" || { fail "power-on"; return 1; }
	idx=$(cat "$CFG/p/index")
	expect_eq "identify link" 100 "$(id_field "$idx" timing_link_mbps)" || rc=1
	expect_eq "sysfs" "link_mbps=100,link_lat_ns=1000" \
		"$(cat "/sys/block/uringblk$idx/uringblk/timing")" || rc=1
	for kv in link_mbps=200 compute_units=2 fw_overhead_ns=5 timing=off timing=csd-gen4; do
		before=$(dmesg | wc -l)
		if err=$( (echo "${kv#*=}" > "$CFG/p/${kv%%=*}") 2>&1); then
			fail "changing ${kv%%=*} on a powered drive succeeded"
			rc=1
			continue
		fi
		[[ $err == *"busy"* ]] || { fail "$kv on a powered drive: '$err', not EBUSY"; rc=1; }
		ub_dmesg_since "$before" | grep -q "powered on: write 0 to power before changing" ||
			{ fail "$kv: the kernel log does not say why"; rc=1; }
		grep -q "^${kv%%=*}: p is powered on: write 0 to power before changing" "$CFG/p/error" ||
			{ fail "$kv: error says '$(cat "$CFG/p/error")'"; rc=1; }
	done
	expect_eq "unchanged on the powered drive" "link_mbps=100,link_lat_ns=1000" \
		"$(cat "/sys/block/uringblk$idx/uringblk/timing")" || rc=1
	echo 0 > "$CFG/p/power" && echo 250 > "$CFG/p/link_mbps" &&
		echo 2 > "$CFG/p/compute_units" && echo 1 > "$CFG/p/power" ||
		{ fail "change after power-off"; rc=1; }
	idx=$(cat "$CFG/p/index")
	expect_eq "identify link after" 250 "$(id_field "$idx" timing_link_mbps)" || rc=1
	expect_eq "identify units after" 2 "$(id_field "$idx" timing_compute_units)" || rc=1
	expect_eq "identify factor after" 100 "$(id_field "$idx" timing_compute_factor_pct)" || rc=1
	echo 0 > "$CFG/p/power" && echo off > "$CFG/p/timing" && echo 1 > "$CFG/p/power" || rc=1
	idx=$(cat "$CFG/p/index")
	expect_eq "identify link, off" 0 "$(id_field "$idx" timing_link_mbps)" || rc=1
	echo 0 > "$CFG/p/power" && rmdir "$CFG/p"
	ub_unload
	return $rc
}

# cfs_error ITEM ATTR VALUE ERRNO MESSAGE: the write fails with ERRNO's
# text and "error" is exactly MESSAGE
cfs_error() {
	local item=$1 attr=$2 val=$3 errno=$4 msg=$5 err
	if err=$( (printf '%s\n' "$val" > "$CFG/$item/$attr") 2>&1); then
		fail "echo $val > $attr succeeded"
		return 1
	fi
	[[ $err == *"$errno"* ]] || { fail "echo $val > $attr: '$err', not $errno"; return 1; }
	expect_eq "error after echo $val > $attr" "$msg" "$(cat "$CFG/$item/error")" || return 1
}

# cfs_accept ITEM ATTR VALUE: the write succeeds and "error" is empty
cfs_accept() {
	echo "$3" > "$CFG/$1/$2" || { fail "echo $3 > $2 refused: $(cat "$CFG/$1/error")"; return 1; }
	expect_eq "error after echo $3 > $2" "" "$(cat "$CFG/$1/error")"
}

t_configfs_error() {
	local rc=0 k long
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 || return
	rm -f "$UB_MARKER"
	ub_configfs || { skip "no configfs interface"; return; }
	mkdir "$CFG/e" || return
	expect_eq "error of a new item" "" "$(cat "$CFG/e/error")" || rc=1
	# issue 27: each refusal says its own reason, not an older one
	cfs_error e media_write_mbps 1000001 "Invalid argument" \
		"timing: media_write_mbps=1000001: must be 0 or 1-1000000 (media write MB/s)" || rc=1
	cfs_error e media_write_mbps -1 "Invalid argument" \
		"media_write_mbps: '-1' is not a number >= 0" || rc=1
	cfs_error e media_write_mbps abc "Invalid argument" \
		"media_write_mbps: 'abc' is not a number" || rc=1
	cfs_error e media_write_mbps 99999999999999999999 "Invalid argument" \
		"media_write_mbps: '99999999999999999999' is out of range: at most 18446744073709551615" || rc=1
	cfs_accept e media_write_mbps 31 || rc=1
	expect_eq "media_write_mbps" 31 "$(cat "$CFG/e/media_write_mbps")" || rc=1
	# every timing parameter the same way
	for k in link_mbps link_lat_ns media_read_mbps media_read_lat_ns media_write_lat_ns \
		 fw_overhead_ns compute_units compute_factor_pct timer_advance_ns; do
		cfs_error e $k abc "Invalid argument" "$k: 'abc' is not a number" || rc=1
		cfs_error e $k -1 "Invalid argument" "$k: '-1' is not a number >= 0" || rc=1
	done
	cfs_accept e compute_units 2 || rc=1
	# the whole model
	cfs_error e timing "pcie4x4 warp9" "Invalid argument" \
		"timing: 'warp9' is neither a preset (off, pcie3x4, pcie4x4, nand-gen3, nand-gen4, isp-a53x4, arm-a53x4, csd-gen3, csd-gen4) nor key=value (keys: the configfs attributes link_mbps, link_lat_ns, media_read_mbps, media_write_mbps, media_read_lat_ns, media_write_lat_ns, fw_overhead_ns, compute_units, compute_factor_pct, timer_advance_ns)" || rc=1
	cfs_error e timing "media_write_mbps=-1" "Invalid argument" \
		"timing: media_write_mbps=-1: not a number" || rc=1
	# an accepted write to another attribute clears it too
	cfs_accept e capacity_mb 64 || rc=1
	# the other attributes
	cfs_error e block_size abc "Invalid argument" "block_size: 'abc' is not a number" || rc=1
	cfs_error e queue_depth -1 "Invalid argument" "queue_depth: '-1' is not a number >= 0" || rc=1
	cfs_error e queue_depth 4294967296 "Numerical result out of range" \
		"queue_depth: '4294967296' is out of range: at most 4294967295" || rc=1
	cfs_error e capacity_mb lots "Invalid argument" "capacity_mb: 'lots' is not a number" || rc=1
	cfs_error e slm_size -4096 "Invalid argument" "slm_size: '-4096' is not a number >= 0" || rc=1
	cfs_error e zoned maybe "Invalid argument" \
		"zoned: 'maybe' is not a boolean (1/0, y/n, on/off)" || rc=1
	cfs_error e backing tape "Invalid argument" \
		'backing="tape": unknown backing (available: mem, file)' || rc=1
	long=/$(printf 'x%.0s' {1..2000})
	cfs_error e path "$long" "File name too long" "path: longer than 1023 bytes" || rc=1
	cfs_error e power perhaps "Invalid argument" \
		"power: 'perhaps' is not a boolean (1/0, y/n, on/off)" || rc=1
	cfs_accept e block_size 512 || rc=1
	# a power-on refused says why; powered, a change says so; power-off clears
	echo 1000 > "$CFG/e/block_size" || rc=1
	cfs_error e power 1 "Invalid argument" "block_size=1000: must be 512 or 4096" || rc=1
	cfs_accept e block_size 512 || rc=1
	cfs_accept e power 1 || rc=1
	cfs_error e media_write_mbps 40 "Device or resource busy" \
		"media_write_mbps: e is powered on: write 0 to power before changing its configuration" || rc=1
	cfs_error e media_write_mbps abc "Invalid argument" "media_write_mbps: 'abc' is not a number" || rc=1
	cfs_accept e power 0 || rc=1
	expect_eq "media_write_mbps kept" 31 "$(cat "$CFG/e/media_write_mbps")" || rc=1
	rmdir "$CFG/e"
	ub_unload
	return $rc
}

t_cli_create() {
	local rc=0 out idx
	need_cli || return
	ub_unload && insmod "$URINGBLK_KO" nr_devices=0 || return
	rm -f "$UB_MARKER"
	ub_configfs || { skip "no configfs interface"; return; }
	ub_cli_create m --capacity-mb 64 --set timing=csd-gen3 --set compute_units=1 || return 1
	idx=$UB_IDX
	expect_eq "identify units" 1 "$(id_field "$idx" timing_compute_units)" || rc=1
	expect_eq "identify link" 3938 "$(id_field "$idx" timing_link_mbps)" || rc=1
	if out=$("$CLI" create bad --capacity-mb 64 --set link_mbps=9999999 2>&1); then
		fail "create with link_mbps=9999999 succeeded"
		rc=1
	else
		echo "uringblk create bad --set link_mbps=9999999: $out"
		[[ -d $CFG/bad ]] && { fail "the refused create left $CFG/bad"; rc=1; }
		# the driver's own reason, from "error"
		[[ $out == *"link_mbps=9999999: must be 0 or 1-1000000"* ]] ||
			{ fail "the CLI does not say why"; rc=1; }
	fi
	if out=$("$CLI" create bad --capacity-mb 64 --set media_write_mbps=abc 2>&1); then
		fail "create with media_write_mbps=abc succeeded"
		rc=1
	else
		echo "uringblk create bad --set media_write_mbps=abc: $out"
		[[ $out == *"media_write_mbps: 'abc' is not a number"* ]] ||
			{ fail "the CLI does not say why"; rc=1; }
	fi
	"$CLI" remove m || rc=1
	ub_unload
	return $rc
}

ub_need_ko || { echo "1..0 # SKIP $(ub_need_ko)"; exit $KSFT_SKIP; }
ktap_plan 6
ktap_run modparam_refusals t_modparam_refusals
ktap_run modparam_presets t_modparam_presets
ktap_run configfs_refusals t_configfs_refusals
ktap_run configfs_powered t_configfs_powered
ktap_run configfs_error t_configfs_error
ktap_run cli_create t_cli_create
ub_unload
ktap_finish
