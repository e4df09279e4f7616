#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offload over files on each filesystem (lib/file_fs.c) and the
# verification of every mapping (lib/file_verify.c).  Every count is
# checked against `grep -ao Alpha FILE | wc -l`, through `exec --file` and
# `execute --file`; every refusal by its message and errno:
#   - a FIFO and a symlink to one: refused at once by exec --file,
#     execute --file and file map (under `timeout`: a regression fails
#     instead of hanging in open());
#   - a planted mapping bug (URINGBLK_TEST_MAP_SHIFT): the verification
#     refuses it (EIO, naming offset and LBA); far off the drive: ERANGE;
#   - ext4 data=journal (also as the superblock's default, which
#     mountinfo does not show): right after writing, after a rewrite in
#     place (dd conv=notrunc), a rewrite between mapping and run (ESTALE),
#     without CAP_SYS_ADMIN (EPERM, naming EXT4_IOC_CHECKPOINT);
#   - ext4 ordered with `chattr +j` (delalloc: not journaled; nodelalloc:
#     journaled, checkpointed; EPERM without CAP_SYS_ADMIN);
#   - ext4 fscrypt (a v2 policy set with python3's ioctls): refused;
#   - XFS (reflink=1): a file and its reflinked copy; XFS realtime: refused;
#   - f2fs on one drive: counted; over two drives: refused by name; zoned
#     on one drive with conventional zones: counted, or a SKIP saying why;
#   - minix (not confirmed): refused, and URINGBLK_FILE_UNCONFIRMED=1 lets
#     it through to FIEMAP, which minix does not have.
# A filesystem whose mkfs is missing is a SKIP with the package's name.
# Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./file_lib.sh

# Does the guest kernel have file system $1 (built in, or a module it can load)?
kernel_has_fs() {
	grep -qw "$1" /proc/filesystems 2>/dev/null && return 0
	modprobe -q "$1" 2>/dev/null && grep -qw "$1" /proc/filesystems
}

DEV=/dev/uringblk0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
OBJ=progs/count_pattern.bpf.o
TMP=/tmp/ubt-file-fs.$$
MNT=$TMP.ext4
PIND=7
PROG_ID=
NOCAP=(setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin)

# fs_drive NAME MIB [create options]: a runtime drive (4 KiB blocks
# unless the options say) with count_pattern loaded, the one the counts
# use (DEV, PROG_ID)
fs_drive() {
	local name=$1 mib=$2 bs=(--block-size 4096)
	shift 2
	[[ " $* " == *" --block-size "* ]] && bs=()
	ub_cli_create "$name" --capacity-mb "$mib" "${bs[@]}" "$@" || return
	use_drive "$UB_IDX" || { fail "loading count_pattern on uringblk$UB_IDX"; return 1; }
}

# drop MOUNTPOINT NAME...: unmount, remove the drives
drop() {
	local m=$1
	shift
	umount "$m" 2>/dev/null
	"$CLI" remove "$@" > /dev/null 2>&1
}

# refused_now FILE TEXT: each entry point refuses FILE at once
refused_now() {
	local f=$1 text=$2 out rc
	out=$(timeout 20 "$CLI" exec $DEV "$PROG_ID" --file "$f" --pattern Alpha 2>&1)
	rc=$?
	echo "exec --file $f: $out"
	expect_eq "exec --file $f: exit status" 1 $rc || return
	[[ $out == *"$text"*"(errno EINVAL)" ]] || { fail "exec: '$out'"; return; }
	out=$(timeout 20 "$CLI" execute $DEV $PIND --file "$f" --pattern Alpha 2>&1)
	rc=$?
	expect_eq "execute --file $f: exit status" 1 $rc || return
	[[ $out == *"$text"*"(errno EINVAL)" ]] || { fail "execute: '$out'"; return; }
	for dev in "" "--dev $DEV"; do
		out=$(timeout 20 "$CLI" file map $dev "$f")
		rc=$?
		expect_eq "file map $dev $f: exit status" 1 $rc || return
		[[ $out == *"$text"*"(errno EINVAL)"* ]] || { fail "file map $dev: '$out'"; return; }
	done
}

