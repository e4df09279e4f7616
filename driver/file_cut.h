/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file backend's power cut (file_cut.c): the drive's volatile write
 * cache, emulated for fault injection's power_cut knob (fault.c).
 */
#ifndef _URINGBLK_FILE_CUT_H
#define _URINGBLK_FILE_CUT_H

#include <linux/mutex.h>
#include <linux/xarray.h>

struct uringblk_dev;

/**
 * struct ufile_cut - what a power cut would take back
 * @lock:	serialises logged writes with flushes, so that a flush covers
 *		exactly the writes completed before it; protects the rest
 * @pre:	block number -> the block's contents before its first write
 *		since the last completed flush (kmalloc'ed, a block each)
 * @ppm:	power_cut when a block was last logged
 * @seed:	the seed knob then
 */
struct ufile_cut {
	struct mutex	lock;
	struct xarray	pre;
	u32		ppm;
	u64		seed;
};

/* Block I/O of the backend: @len bytes at device offset @pos, in one page. */
typedef int (*ufile_cut_io_fn)(struct uringblk_dev *dev, void *buf, u64 pos,
			       u32 len, bool write);

void ufile_cut_init(struct ufile_cut *c);
int ufile_cut_write_begin(struct uringblk_dev *dev, struct ufile_cut *c,
			  u64 pos, u64 len, ufile_cut_io_fn io, bool *locked);
void ufile_cut_write_end(struct ufile_cut *c, bool locked);
int ufile_cut_flush(struct uringblk_dev *dev, struct ufile_cut *c,
		    int (*fsync)(struct uringblk_dev *dev));
void ufile_cut_exit(struct uringblk_dev *dev, struct ufile_cut *c,
		    ufile_cut_io_fn io, int (*fsync)(struct uringblk_dev *dev));

#endif
