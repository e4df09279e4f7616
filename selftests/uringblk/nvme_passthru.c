// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe passthrough on the command device (driver/nvme.c): Linux 6.1's
 * contract of drivers/nvme/host/ioctl.c, checked one rule at a time, and
 * the device's answers to I/O, checked one status at a time (Identify,
 * logs and features: nvme_admin.c):
 *  - NVME_IOCTL_ID is the NSID; an unknown ioctl -ENOTTY; an unreadable
 *    command -EFAULT; flags -EINVAL; an I/O command's nsid other than 1
 *    -EINVAL (admin commands are the controller's: any nsid); the CP and
 *    SLM namespaces (NSID 2, 3) have their own nodes, tested in nvme_slm.c;
 *  - URING_CMD without SQE128 or without CQE32 -EOPNOTSUPP, and the same
 *    checks as the ioctls; big_cqe[0] is the result (0); on an IOPOLL
 *    ring I/O works and admin commands get -EOPNOTSUPP;
 *  - the return value: 0, a positive NVMe status (with DNR), or -errno;
 *    the result field written back with a status, untouched with an errno;
 *  - Read, Write, Flush through the ioctls (32- and 64-bit) and URING_CMD,
 *    the data the block device reads; LBA Out of Range, a data length
 *    other than the command's (Data SGL Length Invalid), unknown opcodes,
 *    metadata, an unmapped buffer (misaligned ones: nvme_vec.c); Write
 *    Zeroes, Dataset Management, Compare;
 *  - permissions: without CAP_SYS_ADMIN, Identify 00h/01h and Read for a
 *    read-only open, Write and Flush only on a node open for writing,
 *    Identify 02h, other admin and unknown I/O opcodes -EACCES; with it,
 *    Write on a read-only open (6.1's rule).
 * The runner fails the test if the kernel logs a warning meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_passthru.h"

NV_FIXTURE()

TEST_F(nv, ioctl_id_and_unknown)
{
	ASSERT_EQ(1, nvme_ioctl(self->fd, NVME_IOCTL_ID, NULL));
	ASSERT_EQ(-ENOTTY, nvme_ioctl(self->fd, NVME_IOCTL_RESET, NULL));
	ASSERT_EQ(-ENOTTY, nvme_ioctl(self->fd, _IO('N', 0x7f), NULL));
	/* the drive's own commands are URING_CMDs, never ioctls */
	ASSERT_EQ(-ENOTTY, nvme_ioctl(self->fd, URINGBLK_CMD_IDENTIFY, self->buf));
}

TEST_F(nv, ioctl_efault)
{
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN_CMD, (void *)8));
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, (void *)8));
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO_CMD, (void *)8));
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, (void *)8));
}

/* flags, then nsid (I/O only), in the kernel's order. */
TEST_F(nv, flags_and_nsid)
{
	struct nvme_passthru_cmd64 c = identify(0x01, 0, self->buf);
	uint64_t res2 = 1;

	c.flags = 1;
	c.result = 0x5a5a;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0x5a5a, c.result);	/* an errno: result untouched */
	ASSERT_EQ(-EINVAL, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	/* admin: any nsid */
	c = identify(0x01, 7, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2));
	ASSERT_EQ(0, res2);

	c = rw(OP_READ, 0, 1, self->buf);
	c.nsid = 0;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c.nsid = 2;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EINVAL, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c.nsid = 1;
	c.flags = 0x40;		/* a PSDT value: still flags */
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EINVAL, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c.flags = 0;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
}

