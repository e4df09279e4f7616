/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * liburingblk internals.  Not installed; the tests in tests/lib include it
 * to build handles on fake devices.
 */
#ifndef LIBURINGBLK_PRIVATE_H
#define LIBURINGBLK_PRIVATE_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/types.h>

/*
 * The library is built with -fvisibility=hidden: only what the public
 * header declares is visible, and the version script picks from that.
 */
#pragma GCC visibility push(default)
#include "liburingblk.h"
#pragma GCC visibility pop

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A message into the caller's buffer @msg of @len (none if NULL or 0). */
static inline void __attribute__((format(printf, 3, 4)))
set_msg(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

struct uringblk_dev {
	int		index;		/* N of /dev/uringblkN */
	int		fd;		/* /dev/uringblkcN, O_RDWR */
	bool		has_ring;	/* @ring is set up (tests may skip it) */
	/* SQE128 | CQE32, one synchronous command in flight at a time */
	struct io_uring	ring;
	char		blk_path[32];
	char		chr_path[32];
	char		sysfs_dir[PATH_MAX];
	/*
	 * The last synchronous command's cqe->res and, if it failed, status,
	 * for uringblk_dev_strerror(), uringblk_last_status() and the SNIA
	 * layer: of the current public call only (uringblk__begin()).
	 */
	__u32		last_cmd_op;
	int		last_res;
	__u16		last_status;
	/*
	 * NSID 1 is a Key Value namespace: 0 not asked yet, 1 yes,
	 * -EOPNOTSUPP no (lib/kv.c: kv_ns_ok())
	 */
	int		kv_ns;
	/* uringblk_exec() reply buffer: result struct + output, grown on demand */
	void		*exec_buf;
	size_t		exec_buf_len;
};

/*
 * uringblk__begin() - a public call on @dev starts: forget the last
 * command's result
 *
 * What the handle keeps must be the current call's, or an older command's
 * status would explain this call's own refusals (an argument check, with
 * the same errno, before anything is sent).  Every public function that
 * takes a handle (not const) calls this before it returns, jumps or uses
 * the handle otherwise; tests/lib/dev_calls.sh fails `make -C lib check`
 * on one that does not.  Functions that take a const handle (the
 * accessors, and the readers uringblk_last_status() and
 * uringblk_dev_strerror()) leave it as it is.  NULL: nothing.
 */
static inline void uringblk__begin(struct uringblk_dev *dev)
{
	if (!dev)
		return;
	dev->last_cmd_op = 0;
	dev->last_res = 0;
	dev->last_status = 0;
}

/*
 * uringblk_dev_new() - build a handle around an already open @fd
 * @index:	device index
 * @fd:		command device, owned by the handle from now on (even on error)
 * @sysfs_dir:	NULL for /sys/block/uringblkN, else a directory to use instead
 * @ring:	set up the private io_uring
 * @out:	receives the handle
 */
int uringblk_dev_new(int index, int fd, const char *sysfs_dir, bool ring,
		     struct uringblk_dev **out);

/*
 * uringblk_prog_load_cmd() - the PROG_LOAD payload uringblk_prog_load()
 * submits (exposed for the tests).  Returns 0, -EINVAL, -E2BIG or
 * -ENAMETOOLONG.
 */
int uringblk_prog_load_cmd(struct uringblk_cmd *cmd,
			   const struct bpf_insn *insns, unsigned int cnt,
			   const char *name, char *log, size_t log_len);
/* The same for PROG_LOAD with URINGBLK_PROG_LOAD_F_IMAGE. */
int uringblk_prog_load_image_cmd(struct uringblk_cmd *cmd,
				 const struct uringblk_prog_image *img,
				 const char *name, char *log, size_t log_len);

/*
 * Kernel BPF (kbpf.c), for uringblk_prog_load_args(): a program fd handed
 * to the drive, and an object's SEC("syscall") program loaded into the
 * host kernel with libbpf, then handed over.  Both clear @log first.
 */
int uringblk_kbpf_load_fd(struct uringblk_dev *dev, int prog_fd,
			  const char *name, __u32 pind, char *log,
			  size_t log_len);
int uringblk_kbpf_load_file(struct uringblk_dev *dev, const char *obj_path,
			    const char *prog_name, const char *name, __u32 pind,
			    char *log, size_t log_len);

/*
 * uringblk_args_in() - a caller's options struct (first field: __u32
 * size) into @out, which is @out_size bytes, this library's struct
 * @in:		the caller's struct, or NULL
 * @min_size:	the size of the struct's first version
 * @out:	receives the fields @in->size covers, 0 for the rest
 * @out_size:	sizeof(*@out)
 *
 * The rule of the kernel's copy_struct_from_user(): a struct larger than
 * ours must have nothing but zeroes in the part we do not know, so that
 * an option a newer caller sets is never silently ignored.
 *
 * Return: 0; -EINVAL (@in NULL, or its size below @min_size); -E2BIG (a
 * non-zero byte past @out_size).  Nothing is written to @out on error.
 */
static inline int uringblk_args_in(const void *in, size_t min_size,
				   void *out, size_t out_size)
{
	const unsigned char *p = (const unsigned char *)in;
	__u32 size;
	size_t i;

	if (!in)
		return -EINVAL;
	memcpy(&size, in, sizeof(size));
	if (size < min_size)
		return -EINVAL;
	for (i = out_size; i < size; i++)
		if (p[i])
			return -E2BIG;
	memset(out, 0, out_size);
	memcpy(out, in, size < out_size ? size : out_size);
	return 0;
}

/*
 * Where the runtime-drive functions (drive.c) look; the tests point them
 * at a fake tree.
 */
struct uringblk_sysroot {
	const char	*configfs;	/* URINGBLK_CONFIGFS_DIR */
	const char	*sys_block;	/* /sys/block */
	const char	*module;	/* /sys/module/uringblk */
};

int uringblk_create_at(const struct uringblk_sysroot *r, const char *name,
		       const char *const *kv, int *index, char *msg,
		       size_t msg_len);
int uringblk_remove_at(const struct uringblk_sysroot *r, const char *name,
		       char *msg, size_t msg_len);
int uringblk_list_at(const struct uringblk_sysroot *r,
		     struct uringblk_drive **drives, char *msg, size_t msg_len);

/*
 * uringblk_file_extents_build() - the extent list of a file from its
 * FIEMAP extents (lib/file.c; pure, for the tests)
 * @fe, @nr_fe:	FIEMAP's extents in file order
 * @size:	the file's size: the list is cut there, a hole after the
 *		last extent becomes a zero extent
 * @part_start:	byte offset of the filesystem's partition on the drive
 * @block_size:	the drive's logical block size
 * @ext, @nr:	receive the list (malloc'd; NULL and 0 for an empty file)
 * @msg, @msg_len: the reason of a refusal
 *
 * Holes and FIEMAP_EXTENT_UNWRITTEN become URINGBLK_EXTENT_F_ZERO
 * extents; touching extents merge.  Returns 0; -EOPNOTSUPP (a flag that
 * makes the blocks unfit, or a start not a multiple of @block_size);
 * -EINVAL (overlapping or empty extents); -ENOMEM.
 */
struct fiemap_extent;
int uringblk_file_extents_build(const struct fiemap_extent *fe,
				unsigned int nr_fe, __u64 size,
				__u64 part_start, __u32 block_size,
				struct uringblk_extent **ext,
				unsigned int *nr, char *msg, size_t msg_len);

/*
 * uringblk__file_map_cut() - a mapped file's bytes [@from, @from + @len)
 * (@len 0: to its end) as extents, *@ext malloc()ed (file.c): 0,
 * -EINVAL (@from not a block's start inside the file), -ERANGE (past its
 * end), -ENOMEM; @msg says why.
 */
int uringblk__file_map_cut(const struct uringblk_file_map *map, __u64 from,
			   __u64 len, struct uringblk_extent **ext,
			   unsigned int *nr, char *msg, size_t msg_len);

/*
 * uringblk__file_to_slm() - copy a mapped file's blocks into SLM from
 * @slm_off (file.c; the vector store uses it too).  *@setlen: the bytes
 * copied rounded up to the SLM granularity.  0 or -errno, @msg says why.
 */
int uringblk__file_to_slm(struct uringblk_dev *dev,
			  const struct uringblk_file_map *map, __u64 slm_off,
			  const struct uringblk_identify *id, __u64 *setlen,
			  char *msg, size_t msg_len);

/* --- btrfs (file_btrfs.c): its addresses to its device's ------------------ */

/* A chunk: @length bytes at btrfs logical @logical, at @physical on the
 * device (its first stripe); @type the BTRFS_BLOCK_GROUP_* bits. */
struct uringblk__btrfs_chunk {
	__u64	logical, length, physical, type;
};

/* The chunk tree's chunks, sorted by @logical, never overlapping. */
struct uringblk__btrfs_map {
	struct uringblk__btrfs_chunk	*c;
	unsigned int			nr, cap;
};

struct fiemap_extent;

/*
 * uringblk__btrfs_device() - the one block device of the btrfs file system
 * of @fd: its device number (*@rdev) and btrfs device id (*@devid).
 * -EOPNOTSUPP for a file system of several devices.
 */
int uringblk__btrfs_device(int fd, dev_t *rdev, __u64 *devid, char *msg,
			   size_t msg_len);
/* Every chunk item of the chunk tree (CAP_SYS_ADMIN: -EPERM) into @m. */
int uringblk__btrfs_chunks(int fd, __u64 devid, struct uringblk__btrfs_map *m,
			   char *msg, size_t msg_len);
/*
 * uringblk__btrfs_parse() - add the chunk items of one
 * BTRFS_IOC_TREE_SEARCH_V2 answer (@nr_items in @buf of @len) to @m
 * (pure).  Items of other types are skipped; *@last_offset is the key
 * offset of the last item, where the next search starts.  -EIO for an
 * item that is malformed, overlaps another chunk, or has a stripe on a
 * device other than @devid.
 */
int uringblk__btrfs_parse(struct uringblk__btrfs_map *m, const void *buf,
			  size_t len, unsigned int nr_items, __u64 devid,
			  __u64 *last_offset, char *msg, size_t msg_len);
/*
 * uringblk__btrfs_translate() - FIEMAP's extents of a btrfs file (*@fe,
 * *@nr: malloc'd, replaced on success) with fe_physical moved to device
 * offsets, an extent split where it crosses a chunk's end (pure).
 * Extents the file layer does not read (inline, delalloc, unwritten...)
 * are left as they are.  -EIO for an address in no chunk, -EOPNOTSUPP
 * for a chunk whose profile stripes or mirrors across devices.
 */
int uringblk__btrfs_translate(const struct uringblk__btrfs_map *m,
			      struct fiemap_extent **fe, unsigned int *nr,
			      char *msg, size_t msg_len);
void uringblk__btrfs_map_free(struct uringblk__btrfs_map *m);

/* --- what each filesystem's FIEMAP means (file_fs.c) ---------------------- */

/*
 * struct uringblk__fs_policy - what mapping a file on its filesystem needs
 * @journaled:	NULL, or why the file's data go through the ext4 journal
 *		(then uringblk__file_settle() checkpoints before FIEMAP)
 * @unconfirmed: the filesystem is not one FIEMAP was confirmed on and
 *		URINGBLK_FILE_UNCONFIRMED=1 let it through
 */
struct uringblk__fs_policy {
	const char	*journaled;
	bool		unconfirmed;
};

struct stat;
struct statfs;
/*
 * uringblk__file_fs_policy() - may the file open at @fd (on the drive
 * @bdev, its filesystem at byte @part_start) be mapped, and how?  From
 * fstatfs()'s f_type, the file's flags and the mount options.  0 with *@p
 * filled, or -EOPNOTSUPP (@msg names the reason: fscrypt, XFS realtime,
 * f2fs over several devices, a filesystem not confirmed), or the errno of
 * what could not be read to decide (@msg names it).
 */
int uringblk__file_fs_policy(int fd, const struct stat *st,
			     const struct statfs *sfs, const char *bdev,
			     __u64 part_start, struct uringblk__fs_policy *p,
			     char *msg, size_t msg_len);
/*
 * uringblk__file_settle() - put journaled data on the blocks FIEMAP names
 * (fsync, EXT4_IOC_CHECKPOINT); nothing for other files.  -EPERM without
 * CAP_SYS_ADMIN, @msg saying so.
 */
int uringblk__file_settle(int fd, const struct uringblk__fs_policy *p,
			  char *msg, size_t msg_len);
/* A filesystem's name from its f_type, or NULL. */
const char *uringblk__fs_name(long type);
/* Was offload over files confirmed on this f_type? */
bool uringblk__fs_confirmed(long type);
/* Is @opt one of the comma-separated @opts (exactly, not a prefix)? */
bool uringblk__opt_has(const char *opts, const char *opt);
/*
 * uringblk__mountinfo_opts() - the super options (the last field) of the
 * first mount of device @maj:@min in /proc/self/mountinfo's @text.  0,
 * -ENOENT (no such mount) or -ENAMETOOLONG (@len too small).
 */
int uringblk__mountinfo_opts(const char *text, unsigned int maj,
			     unsigned int min, char *opts, size_t len);
/*
 * uringblk__f2fs_devices() - how many devices the f2fs file system whose
 * first @len bytes (the superblock at byte 1024) are @sb spans (*@ndev)
 * and their paths, comma-separated, into @names.  -EINVAL: too short or
 * not f2fs.
 */
int uringblk__f2fs_devices(const void *sb, size_t len, unsigned int *ndev,
			   char *names, size_t names_len);

/* --- the verification of a mapping (file_verify.c) ------------------------ */

/* random numbers uringblk__file_verify() picks blocks with */
#define URINGBLK__VERIFY_RND	6
/* reads @len bytes of the drive at byte @off: 0 or -errno */
typedef int (*uringblk__read_fn)(void *ctx, void *buf, size_t len, __u64 off);
/* pread() all of @len bytes or fail: 0, -errno, or -ENODATA when short */
int uringblk__pread_full(int fd, void *buf, size_t len, __u64 off);
/*
 * uringblk__file_verify() - compare the file open at @fd with the drive
 * (@read_drive) at the LBAs of @ext: the first and last data blocks and
 * four picked by @rnd[0..3]; zero extents' first block and two picked by
 * @rnd[4..5] must read as zeros.  0, -EIO (@msg: the file offset and the
 * LBA), or the errno of a read.
 */
int uringblk__file_verify(int fd, const struct uringblk_extent *ext,
			  unsigned int nr, __u32 bs,
			  const __u64 rnd[URINGBLK__VERIFY_RND],
			  uringblk__read_fn read_drive, void *ctx,
			  char *msg, size_t msg_len);
/* The same against the block device @bdev (O_DIRECT), random picks. */
int uringblk__file_verify_dev(const struct uringblk_file_map *map,
			      const char *bdev, char *msg, size_t msg_len);

#endif /* LIBURINGBLK_PRIVATE_H */
