/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, kept in one place so that moving past
 * Linux 6.1 is a change to this file only.
 *
 * URINGBLK_CMD_DONE_HAS_FLAGS is set by Kbuild when the target kernel's
 * io_uring_cmd_done() takes issue_flags: mainline grew the fourth argument
 * in 6.3, and Debian's 6.1.y (e.g. 6.1.0-56, 6.1.192) carries the backport,
 * so neither LINUX_VERSION_CODE nor the docs can tell; the header can.
 */
#ifndef URINGBLK_COMPAT_H
#define URINGBLK_COMPAT_H

#include <linux/version.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>
#include <linux/percpu-refcount.h>
#include <linux/device.h>

static inline void uringblk_cmd_done(struct io_uring_cmd *ioucmd, ssize_t ret,
				     ssize_t res2, unsigned int issue_flags)
{
#ifdef URINGBLK_CMD_DONE_HAS_FLAGS
	io_uring_cmd_done(ioucmd, ret, res2, issue_flags);
#else
	io_uring_cmd_done(ioucmd, ret, res2);
#endif
}

/* class_create() lost its owner argument in 6.4. */
static inline struct class *uringblk_class_create(const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/*
 * Whether the io_uring instance a URING_CMD came from is being torn down
 * (its last file reference closed: io_ring_ctx_wait_and_kill() kills
 * ctx->refs).  Linux 6.1 cannot cancel a URING_CMD (6.7 added
 * IORING_URING_CMD_CANCELABLE and ->uring_cmd with IO_URING_F_CANCEL), so
 * a command that may run long must notice it itself, or io_ring_exit_work()
 * WARNs when the ring's requests are not done five minutes after the
 * close.  The request holds a reference on its ctx while in flight.
 */
static inline bool uringblk_cmd_ring_dying(struct io_uring_cmd *ioucmd)
{
	return percpu_ref_is_dying(&cmd_to_io_kiocb(ioucmd)->ctx->refs);
}

#endif /* URINGBLK_COMPAT_H */
