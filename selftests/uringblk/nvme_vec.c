// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe passthrough's other ways in (driver/nvme.c, nvme_map.c, nvme_copy.c),
 * as Linux 6.1's drivers/nvme/host/ioctl.c has them:
 *  - the vectored commands NVME_IOCTL_IO64_CMD_VEC, NVME_URING_CMD_IO_VEC
 *    and NVME_URING_CMD_ADMIN_VEC: round trips through scattered iovecs,
 *    import_iovec()'s errnos (more than UIO_MAXIOV, an unreadable array, a
 *    negative length) after the flags and nsid checks, the transfer length
 *    being the iovecs' sum, more iovecs than one bio holds;
 *  - NVME_IOCTL_SUBMIT_IO: Read, Write and Compare, its -EINVALs;
 *  - misaligned buffers, bounced as the kernel bounces them, both ways,
 *    and a hole in one still -EFAULT;
 *  - an IOPOLL ring: NVMe reads and writes with their data, many in
 *    flight; admin commands -EOPNOTSUPP (6.1's controller node);
 *  - registered buffers (IORING_URING_CMD_FIXED): round trips, an offset
 *    inside the buffer, a misaligned one, a vectored command -EINVAL, an
 *    address outside the buffer -EFAULT;
 *  - Copy (19h): the data, a read and a write per range in the block
 *    device's counters, Identify's ONCS, OCFS, MSSRL, MCL, MSRC, the
 *    effects log, and every status in QEMU's order.
 * NVME_IOCTL_SUBMIT_IO32 and the compat paths need a 32-bit build of this
 * test; the guest runs 64-bit binaries only, so they are not run here.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_test.h"

#define LBA		512
#define NSZE		((16 << 20) / LBA)
#define MSSRL		1024	/* MDTS (512 KiB) in LBAs */
#define MCL		(4 * MSSRL)
#define DNR		0x4000
#define SC_INVALID_OPCODE	(DNR | 0x01)
#define SC_INVALID_FIELD	(DNR | 0x02)
#define SC_SGL_INVALID_DATA	(DNR | 0x0f)
#define SC_LBA_RANGE		(DNR | 0x80)
#define SC_CMD_SIZE_LIMIT	(DNR | 0x183)	/* SCT 1h; generic 83h: Reservation Conflict */
#define SC_COMPARE_FAILED	(DNR | 0x285)

enum { OP_WRITE = 0x01, OP_READ = 0x02, OP_COMPARE = 0x05, OP_IDENTIFY = 0x06,
       OP_GET_LOG = 0x02, OP_COPY = 0x19 };

static struct nvme_passthru_cmd64 rw(uint8_t opcode, uint64_t slba, uint32_t nlb,
				     void *buf)
{
	return (struct nvme_passthru_cmd64) {
		.opcode = opcode, .nsid = 1, .addr = (uintptr_t)buf,
		.data_len = nlb * LBA, .cdw10 = (uint32_t)slba,
		.cdw11 = slba >> 32, .cdw12 = nlb - 1,
	};
}

/* The vectored form: data_len counts the iovecs. */
static struct nvme_passthru_cmd64 rwv(uint8_t opcode, uint64_t slba, uint32_t nlb,
				      struct iovec *iov, int n)
{
	struct nvme_passthru_cmd64 c = rw(opcode, slba, nlb, iov);

	c.data_len = n;
	return c;
}

/* One URING_CMD with a registered buffer (@idx) or none (@idx < 0). */
static int nvme_uring_fixed(struct io_uring *ring, int fd, uint32_t cmd_op,
			    const struct nvme_passthru_cmd64 *c, int idx)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	if (idx >= 0) {
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = idx;
	}
	memcpy(sqe->cmd, c, sizeof(struct nvme_uring_cmd));
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* buf and buf2: 1 MiB each */
NVME_FIXTURE(nvv, ubt_module_ensure, "capacity_mb=16 nr_devices=1", 1 << 20, 2)

/* Written at @slba from one buffer, read back plainly: the bytes of seed @seed? */
static int read_check(struct __test_metadata *_metadata, int fd, uint8_t *tmp,
		      uint64_t slba, uint32_t nlb, uint32_t seed)
{
	struct nvme_passthru_cmd64 c = rw(OP_READ, slba, nlb, tmp);

	memset(tmp, 0, nlb * LBA);
	if (nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c))
		return -1;
	return ubt_check(tmp, nlb * LBA, slba * LBA, seed) == -1 ? 0 : 1;
}

