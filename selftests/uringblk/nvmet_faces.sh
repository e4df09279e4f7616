#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/nvmet-export and the faces of one drive (nvme_ctrl=1): the drive's
# block device U (/dev/uringblk0), its controller's NVM namespace N
# (/dev/nvmeXnY, the same blocks) and the controller C (/dev/nvmeX,
# exported whole by passthru on 6.12).  For every pair A != B of faces:
#  - faces: `tools/nvmet-export faces` from U, N and C lists all three and
#    the generic node;
#  - mounted: B mounted (ext4), A's export refused, the message naming B,
#    its mount point and how B relates to the drive;
#  - exported: B exported by the tool under another NQN (a bdev namespace;
#    C by passthru, on 6.12 only), A's export refused, naming the
#    subsystem and B;
#  - exclusive: B held open with O_EXCL by a process, A's export refused,
#    naming B and the process (and U refused while U itself is so held);
#  - held: B under a device-mapper target (when dmsetup exists), A refused,
#    naming the dm device;
#  - free: each of U, N (and C on 6.12) exports once nothing uses any face.
# Every refusal exits 1 and leaves no subsystem in configfs.  The refusals
# of C run on 6.1 too (they come before nvmet is asked for passthru).
#
# Needs root, nvme-cli's nodes, mkfs.ext4, perl and URINGBLK_KO.  Leaves
# the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

EXPORT=$(ub_top tools/nvmet-export selftests/uringblk)/tools/nvmet-export
CFG=/sys/kernel/config/nvmet
NQN_A=nqn.2026-11.io.uringblk:faces-a
NQN_B=nqn.2026-11.io.uringblk:faces-b
MNT=/tmp/nvmet-faces
U=/dev/uringblk0 N='' C='' HOLDER='' OUT=''

# setup: the module with the controller, nvmet loaded; sets N and C.
setup() {
	local k n
	ub_load_ctrl capacity_mb=64 || return
	C=/dev/$UB_CTRL
	n=$(ub_nvme_ns "$UB_CTRL" 1) ||
		n=$(ub_nvme_find 1 50 "/sys/class/nvme-subsystem/*/nvme*n*" '^nvme[0-9]+n[0-9]+$') ||
		{ fail "no block device for NSID 1 of $UB_CTRL"; return; }
	N=/dev/$n
	[[ -b $N ]] || { fail "$N is not a block device"; return; }
	ip link set lo up 2>/dev/null
	for k in nvmet nvmet-tcp; do
		modprobe $k 2>/dev/null || { skip "no $k module"; return; }
	done
	[[ -d $CFG ]] || mount -t configfs none /sys/kernel/config 2>/dev/null
	mkdir -p $MNT
}

# has_passthru: nvmet here can export a controller (6.12, not 6.1).
has_passthru() {
	local s=$CFG/subsystems/nqn.2026-11.io.uringblk:probe rc=1
	mkdir $s 2>/dev/null || return 1
	[[ -d $s/passthru ]] && rc=0
	rmdir $s
	return $rc
}

# ex NQN DEV: the tool's export of DEV under NQN on the loopback.
ex() {
	"$EXPORT" export "$2" --nqn "$1" --addr 127.0.0.1 --port 4421 --allow-any-host
}

# refused A WORDS...: A's export (under NQN_B) must exit 1, its message
# holding each of WORDS, and leave no subsystem behind.
refused() {
	local a=$1 out rc w
	shift
	out=$(ex $NQN_B "$a" 2>&1)
	rc=$?
	OUT=$out
	"$EXPORT" unexport --nqn $NQN_B > /dev/null 2>&1
	expect_eq "export of $a: status" 1 $rc || { echo "  $out"; return 1; }
	for w; do
		[[ $out == *"$w"* ]] || { fail "the refusal of $a does not say '$w': $out"; return 1; }
	done
	[[ ! -e $CFG/subsystems/$NQN_B ]] || { fail "a refused export left $NQN_B"; return 1; }
	echo "  $a refused: $(tail -n +2 <<< "$out" | sed 's/^ *//' | tr '\n' ' ')"
}

# name PATH: the kernel's name of a node (uringblk0, nvme0n1).
name() { basename "$(readlink -f "$1")"; }

t_faces() {
	setup || return
	local f out x
	for f in $U $N $C; do
		out=$("$EXPORT" faces "$f") || { fail "faces $f: $out"; return; }
		for x in "block $(name $U) " "block $(name $N) " "ctrl $(name $C) " "char ng"; do
			[[ $out == *"$x"* ]] || { fail "faces $f does not list '$x': $out"; return; }
		done
		[[ $(head -1 <<< "$out") == *" $(name "$f") "*" self" ]] ||
			{ fail "faces $f does not list $f first as self: $out"; return; }
	done
	echo "$out" | sed 's/^/  /'
}

