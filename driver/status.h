/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A command's status, for every front end.  The model's functions return
 * an int: >= 0 for success, -errno for a failure the standards name no
 * status for (a bad buffer, no memory, a removal), or uringblk_st(SC) for
 * one they do (enum uringblk_status, uAPI header).  A front end turns that
 * into what its clients see: the command device into an errno for
 * cqe->res and the status for big_cqe[0] (uringblk_status_errno(),
 * uringblk_status()); an NVMe front end would answer the status itself.
 *
 * A status travels as -(URINGBLK_ST_BIAS | status): below -MAX_ERRNO, so
 * it is never mistaken for an errno, and still negative, so every
 * "if (ret < 0)" on the way up stays right.  Never put one in an ERR_PTR()
 * (IS_ERR() would not see it): a function returning a pointer returns the
 * errno, and its caller picks the status.
 */
#ifndef URINGBLK_STATUS_H
#define URINGBLK_STATUS_H

#include <linux/err.h>
#include <linux/types.h>
#include <uapi/linux/uringblk.h>

#define URINGBLK_ST_BIAS	0x10000
static_assert(URINGBLK_ST_BIAS > MAX_ERRNO);

/* The return value that carries @status (an enum uringblk_status). */
static inline int uringblk_st(u16 status)
{
	return -(URINGBLK_ST_BIAS | status);
}

/* @ret carries a status, not an errno. */
static inline bool uringblk_is_st(int ret)
{
	return ret <= -URINGBLK_ST_BIAS;
}

int __uringblk_status_errno(int ret);
u16 uringblk_status(int ret);

/*
 * The errno for cqe->res: @ret itself unless it carries a status, then
 * the table's errno for it.  Inline: every CQE asks, nearly all succeed.
 */
static inline int uringblk_status_errno(int ret)
{
	return likely(!uringblk_is_st(ret)) ? ret : __uringblk_status_errno(ret);
}

#endif /* URINGBLK_STATUS_H */
