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
#   in use    a device in use is refused (exit 1) before nvmet is touched,
#             the message naming who uses it: holders, a mount (by device
#             number and by source, of a partition or the whole disk), swap,
#             an nvmet namespace of another NQN on the same device; a free
#             one gets past the checks; an NVMe controller's character
#             device (passthru) is refused with --nsid, while a namespace
#             of it or the drive it is the controller of is in use, or
#             while it is exported whole already (and so is its
#             namespace's block device then); a uringblk drive's faces
#             (its disk, its controller by transport and address, the
#             namespace's disk and generic node) listed by `faces` from
#             each, and each block face refused while the other is
#             mounted, exported or held, and while the controller is
#             exported whole; --dhchap-key
#             without hosts or not a DHHC-1 secret is bad usage.  On a made-up sysfs/procfs/configfs
#             tree (NVMET_EXPORT_SYS, NVMET_EXPORT_PROC) with block device
#             nodes made by mknod, so no kernel is involved
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
expect 1 "is neither a block device nor an NVMe controller" -- "$ex" export /dev/null --nqn $N --addr 10.0.0.1 --host-nqn $H
expect 2 "not of any host" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1 --allow-any-host --dhchap-key DHHC-1:00:abcd:
expect 2 "not a DHHC-1 secret" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1 --host-nqn $H --dhchap-key secret
expect 2 "not a DHHC-1 secret" -- "$ex" export /dev/x --nqn $N --addr 10.0.0.1 --host-nqn $H --dhchap-key DHHC-1:07:abcd:
expect 2 "listen=HOST:PORT" -- "$top/tools/vm/run" --net tcp:1 --ip 10.0.0.1/24 -- true
expect 2 "needs --ip" -- "$top/tools/vm/run" --net listen=127.0.0.1:1 -- true
expect 2 "--ip needs --net" -- "$top/tools/vm/run" --ip 10.0.0.1/24 -- true
expect 2 "not a MAC" -- "$top/tools/vm/run" --net listen=127.0.0.1:1 --ip 10.0.0.1/24 --mac zz -- true
expect 2 "usage" -- "$top/tools/vm/run-pair"
expect 2 "unknown option" -- "$top/tools/vm/run-pair" --bogus -- true

# ---- in use: a made-up tree (a disk fk0 259:77, its partition fk0p1 259:78,
# another disk ot0 259:90), so that no kernel is involved
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sys=$tmp/sys proc=$tmp/proc
mkdir -p "$sys/block/fk0/fk0p1/holders" "$sys/block/fk0/holders" "$sys/block/fk0/queue" \
	"$sys/block/ot0/holders" "$sys/block/ot0/queue" "$sys/dev/block" \
	"$sys/kernel/config/nvmet/subsystems" "$proc/self"
