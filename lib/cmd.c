// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Synchronous commands on a handle's private ring.
 */
#include <errno.h>

#include "private.h"

/* Only one command is ever in flight; the tag catches a confused ring. */
#define URINGBLK_SYNC_TAG	0x7572626c6b636d64ULL	/* "urblkcmd" */

int uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			const struct uringblk_cmd *cmd, __s32 *res,
			__u64 *res2)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret;

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

	if (!out)
		return -EINVAL;
	uringblk_cmd_init(&cmd, flags, out, sizeof(*out));
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_GET_STATS, &cmd, NULL, NULL);
	return ret < 0 ? ret : 0;
}
