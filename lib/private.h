/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * liburingblk internals.  Not installed; the tests in lib/test include it
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

#endif /* LIBURINGBLK_PRIVATE_H */
