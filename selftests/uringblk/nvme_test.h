/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the NVMe passthrough tests (nvme_*.c) share: one command by ioctl
 * or by URING_CMD, a process without CAP_SYS_ADMIN, and the fixture most
 * of them use (NVME_FIXTURE()).  Include after ../kselftest_harness.h.
 */
#ifndef URINGBLK_NVME_TEST_H
#define URINGBLK_NVME_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/nvme_ioctl.h>

#include "uringblk_test.h"

/* The syscall's value, or -errno. */
static inline int nvme_ioctl(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

/* URING_CMD: cqe->res; big_cqe[0] in *res2 (with CQE32). */
static inline int nvme_uring(struct io_uring *ring, int fd, uint32_t cmd_op,
			     const struct nvme_passthru_cmd64 *c, uint64_t *res2)
{
	struct nvme_uring_cmd uc;
	struct uringblk_cmd raw;

	memcpy(&uc, c, sizeof(uc));
	memset(&raw, 0, sizeof(raw));
	memcpy(&raw, &uc, sizeof(uc));
	return ubt_uring_cmd(ring, fd, cmd_op, &raw, res2);
}

/* Fill an SQE128 slot with an NVME_URING_CMD_IO of @c, not submitted. */
static inline void nvme_uring_prep(struct io_uring_sqe *sqe, int fd,
				   const struct nvme_passthru_cmd64 *c,
				   uint64_t user_data, uint8_t flags)
{
	memset(sqe, 0, 2 * sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	sqe->flags = flags;
	sqe->user_data = user_data;
	memcpy(sqe->cmd, c, sizeof(struct nvme_uring_cmd));
}

/* Drop CAP_SYS_ADMIN from the effective set (this test's process only). */
static inline int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* Little-endian fields of the drive's data structures. */
static inline uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* An NVMe command for the 64-bit ioctls and, less its result, URING_CMD. */
static inline struct nvme_passthru_cmd64 cmd64(uint8_t opcode, uint32_t nsid, void *buf,
					       uint32_t len)
{
	return (struct nvme_passthru_cmd64) {
		.opcode = opcode, .nsid = nsid,
		.addr = (uintptr_t)buf, .data_len = len,
	};
}

/*
 * NVME_FIXTURE(name, load, params, buf_len, nbufs): the kselftest fixture
 * @name of a test on drive 0: the module loaded through @load
 * (ubt_module_ensure or ubt_module_reload) with @params, self->fd drive
 * 0's command device open read-write, self->ring a ubt_ring_init() ring
 * (SQE128, CQE32), self->buf and, when @nbufs is 2, self->buf2 (else NULL)
 * page-aligned buffers of @buf_len bytes.
 */
#define NVME_FIXTURE(name, load, params, buf_len, nbufs)		\
FIXTURE(name) {								\
	struct io_uring ring;						\
	int fd;								\
	uint8_t *buf;							\
	uint8_t *buf2;							\
};									\
FIXTURE_SETUP(name)							\
{									\
	self->ring.ring_fd = -1;					\
	self->fd = -1;							\
	UBT_SETUP_MODULE(load, params);					\
	self->fd = ubt_open_cdev(0, O_RDWR);				\
	ASSERT_LE(0, self->fd);						\
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));			\
	self->buf = ubt_alloc(buf_len);					\
	ASSERT_NE(NULL, self->buf);					\
	if ((nbufs) > 1) {						\
		self->buf2 = ubt_alloc(buf_len);			\
		ASSERT_NE(NULL, self->buf2);				\
	}								\
}									\
FIXTURE_TEARDOWN(name)							\
{									\
	if (self->fd >= 0)						\
		close(self->fd);					\
	if (self->ring.ring_fd >= 0)					\
		io_uring_queue_exit(&self->ring);			\
	if (self->buf)							\
		munmap(self->buf, buf_len);				\
	if (self->buf2)							\
		munmap(self->buf2, buf_len);				\
}

#endif /* URINGBLK_NVME_TEST_H */