/* Scattered iovecs, written by ioctl and URING_CMD, read back either way. */
TEST_F(nvv, vec_round_trip)
{
	uint8_t *src = self->buf, *dst = self->buf2;
	/* 8 LBAs in pieces: odd places, sizes multiple of 512 */
	struct iovec w[3] = {
		{ src + 8192, 512 }, { src + 65536 + 1024, 1024 }, { src + 4096 * 40, 2560 },
	};
	struct iovec r[4] = {
		{ dst + 4096 * 3, 1536 }, { dst + 4096 * 9, 512 }, { dst + 4096 * 20, 1024 },
		{ dst + 4096 * 30, 1024 },
	};
	struct nvme_passthru_cmd64 c;
	uint8_t flat[4096];
	size_t off = 0;

	ubt_fill(flat, 4096, 100 * LBA, 21);
	for (int i = 0; i < 3; off += w[i].iov_len, i++)
		memcpy(w[i].iov_base, flat + off, w[i].iov_len);
	c = rwv(OP_WRITE, 100, 8, w, 3);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf + (512 << 10), 100, 8, 21));
	c = rwv(OP_READ, 100, 8, r, 4);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	off = 0;
	for (int i = 0; i < 4; off += r[i].iov_len, i++) {
		ASSERT_EQ(0, memcmp(r[i].iov_base, flat + off, r[i].iov_len)) TH_LOG("iov %d", i);
	}

	/* URING_CMD_IO_VEC, another place and seed */
	ubt_fill(flat, 4096, 300 * LBA, 22);
	off = 0;
	for (int i = 0; i < 3; off += w[i].iov_len, i++)
		memcpy(w[i].iov_base, flat + off, w[i].iov_len);
	c = rwv(OP_WRITE, 300, 8, w, 3);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf + (512 << 10), 300, 8, 22));
	for (int i = 0; i < 4; i++)
		memset(r[i].iov_base, 0, r[i].iov_len);
	c = rwv(OP_READ, 300, 8, r, 4);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
	off = 0;
	for (int i = 0; i < 4; off += r[i].iov_len, i++) {
		ASSERT_EQ(0, memcmp(r[i].iov_base, flat + off, r[i].iov_len)) TH_LOG("iov %d", i);
	}

	/* odd sizes and places: bounced, same bytes */
	{
		struct iovec o[3] = { { dst + 3, 100 }, { dst + 5000, 1000 }, { dst + 9001, 2996 } };

		c = rwv(OP_READ, 300, 8, o, 3);
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
		ASSERT_EQ(0, memcmp(dst + 3, flat, 100));
		ASSERT_EQ(0, memcmp(dst + 5000, flat + 100, 1000));
		ASSERT_EQ(0, memcmp(dst + 9001, flat + 1100, 2996));
		ubt_fill(flat, 4096, 500 * LBA, 23);
		memcpy(src + 7, flat, 100);
		memcpy(src + 20001, flat + 100, 3996);
		o[0] = (struct iovec){ src + 7, 100 };
		o[1] = (struct iovec){ src + 20001, 3996 };
		c = rwv(OP_WRITE, 500, 8, o, 2);
		ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
		ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf + (512 << 10), 500, 8, 23));
	}
}