/* NVMe passthrough requires both SQE128 and CQE32. */
TEST_F(nv, uring_needs_big_sqe_and_cqe)
{
	struct nvme_passthru_cmd64 c = identify(0x01, 0, self->buf);
	struct io_uring r;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	const unsigned int setups[] = { IORING_SETUP_SQE128, IORING_SETUP_CQE32, 0 };

	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, io_uring_queue_init(4, &r, setups[i]));
		sqe = io_uring_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		memset(sqe, 0, (setups[i] & IORING_SETUP_SQE128) ? 128 : 64);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = self->fd;
		sqe->cmd_op = i ? NVME_URING_CMD_IO : NVME_URING_CMD_ADMIN;
		if (setups[i] & IORING_SETUP_SQE128)
			memcpy(sqe->cmd, &c, sizeof(struct nvme_uring_cmd));
		ASSERT_EQ(1, io_uring_submit(&r));
		ASSERT_EQ(0, io_uring_wait_cqe(&r, &cqe));
		EXPECT_EQ(-EOPNOTSUPP, cqe->res) TH_LOG("setup flags %#x", setups[i]);
		io_uring_cqe_seen(&r, cqe);
		io_uring_queue_exit(&r);
	}
}

/* An IOPOLL ring: I/O commands run (nvme_vec has their data), admin ones -EOPNOTSUPP. */
TEST_F(nv, uring_iopoll)
{
	struct nvme_passthru_cmd64 c = rw(OP_READ, 0, 1, self->buf);
	struct io_uring r;
	int io, admin;

	ASSERT_EQ(0, io_uring_queue_init(4, &r, IORING_SETUP_SQE128 |
					 IORING_SETUP_CQE32 | IORING_SETUP_IOPOLL));
	io = nvme_uring(&r, self->fd, NVME_URING_CMD_IO, &c, NULL);
	c = identify(0x01, 0, self->buf);
	admin = nvme_uring(&r, self->fd, NVME_URING_CMD_ADMIN, &c, NULL);
	io_uring_queue_exit(&r);
	ASSERT_EQ(0, io);
	ASSERT_EQ(-EOPNOTSUPP, admin);
}