echo 259:77 > "$sys/block/fk0/dev"
echo 259:78 > "$sys/block/fk0/fk0p1/dev"
echo 1 > "$sys/block/fk0/fk0p1/partition"
echo 259:90 > "$sys/block/ot0/dev"
echo none > "$sys/block/fk0/queue/zoned"
echo none > "$sys/block/ot0/queue/zoned"
ln -s ../../block/fk0 "$sys/dev/block/259:77"
ln -s ../../block/fk0/fk0p1 "$sys/dev/block/259:78"
ln -s ../../block/ot0 "$sys/dev/block/259:90"
if mknod "$tmp/fk0" b 259 77 2>/dev/null && mknod "$tmp/fk0p1" b 259 78 &&
	mknod "$tmp/ot0" b 259 90; then
	noswap='Filename				Type		Size		Used		Priority'
	echo "$noswap" > "$proc/swaps"
	: > "$proc/self/mountinfo"
	inuse() {
		NVMET_EXPORT_SYS=$sys NVMET_EXPORT_PROC=$proc "$ex" export "$1" --nqn $N \
			--addr 10.0.0.1 --host-nqn $H
	}
	# a partition mounted (by device number): the disk and the partition are refused
	echo "36 25 259:78 / /mnt/data\\040x rw,relatime shared:1 - ext4 /dev/fk0p1 rw" > "$proc/self/mountinfo"
	expect 1 "fk0p1 is mounted at /mnt/data x" -- inuse "$tmp/fk0"
	expect 1 "fk0p1 is mounted at /mnt/data x" -- inuse "$tmp/fk0p1"
	# the whole disk mounted, known by its source only (btrfs shows 0:NN)
	echo "37 25 0:45 / /srv rw - btrfs $tmp/fk0 rw" > "$proc/self/mountinfo"
	expect 1 "is mounted at /srv" -- inuse "$tmp/fk0p1"
	: > "$proc/self/mountinfo"
	# held (device mapper, md...)
	touch "$sys/block/fk0/holders/dm-3"
	expect 1 "fk0 is held by dm-3" -- inuse "$tmp/fk0"
	expect 1 "fk0 is held by dm-3" -- inuse "$tmp/fk0p1"
	rm "$sys/block/fk0/holders/dm-3"
	# swap on the partition
	printf '%s\n%s\n' "$noswap" "$tmp/fk0p1 partition 1024 0 -2" > "$proc/swaps"
	expect 1 "fk0p1 is in use as swap" -- inuse "$tmp/fk0"
	echo "$noswap" > "$proc/swaps"
	# exported already under another NQN, by its disk's path
	mkdir -p "$sys/kernel/config/nvmet/subsystems/nqn.2026-11.io.uringblk:other/namespaces/3"
	echo "$tmp/fk0" > "$sys/kernel/config/nvmet/subsystems/nqn.2026-11.io.uringblk:other/namespaces/3/device_path"
	expect 1 "exported already: namespace 3 of subsystem nqn.2026-11.io.uringblk:other" -- inuse "$tmp/fk0"
	expect 1 "exported already: namespace 3 of subsystem nqn.2026-11.io.uringblk:other" -- inuse "$tmp/fk0p1"
	# several at once: each named
	touch "$sys/block/fk0/fk0p1/holders/md0"
	echo "36 25 259:78 / /mnt rw - ext4 /dev/fk0p1 rw" > "$proc/self/mountinfo"
	out=$(inuse "$tmp/fk0" 2>&1)
	if [[ $out == *"held by md0"* && $out == *"mounted at /mnt"* && $out == *"exported already"* ]]; then
		ok "every user named"
	else
		notok "every user named" "$out"
	fi
	# another disk is free: past the checks (to nvmet, absent from this tree: exit 3)
	expect 3 "nvmet" -- inuse "$tmp/ot0"
	rm -r "$sys/kernel/config/nvmet/subsystems/nqn.2026-11.io.uringblk:other" \
		"$sys/block/fk0/fk0p1/holders/md0"
	: > "$proc/self/mountinfo"
	# a controller (nvme7, char 240:7, of a PCIe drive) whose namespace is the disk fk0
	mkdir -p "$sys/class/nvme/nvme7/nvme7n1"
	echo 240:7 > "$sys/class/nvme/nvme7/dev"
	echo pcie > "$sys/class/nvme/nvme7/transport"
	echo 259:77 > "$sys/class/nvme/nvme7/nvme7n1/dev"
	echo 1 > "$sys/class/nvme/nvme7/nvme7n1/nsid"
	if mknod "$tmp/nvme7" c 240 7; then
		ctrl() {
			NVMET_EXPORT_SYS=$sys NVMET_EXPORT_PROC=$proc "$ex" export "$tmp/nvme7" --nqn $N \
				--addr 10.0.0.1 --host-nqn $H "$@"
		}
		expect 2 "exported whole" -- ctrl --nsid 2
		echo "36 25 259:78 / /mnt/c rw - ext4 /dev/fk0p1 rw" > "$proc/self/mountinfo"
		expect 1 "fk0p1 is mounted at /mnt/c (nvme7n1: namespace 1 of controller nvme7, the same blocks)" -- ctrl
		: > "$proc/self/mountinfo"
		# exported whole already, under another NQN
		mkdir -p "$sys/kernel/config/nvmet/subsystems/nqn.2026-11.io.uringblk:pt/passthru"
		echo /dev/nvme7 > "$sys/kernel/config/nvmet/subsystems/nqn.2026-11.io.uringblk:pt/passthru/device_path"
		expect 1 "controller nvme7 is exported already: subsystem nqn.2026-11.io.uringblk:pt" -- ctrl
		# and so is its namespace's block device, as a namespace of its own
		ln -s ../../class/nvme/nvme7 "$sys/block/fk0/device"
		expect 1 "controller nvme7 is exported already: subsystem nqn.2026-11.io.uringblk:pt (passthru) (nvme7: controller nvme7, the same blocks)" -- inuse "$tmp/fk0"
		rm -r "$sys/kernel/config/nvmet/subsystems/nqn.2026-11.io.uringblk:pt"
		# free: past the checks, to nvmet (absent here: exit 3)
		expect 3 "nvmet" -- ctrl --dhchap-key "DHHC-1:00:0cAEsyNQ57g26mSAtJ/uoi4tuz3J8NPi2OHeDhiTF3jO09Jd:"
		rm "$sys/block/fk0/device"
	fi
	# a uringblk drive uringblk9 (259:91) with nvme_ctrl=1: controller nvme8
	# (transport uringblk, address traddr=uringblk9), its NSID 1 the block
	# device nvme8n1 (259:92, generic node ng8n1), as sysfs has them
	mkdir -p "$sys/block/uringblk9/holders" "$sys/block/nvme8n1/holders" \
		"$sys/class/nvme/nvme8" "$sys/class/nvme-generic/ng8n1"
	mkdir -p "$sys/block/uringblk9/queue" "$sys/block/nvme8n1/queue"
	echo none > "$sys/block/uringblk9/queue/zoned"
	echo none > "$sys/block/nvme8n1/queue/zoned"
	echo 259:91 > "$sys/block/uringblk9/dev"
	echo 259:92 > "$sys/block/nvme8n1/dev"
	echo 1 > "$sys/block/nvme8n1/nsid"
	echo 240:8 > "$sys/class/nvme/nvme8/dev"
	echo uringblk > "$sys/class/nvme/nvme8/transport"
	echo traddr=uringblk9 > "$sys/class/nvme/nvme8/address"
	echo 241:0 > "$sys/class/nvme-generic/ng8n1/dev"
	ln -s ../../../block/nvme8n1 "$sys/class/nvme/nvme8/nvme8n1"
	ln -s ../../nvme-generic/ng8n1 "$sys/class/nvme/nvme8/ng8n1"
	ln -s ../../class/nvme/nvme8 "$sys/block/nvme8n1/device"
	ln -s ../../block/uringblk9 "$sys/dev/block/259:91"
	ln -s ../../block/nvme8n1 "$sys/dev/block/259:92"
	if mknod "$tmp/uringblk9" b 259 91 && mknod "$tmp/nvme8n1" b 259 92 &&
		mknod "$tmp/nvme8" c 240 8; then
		faces() { NVMET_EXPORT_SYS=$sys NVMET_EXPORT_PROC=$proc "$ex" faces "$1"; }
		all="block uringblk9 259:91 the drive's own block device