/* 300 iovecs of one LBA each, a page apart: more than one bio's vectors. */
TEST_F(nvv, vec_many_segments)
{
	const int n = 300;
	struct iovec *iov = calloc(n, sizeof(*iov));
	uint8_t *flat = malloc(n * LBA), *big = ubt_alloc(n * 4096);
	struct nvme_passthru_cmd64 c;

	ASSERT_NE(NULL, iov);
	ASSERT_NE(NULL, flat);
	ASSERT_NE(NULL, big);
	ubt_fill(flat, n * LBA, 2000 * LBA, 31);
	for (int i = 0; i < n; i++) {
		iov[i] = (struct iovec){ big + i * 4096, LBA };
		memcpy(big + i * 4096, flat + i * LBA, LBA);
	}
	c = rwv(OP_WRITE, 2000, n, iov, n);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf, 2000, n, 31));
	memset(big, 0, n * 4096);
	c = rwv(OP_READ, 2000, n, iov, n);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(0, memcmp(big + i * 4096, flat + i * LBA, LBA)) TH_LOG("iov %d", i);
	}
	munmap(big, n * 4096);
	free(flat);
	free(iov);
}

/* import_iovec()'s errnos, after flags and nsid; the sum is the transfer. */
TEST_F(nvv, vec_errnos)
{
	struct iovec *many = calloc(1025, sizeof(*many));
	struct iovec iov[2] = { { self->buf, 2048 }, { self->buf2, 2048 } };
	struct nvme_passthru_cmd64 c;
	void *hole;

	ASSERT_NE(NULL, many);
	hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	/* an unreadable iovec array */
	c = rwv(OP_READ, 0, 8, hole, 2);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	ASSERT_EQ(-EFAULT, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
	/* ... but nsid and flags come first */
	c.nsid = 2;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	c.nsid = 1;
	c.flags = 1;
	ASSERT_EQ(-EINVAL, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
	/* more than UIO_MAXIOV (1024) iovecs */
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ self->buf, 0 };
	many[0].iov_len = 4096;
	c = rwv(OP_READ, 0, 8, many, 1025);
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	/* 1024 are fine: the sum is 8 LBAs */
	c = rwv(OP_READ, 0, 8, many, 1024);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	/* a negative length */
	iov[1].iov_len = (size_t)-1;
	c = rwv(OP_READ, 0, 8, iov, 2);
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	ASSERT_EQ(-EINVAL, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
	/* a sum other than the command's: Data SGL Length Invalid */
	iov[1].iov_len = 1536;
	c = rwv(OP_READ, 0, 8, iov, 2);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	/* an iovec over the hole */
	iov[1] = (struct iovec){ hole, 2048 };
	c = rwv(OP_READ, 0, 8, iov, 2);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	ASSERT_EQ(-EFAULT, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, NULL));
	/* zero iovecs: no data */
	c = rwv(OP_READ, 0, 1, iov, 0);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD_VEC, &c));
	/* the vectored ioctl is for I/O; ADMIN_VEC for admin commands */
	c = rwv(0x06, 0, 1, iov, 2);
	c.opcode = OP_IDENTIFY;
	c.cdw10 = 1;
	c.cdw12 = 0;
	iov[0] = (struct iovec){ self->buf, 1024 };
	iov[1] = (struct iovec){ self->buf2 + 4096, 3072 };
	memset(self->buf, 0, 8192);
	memset(self->buf2, 0, 8192);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN_VEC, &c, NULL));
	{
		struct nvme_passthru_cmd64 id = rw(OP_IDENTIFY, 0, 8, self->buf2 + 65536);

		id.nsid = 0;
		id.cdw10 = 1;
		id.cdw11 = 0;
		id.cdw12 = 0;
		id.data_len = 4096;
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &id));
		ASSERT_EQ(0, memcmp(self->buf, self->buf2 + 65536, 1024));
		ASSERT_EQ(0, memcmp(self->buf2 + 4096, self->buf2 + 65536 + 1024, 3072));
	}
	munmap(hole, 4096);
	free(many);
}