/* Write Zeroes, Dataset Management (deallocate), Compare. */
TEST_F(nv, write_zeroes_dsm_compare)
{
	struct nvme_passthru_cmd64 c;
	struct uringblk_stats s0, s1;
	uint8_t *r = self->buf2;
	int bfd = ubt_open_blk(0, O_RDONLY | O_DIRECT);

	ASSERT_LE(0, bfd);
	ubt_fill(self->buf, 64 << 10, 0, 7);
	c = rw(OP_WRITE, 0, 128, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	/* Compare: equal, then one byte off (Compare Failure), through both ways in */
	c = rw(OP_COMPARE, 0, 128, self->buf);
	c.result = 5;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, c.result);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	self->buf[(64 << 10) - 1] ^= 1;
	ASSERT_EQ(SC_COMPARE_FAILED, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(SC_COMPARE_FAILED, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	self->buf[(64 << 10) - 1] ^= 1;
	/* Compare's checks are Read's */
	c = rw(OP_COMPARE, NSZE - 1, 2, self->buf);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_COMPARE, 0, 8, self->buf);
	c.data_len -= LBA;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_COMPARE, 0, 4096, self->buf);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_COMPARE, 0, 2, (void *)4096);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));

	/* Write Zeroes of LBAs 8-15: the block device reads zeroes there only */
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s0));
	c = cmd64(OP_WRITE_ZEROES, 1, NULL, 0);
	c.cdw10 = 8;
	c.cdw12 = 7;
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(64 << 10, ubt_pread_full(bfd, r, 64 << 10, 0));
	ASSERT_EQ(-1, ubt_check(r, 8 * LBA, 0, 7));
	ASSERT_EQ(-1, ubt_check_zero(r + 8 * LBA, 8 * LBA));
	ASSERT_EQ(-1, ubt_check(r + 16 * LBA, (64 << 10) - 16 * LBA, 16 * LBA, 7));
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s1));
	EXPECT_LE(s0.write_zeroes_ops + 1, s1.write_zeroes_ops);
	c.cdw12 = 0;
	c.cdw10 = NSZE;
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c.cdw10 = NSZE - 1;
	c.cdw12 = 1;
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = cmd64(OP_WRITE_ZEROES, 1, self->buf, LBA);	/* no data buffer */
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));

	/* DSM deallocate of two ranges: 32-39 and 100-101 read back as zeroes */
	memset(self->buf, 0, 4096);
	self->buf[4] = 8;	/* range 0: nlb 8 at slba 32 */
	self->buf[8] = 32;
	self->buf[16 + 4] = 2;	/* range 1: nlb 2 at slba 100 */
	self->buf[16 + 8] = 100;
	c = cmd64(OP_DSM, 1, self->buf, 32);
	c.cdw10 = 1;		/* NR: 2 ranges */
	c.cdw11 = 1 << 2;	/* AD */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(64 << 10, ubt_pread_full(bfd, r, 64 << 10, 0));
	ASSERT_EQ(-1, ubt_check(r + 16 * LBA, 16 * LBA, 16 * LBA, 7));
	ASSERT_EQ(-1, ubt_check_zero(r + 32 * LBA, 8 * LBA));
	ASSERT_EQ(-1, ubt_check(r + 40 * LBA, 60 * LBA, 40 * LBA, 7));
	ASSERT_EQ(-1, ubt_check_zero(r + 100 * LBA, 2 * LBA));
	ASSERT_EQ(-1, ubt_check(r + 102 * LBA, 26 * LBA, 102 * LBA, 7));
	/* a range out of the namespace: nothing deallocated */
	ubt_fill(self->buf2, 4096, 0, 8);
	c = rw(OP_WRITE, 0, 8, self->buf2);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	memset(self->buf, 0, 64);
	self->buf[4] = 8;	/* range 0: LBAs 0-7, fine */
	self->buf[16 + 4] = 1;	/* range 1: slba NSZE */
	memcpy(self->buf + 16 + 8, &(uint64_t){ NSZE }, 8);
	c = cmd64(OP_DSM, 1, self->buf, 32);
	c.cdw10 = 1;
	c.cdw11 = 1 << 2;
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(4096, ubt_pread_full(bfd, r, 4096, 0));
	ASSERT_EQ(-1, ubt_check(r, 4096, 0, 8));
	/* hints only (IDR/IDW): success, nothing done; fewer bytes than NR's */
	c.cdw11 = 1;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c.cdw11 = 1 << 2;
	c.data_len = 16;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = cmd64(OP_DSM, 1, NULL, 0);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = cmd64(OP_DSM, 1, (void *)4096, 16);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	close(bfd);
}

