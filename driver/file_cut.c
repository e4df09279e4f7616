// SPDX-License-Identifier: GPL-2.0
/*
 * A power cut for the file backend (fault injection's power_cut knob,
 * fault.c; Documentation/admin/fault-injection.md, "Power cuts").
 *
 * A real drive with a volatile write cache loses, when its power goes,
 * any write not yet made durable by a flush (or FUA), each block old or
 * new.  The file backend writes straight into its file, so it emulates the
 * cache with an undo log: while power_cut is set, before a block's first
 * write since the last completed flush, the block's contents are read and
 * kept (@pre, at most one copy a block: the contents as of that flush, or
 * as of when power_cut was set).  A flush that completes forgets them all:
 * what was written is durable.  At the drive's removal, whose final flush
 * fault.c then skips, each kept block is written back over the file with
 * the knob's probability (uringblk_fault_cut_loses()), so the image is the
 * last flush's with some or all of the later writes lost, as after a cut.
 *
 * Logged writes and flushes take @lock, so a flush covers exactly the
 * writes that completed before it and a write never straddles a flush.
 * Without power_cut nothing is logged and writes take no lock; a flush
 * takes it only when something is logged.  Writes that started before
 * power_cut was set are not logged: as if they were durable (a cut may
 * keep any write).  The cost when set: one read of each block at its first
 * write after a flush, and a block of memory per such block until the
 * next flush.  The zone metadata (meta_write) is not logged: a cut
 * already keeps the last good save of it (the final flush fails).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>

#include "file_cut.h"
#include "uringblk.h"

void ufile_cut_init(struct ufile_cut *c)
{
	mutex_init(&c->lock);
	xa_init(&c->pre);
}

/* Block @blk's contents, if it has none kept yet.  @c->lock held. */
static int ufile_cut_keep(struct uringblk_dev *dev, struct ufile_cut *c,
			  u64 blk, ufile_cut_io_fn io)
{
	u32 bs = dev->cfg.block_size, done, n;
	u8 *buf;
	int ret;

	lockdep_assert_held(&c->lock);
	if (xa_load(&c->pre, blk))
		return 0;
	buf = kmalloc(bs, GFP_NOIO);
	if (!buf)
		return -ENOMEM;
	for (done = 0, ret = 0; done < bs && !ret; done += n) {
		n = min_t(u32, bs - done, PAGE_SIZE);
		ret = io(dev, buf + done, blk * bs + done, n, false);
	}
	if (!ret)
		ret = xa_err(xa_store(&c->pre, blk, buf, GFP_NOIO));
	if (ret)
		kfree(buf);
	return ret;
}

/**
 * ufile_cut_write_begin() - before a write of [@pos, @pos + @len)
 * @dev: the device
 * @c: its undo log
 * @pos: device offset, block aligned
 * @len: bytes, block aligned, not 0
 * @io: the backend's block I/O, to read what is kept
 * @locked: set when @c->lock is taken, for ufile_cut_write_end()
 *
 * With power_cut set, keeps the blocks' contents first and holds @c->lock
 * until ufile_cut_write_end(); otherwise does nothing.  Process context;
 * sleeps.  Return: 0, or -errno (the write must then fail; the lock is
 * not held).
 */
int ufile_cut_write_begin(struct uringblk_dev *dev, struct ufile_cut *c,
			  u64 pos, u64 len, ufile_cut_io_fn io, bool *locked)
{
	u32 bs = dev->cfg.block_size;
	u64 seed = 0, blk;
	u32 ppm;
	int ret = 0;

	*locked = false;
	ppm = uringblk_fault_power_cut(dev, &seed);
	if (!ppm)
		return 0;
	mutex_lock(&c->lock);
	c->ppm = ppm;
	c->seed = seed;
	for (blk = pos / bs; blk < div_u64(pos + len + bs - 1, bs) && !ret; blk++)
		ret = ufile_cut_keep(dev, c, blk, io);
	if (ret) {
		mutex_unlock(&c->lock);
		return ret;
	}
	*locked = true;
	return 0;
}

void ufile_cut_write_end(struct ufile_cut *c, bool locked)
{
	if (locked)
		mutex_unlock(&c->lock);
}

static void ufile_cut_forget(struct ufile_cut *c)
{
	unsigned long blk;
	void *buf;

	xa_for_each(&c->pre, blk, buf)
		kfree(buf);
	xa_destroy(&c->pre);
}

/**
 * ufile_cut_flush() - a flush: @fsync, then nothing is volatile any more
 * @dev: the device
 * @c: its undo log
 * @fsync: the backend's flush proper
 *
 * Process context; sleeps.  Return: @fsync's.
 */
int ufile_cut_flush(struct uringblk_dev *dev, struct ufile_cut *c,
		    int (*fsync)(struct uringblk_dev *dev))
{
	u64 seed;
	int ret;

	/* nothing logged, nothing to log: no lock (the common case) */
	if (xa_empty(&c->pre) && !uringblk_fault_power_cut(dev, &seed))
		return fsync(dev);
	mutex_lock(&c->lock);
	ret = fsync(dev);
	if (!ret)
		ufile_cut_forget(c);
	mutex_unlock(&c->lock);
	return ret;
}

/**
 * ufile_cut_exit() - the drive is gone: lose what a cut loses
 * @dev: the device, no longer taking I/O, its final flush done or failed
 * @c: its undo log, empty if that flush completed
 * @io: the backend's block I/O, to write the old contents back
 * @fsync: the backend's flush, so the image holds them
 *
 * Process context; sleeps.
 */
void ufile_cut_exit(struct uringblk_dev *dev, struct ufile_cut *c,
		    ufile_cut_io_fn io, int (*fsync)(struct uringblk_dev *dev))
{
	u32 bs = dev->cfg.block_size, done, n;
	unsigned long blk, kept = 0, lost = 0;
	int ret = 0;
	void *buf;

	mutex_lock(&c->lock);
	xa_for_each(&c->pre, blk, buf) {
		kept++;
		if (!uringblk_fault_cut_loses(c->ppm, c->seed, blk))
			continue;
		for (done = 0; done < bs && !ret; done += n) {
			n = min_t(u32, bs - done, PAGE_SIZE);
			ret = io(dev, buf + done, (u64)blk * bs + done, n, true);
		}
		lost++;
	}
	if (lost && !ret)
		ret = fsync(dev);
	ufile_cut_forget(c);
	mutex_unlock(&c->lock);
	if (kept)
		pr_info("%s: power cut: %lu of the %lu blocks written since the last flush lost%s\n",
			dev->name, lost, kept, ret ? " (writing them back failed: the image is not a cut's)" : "");
}
