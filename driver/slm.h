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
#include <uapi/linux/uringblk.h>

struct uringblk_dev;

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
 * @ranges:	as created
 */
struct uringblk_rset {
	struct kref	ref;
	atomic_t	users;
	u32		id;
	u32		nr_ranges;
	u64		len;
	void		*window;
	struct uringblk_mem_range ranges[];
};

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

#endif /* _URINGBLK_SLM_H */