/* Write then Read through every way in; the block device agrees. */
TEST_F(nv, read_write)
{
	struct nvme_passthru_cmd64 c;
	struct nvme_passthru_cmd c32;
	struct uringblk_stats s0, s1;
	uint64_t res2 = 7;
	int bfd;

	ASSERT_EQ(0, ubt_sysfs_stats(0, &s0));
	ubt_fill(self->buf, 64 << 10, 1000 * LBA, 1);
	c = rw(OP_WRITE, 1000, 128, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	memset(self->buf2, 0, 64 << 10);
	c = rw(OP_READ, 1000, 128, self->buf2);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-1, ubt_check(self->buf2, 64 << 10, 1000 * LBA, 1));

	/* URING_CMD: 512 KiB (MDTS) written there with FUA, read here */
	ubt_fill(self->buf, 512 << 10, 0, 2);
	c = rw(OP_WRITE, 0, 1024, self->buf);
	c.cdw12 |= 1u << 30;	/* FUA */
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, &res2));
	ASSERT_EQ(0, res2);
	memset(self->buf2, 0, 512 << 10);
	c = rw(OP_READ, 0, 1024, self->buf2);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(-1, ubt_check(self->buf2, 512 << 10, 0, 2));

	/* the 32-bit ioctl: a Read of one block at the last LBA */
	memset(&c32, 0, sizeof(c32));
	c32.opcode = OP_WRITE;
	c32.nsid = 1;
	c32.addr = (uintptr_t)self->buf;
	c32.data_len = LBA;
	c32.cdw10 = NSZE - 1;
	ubt_fill(self->buf, LBA, (NSZE - 1) * LBA, 3);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO_CMD, &c32));
	ASSERT_EQ(0, c32.result);

	/* the block device reads the same */
	bfd = ubt_open_blk(0, O_RDONLY | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(512 << 10, ubt_pread_full(bfd, self->buf2, 512 << 10, 0));
	ASSERT_EQ(-1, ubt_check(self->buf2, 512 << 10, 0, 2));
	ASSERT_EQ(LBA, ubt_pread_full(bfd, self->buf2, LBA, (NSZE - 1) * LBA));
	ASSERT_EQ(-1, ubt_check(self->buf2, LBA, (NSZE - 1) * LBA, 3));
	close(bfd);

	/* Flush */
	c = cmd64(OP_FLUSH, 1, NULL, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = cmd64(OP_FLUSH, 1, self->buf, LBA);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));

	/* the drive's counters count them as block I/O */
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s1));
	EXPECT_LE(s0.write_ops + 3, s1.write_ops);
	EXPECT_LE(s0.fua_ops + 1, s1.fua_ops);
	EXPECT_LE(s0.write_bytes + (64 << 10) + (512 << 10) + LBA, s1.write_bytes);
	EXPECT_LE(s0.bytes_to_host + (64 << 10) + 2 * (512 << 10) + LBA, s1.bytes_to_host);
	EXPECT_LE(s0.flush_ops + 2, s1.flush_ops);
	EXPECT_EQ(s0.errors, s1.errors);
}

TEST_F(nv, io_bad)
{
	struct nvme_passthru_cmd64 c;
	uint64_t res2 = 9;
	void *hole;

	/* LBA Out of Range, however far */
	c = rw(OP_READ, NSZE, 1, self->buf);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_WRITE, NSZE - 1, 2, self->buf);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_READ, 1ULL << 63, 1, self->buf);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_READ, ~0ULL, 1, self->buf);
	ASSERT_EQ(SC_LBA_RANGE, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, &res2));
	ASSERT_EQ(0, res2);
	/* a data length other than the command's */
	c = rw(OP_READ, 0, 8, self->buf);
	c.data_len -= LBA;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c.data_len += 2 * LBA;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_WRITE, 0, 8, NULL);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	/* more than MDTS (512 KiB): 2 MiB */
	c = rw(OP_READ, 0, 4096, self->buf);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	/* opcodes the NVM set here does not have */
	for (int op = 3; op < 256; op++) {
		if (op == OP_COMPARE || op == OP_WRITE_ZEROES || op == OP_DSM || op == OP_COPY)
			continue;
		c = rw(op, 0, 1, self->buf);
		EXPECT_EQ(SC_INVALID_OPCODE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c))
			TH_LOG("I/O opcode %#x", op);
	}
	c = rw(0x04, 0, 1, self->buf);
	ASSERT_EQ(SC_INVALID_OPCODE, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	/* the host's refusals: metadata, a missing buffer (a misaligned one is bounced: nvme_vec) */
	c = rw(OP_READ, 0, 1, self->buf);
	c.metadata = (uintptr_t)self->buf2;
	c.metadata_len = 8;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	hole = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	c = rw(OP_READ, 0, 16, hole);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EFAULT, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	/* half the buffer there */
	ASSERT_EQ(0, munmap((char *)hole + 4096, 4096));
	ASSERT_EQ(0, mprotect(hole, 4096, PROT_READ | PROT_WRITE));
	c = rw(OP_READ, 0, 16, hole);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EFAULT, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	munmap(hole, 4096);
}