ctrl nvme8 240:8 controller nvme8 of drive uringblk9
char ng8n1 241:0 the generic node of a namespace of controller nvme8
block nvme8n1 259:92 namespace 1 of controller nvme8"
		for f in uringblk9 nvme8n1 nvme8; do
			out=$(faces "$tmp/$f" 2>&1)
			want=$(grep "^[a-z]* $f " <<< "$all" | sed 's/^\([a-z]* [^ ]* [^ ]*\) .*/\1 self/'
				grep -v "^[a-z]* $f " <<< "$all")
			if [[ $(sort <<< "$out") == "$(sort <<< "$want")" && $(head -1 <<< "$out") == *" $f "*self ]]; then
				ok "faces $f: the drive, its controller, namespace and generic node"
			else
				notok "faces $f" "$out"
			fi
		done
		# each block face refused while the other is mounted, exported, held
		echo "36 25 259:92 / /mnt/n rw - ext4 /dev/nvme8n1 rw" > "$proc/self/mountinfo"
		expect 1 "nvme8n1 is mounted at /mnt/n (nvme8n1: namespace 1 of controller nvme8, the same blocks)" -- inuse "$tmp/uringblk9"
		echo "36 25 259:91 / /mnt/u rw - ext4 /dev/uringblk9 rw" > "$proc/self/mountinfo"
		expect 1 "uringblk9 is mounted at /mnt/u (uringblk9: the drive's own block device, the same blocks)" -- inuse "$tmp/nvme8n1"
		expect 1 "uringblk9 is mounted at /mnt/u (uringblk9: the drive's own block device" -- inuse "$tmp/nvme8"
		: > "$proc/self/mountinfo"
		mkdir -p "$sys/kernel/config/nvmet/subsystems/nqn.x:u/namespaces/1"
		echo "$tmp/uringblk9" > "$sys/kernel/config/nvmet/subsystems/nqn.x:u/namespaces/1/device_path"
		expect 1 "$tmp/uringblk9 is exported already: namespace 1 of subsystem nqn.x:u (uringblk9: the drive's own block device" -- inuse "$tmp/nvme8n1"
		echo "$tmp/nvme8n1" > "$sys/kernel/config/nvmet/subsystems/nqn.x:u/namespaces/1/device_path"
		expect 1 "$tmp/nvme8n1 is exported already: namespace 1 of subsystem nqn.x:u (nvme8n1: namespace 1 of controller nvme8" -- inuse "$tmp/uringblk9"
		rm -r "$sys/kernel/config/nvmet/subsystems/nqn.x:u"
		touch "$sys/block/nvme8n1/holders/dm-1"
		expect 1 "nvme8n1 is held by dm-1" -- inuse "$tmp/uringblk9"
		rm "$sys/block/nvme8n1/holders/dm-1"
		mkdir -p "$sys/kernel/config/nvmet/subsystems/nqn.x:c/passthru"
		echo /dev/nvme8 > "$sys/kernel/config/nvmet/subsystems/nqn.x:c/passthru/device_path"
		expect 1 "controller nvme8 is exported already: subsystem nqn.x:c (passthru) (nvme8: controller nvme8 of drive uringblk9" -- inuse "$tmp/uringblk9"
		expect 1 "controller nvme8 is exported already: subsystem nqn.x:c (passthru) (nvme8: controller nvme8 of drive uringblk9" -- inuse "$tmp/nvme8n1"
		rm -r "$sys/kernel/config/nvmet/subsystems/nqn.x:c"
		# all free: past the checks (to nvmet, absent here: exit 3)
		expect 3 "nvmet" -- inuse "$tmp/uringblk9"
		expect 3 "nvmet" -- inuse "$tmp/nvme8n1"
	fi
else
	echo "# skip: in use (mknod failed: not root?)"
fi
echo "nvmet-export: $passed checks passed, $failed failed"
((failed == 0))