/* NVME_IOCTL_SUBMIT_IO: Write, Read, Compare as nvme_submit_io() builds them. */
TEST_F(nvv, submit_io)
{
	struct nvme_user_io io = {
		.opcode = OP_WRITE, .nblocks = 7, .slba = 40,
		.addr = (uintptr_t)self->buf,
	};

	ubt_fill(self->buf, 4096, 40 * LBA, 41);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf2, 40, 8, 41));
	io.opcode = OP_READ;
	io.addr = (uintptr_t)(self->buf2 + 4096);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	ASSERT_EQ(-1, ubt_check(self->buf2 + 4096, 4096, 40 * LBA, 41));
	/* misaligned: bounced */
	io.addr = (uintptr_t)(self->buf2 + 8195);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	ASSERT_EQ(-1, ubt_check(self->buf2 + 8195, 4096, 40 * LBA, 41));
	io.opcode = OP_COMPARE;
	io.addr = (uintptr_t)self->buf;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	self->buf[4000] ^= 1;
	ASSERT_EQ(SC_COMPARE_FAILED, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	/* the device's checks: LBA Out of Range */
	io.opcode = OP_READ;
	io.slba = NSZE - 4;
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	/* the host's: flags, an opcode other than Read/Write/Compare, in that order */
	io.slba = 40;
	io.flags = 1;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	io.flags = 0;
	for (int op = 0; op < 256; op++) {
		if (op == OP_WRITE || op == OP_READ || op == OP_COMPARE)
			continue;
		io.opcode = op;
		EXPECT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io)) {
			TH_LOG("%#x", op);
		}
	}
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, (void *)8));
	/* metadata is not looked at: this namespace has none */
	io.opcode = OP_READ;
	io.metadata = 3;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	/* without CAP_SYS_ADMIN on a read-only open: Read yes, Write -EACCES */
	{
		int ro = ubt_open_cdev(0, O_RDONLY);

		ASSERT_LE(0, ro);
		ASSERT_EQ(0, drop_sys_admin());
		ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_SUBMIT_IO, &io));
		io.opcode = OP_WRITE;
		ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_SUBMIT_IO, &io));
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
		close(ro);
	}
}

/* Misaligned buffers are bounced both ways; a hole in one is still -EFAULT. */
TEST_F(nvv, misaligned_bounce)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *hole;

	ubt_fill(self->buf + 3, 8192, 64 * LBA, 51);
	c = rw(OP_WRITE, 64, 16, self->buf + 3);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf2, 64, 16, 51));
	c = rw(OP_READ, 64, 16, self->buf2 + 100001);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(-1, ubt_check(self->buf2 + 100001, 8192, 64 * LBA, 51));
	ubt_fill(self->buf + 61, 8192, 64 * LBA, 52);
	c = rw(OP_WRITE, 64, 16, self->buf + 61);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = rw(OP_READ, 64, 16, self->buf2 + 7);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-1, ubt_check(self->buf2 + 7, 8192, 64 * LBA, 52));
	/* Compare from a misaligned buffer */
	c = rw(OP_COMPARE, 64, 16, self->buf2 + 7);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	/* half of a misaligned buffer unmapped: -EFAULT both ways, nothing written */
	hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole + 4096, 4096));
	c = rw(OP_READ, 64, 16, hole + 5);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EFAULT, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = rw(OP_WRITE, 64, 16, hole + 5);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EFAULT, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf2, 64, 16, 52));
	munmap(hole, 4096);
}