t_fifo() {
	mkfifo "$MNT/fifo" && ln -sf fifo "$MNT/to-fifo" || { fail "mkfifo"; return; }
	refused_now "$MNT/fifo" "$MNT/fifo is a FIFO (named pipe), not a regular file" &&
		refused_now "$MNT/to-fifo" "$MNT/to-fifo is a FIFO (named pipe), not a regular file" &&
		refused_now /dev/null "/dev/null is a character device, not a regular file" &&
		refused_now "$MNT" "$MNT is a directory, not a regular file"
}

t_shift() {
	local f=$MNT/shift err rc
	alpha_file "$f" && sync "$f" || { fail "write"; return; }
	count_both "$f" || return
	for cmd in "exec $DEV $PROG_ID" "execute $DEV $PIND"; do
		err=$(URINGBLK_TEST_MAP_SHIFT=1 "$CLI" $cmd --file "$f" --pattern Alpha 2>&1)
		rc=$?
		echo "shifted by one block, $cmd: $err"
		expect_eq "$cmd, shifted: exit status" 1 $rc || return
		[[ $err =~ verification:\ the\ file\'s\ bytes\ at\ offset\ 0\ differ\ from\ the\ drive\'s\ at\ LBA\ [0-9]+\ .*\(errno\ EIO\)$ ]] ||
			{ fail "$cmd, shifted: '$err'"; return; }
	done
	err=$(URINGBLK_TEST_MAP_SHIFT=100000000 "$CLI" file map "$f")
	expect_eq "shifted off the drive: exit status" 1 $? || return
	grep '^offloadable' <<<"$err"
	[[ $err == *"beyond the drive's 65536 blocks: the filesystem's addresses are not this drive's (errno ERANGE)"* ]] ||
		{ fail "off the drive: '$err'"; return; }
	# without the verification the planted bug runs (the risk the
	# override takes): the count is of other blocks
	err=$(URINGBLK_FILE_VERIFY=0 URINGBLK_TEST_MAP_SHIFT=1 "$CLI" exec $DEV "$PROG_ID" \
	      --file "$f" --pattern Alpha --json)
	expect_eq "URINGBLK_FILE_VERIFY=0, shifted: exit status" 0 $? || return
	echo "URINGBLK_FILE_VERIFY=0, shifted: r0 $(r0_of "$err") (grep: $(ucount "$f"))"
}

# rewrite_half FILE: the first half rewritten in place, no Alpha in it
rewrite_half() {
	yes 'Gamma beta' | head -c $(($(stat -c %s "$1") / 2)) |
		dd of="$1" conv=notrunc status=none
}

# journaled MNT WHY: the data=journal / +j cases on the file system at MNT
journaled() {
	local m=$1 why=$2 f=$1/j out err rc
	alpha_file "$f" || { fail "write"; return; }
	# right after writing: the data are in the journal, not yet home
	count_both "$f" || return
	rewrite_half "$f" || { fail "rewrite"; return; }
	echo "rewritten in place: $(ucount "$f") Alpha"
	count_both "$f" || return
	# rewritten between the mapping and the run: ESTALE, not the old count
	err=$(URINGBLK_TEST_AFTER_MAP="yes 'Alpha beta' | head -c 524288 | dd of=$f conv=notrunc status=none" \
	      "$CLI" exec $DEV "$PROG_ID" --file "$f" --pattern Alpha 2>&1 >/dev/null)
	rc=$?
	echo "rewritten after the mapping: $err"
	expect_eq "rewrite after the mapping: exit status" 1 $rc || return
	[[ $err == *"the file changed since it was mapped: mtime differs (errno ESTALE)" ]] ||
		{ fail "no ESTALE: '$err'"; return; }
	count_both "$f" || return
	out=$("${NOCAP[@]}" "$CLI" file map "$f")
	expect_eq "without CAP_SYS_ADMIN: exit status" 1 $? || { echo "$out"; return 1; }
	grep '^offloadable' <<<"$out"
	[[ $out == *"journaled data ($why): the blocks FIEMAP names get the data only at a journal checkpoint, and EXT4_IOC_CHECKPOINT needs CAP_SYS_ADMIN (errno EPERM)"* ]] ||
		fail "no EPERM refusal"
}

t_ext4_journal() {
	local m=$TMP.jrnl rc
	fs_drive jr 256 || return
	mkfs.ext4 -q -F -b 4096 /dev/uringblk$UB_IDX && mkdir -p "$m" &&
		mount -o data=journal /dev/uringblk$UB_IDX "$m" || { fail "mkfs/mount"; drop "$m" jr; return 1; }
	grep " $m " /proc/self/mountinfo
	journaled "$m" "the file system is mounted data=journal"
	rc=$?
	umount "$m"
	# data=journal as the superblock's default: mountinfo does not say it
	if ((rc == 0)); then
		tune2fs -o journal_data /dev/uringblk$UB_IDX > /dev/null &&
			mount /dev/uringblk$UB_IDX "$m" || { fail "tune2fs/mount"; drop "$m" jr; return 1; }
		grep " $m " /proc/self/mountinfo
		cat /proc/fs/ext4/uringblk$UB_IDX/options
		rm -f "$m/j"
		journaled "$m" "the file system is mounted data=journal"
		rc=$?
	fi
	drop "$m" jr
	return $rc
}

t_ext4_chattr_j() {
	local m=$TMP.plusj rc
	fs_drive pj 256 || return
	mkfs.ext4 -q -F -b 4096 /dev/uringblk$UB_IDX && mkdir -p "$m" &&
		mount /dev/uringblk$UB_IDX "$m" || { fail "mkfs/mount"; drop "$m" pj; return 1; }
	# delalloc (the default): +j does not journal the data
	touch "$m/j" && chattr +j "$m/j" && lsattr "$m/j" || { fail "chattr +j"; drop "$m" pj; return 1; }
	alpha_file "$m/j" && count_both "$m/j" || { drop "$m" pj; return 1; }
	out=$("${NOCAP[@]}" "$CLI" file map "$m/j")
	expect_eq "+j on a delalloc mount, no CAP_SYS_ADMIN: exit" 0 $? || { echo "$out"; drop "$m" pj; return 1; }
	umount "$m"
	# nodelalloc: it does
	mount -o nodelalloc /dev/uringblk$UB_IDX "$m" || { fail "mount nodelalloc"; drop "$m" pj; return 1; }
	rm -f "$m/j" && touch "$m/j" && chattr +j "$m/j" || { fail "chattr +j"; drop "$m" pj; return 1; }
	journaled "$m" "the file has the journal-data flag (chattr +j) on a nodelalloc mount"
	rc=$?
	drop "$m" pj
	return $rc
}

# A v2 fscrypt policy on DIR with a random key in the filesystem's keyring
# (no keyctl or e4crypt key management needed)
fscrypt_dir() {
	python3 - "$1" <<'EOF'
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
key = os.urandom(64)
# struct fscrypt_add_key_arg: key_spec {type, reserved, u[32]}, raw_size,
# key_id, __reserved[8], raw[]; type 2: FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER
arg = bytearray(struct.pack('<II32sII32s', 2, 0, b'', 64, 0, b'') + key)
fcntl.ioctl(fd, (3 << 30) | (80 << 16) | (ord('f') << 8) | 23, arg)  # ADD_KEY
ident = bytes(arg[8:24])
# struct fscrypt_policy_v2: version 2, AES-256-XTS, AES-256-CTS, flags 0
pol = struct.pack('<BBBB4s16s', 2, 1, 4, 0, b'', ident)
fcntl.ioctl(fd, (2 << 30) | (12 << 16) | (ord('f') << 8) | 19, pol)  # SET_POLICY
EOF
}

t_ext4_fscrypt() {
	local m=$TMP.crypt out rc
	command -v python3 > /dev/null || { skip "no python3 (for the fscrypt ioctls)"; return; }
	fs_drive cr 256 || return
	mkfs.ext4 -q -F -b 4096 -O encrypt /dev/uringblk$UB_IDX && mkdir -p "$m" &&
		mount /dev/uringblk$UB_IDX "$m" && mkdir "$m/enc" || { fail "mkfs/mount"; drop "$m" cr; return 1; }
	if ! out=$(fscrypt_dir "$m/enc" 2>&1); then
		echo "$out"
		drop "$m" cr
		skip "setting an fscrypt policy failed (kernel crypto or python3): ${out##*$'\n'}"
		return
	fi
	alpha_file "$m/enc/f" && sync "$m/enc/f" || { fail "write"; drop "$m" cr; return 1; }
	lsattr "$m/enc/f"
	refused_map "$m/enc/f" EOPNOTSUPP "the file is encrypted (fscrypt, on ext4): the blocks hold ciphertext"
	rc=$?
	drop "$m" cr
	return $rc
}

t_xfs_reflink() {
	local m=$TMP.xfs rc
	command -v mkfs.xfs > /dev/null || { skip "no mkfs.xfs (xfsprogs)"; return; }
	kernel_has_fs xfs || { skip "no xfs in the guest kernel (CONFIG_XFS_FS)"; return; }
	fs_drive xf 512 || return
	mkfs.xfs -q -f -m reflink=1 /dev/uringblk$UB_IDX && mkdir -p "$m" &&
		mount /dev/uringblk$UB_IDX "$m" || { fail "mkfs/mount xfs"; drop "$m" xf; return 1; }
	alpha_file "$m/f" && count_both "$m/f" && cp --reflink=always "$m/f" "$m/g" &&
		filefrag -v "$m/g" | grep -q shared && count_both "$m/g" &&
		rewrite_half "$m/g" && count_both "$m/g" && count_both "$m/f"
	rc=$?
	drop "$m" xf
	return $rc
}

t_xfs_realtime() {
	local m=$TMP.xfsrt d r rc
	command -v mkfs.xfs > /dev/null || { skip "no mkfs.xfs (xfsprogs)"; return; }
	kernel_has_fs xfs || { skip "no xfs in the guest kernel (CONFIG_XFS_FS)"; return; }
	fs_drive xd 512 || return
	d=$UB_IDX
	ub_cli_create xr --capacity-mb 256 --block-size 4096 || { drop "$m" xd; return 1; }
	r=$UB_IDX
	mkfs.xfs -q -f -r rtdev=/dev/uringblk$r /dev/uringblk$d && mkdir -p "$m" &&
		mount -o rtdev=/dev/uringblk$r /dev/uringblk$d "$m" ||
		{ fail "mkfs/mount xfs with a realtime device"; drop "$m" xd xr; return 1; }
	touch "$m/rt" && xfs_io -c 'chattr +r' "$m/rt" && alpha_file "$m/rt" && sync "$m/rt" ||
		{ fail "realtime file"; drop "$m" xd xr; return 1; }
	xfs_io -c 'lsattr' "$m/rt"
	refused_map "$m/rt" EOPNOTSUPP "the file is on the XFS realtime device: FIEMAP's addresses are on that device"
	rc=$?
	# a file on the data device of the same file system counts right
	((rc == 0)) && alpha_file "$m/data" && count_both "$m/data"
	rc=$?
	drop "$m" xd xr
	return $rc
}

t_f2fs() {
	local m=$TMP.f2fs rc
	command -v mkfs.f2fs > /dev/null || { skip "no mkfs.f2fs (f2fs-tools)"; return; }
	kernel_has_fs f2fs || { skip "no f2fs in the guest kernel (CONFIG_F2FS_FS)"; return; }
	fs_drive ff 256 || return
	mkfs.f2fs -q -f /dev/uringblk$UB_IDX && mkdir -p "$m" &&
		mount /dev/uringblk$UB_IDX "$m" || { fail "mkfs/mount f2fs"; drop "$m" ff; return 1; }
	alpha_file "$m/f" && count_both "$m/f" && rewrite_half "$m/f" && count_both "$m/f"
	rc=$?
	drop "$m" ff
	return $rc
}

t_f2fs_two() {
	local m=$TMP.f2fs2 a b rc
	command -v mkfs.f2fs > /dev/null || { skip "no mkfs.f2fs (f2fs-tools)"; return; }
	kernel_has_fs f2fs || { skip "no f2fs in the guest kernel (CONFIG_F2FS_FS)"; return; }
	fs_drive fa 256 || return
	a=$UB_IDX
	ub_cli_create fb --capacity-mb 256 --block-size 4096 || { drop "$m" fa; return 1; }
	b=$UB_IDX
	mkfs.f2fs -q -f -c /dev/uringblk$b /dev/uringblk$a && mkdir -p "$m" &&
		mount /dev/uringblk$a "$m" || { fail "mkfs/mount f2fs on two drives"; drop "$m" fa fb; return 1; }
	alpha_file "$m/f" && sync "$m/f" || { fail "write"; drop "$m" fa fb; return 1; }
	refused_map "$m/f" EOPNOTSUPP "the f2fs file system spans 2 devices (/dev/uringblk$a, /dev/uringblk$b)"
	rc=$?
	drop "$m" fa fb
	return $rc
}

# zoned f2fs keeps its metadata in conventional zones: on one zoned drive
# with conventional zones at its start, if f2fs-tools take it
t_f2fs_zoned() {
	local m=$TMP.f2fsz out rc
	command -v mkfs.f2fs > /dev/null || { skip "no mkfs.f2fs (f2fs-tools)"; return; }
	kernel_has_fs f2fs || { skip "no f2fs in the guest kernel (CONFIG_F2FS_FS)"; return; }
	fs_drive fz 1024 --zoned --zone-size-mb 4 --zone-conv 32 || return
	if ! out=$(mkfs.f2fs -f -m /dev/uringblk$UB_IDX 2>&1); then
		echo "$out"
		drop "$m" fz
		skip "mkfs.f2fs -m on one zoned drive (4 MiB zones, 32 conventional): $(grep -iE 'error|conventional|not' <<<"$out" | head -1 | tr -s ' \t' ' ')"
		return
	fi
	mkdir -p "$m" && mount /dev/uringblk$UB_IDX "$m" || { fail "mount zoned f2fs"; drop "$m" fz; return 1; }
	alpha_file "$m/f" && count_both "$m/f"
	rc=$?
	drop "$m" fz
	return $rc
}

t_unconfirmed() {
	local m=$TMP.minix out rc
	command -v mkfs.minix > /dev/null || { skip "no mkfs.minix (util-linux)"; return; }
	# minix's 1 KiB blocks want a drive of 512-byte blocks
	fs_drive mx 64 --block-size 512 || return
	check "mkfs.minix" mkfs.minix -3 /dev/uringblk$UB_IDX > /dev/null || { drop "$m" mx; return 1; }
	mkdir -p "$m" && mount -t minix /dev/uringblk$UB_IDX "$m" ||
		{ drop "$m" mx; skip "no minix in the guest kernel (mount -t minix failed)"; return; }
	alpha_file "$m/f" && sync "$m/f" || { fail "write"; drop "$m" mx; return 1; }
	refused_map "$m/f" EOPNOTSUPP "offload over files on minix3 is not confirmed; set URINGBLK_FILE_UNCONFIRMED=1 to try it (the verification still runs)"
	rc=$?
	if ((rc == 0)); then
		out=$(URINGBLK_FILE_UNCONFIRMED=1 "$CLI" file map "$m/f")
		expect_eq "URINGBLK_FILE_UNCONFIRMED=1: exit status" 1 $?
		grep '^offloadable' <<<"$out"
		[[ $out == *"FIEMAP: Operation not supported (the filesystem cannot map files) (errno EOPNOTSUPP)"* ]] ||
			fail "URINGBLK_FILE_UNCONFIRMED=1 did not reach FIEMAP"
		rc=$?
	fi
	drop "$m" mx
	return $rc
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run file_fs skip "$why"
	ktap_finish
fi
for need in "$CLI" "$OBJ"; do
	if [[ ! -e $need ]]; then
		ktap_plan 1
		ktap_run file_fs skip "no $need (make tools, make selftests)"
		ktap_finish
	fi
done

ktap_plan 11
ub_unload && ub_load capacity_mb=256 slm_size_mb=16 block_size=4096 || exit $KSFT_FAIL
mkdir -p "$MNT"
if ! mkfs.ext4 -q -F -b 4096 $DEV || ! mount -t ext4 $DEV "$MNT"; then
	echo "# mkfs/mount of ext4 on $DEV failed"
	ub_unload
	exit $KSFT_FAIL
fi
use_drive 0 || echo "# loading or activating count_pattern on $DEV failed"
ktap_run fifo t_fifo
ktap_run planted_shift t_shift
umount "$MNT"
if ! ub_configfs; then
	for t in ext4_data_journal ext4_chattr_j ext4_fscrypt xfs_reflink xfs_realtime \
		 f2fs f2fs_two_drives f2fs_zoned unconfirmed_minix; do
		ktap_run $t skip "no configfs"
	done
else
	ktap_run ext4_data_journal t_ext4_journal
	ktap_run ext4_chattr_j t_ext4_chattr_j
	ktap_run ext4_fscrypt t_ext4_fscrypt
	ktap_run xfs_reflink t_xfs_reflink
	ktap_run xfs_realtime t_xfs_realtime
	ktap_run f2fs t_f2fs
	ktap_run f2fs_two_drives t_f2fs_two
	ktap_run f2fs_zoned t_f2fs_zoned
	ktap_run unconfirmed_minix t_unconfirmed
fi
rm -rf "$TMP".*
ub_unload
ktap_finish
