/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subsystem local memory (SLM) and memory range sets: the device memory
 * of the computational storage model (uAPI: "The computational storage
 * model").  slm.c owns the store and the sets; cmd_slm.c the commands;
 * exec.c runs EXECUTE over a set's window.
 */
#ifndef _URINGBLK_SLM_H
#define _URINGBLK_SLM_H

#include <linux/kref.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <uapi/linux/uringblk.h>

struct uringblk_dev;
struct page;

/**
 * struct uringblk_rset - one memory range set
 * @ref:	the set's lifetime: the set table's reference and one per user
 * @users:	EXECUTEs using the set now: RANGE_SET_DELETE is -EBUSY while
 *		it is not zero
 * @id:		the rsid
 * @nr_ranges:	entries of @ranges
 * @len:	bytes of the window: the ranges' lengths summed
 * @window:	kernel mapping of the ranges end to end (the SLM pages
 *		themselves: a store through it is a store into SLM)
 * @pages:	the SLM pages behind @window, each with a reference of the
 *		set's own, so that the window outlives the drive's SLM store
 *		(a set an EXECUTE holds survives the drive's removal)
 * @free_work:	the last put unmaps and frees on a workqueue: vunmap()
 *		sleeps and uringblk_rset_put() must not
 * @ranges:	as created
 */
struct uringblk_rset {
	struct kref	ref;
	atomic_t	users;
	u32		id;
	u32		nr_ranges;
	u64		len;
	void		*window;
	struct page	**pages;
	struct work_struct free_work;
	struct uringblk_mem_range ranges[];
};

/*
 * The drive's limits, in IDENTIFY.  A page is the granularity: a set's
 * window is made of whole SLM pages.  max_mem_xfer bounds what one
 * MEM_READ/WRITE/COPY moves (and the time it holds the drive's command
 * lock: a removal waits for it); 16 MiB takes a few ms at memory speed.
 */
#define URINGBLK_SLM_GRANULARITY	PAGE_SIZE
#define URINGBLK_MAX_RANGE_SETS		64
#define URINGBLK_MAX_SET_RANGES		64
#define URINGBLK_MAX_MEM_XFER		(16U << 20)
#define URINGBLK_MAX_SLM_MB		16384ULL	/* configfs/modparam limit */

/*
 * Take set @rsid for a run: a reference and a user.  -EBADSLT (ERR_PTR)
 * when there is no such set.  Never sleeps (an EXECUTE takes it in the
 * issue path).
 */
struct uringblk_rset *uringblk_rset_get(struct uringblk_dev *dev, u32 rsid);
/* Drop what uringblk_rset_get() took.  Never sleeps. */
void uringblk_rset_put(struct uringblk_rset *rs);

int uringblk_slm_dev_init(struct uringblk_dev *dev);
void uringblk_slm_dev_exit(struct uringblk_dev *dev);
u64 uringblk_slm_bytes(struct uringblk_dev *dev);	/* stats slm_bytes */

/* slm.c, for cmd_slm.c and the module */
int uringblk_slm_init(void);
void uringblk_slm_exit(void);
struct page *uringblk_slm_page(struct uringblk_dev *dev, pgoff_t idx, bool alloc);
int uringblk_rset_create(struct uringblk_dev *dev,
			 const struct uringblk_mem_range *r, u32 nr);
int uringblk_rset_delete(struct uringblk_dev *dev, u32 rsid);

/**
 * struct uringblk_slm_xfer_ops - the other side of a transfer to or from SLM
 * @fetch:	a write: the next @n bytes (the transfer's from @done) into
 *		@bounce, before SLM gets a page for them (a bad buffer costs
 *		no SLM page)
 * @deliver:	a read: @n bytes at @src, the transfer's from @done
 *
 * Each returns 0 or -errno (-EFAULT for the command device gate's retry).
 */
struct uringblk_slm_xfer_ops {
	int (*fetch)(void *ctx, void *bounce, u64 done, u32 n);
	int (*deliver)(void *ctx, const void *src, u64 done, u32 n);
};

/* slm.c: the SLM model's transfers, with decoded arguments, for both faces */
int uringblk_slm_xfer(struct uringblk_dev *dev, u64 off, u64 len, bool write,
		      const struct uringblk_slm_xfer_ops *ops, void *ctx);
int uringblk_slm_copy(struct uringblk_dev *dev, u64 slm_off,
		      const struct uringblk_copy_range *r, u32 nr, u64 *from_media);
int uringblk_slm_rw(struct uringblk_dev *dev, u64 off, void *buf, u64 len, bool write);
int uringblk_slm_fill(struct uringblk_dev *dev, u64 off, u64 len, u32 pattern);

/* IDENTIFY's SLM fields, the SLM command set's share (cmd_slm.c) */
void uringblk_slm_identify(struct uringblk_dev *dev, struct uringblk_identify *id);

#endif /* _URINGBLK_SLM_H */
