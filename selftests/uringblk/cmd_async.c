// SPDX-License-Identifier: GPL-2.0
/*
 * Commands issued the other ways io_uring can issue them: linked to other
 * SQEs, from an SQPOLL thread, and from io-wq worker threads (IOSQE_ASYNC,
 * which real applications also get for linked or drained requests).
 *
 * In Linux 6.1, io_uring_cmd() hands a positive ->uring_cmd() return value
 * back to io_issue_sqe(), which only completes IOU_OK (0): inline, the
 * value reaches the CQE through the failure path (marking the request
 * failed, so a link after it is cancelled); from io-wq nothing completes
 * the request at all and it leaks with its file reference, pinning the
 * module.  A driver must therefore complete successful commands with
 * io_uring_cmd_done() and return -EIOCBQUEUED.  These tests check the
 * behaviour a client sees.  Waits are bounded, but a leaked request keeps
 * the module loaded for good, which is why this program runs last
 * (through cmd_async.sh).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define PARAMS		"capacity_mb=64"
#define WAIT_SEC	10

FIXTURE(async) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify ref;
};

FIXTURE_SETUP(async)
{
	UBT_SETUP_MODULE(ubt_module_ensure, PARAMS);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->ref), ubt_identify(&self->ring, self->cfd, &self->ref));
}

FIXTURE_TEARDOWN(async)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
}

static void prep_cmd(struct io_uring *ring, struct io_uring_sqe *sqe, int fd,
		     uint32_t op, const struct uringblk_cmd *cmd, uint8_t flags,
		     uint64_t user_data)
{
	memset(sqe, 0, (ring->flags & IORING_SETUP_SQE128) ? 128 : 64);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	sqe->flags = flags;
	sqe->user_data = user_data;
	memcpy(sqe->cmd, cmd, sizeof(*cmd));
}

/* Wait for one CQE at most WAIT_SEC; its res and user_data, or -ETIME. */
static int wait_one(struct io_uring *ring, uint64_t *user_data)
{
	struct __kernel_timespec ts = { .tv_sec = WAIT_SEC };
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
	if (ret)
		return ret;
	ret = cqe->res;
	if (user_data)
		*user_data = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* A successful command does not break the link it heads. */
TEST_F(async, linked_after_success)
{
	struct uringblk_identify id;
	struct uringblk_cmd cmd;
	struct io_uring_sqe *nop;
	int res[2] = { 1, 1 }, i, r;
	uint64_t ud;

	ubt_cmd_init(&cmd, &id, sizeof(id));
	prep_cmd(&self->ring, io_uring_get_sqe(&self->ring), self->cfd,
		 URINGBLK_CMD_IDENTIFY, &cmd, IOSQE_IO_LINK, 0);
	nop = io_uring_get_sqe(&self->ring);
	io_uring_prep_nop(nop);
	nop->user_data = 1;
	ASSERT_EQ(2, io_uring_submit(&self->ring));
	for (i = 0; i < 2; i++) {
		r = wait_one(&self->ring, &ud);
		ASSERT_NE(-ETIME, r) TH_LOG("no completion within %d s", WAIT_SEC);
		ASSERT_GT(2, ud);
		res[ud] = r;
	}
	EXPECT_EQ(sizeof(id), res[0]);
	EXPECT_EQ(0, res[1]) TH_LOG("the NOP linked after a successful IDENTIFY "
				    "got %d (%s)", res[1], strerror(-res[1]));
	EXPECT_EQ(0, memcmp(&id, &self->ref, sizeof(id)));
}

/* A failed command cancels the rest of its link, as any failed SQE does. */
TEST_F(async, linked_after_failure)
{
	struct uringblk_identify id;
	struct uringblk_cmd cmd;
	struct io_uring_sqe *nop;
	int res[2] = { 1, 1 }, i, r;
	uint64_t ud;

	ubt_cmd_init(&cmd, &id, sizeof(id));
	cmd.rsvd0 = 1;
	prep_cmd(&self->ring, io_uring_get_sqe(&self->ring), self->cfd,
		 URINGBLK_CMD_IDENTIFY, &cmd, IOSQE_IO_LINK, 0);
	nop = io_uring_get_sqe(&self->ring);
	io_uring_prep_nop(nop);
	nop->user_data = 1;
	ASSERT_EQ(2, io_uring_submit(&self->ring));
	for (i = 0; i < 2; i++) {
		r = wait_one(&self->ring, &ud);
		ASSERT_NE(-ETIME, r);
		ASSERT_GT(2, ud);
		res[ud] = r;
	}
	EXPECT_EQ(-EINVAL, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
}

/* Commands submitted by the kernel's SQPOLL thread. */
TEST_F(async, sqpoll_ring)
{
	struct uringblk_identify id;
	struct io_uring ring;
	int ret;

	ret = ubt_ring_init(&ring, IORING_SETUP_SQPOLL);
	ASSERT_EQ(0, ret) TH_LOG("SQPOLL ring: %s", strerror(-ret));
	EXPECT_EQ(sizeof(id), ubt_identify(&ring, self->cfd, &id));
	EXPECT_EQ(0, memcmp(&id, &self->ref, sizeof(id)));
	io_uring_queue_exit(&ring);
}

/* Errors from io-wq complete normally (negative results always did). */
TEST_F(async, async_error)
{
	struct uringblk_stats st;
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, &st, sizeof(st));
	cmd.rsvd0 = 1;
	prep_cmd(&self->ring, io_uring_get_sqe(&self->ring), self->cfd,
		 URINGBLK_CMD_GET_STATS, &cmd, IOSQE_ASYNC, 0);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, wait_one(&self->ring, NULL));
}

/*
 * A successful command from an io-wq worker (IOSQE_ASYNC): it must
 * complete with the reply size and the same reply as inline.  Last: if the
 * driver returns the size from ->uring_cmd(), 6.1 never completes this
 * request and its file stays referenced.
 */
TEST_F(async, zz_async_success)
{
	struct uringblk_identify id;
	struct uringblk_stats st;
	struct uringblk_cmd cmd;
	int r;

	memset(&id, 0, sizeof(id));
	ubt_cmd_init(&cmd, &id, sizeof(id));
	prep_cmd(&self->ring, io_uring_get_sqe(&self->ring), self->cfd,
		 URINGBLK_CMD_IDENTIFY, &cmd, IOSQE_ASYNC, 0);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	r = wait_one(&self->ring, NULL);
	ASSERT_NE(-ETIME, r) TH_LOG("IDENTIFY with IOSQE_ASYNC did not complete within "
				    "%d s: the request (and the file it holds) leaked",
				    WAIT_SEC);
	EXPECT_EQ(sizeof(id), r);
	EXPECT_EQ(0, memcmp(&id, &self->ref, sizeof(id)));

	ubt_cmd_init(&cmd, &st, sizeof(st));
	prep_cmd(&self->ring, io_uring_get_sqe(&self->ring), self->cfd,
		 URINGBLK_CMD_GET_STATS, &cmd, IOSQE_ASYNC, 0);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	r = wait_one(&self->ring, NULL);
	ASSERT_NE(-ETIME, r) TH_LOG("GET_STATS with IOSQE_ASYNC did not complete");
	EXPECT_EQ(sizeof(st), r);
}

TEST_HARNESS_MAIN