t_mounted() {
	setup || return
	local a b
	command -v mkfs.ext4 > /dev/null || { skip "mkfs.ext4 missing"; return; }
	for b in $U $N; do
		mkfs.ext4 -q -F "$b" > /dev/null && mount "$b" $MNT || { fail "mkfs.ext4 and mount $b"; return; }
		for a in $U $N $C; do
			[[ $a == "$b" ]] && continue
			refused "$a" "$(name "$b") is mounted at $MNT ($(name "$b"): " || { umount $MNT; return 1; }
		done
		umount $MNT || { fail "umount"; return; }
	done
}

t_exported() {
	setup || return
	local a b
	for b in $U $N; do
		ex $NQN_A "$b" > /dev/null || { fail "export of the free $b"; return; }
		for a in $U $N $C; do
			[[ $a == "$b" ]] && continue
			refused "$a" "$b is exported already: namespace 1 of subsystem $NQN_A ($(name "$b"): " ||
				{ "$EXPORT" unexport --nqn $NQN_A; return 1; }
		done
		"$EXPORT" unexport --nqn $NQN_A || { fail "unexport"; return; }
	done
	# the controller by passthru (6.12)
	has_passthru || { echo "  no passthru target here (6.1): the controller is never exported"; return 0; }
	ex $NQN_A $C > /dev/null || { fail "export of the free $C"; return; }
	for a in $U $N; do
		refused "$a" "controller $(name $C) is exported already: subsystem $NQN_A (passthru)" \
			"($(name $C): controller $(name $C) of drive uringblk0" ||
			{ "$EXPORT" unexport --nqn $NQN_A; return 1; }
	done
	"$EXPORT" unexport --nqn $NQN_A || fail "unexport"
}

# hold DEV: a process (perl) holds DEV open with O_EXCL; HOLDER its pid.
hold() {
	local fifo=/tmp/nvmet-faces.fifo line
	rm -f $fifo && mkfifo $fifo || return 1
	perl -MFcntl -e 'sysopen(my $f, $ARGV[0], O_RDONLY | O_EXCL) or die "$!\n";
		open(my $o, ">", $ARGV[1]) or die; print $o "held\n"; close $o; sleep 600' "$1" $fifo &
	HOLDER=$!
	read -r -t 30 line < $fifo
	rm -f $fifo
	[[ $line == held ]] || { fail "perl could not open $1 with O_EXCL"; return 1; }
}

unhold() { kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=''; }

t_exclusive() {
	setup || return
	command -v perl > /dev/null || { skip "perl missing"; return; }
	local a b
	for b in $U $N; do
		hold "$b" || return
		for a in $U $N $C; do
			[[ $a == "$b" ]] && continue
			refused "$a" "$(name "$b") is held open exclusively" \
				"EBUSY): open by pid $HOLDER (perl) ($(name "$b"): " || { unhold; return 1; }
		done
		# and the face itself: the line ends with its one opener
		refused "$b" "$(name "$b") is held open exclusively" || { unhold; return 1; }
		[[ $OUT == *"EBUSY): open by pid $HOLDER (perl)" ]] ||
			{ unhold; fail "the refusal of $b does not end naming pid $HOLDER (perl): $OUT"; return 1; }
		unhold
	done
}

t_held() {
	setup || return
	command -v dmsetup > /dev/null && modprobe dm-mod 2>/dev/null || { skip "no dmsetup or dm-mod"; return; }
	local a b sz
	for b in $U $N; do
		sz=$(blockdev --getsz "$b")
		dmsetup create nvmet-faces --table "0 $sz linear $b 0" || { fail "dmsetup create on $b"; return; }
		for a in $U $N $C; do
			[[ $a == "$b" ]] && continue
			refused "$a" "$(name "$b") is held by dm-" "($(name "$b"): " ||
				{ dmsetup remove nvmet-faces; return 1; }
		done
		dmsetup remove nvmet-faces || { fail "dmsetup remove"; return; }
	done
}

t_free() {
	setup || return
	local a
	for a in $U $N; do
		check "export of the free $a" ex $NQN_A "$a" || return
		check "unexport" "$EXPORT" unexport --nqn $NQN_A || return
	done
	if has_passthru; then
		check "export of the free $C" ex $NQN_A $C || return
		check "unexport" "$EXPORT" unexport --nqn $NQN_A || return
	fi
}

cleanup() {
	[[ -n $HOLDER ]] && unhold
	mountpoint -q $MNT && umount $MNT
	dmsetup remove nvmet-faces > /dev/null 2>&1
	"$EXPORT" unexport --nqn $NQN_A > /dev/null 2>&1
	"$EXPORT" unexport --nqn $NQN_B > /dev/null 2>&1
}

ub_need_ko || exit 1
[[ -x $EXPORT ]] || { echo "tools/nvmet-export not found"; exit 1; }
ktap_plan 6
ktap_run faces t_faces
ktap_run mounted t_mounted
cleanup
ktap_run exported t_exported
cleanup
ktap_run exclusive t_exclusive
cleanup
ktap_run held t_held
cleanup
ktap_run free t_free
cleanup
modprobe -r nvmet-tcp nvmet 2>/dev/null
ub_unload
ktap_finish