/* An IOPOLL ring: NVMe I/O works, many in flight; admin -EOPNOTSUPP. */
TEST_F(nvv, iopoll_ring)
{
	struct io_uring r;
	struct io_uring_cqe *cqe;
	struct nvme_passthru_cmd64 c;
	const int n = 32;
	int done = 0;

	ASSERT_EQ(0, io_uring_queue_init(n, &r, IORING_SETUP_SQE128 | IORING_SETUP_CQE32 |
					 IORING_SETUP_IOPOLL));
	ubt_fill(self->buf, 8192, 800 * LBA, 61);
	c = rw(OP_WRITE, 800, 16, self->buf);
	ASSERT_EQ(0, nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = rw(OP_READ, 800, 16, self->buf2);
	ASSERT_EQ(0, nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(-1, ubt_check(self->buf2, 8192, 800 * LBA, 61));
	/* a device status and a host errno complete too */
	c = rw(OP_READ, NSZE, 1, self->buf2);
	ASSERT_EQ(SC_LBA_RANGE, nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c.nsid = 5;
	ASSERT_EQ(-EINVAL, nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL));
	/* a command run from io-wq (Write Zeroes) */
	c = rw(0x08, 800, 1, NULL);
	ASSERT_EQ(0, nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL));
	/* admin: 6.1's controller node refuses IOPOLL */
	c = rw(OP_IDENTIFY, 0, 8, self->buf2);
	c.cdw10 = 1;
	c.cdw12 = 0;
	ASSERT_EQ(-EOPNOTSUPP, nvme_uring(&r, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	ASSERT_EQ(-EOPNOTSUPP, nvme_uring(&r, self->fd, NVME_URING_CMD_ADMIN_VEC, &c, NULL));
	/* 32 writes in flight, then reads, every CQE */
	ubt_fill(self->buf, 1 << 20, 4096 * LBA, 62);
	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r);

		c = rw(OP_WRITE, 4096 + i * 64, 64, self->buf + i * 32768);
		ASSERT_NE(NULL, sqe);
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = self->fd;
		sqe->cmd_op = NVME_URING_CMD_IO;
		sqe->user_data = i;
		memcpy(sqe->cmd, &c, sizeof(struct nvme_uring_cmd));
	}
	ASSERT_EQ(n, io_uring_submit(&r));
	while (done < n) {
		ASSERT_EQ(0, io_uring_wait_cqe(&r, &cqe));
		EXPECT_EQ(0, cqe->res) TH_LOG("write %llu", (unsigned long long)cqe->user_data);
		io_uring_cqe_seen(&r, cqe);
		done++;
	}
	memset(self->buf2, 0, 1 << 20);
	c = rw(OP_READ, 4096, 1024, self->buf2);
	ASSERT_EQ(0, nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = rw(OP_READ, 5120, 1024, self->buf2 + (512 << 10));
	ASSERT_EQ(0, nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(-1, ubt_check(self->buf2, 1 << 20, 4096 * LBA, 62));
	io_uring_queue_exit(&r);
}

/* IORING_URING_CMD_FIXED: a registered buffer, as fio --fixedbufs. */
TEST_F(nvv, fixed_buffers)
{
	struct iovec reg[2] = { { self->buf, 1 << 20 }, { self->buf2, 1 << 20 } };
	struct nvme_passthru_cmd64 c;
	struct iovec iov = { self->buf, 4096 };

	ASSERT_EQ(0, io_uring_register_buffers(&self->ring, reg, 2));
	ubt_fill(self->buf + 65536, 16384, 1200 * LBA, 71);
	c = rw(OP_WRITE, 1200, 32, self->buf + 65536);
	ASSERT_EQ(0, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 0));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf2 + (512 << 10), 1200, 32, 71));
	memset(self->buf2, 0, 65536);
	c = rw(OP_READ, 1200, 32, self->buf2 + 4096);
	ASSERT_EQ(0, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 1));
	ASSERT_EQ(-1, ubt_check(self->buf2 + 4096, 16384, 1200 * LBA, 71));
	/* misaligned inside the registered buffer: bounced */
	c = rw(OP_READ, 1200, 32, self->buf2 + 333);
	ASSERT_EQ(0, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 1));
	ASSERT_EQ(-1, ubt_check(self->buf2 + 333, 16384, 1200 * LBA, 71));
	ubt_fill(self->buf + 77, 4096, 1300 * LBA, 72);
	c = rw(OP_WRITE, 1300, 8, self->buf + 77);
	ASSERT_EQ(0, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 0));
	ASSERT_EQ(0, read_check(_metadata, self->fd, self->buf2 + (512 << 10), 1300, 8, 72));
	/* Compare from a registered buffer */
	c = rw(OP_COMPARE, 1300, 8, self->buf + 77);
	ASSERT_EQ(0, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 0));
	/* an address outside the buffer given: -EFAULT */
	c = rw(OP_READ, 1200, 32, self->buf2 + 4096);
	ASSERT_EQ(-EFAULT, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 0));
	c = rw(OP_READ, 1200, 32, self->buf + (1 << 20) - 4096);
	ASSERT_EQ(-EFAULT, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 0));
	/* an index past the registered ones: io_uring's -EFAULT */
	c = rw(OP_READ, 1200, 32, self->buf);
	ASSERT_EQ(-EFAULT, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO, &c, 2));
	/* a vectored command cannot take a registered buffer */
	c = rwv(OP_READ, 0, 8, &iov, 1);
	ASSERT_EQ(-EINVAL, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_IO_VEC, &c, 0));
	/* admin commands may: Identify into the second buffer */
	c = rw(OP_IDENTIFY, 0, 8, self->buf2 + 8192);
	c.nsid = 0;
	c.cdw10 = 1;
	c.cdw12 = 0;
	memset(self->buf2 + 8192, 0, 4096);
	ASSERT_EQ(0, nvme_uring_fixed(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, 1));
	ASSERT_EQ(0, memcmp(self->buf2 + 8192 + 24, "uringblk", 8));
	/* fixed buffers on an IOPOLL ring (fio --hipri --fixedbufs) */
	{
		struct io_uring r;

		ASSERT_EQ(0, io_uring_queue_init(4, &r, IORING_SETUP_SQE128 |
						 IORING_SETUP_CQE32 | IORING_SETUP_IOPOLL));
		ASSERT_EQ(0, io_uring_register_buffers(&r, reg, 2));
		memset(self->buf2, 0, 65536);
		c = rw(OP_READ, 1200, 32, self->buf2);
		ASSERT_EQ(0, nvme_uring_fixed(&r, self->fd, NVME_URING_CMD_IO, &c, 1));
		ASSERT_EQ(-1, ubt_check(self->buf2, 16384, 1200 * LBA, 71));
		io_uring_queue_exit(&r);
	}
	io_uring_unregister_buffers(&self->ring);
}

