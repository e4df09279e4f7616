// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Synchronous commands on a handle's private ring.
 */
#include <errno.h>

#include "private.h"

/* Only one command is ever in flight; the tag catches a confused ring. */
#define URINGBLK_SYNC_TAG	0x7572626c6b636d64ULL	/* "urblkcmd" */

/* A run that completed with r0 above INT32_MAX keeps r0 in big_cqe[0]. */
static bool uringblk_res2_is_r0(__u32 cmd_op, int res)
{
	return res == -EOVERFLOW &&
	       (cmd_op == URINGBLK_CMD_EXEC || cmd_op == URINGBLK_CMD_EXECUTE);
}

int uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			const struct uringblk_cmd *cmd, __s32 *res,
			__u64 *res2)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret;

	uringblk__begin(dev);
	if (!dev || !cmd)
		return -EINVAL;
	if (!dev->has_ring)
		return -EBADFD;

	sqe = io_uring_get_sqe(&dev->ring);
	/* Full only if earlier io_uring_submit() calls failed: SQEs still queued. */
	if (!sqe)
		return -EBUSY;
	uringblk_prep_cmd(sqe, dev->fd, cmd_op, cmd);
	sqe->user_data = URINGBLK_SYNC_TAG;

	/*
	 * Submit and wait separately: a signal interrupting the wait must
	 * not make us submit the SQE a second time.
	 */
	do {
		ret = io_uring_submit(&dev->ring);
	} while (ret == -EINTR);
	if (ret < 0)
		return ret;
	do {
		ret = io_uring_wait_cqe(&dev->ring, &cqe);
	} while (ret == -EINTR);
	if (ret < 0)
		return ret;

	if (cqe->user_data != URINGBLK_SYNC_TAG) {
		io_uring_cqe_seen(&dev->ring, cqe);
		return -EIO;
	}
	ret = cqe->res;
	dev->last_cmd_op = cmd_op;
	dev->last_res = cqe->res;
	/* big_cqe[0] of a failure is its status (but EXEC's -EOVERFLOW: r0) */
	dev->last_status = cqe->res < 0 && !uringblk_res2_is_r0(cmd_op, cqe->res) ?
			   (__u16)cqe->big_cqe[0] : 0;
	if (res)
		*res = cqe->res;
	if (res2)
		*res2 = cqe->big_cqe[0];
	io_uring_cqe_seen(&dev->ring, cqe);
	return ret;
}

int uringblk_identify(struct uringblk_dev *dev, struct uringblk_identify *out)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	if (!out)
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, out, sizeof(*out));
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_IDENTIFY, &cmd, NULL, NULL);
	return ret < 0 ? ret : 0;
}

int uringblk_get_stats(struct uringblk_dev *dev, struct uringblk_stats *out,
		       unsigned int flags)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	if (!out)
		return -EINVAL;
	uringblk_cmd_init(&cmd, flags, out, sizeof(*out));
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_GET_STATS, &cmd, NULL, NULL);
	return ret < 0 ? ret : 0;
}