/* Without CAP_SYS_ADMIN: Linux 6.2's rule. */
TEST_F(nv, permissions_unprivileged)
{
	struct nvme_passthru_cmd64 c;
	int ro = ubt_open_cdev(0, O_RDONLY);

	ASSERT_LE(0, ro);
	/* with CAP_SYS_ADMIN, as 6.1: anything, even Write on a read-only open */
	c = rw(OP_WRITE, 8, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	c = get_log(LID_SMART, 0xffffffff, self->buf, 512, 0);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_ADMIN64_CMD, &c));

	ASSERT_EQ(0, drop_sys_admin());
	c = identify(0x01, 0, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x00, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, nvme_uring(&self->ring, ro, NVME_URING_CMD_ADMIN, &c, NULL));
	c = identify(0x02, 0, self->buf);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_ADMIN64_CMD, &c));
	/* logs and features are admin commands: CAP_SYS_ADMIN only */
	c = get_log(LID_SMART, 0xffffffff, self->buf, 512, 0);
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x05, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x08, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_ADMIN64_CMD, &c));
	c = cmd64(OP_GET_FEAT, 0, NULL, 0);
	c.cdw10 = 0x07;
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.opcode = OP_SET_FEAT;
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));

	c = rw(OP_READ, 8, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_uring(&self->ring, ro, NVME_URING_CMD_IO, &c, NULL));
	c = rw(OP_WRITE, 8, 1, self->buf);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EACCES, nvme_uring(&self->ring, ro, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = cmd64(OP_FLUSH, 1, NULL, 0);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	/* unknown and vendor opcodes: no effects to allow them by */
	c = rw(0x04, 0, 1, self->buf);
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	/* Compare moves data to the drive (opcode bit 0), Write Zeroes and DSM change it */
	c = rw(OP_READ, 8, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_COMPARE, 8, 1, self->buf);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = cmd64(OP_WRITE_ZEROES, 1, NULL, 0);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = cmd64(OP_DSM, 1, self->buf2, 16);
	memset(self->buf2, 0, 16);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(0x81, 0, 1, self->buf);
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	/* the checks before it still come first */
	c = rw(OP_WRITE, 8, 1, self->buf);
	c.nsid = 3;
	ASSERT_EQ(-EINVAL, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	close(ro);
}

/* Many URING_CMDs in flight, reads and writes mixed, every CQE right. */
TEST_F(nv, uring_queue_depth)
{
	struct io_uring r;
	struct io_uring_cqe *cqe;
	struct nvme_uring_cmd uc;
	const int n = 64;
	int done = 0;

	ASSERT_EQ(0, io_uring_queue_init(n, &r, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ubt_fill(self->buf, 1 << 20, 0, 5);
	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r);
		struct nvme_passthru_cmd64 c = rw(OP_WRITE, i * 32, 32, self->buf + i * 16384);

		ASSERT_NE(NULL, sqe);
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = self->fd;
		sqe->cmd_op = NVME_URING_CMD_IO;
		sqe->user_data = i;
		memcpy(&uc, &c, sizeof(uc));
		memcpy(sqe->cmd, &uc, sizeof(uc));
	}
	ASSERT_EQ(n, io_uring_submit(&r));
	while (done < n) {
		ASSERT_EQ(0, io_uring_wait_cqe(&r, &cqe));
		EXPECT_EQ(0, cqe->res) TH_LOG("write %llu", (unsigned long long)cqe->user_data);
		EXPECT_EQ(0, cqe->big_cqe[0]);
		io_uring_cqe_seen(&r, cqe);
		done++;
	}
	io_uring_queue_exit(&r);
	memset(self->buf2, 0, 1 << 20);
	for (int i = 0; i < 4; i++) {
		struct nvme_passthru_cmd64 c = rw(OP_READ, i * 512, 512,
						  self->buf2 + i * (256 << 10));

		ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	}
	ASSERT_EQ(-1, ubt_check(self->buf2, 1 << 20, 0, 5));
}

TEST_HARNESS_MAIN
