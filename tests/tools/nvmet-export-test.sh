#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/tools/nvmet-export-test.sh - native tests of tools/nvmet-export and
# of the two-guest runner's option checks, which need no VM (run by `make -C
# tools check`; exports themselves are tested between two guests,
# selftests/uringblk/nvme_tcp_pair.sh):
#   usage     each bad command line exits 2 with a message naming the
#             mistake, before anything touches configfs or a module
#   device    a path that is not a block device: exit 1, saying so
#   runner    tools/vm/run --net/--ip/--mac and tools/vm/run-pair refuse
#             bad options with status 2 before booting
# Ends with "nvmet-export: N checks passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
ex=$top/tools/nvmet-export
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; shift; printf '  %s\n' "$@"; failed=$((failed + 1)); }

H=nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001
N=nqn.2026-11.io.uringblk:t

# expect STATUS WORDS-IN-MESSAGE -- CMD...
expect() {
	local want=$1 msg=$2 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if ((rc == want)) && [[ $out == *"$msg"* ]]; then
		ok "$* -> $want"
	else
		notok "$* -> $want" "got status $rc: $out"
	fi
}

expect 2 usage -- "$ex"
expect 2 "unknown command" -- "$ex" frobnicate
expect 2 "which device" -- "$ex" export --nqn $N --addr 10.0.0.1 --host-nqn $H
expect 2 "--host-nqn" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1
expect 2 "exclude each other" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1 --host-nqn $H --allow-any-host
expect 2 "is not an NQN" -- "$ex" export /dev/x --nqn "a b" --addr 10.0.0.1 --host-nqn $H
expect 2 "is not an NQN" -- "$ex" export /dev/x --nqn "" --addr 10.0.0.1 --host-nqn $H
expect 2 "is not an NQN" -- "$ex" export /dev/x --nqn "$(printf 'n%.0s' {1..224})" --addr 10.0.0.1 --host-nqn $H
expect 2 "--host-nqn 'x/y'" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1 --host-nqn x/y
expect 2 "IPv4" -- "$ex" export /dev/x --nqn $N --addr host.example --host-nqn $H
expect 2 "TCP port" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1 --host-nqn $H --port 70000
expect 2 "namespace ID" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1 --host-nqn $H --nsid 0
expect 2 "unknown option" -- "$ex" export /dev/x --bogus
expect 2 "one device only" -- "$ex" export /dev/x /dev/y --nqn $N --addr 10.0.0.1 --host-nqn $H
expect 2 "unexport --nqn" -- "$ex" unexport
expect 1 "is not a block device" -- "$ex" export /dev/null --nqn $N --addr 10.0.0.1 --host-nqn $H
expect 2 "listen=HOST:PORT" -- "$top/tools/vm/run" --net tcp:1 --ip 10.0.0.1/24 -- true
expect 2 "needs --ip" -- "$top/tools/vm/run" --net listen=127.0.0.1:1 -- true
expect 2 "--ip needs --net" -- "$top/tools/vm/run" --ip 10.0.0.1/24 -- true
expect 2 "not a MAC" -- "$top/tools/vm/run" --net listen=127.0.0.1:1 --ip 10.0.0.1/24 --mac zz -- true
expect 2 "usage" -- "$top/tools/vm/run-pair"
expect 2 "unknown option" -- "$top/tools/vm/run-pair" --bogus -- true
echo "nvmet-export: $passed checks passed, $failed failed"
((failed == 0))