/* The namespace nodes (CP n2, SLM n3) take neither the vectored ioctl nor SUBMIT_IO. */
TEST_F(nvv, ns_nodes_not_vectored)
{
	struct iovec iov = { self->buf, 4096 };
	struct nvme_user_io io = { .opcode = OP_READ, .addr = (uintptr_t)self->buf };
	struct nvme_passthru_cmd64 c;

	for (int nsid = 2; nsid <= 3; nsid++) {
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/dev/uringblkc0n%d", nsid);
		fd = open(path, O_RDWR);
		if (fd < 0)
			SKIP(return, "%s: %s", path, strerror(errno));
		ASSERT_EQ(nsid, nvme_ioctl(fd, NVME_IOCTL_ID, NULL));
		c = rwv(OP_READ, 0, 8, &iov, 1);
		c.nsid = nsid;
		EXPECT_EQ(-ENOTTY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD_VEC, &c));
		EXPECT_EQ(-ENOTTY, nvme_ioctl(fd, NVME_IOCTL_SUBMIT_IO, &io));
		EXPECT_EQ(-ENOTTY, nvme_uring(&self->ring, fd, NVME_URING_CMD_IO_VEC, &c, NULL));
		close(fd);
	}
}

/*
 * The drive's requests done (its own read_ops and write_ops: the block
 * layer's /sys/block/uringblk0/stat is off by default, as brd's).
 */
static int blk_ios(uint64_t *rd, uint64_t *wr)
{
	struct uringblk_stats st;

	if (ubt_sysfs_stats(0, &st))
		return -1;
	*rd = st.read_ops;
	*wr = st.write_ops;
	return 0;
}

/* Copy's source ranges, format 0: 32 bytes, SLBA at 8, NLB (0's based) at 16. */
static void copy_range(uint8_t *d, uint64_t slba, uint16_t nlb0)
{
	memset(d, 0, 32);
	memcpy(d + 8, &slba, 8);
	memcpy(d + 16, &nlb0, 2);
}

