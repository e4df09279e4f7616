// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The io_uring path end to end, on the host, without the driver:
 *  - /dev/zero has no ->uring_cmd, so io_uring itself fails the command
 *    with -EOPNOTSUPP, through both the synchronous handle and the prep
 *    helpers on a caller's ring;
 *  - /dev/null's ->uring_cmd (drivers/char/mem.c, since 6.0) completes
 *    every command with 0, which exercises the success path: cqe->res and
 *    the CQE32 second result word.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

static struct uringblk_dev *open_fake(const char *node)
{
	struct uringblk_dev *dev = NULL;
	int fd, ret;

	fd = open(node, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	ret = uringblk_dev_new(0, fd, NULL, true, &dev);
	if (ret == -ENOSYS || ret == -EPERM) {
		SKIP("io_uring unavailable");
		return NULL;
	}
	CHECK_EQ(ret, 0);
	return dev;
}

static void test_sync_ok(void)
{
	struct uringblk_stats stats;
	struct uringblk_dev *dev;
	struct uringblk_cmd cmd;
	__s32 res = 1;
	__u64 res2 = 1;

	dev = open_fake("/dev/null");
	if (!dev)
		return;
	uringblk_cmd_init(&cmd, 0, &stats, sizeof(stats));
	CHECK_EQ(uringblk_submit_cmd(dev, URINGBLK_CMD_GET_STATS, &cmd, &res,
				     &res2), 0);
	CHECK_EQ(res, 0);
	CHECK_EQ(res2, 0);
	CHECK_EQ(uringblk_get_stats(dev, &stats, 0), 0);
	uringblk_close(dev);
}

static void test_sync_unsupported(void)
{
	struct uringblk_identify id;
	struct uringblk_stats stats;
	struct uringblk_dev *dev;
	struct uringblk_cmd cmd;
	__s32 res = 1;
	__u64 res2 = 1;
	int ret;

	dev = open_fake("/dev/zero");
	if (!dev)
		return;

	memset(&id, 0x5a, sizeof(id));
	CHECK_EQ(uringblk_identify(dev, &id), -EOPNOTSUPP);
	CHECK_EQ(uringblk_get_stats(dev, &stats, 0), -EOPNOTSUPP);

	uringblk_cmd_init(&cmd, 0, &id, sizeof(id));
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_IDENTIFY, &cmd, &res, &res2);
	CHECK_EQ(ret, -EOPNOTSUPP);
	CHECK_EQ(res, -EOPNOTSUPP);
	CHECK_EQ(res2, 0);

	/* The ring is reusable after failures: many commands in a row. */
	for (int i = 0; i < 20; i++)
		CHECK_EQ(uringblk_identify(dev, &id), -EOPNOTSUPP);
	uringblk_close(dev);
}

static void test_caller_ring(void)
{
	struct uringblk_identify id;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd, ret;

	ret = io_uring_queue_init(8, &ring, IORING_SETUP_SQE128);
	if (ret < 0) {
		SKIP("io_uring unavailable");
		return;
	}
	fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);

	sqe = io_uring_get_sqe(&ring);
	CHECK(sqe != NULL);
	if (!sqe)
		goto out;
	uringblk_prep_identify(sqe, fd, &id);
	sqe->user_data = 0xfeed;
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	ret = io_uring_wait_cqe(&ring, &cqe);
	CHECK_EQ(ret, 0);
	if (!ret) {
		CHECK_EQ(cqe->user_data, 0xfeed);
		CHECK_EQ(cqe->res, -EOPNOTSUPP);
		io_uring_cqe_seen(&ring, cqe);
	}
out:
	close(fd);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	test_sync_ok();
	test_sync_unsupported();
	test_caller_ring();
	return test_summary("ring");
}
