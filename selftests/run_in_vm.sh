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

pass=0 fail=0 skip=0 n=0
echo "TAP version 13"
echo "1..${#tests[@]}"
for t in "${tests[@]}"; do
	n=$((n + 1))
	log=$(mktemp)
	dmesg_before=$(dmesg | wc -l)
	echo "# selftests: uringblk: $t"
	start=$SECONDS
	(cd "$dir" && timeout --foreground -k 10 "$timeout" "./$t") 2>&1 | tee "$log" | sed 's/^/# /'
	rc=${PIPESTATUS[0]}
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
		echo "not ok $n selftests: uringblk: $t # exit=$rc"
	elif ((rc == 4)); then
		echo "ok $n selftests: uringblk: $t # SKIP"
	else
		echo "ok $n selftests: uringblk: $t # $((SECONDS - start))s"
	fi
	rm -f "$log"
	stray_nodes
	# Each test leaves the module as it likes; the next one reloads.
done
[[ -d /sys/module/uringblk ]] && rmmod uringblk 2>/dev/null
rm -f /tmp/uringblk-selftest.params
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
((fail == 0))
