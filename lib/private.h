/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * liburingblk internals.  Not installed; the tests in tests/lib include it
 * to build handles on fake devices.
 */
#ifndef LIBURINGBLK_PRIVATE_H
#define LIBURINGBLK_PRIVATE_H

#include <limits.h>
#include <stdbool.h>

/*
 * The library is built with -fvisibility=hidden: only what the public
 * header declares is visible, and the version script picks from that.
 */
#pragma GCC visibility push(default)
#include "liburingblk.h"
#pragma GCC visibility pop

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct uringblk_dev {
	int		index;		/* N of /dev/uringblkN */
	int		fd;		/* /dev/uringblkcN, O_RDWR */
	bool		has_ring;	/* @ring is set up (tests may skip it) */
	/* SQE128 | CQE32, one synchronous command in flight at a time */
	struct io_uring	ring;
	char		blk_path[32];
	char		chr_path[32];
	char		sysfs_dir[PATH_MAX];
	/* uringblk_exec() reply buffer: result struct + output, grown on demand */
	void		*exec_buf;
	size_t		exec_buf_len;
};

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
/* uringblk_prog_load_image() into slot @pind (0: the lowest free one). */
int uringblk_prog_load_image_pind(struct uringblk_dev *dev,
				  const struct uringblk_prog_image *img,
				  const char *name, __u32 pind, char *log,
				  size_t log_len);
int uringblk_prog_load_image_cmd(struct uringblk_cmd *cmd,
				 const struct uringblk_prog_image *img,
				 const char *name, char *log, size_t log_len);

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

#endif /* LIBURINGBLK_PRIVATE_H */