static struct nvme_passthru_cmd64 copy_cmd(uint64_t sdlba, uint32_t nr, void *ranges)
{
	struct nvme_passthru_cmd64 c = rw(OP_COPY, sdlba, 1, ranges);

	c.data_len = nr * 32;
	c.cdw12 = nr - 1;
	return c;
}

TEST_F(nvv, copy)
{
	uint8_t *r = ubt_alloc(8192);	/* the ranges, apart from the data */
	uint8_t id[4096] __attribute__((aligned(4096)));
	struct nvme_passthru_cmd64 c;
	uint32_t mcl;
	uint16_t mssrl;

	ASSERT_NE(NULL, r);
	/* Identify: ONCS bit 8, OCFS format 0, MSSRL, MCL, MSRC */
	c = rw(OP_IDENTIFY, 0, 8, id);
	c.nsid = 0;
	c.cdw10 = 1;
	c.cdw12 = 0;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_TRUE(id[520 + 1] & 1);		/* oncs bit 8 */
	ASSERT_EQ(1, id[534]);			/* ocfs */
	c.nsid = 1;
	c.cdw10 = 0;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	memcpy(&mssrl, id + 74, 2);
	memcpy(&mcl, id + 76, 4);
	ASSERT_EQ(MSSRL, mssrl);
	ASSERT_EQ(MCL, mcl);
	ASSERT_EQ(127, id[80]);
	/* the effects log: CSUPP and LBCC */
	c = rw(OP_GET_LOG, 0, 8, id);
	c.nsid = 0xffffffff;
	c.cdw10 = 0x05 | (1023 << 16);
	c.cdw11 = 0;
	c.cdw12 = 0;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(3, id[1024 + 0x19 * 4]);

	/* the data: three ranges, one 1 LBA, one MSSRL, one overlapping the first */
	ubt_fill(self->buf, 1024 * LBA, 3000 * LBA, 81);
	c = rw(OP_WRITE, 3000, 1024, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	copy_range(r, 3000, 0);
	copy_range(r + 32, 3001, MSSRL - 1);
	copy_range(r + 64, 3000, 9);
	c = copy_cmd(20000, 3, r);
	{
		uint64_t rd0, wr0, rd1, wr1;

		/* through the block path: one read and one write per range */
		ASSERT_EQ(0, blk_ios(&rd0, &wr0));
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
		ASSERT_EQ(0, blk_ios(&rd1, &wr1));
		EXPECT_EQ(3, rd1 - rd0);
		EXPECT_EQ(3, wr1 - wr0);
	}
	memset(self->buf2, 0, 1 << 20);
	c = rw(OP_READ, 20000, 1, self->buf2);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf2, self->buf, LBA));
	c = rw(OP_READ, 20001, MSSRL, self->buf2);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(0, memcmp(self->buf2, self->buf + LBA, (MSSRL - 1) * LBA));
	c = rw(OP_READ, 20001 + MSSRL, 10, self->buf2);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf2, self->buf, 10 * LBA));
	/* by URING_CMD (io-wq), with FUA */
	c = copy_cmd(30000, 1, r + 64);
	c.cdw12 |= 1u << 30;
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = rw(OP_READ, 30000, 10, self->buf2);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf2, self->buf, 10 * LBA));

	/* statuses, in order; nothing written by a refused Copy */
	c = copy_cmd(20000, 1, r);
	c.cdw12 |= 1 << 8;			/* format 1 */
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = copy_cmd(20000, 128, r);		/* 128 ranges: MSRC's limit */
	for (int i = 0; i < 128; i++)
		copy_range(r + 32 * i, 3000, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c.cdw12 = 128;				/* 129 */
	c.data_len = 129 * 32;
	ASSERT_EQ(SC_CMD_SIZE_LIMIT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = copy_cmd(20000, 2, r);
	c.data_len = 63;			/* shorter than the ranges */
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	copy_range(r, 3000, MSSRL);		/* one LBA more than MSSRL */
	copy_range(r + 32, NSZE, 0);		/* and then one out of range */
	c = copy_cmd(20000, 2, r);
	ASSERT_EQ(SC_CMD_SIZE_LIMIT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	copy_range(r, 3000, 0);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	copy_range(r + 32, NSZE - 1, 1);	/* past the end by one */
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	for (int i = 0; i < 5; i++)		/* 5 x MSSRL > MCL */
		copy_range(r + 32 * i, 0, MSSRL - 1);
	c = copy_cmd(20000, 5, r);
	ASSERT_EQ(SC_CMD_SIZE_LIMIT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = copy_cmd(NSZE - 4 * MSSRL, 4, r);	/* MCL exactly, to the end */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = copy_cmd(NSZE - 4 * MSSRL + 1, 4, r);	/* the destination past the end */
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = copy_cmd(~0ULL, 1, r);
	ASSERT_EQ(SC_LBA_RANGE, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	/* the data at 20000 is still the first Copy's */
	c = rw(OP_READ, 20000, 1, self->buf2);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf2, self->buf, LBA));
	/* Copy writes: not on a read-only open without CAP_SYS_ADMIN */
	{
		int ro = ubt_open_cdev(0, O_RDONLY);

		ASSERT_LE(0, ro);
		ASSERT_EQ(0, drop_sys_admin());
		c = copy_cmd(20000, 1, r);
		ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
		close(ro);
	}
}

TEST_HARNESS_MAIN

/* Write @val to drive 0's fault knob @knob; 0 or -errno. */
static int fault_knob(const char *knob, const char *val)
{
	char path[96];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/block/uringblk0/fault/%s", knob);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * A command issued from an io-wq worker that its ring's thread created in
 * task work on the way back to user mode from an interrupt, not from a
 * system call: such a worker's saved registers are the interrupt's
 * (orig_ax -1), in which x86's in_compat_syscall() sees the x32 bit, so a
 * pointer taken as a 32-bit caller's lost its upper half and the command
 * answered -EFAULT (fuzz_cmds, seed 4766228396738376210).  Two Copies go
 * to io-wq (they may sleep), the second vectored (its iovec array read as
 * a 64-bit one); the first sleeps in its delayed bio, so io-wq asks this
 * thread for a second worker, by task work, while this thread spins in
 * user mode until both complete.
 */
TEST_F(nvv, iowq_worker_from_irq)
{
	struct iovec *iov = (struct iovec *)self->buf2;
	struct nvme_passthru_cmd64 c[2];
	struct io_uring_cqe *cqe;
	int round, i, seen;

	ASSERT_EQ(0, fault_knob("delay_us", "200000"));
	copy_range(self->buf, 10, 0);
	c[0] = copy_cmd(100, 1, self->buf);
	iov[0] = (struct iovec){ self->buf, 32 };
	c[1] = copy_cmd(200, 1, iov);
	c[1].data_len = 1;		/* one iovec */
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 2; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&self->ring);
			struct nvme_uring_cmd *u;

			ASSERT_NE(NULL, sqe);
			memset(sqe, 0, 128);
			sqe->opcode = IORING_OP_URING_CMD;
			sqe->fd = self->fd;
			sqe->cmd_op = i ? NVME_URING_CMD_IO_VEC : NVME_URING_CMD_IO;
			sqe->user_data = i;
			u = (struct nvme_uring_cmd *)sqe->cmd;
			memcpy(u, &c[i], sizeof(*u));
		}
		ASSERT_EQ(2, io_uring_submit(&self->ring));
		/* in user mode, no system call, until both are done */
		for (seen = 0; seen < 2;) {
			if (io_uring_peek_cqe(&self->ring, &cqe))
				continue;
			EXPECT_EQ(0, cqe->res) TH_LOG("round %d, Copy %llu", round,
						      (unsigned long long)cqe->user_data);
			io_uring_cqe_seen(&self->ring, cqe);
			seen++;
		}
	}
	ASSERT_EQ(0, fault_knob("clear", "1"));
}
