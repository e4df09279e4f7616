#!/bin/bash
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
#
# Command-line behaviour of the uringblk CLI that needs no driver: help,
# version, usage errors (exit 2) and device errors (exit 1) in the
# documented "uringblk: CMD DEV: message (errno NAME)" format.
#
# usage: tools/cli/test.sh path/to/uringblk

bin=${1:?usage: $0 path/to/uringblk}
pass=0
fail=0

# expect STATUS STREAM PATTERN -- ARGS...: exit status and a grep -E
# pattern that must match stdout or stderr.
expect() {
	local want=$1 stream=$2 pattern=$3 out err status
	shift 4
	out=$("$bin" "$@" 2>/tmp/uringblk-cli-err.$$)
	status=$?
	err=$(cat /tmp/uringblk-cli-err.$$)
	local text=$out
	[[ $stream == stderr ]] && text=$err
	if [[ $status == "$want" ]] && grep -qE -- "$pattern" <<<"$text"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: uringblk $* -> exit $status (want $want), $stream:"
		printf '%s\n' "${text:-<empty>}" | sed 's/^/    /'
		echo "    (wanted /$pattern/)"
	fi
}

expect 0 stdout '^  info DEV \[--json\]$'		-- --help
expect 0 stdout '^  stats DEV '				-- help
expect 0 stdout '^uringblk [0-9.]+ \(liburingblk 1\.[0-9]+, uringblk ABI 1\.[0-9]+\)$' -- --version
expect 0 stdout '^usage: uringblk info DEV'		-- help info
expect 0 stdout '^  -r, --reset'			-- stats --help
expect 2 stderr '^usage: uringblk \['			--
expect 2 stderr "unknown command 'frob'"		-- frob
expect 2 stderr "unknown command 'frob'"		-- help frob
expect 2 stderr "unknown option '--frob'"		-- --frob
expect 2 stderr '^uringblk: info: missing DEV$'		-- info
expect 2 stderr '^uringblk: stats: missing DEV$'	-- stats --json
expect 2 stderr '^uringblk: info: too many arguments$'	-- info 0 1
expect 2 stderr "^uringblk: info: unknown option '--frob'$" -- info --frob 0
expect 2 stderr "^uringblk: stats: unknown option '-x'$" -- stats -x 0
expect 2 stderr "^uringblk: info: 'sda' is not a uringblk device" -- info sda
expect 2 stderr "^uringblk: info: 'uringblk01' is not" -- info uringblk01

if [[ ! -e /dev/uringblkc4093 ]]; then
	for dev in /dev/uringblk4093 /dev/uringblkc4093 uringblk4093 4093; do
		expect 1 stderr "^uringblk: info $dev: .*module loaded.* \(errno ENOENT\)$" -- info "$dev"
	done
	expect 1 stderr '^uringblk: stats 4093: .* \(errno ENOENT\)$' -- stats 4093 --sysfs --json
fi
expect 1 stderr '^uringblk: info /dev/null: not a uringblk device.* \(errno ENODEV\)$' -- info /dev/null
expect 1 stderr '^uringblk: stats /nonexistent/x: .* \(errno ENOENT\)$' -- stats /nonexistent/x

rm -f /tmp/uringblk-cli-err.$$
echo "cli: $pass passed, $fail failed"
((fail == 0))
