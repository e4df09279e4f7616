/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel memory a command holds for its data while it waits: each
 * data-sized buffer (an NVMe bounce, Compare's and Copy's pages, a zone,
 * KV or SLM buffer) first reserves its bytes in the drive's cmd_mem, at
 * most cfg.max_cmd_kb KiB (-EBUSY beyond), and is charged to the
 * submitter's memory cgroup (-ENOMEM over its memory.max, no OOM kill):
 * EXEC's rule (exec.h's EXEC_GFP and max_execs) for the other commands.
 * The inventory of every path is Documentation/dev/architecture.md's
 * "Kernel memory a command holds".
 */
#ifndef URINGBLK_CMD_MEM_H
#define URINGBLK_CMD_MEM_H

#include <linux/err.h>
#include <linux/slab.h>

#include "uringblk.h"

#define URINGBLK_CMD_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/**
 * uringblk_cmd_mem_get() - reserve room for a command's data buffer
 * @dev:	the drive
 * @bytes:	what the command is about to allocate
 *
 * Before the allocation (which is GFP_KERNEL_ACCOUNT: charged to the
 * submitter's memory cgroup too): the drive's commands hold at most
 * cfg.max_cmd_kb KiB for their data, however many are in flight and
 * whoever sent them.  Any context.  Return: 0 (uringblk_cmd_mem_put() the
 * same @bytes when the buffer is freed) or -EBUSY.
 */
static inline int uringblk_cmd_mem_get(struct uringblk_dev *dev, size_t bytes)
{
	long max = (long)dev->cfg.max_cmd_kb << 10;

	if (atomic_long_add_return(bytes, &dev->cmd_mem) > max) {
		atomic_long_sub(bytes, &dev->cmd_mem);
		return -EBUSY;
	}
	return 0;
}

static inline void uringblk_cmd_mem_put(struct uringblk_dev *dev, size_t bytes)
{
	atomic_long_sub(bytes, &dev->cmd_mem);
}

/**
 * uringblk_cmd_buf() - a command's data buffer, counted and charged
 * @dev:	the drive
 * @size:	bytes
 * @gfp:	0 or __GFP_ZERO
 *
 * uringblk_cmd_mem_get() then kvmalloc(URINGBLK_CMD_GFP): charged to the
 * caller's memory cgroup.  May sleep.  Return: the buffer (uringblk_cmd_buf_free() with
 * the same @size), or ERR_PTR(-EBUSY) (the drive's max_cmd_kb in flight)
 * or ERR_PTR(-ENOMEM).
 */
static inline void *uringblk_cmd_buf(struct uringblk_dev *dev, size_t size, gfp_t gfp)
{
	void *buf;

	if (uringblk_cmd_mem_get(dev, size))
		return ERR_PTR(-EBUSY);
	buf = kvmalloc(size, URINGBLK_CMD_GFP | gfp);
	if (!buf) {
		uringblk_cmd_mem_put(dev, size);
		return ERR_PTR(-ENOMEM);
	}
	return buf;
}

/* A buffer of uringblk_cmd_buf(), or NULL (nothing). */
static inline void uringblk_cmd_buf_free(struct uringblk_dev *dev, void *buf, size_t size)
{
	if (buf) {
		kvfree(buf);
		uringblk_cmd_mem_put(dev, size);
	}
}

#endif /* URINGBLK_CMD_MEM_H */
