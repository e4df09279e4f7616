#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/tools/nvme-src-test.sh - tests of tools/nvme-src, which gives the
# module nvme-core's private nvme.h proven against nvme-core.ko's BTF (run
# by `make -C tools check`; no VM, no module loaded):
#   usage     bad command lines exit 2 with the usage line; a KDIR that
#             does not exist and an --out kbuild cannot use exit 1
#   headers   for Debian's 6.1 and 6.12 headers (a "skip" line for one not
#             installed): exit 0, the printed directory holds nvme.h equal
#             to the linux-source tarball's and an nvme_layout.h whose
#             sizes of struct nvme_ctrl and nvme_request are the BTF's
#             (read here with bpftool) and the design's (2928/32 on
#             6.1.192, 3040/40 on 6.12.117), one offset assert per member
#             of nvme_ctrl; a second run is cached: under a second, the
#             same line, the files untouched, silent with --quiet
#   refused   a tarball of another sublevel (both versions named), 6.12's
#             nvme.h for 6.1's headers, 6.1's nvme.h with a member added,
#             a missing tarball (naming the package): exit 1, one message,
#             nothing on stdout, no output directory left (an earlier
#             valid one is removed too)
#   tree      a full tree without nvme-core (the project's debug kernel,
#             when built): exit 1, saying so
# The fake tarballs (URINGBLK_LINUX_SOURCE) are made from the real ones'
# files, each real one is read once here.  About a minute.
# Ends with "nvme-src: N checks passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
ns=$top/tools/nvme-src
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; shift; printf '  %s\n' "$@"; failed=$((failed + 1)); }
skip() { echo "skip - $1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out

bpftool=$(command -v bpftool || { [[ -x /usr/sbin/bpftool ]] && echo /usr/sbin/bpftool; })

# run [ENV=V...] -- ARGS: status in rc, stdout in so, stderr in se
run() {
	local envs=()
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$ns" "$@" >"$tmp/so" 2>"$tmp/se"
	rc=$?
	so=$(cat "$tmp/so") se=$(cat "$tmp/se")
}

# ---- usage
for args in "" "--bogus /x" "/a /b" "--out" "--quiet"; do
	# shellcheck disable=SC2086 # the words are the point
	run -- $args
	if ((rc == 2)) && [[ $se == *"usage: tools/nvme-src"* && -z $so ]]; then
		ok "usage: '$args' -> 2"
	else
		notok "usage: '$args' -> 2" "got status $rc: $so $se"
	fi
done
run -- --out "$out" "$tmp/nonexistent"
if ((rc == 1)) && [[ -z $so && $se == *"no such kernel build directory"* ]]; then
	ok "a KDIR that does not exist -> 1"
else
	notok "a KDIR that does not exist -> 1" "got status $rc: $so $se"
fi

anyk=
for k in /usr/src/linux-headers-6.1.0-56-amd64 /usr/src/linux-headers-6.12.117+deb12-amd64; do
	[[ -d $k ]] && { anyk=$k; break; }
done
if [[ -z $anyk ]]; then
	skip "an --out with a space: no headers installed"
else
	run -- --out "$tmp/a b" "$anyk"
	if ((rc == 1)) && [[ -z $so && $se == *"has a space"* && ! -e "$tmp/a b" ]]; then
		ok "an --out with a space -> 1, before anything is written"
	else
		notok "an --out with a space -> 1" "got status $rc: $so $se"
	fi
fi

# expect_refused NAME WORDS... -- : after run, exit 1 with one message
# holding each of WORDS, nothing on stdout, no DIR/RELEASE left
expect_refused() {
	local name=$1 w bad=
	shift
	((rc == 1)) || bad="status $rc"
	[[ -z $so ]] || bad+=" stdout '$so'"
	(($(wc -l <<<"$se") == 1)) || bad+=" more than one line on stderr"
	for w in "$@"; do
		[[ $se == *"$w"* ]] || bad+=" no '$w' in the message"
	done
	[[ ! -e $out/$rel ]] || bad+=" $out/$rel is left"
	if [[ -z $bad ]]; then
		ok "$name -> 1: $se"
	else
		notok "$name -> 1" "$bad" "stderr: $se"
	fi
}

# ---- the headers of both kernels
# series release nvme_ctrl-size nvme_request-size: the design's measures
# (Documentation/dev/nvme-controller.md), checked against the BTF too.
declare -A hdir=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64
		 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
declare -A want_ctrl=([6.1]=2928 [6.12]=3040) want_req=([6.1]=32 [6.12]=40)
for series in 6.1 6.12; do
	kdir=${hdir[$series]}
	tarball=/usr/src/linux-source-$series.tar.xz
	if [[ ! -d $kdir || ! -r $tarball ]]; then
		skip "$series: $kdir or $tarball is not installed"
		continue
	fi
	rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
	# The tarball's own files, once: for the comparison and the fakes.
	mkdir -p "$tmp/src"
	tar --occurrence=1 -xJf "$tarball" -C "$tmp/src" \
		"linux-source-$series/Makefile" "linux-source-$series/drivers/nvme/host/nvme.h"
	real=$tmp/src/linux-source-$series

	t0=$(date +%s%N)
	run -- --out "$out" "$kdir"
	t1=$(date +%s%N)
	d=$so
	if ((rc == 0)) && [[ $d == "$out/$rel" && -f $d/nvme.h && -f $d/nvme_layout.h ]]; then
		ok "$series: exit 0, $d ($(((t1 - t0) / 1000000)) ms)"
	else
		notok "$series: exit 0, printing $out/$rel" "got status $rc: $so" "$se"
		continue
	fi
	if cmp -s "$d/nvme.h" "$real/drivers/nvme/host/nvme.h"; then
		ok "$series: nvme.h is the tarball's"
	else
		notok "$series: nvme.h is the tarball's" "$d/nvme.h differs"
	fi

	# The sizes as nvme-core.ko's BTF has them, read here independently.
	ko=/lib/modules/$rel/kernel/drivers/nvme/host/nvme-core.ko
	[[ -f $ko ]] || { xz -dc "$ko.xz" > "$tmp/nvme-core.ko"; ko=$tmp/nvme-core.ko; }
	base=$kdir/vmlinux
	[[ -f $base ]] || base=$top/out/btf/$rel/vmlinux.btf
	raw=$("$bpftool" -B "$base" btf dump file "$ko" format raw 2>&1)
	for s in nvme_ctrl nvme_request; do
		if [[ $s == nvme_ctrl ]]; then want=${want_ctrl[$series]}; else want=${want_req[$series]}; fi
		btf=$(sed -n "s/^\[[0-9]*\] STRUCT '$s' size=\([0-9]*\) .*/\1/p" <<<"$raw" | head -n 1)
		if [[ $btf == "$want" ]] &&
		   grep -A1 -x "static_assert(sizeof(struct $s) == $want," "$d/nvme_layout.h" |
		   grep -q "\"struct $s: $want bytes"; then
			ok "$series: sizeof(struct $s) == $want asserted, as in the BTF"
		else
			notok "$series: sizeof(struct $s) == $want asserted, as in the BTF" \
				"BTF: ${btf:-none} ($raw)" "$(grep -A1 "sizeof(struct $s)" "$d/nvme_layout.h")"
		fi
	done
	vlen=$(sed -n "s/^\[[0-9]*\] STRUCT 'nvme_ctrl' size=[0-9]* vlen=\([0-9]*\)$/\1/p" <<<"$raw" | head -n 1)
	n=$(grep -c '^static_assert(offsetof(struct nvme_ctrl, ' "$d/nvme_layout.h")
	if [[ -n $vlen ]] && ((n == vlen)); then
		ok "$series: $n offsets of struct nvme_ctrl asserted, one per member"
	else
		notok "$series: one offset of struct nvme_ctrl asserted per member" "$n asserts, BTF vlen ${vlen:-none}"
	fi

	# The cache.
	before=$(stat -c '%n %s %Y' "$d"/* "$d"/.inputs)
	t0=$(date +%s%N)
	run -- --out "$out" --quiet "$kdir"
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	after=$(stat -c '%n %s %Y' "$d"/* "$d"/.inputs)
	if ((rc == 0 && ms < 1000)) && [[ $so == "$d" && -z $se && $before == "$after" ]]; then
		ok "$series: the second run is cached ($ms ms)"
	else
		notok "$series: the second run is cached" "status $rc, $ms ms, stdout '$so', stderr '$se'" \
			"before: $before" "after: $after"
	fi

	[[ $series == 6.1 ]] || continue
	# ---- refused, for 6.1's headers; each run finds the valid outputs of
	# the run above, or the one before it, and must remove them.
	mk() {	# NAME MAKEFILE NVME.H: a fake linux-source-6.1.tar.xz
		local f=$tmp/fake-$1/linux-source-6.1
		mkdir -p "$f/drivers/nvme/host"
		cp "$2" "$f/Makefile" && cp "$3" "$f/drivers/nvme/host/nvme.h"
		tar -cJf "$tmp/fake-$1.tar.xz" -C "$tmp/fake-$1" linux-source-6.1
	}
	restore() { "$ns" --quiet --out "$out" "$kdir" >/dev/null; }

	ver=$(sed -n 's/^SUBLEVEL = //p' "$real/Makefile")
	sed "s/^SUBLEVEL = .*/SUBLEVEL = $((ver - 1))/" "$real/Makefile" > "$tmp/Makefile.old"
	mk sublevel "$tmp/Makefile.old" "$real/drivers/nvme/host/nvme.h"
	run URINGBLK_LINUX_SOURCE="$tmp/fake-sublevel.tar.xz" -- --out "$out" --quiet "$kdir"
	expect_refused "6.1: a tarball of another sublevel" "6.1.$((ver - 1))" "6.1.$ver"

	sed '0,/^struct nvme_ctrl {/s//&\n\tint uringblk_test_pad;/' \
		"$real/drivers/nvme/host/nvme.h" > "$tmp/nvme-pad.h"
	if cmp -s "$tmp/nvme-pad.h" "$real/drivers/nvme/host/nvme.h"; then
		notok "6.1: a member added to struct nvme_ctrl" "no 'struct nvme_ctrl {' line to patch"
	else
		mk pad "$real/Makefile" "$tmp/nvme-pad.h"
		restore
		run URINGBLK_LINUX_SOURCE="$tmp/fake-pad.tar.xz" -- --out "$out" --quiet "$kdir"
		expect_refused "6.1: nvme.h with a member added to struct nvme_ctrl" \
			"does not match" "layout: struct nvme_ctrl: member"
	fi

	if [[ -r /usr/src/linux-source-6.12.tar.xz ]]; then
		tar --occurrence=1 -xJf /usr/src/linux-source-6.12.tar.xz -C "$tmp/src" \
			linux-source-6.12/drivers/nvme/host/nvme.h
		mk other "$real/Makefile" "$tmp/src/linux-source-6.12/drivers/nvme/host/nvme.h"
		restore
		run URINGBLK_LINUX_SOURCE="$tmp/fake-other.tar.xz" -- --out "$out" --quiet "$kdir"
		expect_refused "6.1: 6.12's nvme.h" "does not match" "$tmp/fake-other.tar.xz"
	else
		skip "6.1: 6.12's nvme.h: /usr/src/linux-source-6.12.tar.xz is not installed"
	fi

	restore
	run URINGBLK_LINUX_SOURCE="$tmp/none.tar.xz" -- --out "$out" --quiet "$kdir"
	expect_refused "6.1: a missing tarball" "$tmp/none.tar.xz" "apt-get install linux-source-6.1"
done

# ---- a full tree: the project's debug kernels have no nvme-core
tree=
for t in "${XDG_CACHE_HOME:-$HOME/.cache}"/uringblk/debug-kernel/*/build; do
	[[ -f $t/include/config/kernel.release ]] && { tree=$t; break; }
done
if [[ -z $tree ]]; then
	skip "tree: no debug kernel built"
elif grep -qs '^CONFIG_NVME_CORE=m' "$tree/.config"; then
	skip "tree: $tree has nvme-core, this case wants one without"
else
	rel=$(cat "$tree/include/config/kernel.release")
	run -- --out "$out" "$tree"
	expect_refused "tree: $tree without nvme-core" "no nvme-core module" "CONFIG_NVME_CORE"
fi

echo "nvme-src: $passed checks passed, $failed failed"
((failed == 0))
