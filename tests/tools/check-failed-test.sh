#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/tools/check-failed-test.sh - tests of tools/check-failed, which
# picks what failed, and why, out of a stage's output for tools/check's
# closing lines (run by `make -C tools check`; no VM):
#   harness   a kselftest harness test that failed: its EXPECT and TH_LOG
#             lines, then its "not ok" and the runner's, in order; a
#             passing test's TH_LOG and a skipped test are not shown
#   shell     a lib.sh test's "FAIL:" line before its "not ok"
#   native    a native program's exit status and a checks line with
#             failures; a checks line without is not shown
#   pair      a pair guest's failed case with its "[target] " kept, a
#             guest that ended badly (a kernel WARNING, tools/vm/run's
#             status line) and run_pair's "the pair ended with status"
#   bound     at most 30 lines however much failed; nothing for a clean log
# Ends with "check-failed: N checks passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cf=$top/tools/check-failed
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; shift; printf '  %s\n' "$@"; failed=$((failed + 1)); }

# expect NAME INPUT WANT: tools/check-failed on INPUT prints exactly WANT.
expect() {
	local got
	got=$(printf '%s' "$2" | "$cf")
	if [[ $got == "$3" ]]; then
		ok "$1"
	else
		notok "$1" "wanted:" "$3" "got:" "$got"
	fi
}

expect harness "\
# #  RUN           append.bs512_conv.many_threads_one_zone ...
# # zone_append.c:459:append.bs512_conv.many_threads_one_zone:384 appends from 8 threads landed in 1 zone(s)
# #            OK  append.bs512_conv.many_threads_one_zone
# ok 13 append.bs512_conv.many_threads_one_zone
# #  RUN           append.file_bs4096.many_threads_two_zones ...
# # zone_append.c:437:append.file_bs4096.many_threads_two_zones:Expected next (8459) == r->lba (8460)
# # zone_append.c:437:append.file_bs4096.many_threads_two_zones:zone 3: append 110 of 200 at 8460, expected 8459
# #          FAIL  append.file_bs4096.many_threads_two_zones
# not ok 14 append.file_bs4096.many_threads_two_zones
# #  RUN           append.file_bs4096.fill ...
# #      SKIP      zone too big
# ok 15 append.file_bs4096.fill # SKIP zone too big
# # FAILED: 13 / 15 tests passed.
not ok 36 selftests: uringblk: zone_append [6.12.117+deb12-amd64] # exit=1
ok 37 selftests: uringblk: zone_exec [6.12.117+deb12-amd64] # 3s
" "\
# # zone_append.c:437:append.file_bs4096.many_threads_two_zones:Expected next (8459) == r->lba (8460)
# # zone_append.c:437:append.file_bs4096.many_threads_two_zones:zone 3: append 110 of 200 at 8460, expected 8459
# not ok 14 append.file_bs4096.many_threads_two_zones
not ok 36 selftests: uringblk: zone_append [6.12.117+deb12-amd64] # exit=1"

expect shell "\
# ok 1 nvme_ctrl_list
# FAIL: nvme list shows no uringblk controller
# not ok 2 nvme_ctrl_list_verbose
# not ok 3 nvme_ctrl_tcp # SKIP no nvme-tcp
" "\
# FAIL: nvme list shows no uringblk controller
# not ok 2 nvme_ctrl_list_verbose"

expect native "\
== cli-test.sh
cli: 120 checks passed, 0 failed
== btree-test
btree: 40 checks passed, 2 failed
== progress-test
== progress-test: exit status 139
" "\
btree: 40 checks passed, 2 failed
== progress-test: exit status 139"

expect pair "\
# pair test: nvme_ctrl_tcp_pair.sh
[target] ok 1 ctrl_export
[initiator] # FAIL: nvme connect with the right key failed
[initiator] not ok 2 ctrl_connect
[target] VM: kernel log reported problems:
[target]   WARNING: CPU: 1 PID: 77 at drivers/nvme/target/core.c:100 nvmet_req_done+0x1/0x2
[target]   Modules linked in: uringblk
[target] VM: exit status 99 (boot to command 3.0 s, command 40.0 s, wall 44.0 s)
[initiator] VM: no exit marker (kernel panic or timeout): QEMU killed after 900s
VM pair: the target ended with status 99, the initiator with 124
# nvme_tcp_pair.sh: the pair ended with status 99
# Totals: pass:1 fail:2 xfail:0 xpass:0 skip:0 error:0
" "\
[initiator] # FAIL: nvme connect with the right key failed
[initiator] not ok 2 ctrl_connect
[target] VM: kernel log reported problems:
[target]   WARNING: CPU: 1 PID: 77 at drivers/nvme/target/core.c:100 nvmet_req_done+0x1/0x2
[target] VM: exit status 99 (boot to command 3.0 s, command 40.0 s, wall 44.0 s)
[initiator] VM: no exit marker (kernel panic or timeout): QEMU killed after 900s
VM pair: the target ended with status 99, the initiator with 124
# nvme_tcp_pair.sh: the pair ended with status 99"

expect clean "\
ok 1 selftests: uringblk: cmd_exec
cli: 120 checks passed, 0 failed
" ""

many=$(for i in $(seq 1 50); do echo "# FAIL: reason $i"; echo "# not ok $i t$i"; done)
n=$(printf '%s\n' "$many" | "$cf" | wc -l)
if ((n == 30)); then ok "bound: 100 lines -> 30"; else notok "bound: 100 lines -> 30" "got $n"; fi

echo "check-failed: $passed checks passed, $failed failed"
((failed == 0))
