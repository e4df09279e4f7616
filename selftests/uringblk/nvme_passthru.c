// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe passthrough on the command device (driver/nvme.c): Linux 6.1's
 * contract of drivers/nvme/host/ioctl.c, checked one rule at a time, and
 * the device's answers, checked one status at a time:
 *  - NVME_IOCTL_ID is the NSID; an unknown ioctl -ENOTTY; an unreadable
 *    command -EFAULT; flags -EINVAL; an I/O command's nsid other than 1
 *    -EINVAL (admin commands are the controller's: any nsid); the CP and
 *    SLM namespaces (NSID 2, 3) have their own nodes, tested in nvme_slm.c;
 *  - URING_CMD without SQE128 or without CQE32 -EOPNOTSUPP, and the same
 *    checks as the ioctls; big_cqe[0] is the result (0); on an IOPOLL
 *    ring I/O works and admin commands get -EOPNOTSUPP;
 *  - the return value: 0, a positive NVMe status (with DNR), or -errno;
 *    the result field written back with a status, untouched with an errno;
 *  - Identify CNS 00h, 01h, 02h, 03h, 05h, 06h, 08h against the drive's configuration,
 *    every other CNS and admin opcode Invalid Field / Invalid Opcode;
 *  - Get Log Page (error, SMART from the drive's counters, firmware slot,
 *    effects per CSI against what the drive answers), NUMD, LPO and the
 *    statuses for bad ones; Get/Set Features (Number of Queues, Volatile
 *    Write Cache, SEL, SV) and every other FID Invalid Field;
 *  - Read, Write, Flush through the ioctls (32- and 64-bit) and URING_CMD,
 *    the data the block device reads; LBA Out of Range, a data length
 *    other than the command's (Data SGL Length Invalid), unknown opcodes,
 *    metadata, an unmapped buffer (misaligned ones: nvme_vec.c);
 *  - permissions: without CAP_SYS_ADMIN, Identify 00h/01h and Read for a
 *    read-only open, Write and Flush only on a node open for writing,
 *    Identify 02h, other admin and unknown I/O opcodes -EACCES; with it,
 *    Write on a read-only open (6.1's rule).
 * The runner fails the test if the kernel logs a warning meanwhile.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/nvme_ioctl.h>

#include "../kselftest_harness.h"
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

TEST_F(nv, identify_ctrl)
{
	struct { struct nvme_passthru_cmd c; } u;
	struct nvme_passthru_cmd64 c = identify(0x01, 0, self->buf);
	uint64_t kb;
	int mdts = 0;

	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf + IDC_SN, "uringblk0           ", 20));
	ASSERT_EQ(0, memcmp(self->buf + IDC_MN, "uringblk computational storage", 30));
	ASSERT_EQ(3, le32(self->buf + IDC_NN));	/* NVM, CP, SLM (nvme_slm.c) */
	ASSERT_EQ(0x20000, le32(self->buf + IDC_VER));
	ASSERT_EQ(1, self->buf[IDC_VWC] & 1);
	ASSERT_EQ(0, strcmp((char *)self->buf + IDC_SUBNQN, "nqn.2014-08.org.uringblk:uringblk0"));
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_hw_sectors_kb", &kb));
	while ((4ULL << (mdts + 1)) <= kb)
		mdts++;
	ASSERT_EQ(mdts, self->buf[IDC_MDTS]);

	/* the same through the 32-bit ioctl and URING_CMD */
	memset(self->buf2, 0, ID_SIZE);
	memset(&u, 0, sizeof(u));
	u.c.opcode = OP_IDENTIFY;
	u.c.addr = (uintptr_t)self->buf2;
	u.c.data_len = ID_SIZE;
	u.c.cdw10 = 1;
	u.c.result = 0x1234;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN_CMD, &u.c));
	ASSERT_EQ(0, u.c.result);
	ASSERT_EQ(0, memcmp(self->buf, self->buf2, ID_SIZE));
	memset(self->buf2, 0, ID_SIZE);
	c.addr = (uintptr_t)self->buf2;
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	ASSERT_EQ(0, memcmp(self->buf, self->buf2, ID_SIZE));
}

TEST_F(nv, identify_ns)
{
	struct nvme_passthru_cmd64 c = identify(0x00, 1, self->buf);

	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(NSZE, le64(self->buf + IDN_NSZE));
	ASSERT_EQ(NSZE, le64(self->buf + IDN_NCAP));
	ASSERT_EQ(0, self->buf[IDN_NLBAF]);
	ASSERT_EQ(0, self->buf[IDN_FLBAS]);
	ASSERT_EQ(9, self->buf[IDN_LBAF0_DS]);
	/* an inactive NSID: zeroes; the broadcast NSID: Invalid Namespace */
	memset(self->buf, 0xa5, ID_SIZE);
	c.nsid = 4;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, ID_SIZE));
	c.nsid = 0xffffffff;
	c.result = 77;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, c.result);	/* a status: result written back */
}

TEST_F(nv, identify_lists)
{
	struct nvme_passthru_cmd64 c = identify(0x02, 0, self->buf);

	/* CNS 02h: active NSIDs above nsid */
	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(1, le32(self->buf));
	ASSERT_EQ(2, le32(self->buf + 4));	/* CP and SLM: nvme_slm.c */
	ASSERT_EQ(3, le32(self->buf + 8));
	ASSERT_EQ(-1, ubt_check_zero(self->buf + 12, ID_SIZE - 12));
	c.nsid = 3;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, ID_SIZE));
	c.nsid = 0xfffffffe;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* CNS 03h: one descriptor, the CSI (NVM) */
	c = identify(0x03, 1, self->buf);
	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(4, self->buf[0]);	/* NIDT CSI */
	ASSERT_EQ(1, self->buf[1]);	/* NIDL */
	ASSERT_EQ(0, self->buf[4]);	/* NVM */
	ASSERT_EQ(-1, ubt_check_zero(self->buf + 5, ID_SIZE - 5));
	c.nsid = 4;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* CNS 06h: the NVM set's controller data (CSI 00h) only */
	c = identify(0x06, 0, self->buf);
	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, ID_SIZE));
	c.cdw11 = 2u << 24;	/* ZNS: not here yet */
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
}

TEST_F(nv, identify_bad)
{
	static const uint8_t bad_cns[] = { 0x04, 0x09, 0x10, 0x1c, 0x1f, 0xff };
	struct nvme_passthru_cmd64 c;

	for (size_t i = 0; i < sizeof(bad_cns); i++) {
		c = identify(bad_cns[i], 1, self->buf);
		EXPECT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("CNS %#x", bad_cns[i]);
	}
	/* the transfer must be Identify's 4 KiB */
	c = identify(0x01, 0, self->buf);
	c.data_len = ID_SIZE - 1;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.data_len = 0;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x01, 0, NULL);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(SC_SGL_INVALID_DATA,
		  nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	/* a buffer that is not there, metadata */
	c = identify(0x01, 0, (void *)4096);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x01, 0, self->buf);
	c.metadata = (uintptr_t)self->buf2;
	c.metadata_len = 64;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* other admin opcodes: Invalid Opcode */
	for (int op = 0; op < 256; op++) {
		if (op == OP_IDENTIFY || op == OP_GET_LOG || op == OP_SET_FEAT ||
		    op == OP_GET_FEAT || op == 0x85 || op == 0x88 || op == 0x89 ||
		    op == 0x08 || op == 0x0c)
			continue;	/* CP: nvme_cp.c; Abort, AER: nvme_conform.c */
		c = cmd64(op, 0, NULL, 0);
		EXPECT_EQ(SC_INVALID_OPCODE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("admin opcode %#x", op);
	}
}

/* CNS 05h of the NVM set and CNS 08h: the namespace's, zeroes elsewhere. */
TEST_F(nv, identify_ns_nvm_and_indep)
{
	struct nvme_passthru_cmd64 c = identify(0x05, 1, self->buf);

	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, ID_SIZE));	/* no PI, no storage tag */
	c.nsid = 4;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.nsid = 2;	/* CP's: not of the NVM set (nvme_slm.c) */
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.nsid = 1;
	c.cdw11 = 1u << 24;	/* KV: not here */
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));

	c = identify(0x08, 1, self->buf);
	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	ASSERT_EQ(1, self->buf[14]);				/* nstat: ready */
	ASSERT_EQ(14, ubt_check_zero(self->buf, ID_SIZE));
	c.nsid = 4;
	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, ID_SIZE));
	c.nsid = 0xffffffff;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* the controller advertises the logs it has */
	c = identify(0x01, 0, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0x07, self->buf[IDC_LPA]);
	ASSERT_EQ(63, self->buf[IDC_ELPE]);
	/* ONCS: Compare, Dataset Management, Write Zeroes, Copy (bit 8) */
	ASSERT_EQ(0x10d, self->buf[IDC_ONCS] | self->buf[IDC_ONCS + 1] << 8);
}

/* SMART / Health from the drive's counters. */
TEST_F(nv, log_smart)
{
	struct nvme_passthru_cmd64 c;
	struct uringblk_stats st;
	uint8_t *l = self->buf2;

	/* 3 writes and 2 reads of 600 KiB-ish: units round up */
	c = rw(OP_WRITE, 0, 1000, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_READ, 0, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	memset(l, 0xa5, 512);
	c = get_log(LID_SMART, 0xffffffff, l, 512, 0);
	c.result = 99;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, c.result);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &st));
	ASSERT_EQ(0, l[0]);					/* no critical warning */
	ASSERT_EQ(313, l[SMART_TEMP] | l[SMART_TEMP + 1] << 8);	/* Kelvin */
	ASSERT_EQ((st.read_bytes / 512 + 999) / 1000, le64(l + SMART_DUR));
	ASSERT_EQ((st.write_bytes / 512 + 999) / 1000, le64(l + SMART_DUW));
	ASSERT_LE(1, le64(l + SMART_DUW));
	ASSERT_EQ(st.read_ops, le64(l + SMART_HR));
	ASSERT_EQ(st.write_ops, le64(l + SMART_HW));
	ASSERT_EQ(st.faults_injected, le64(l + SMART_MEDIA));
	ASSERT_EQ(0, le64(l + SMART_DUR + 8));			/* 128-bit counters */
	/* NSID 1 is the same; another NSID Invalid Namespace */
	c = get_log(LID_SMART, 1, self->buf, 512, 0);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	ASSERT_EQ(le64(l + SMART_HW), le64(self->buf + SMART_HW));
	c = get_log(LID_SMART, 2, self->buf, 512, 0);
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = get_log(LID_SMART, 0, self->buf, 512, 0);
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* part of it (NUMD small), from an offset, zeroes past its end */
	memset(self->buf, 0xa5, 1024);
	c = get_log(LID_SMART, 1, self->buf, 8, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf, l, 8));
	ASSERT_EQ(0xa5, self->buf[8]);
	c = get_log(LID_SMART, 1, self->buf, 1024, SMART_HW);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(le64(l + SMART_HW), le64(self->buf));
	ASSERT_EQ(-1, ubt_check_zero(self->buf + 512 - SMART_HW, 1024 - 512 + SMART_HW));
}

/* Error Information, Firmware Slot, Commands Supported and Effects. */
TEST_F(nv, log_error_fw_effects)
{
	struct nvme_passthru_cmd64 c;
	uint32_t e;

	memset(self->buf, 0xa5, 8192);
	c = get_log(LID_ERROR, 0xffffffff, self->buf, 64 * 64, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, 64 * 64));
	ASSERT_EQ(0xa5, self->buf[64 * 64]);
	c = get_log(LID_ERROR, 0xffffffff, self->buf, 8192, 0);	/* past its end: zeroes */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, 8192));

	memset(self->buf, 0xa5, 512);
	c = get_log(LID_FW, 0xffffffff, self->buf, 512, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(1, self->buf[0]);			/* slot 1 active */
	ASSERT_NE(0, self->buf[8]);			/* its revision */
	ASSERT_EQ(-1, ubt_check_zero(self->buf + 16, 512 - 16));
	/* the same revision as Identify's FR */
	c = identify(0x01, 0, self->buf2);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf + 8, self->buf2 + 64, 8));

	/* effects, CSI 00h (CDW14 31:24): exactly what the front end takes */
	memset(self->buf, 0xa5, 4096);
	c = get_log(LID_EFFECTS, 0, self->buf, 4096, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	for (int op = 0; op < 256; op++) {
		/* and the CP admin commands (nvme_cp.c) */
		uint32_t want = (op == 0x02 || op == 0x06 || op == 0x09 || op == 0x0a ||
				 op == 0x08 || op == 0x0c ||
				 op == 0x85 || op == 0x88 || op == 0x89) ? CSUPP : 0;

		e = le32(self->buf + op * 4);
		EXPECT_EQ(want, e) TH_LOG("admin opcode %#x", op);
		e = le32(self->buf + EFF_IOCS + op * 4);
		switch (op) {
		case OP_FLUSH: case OP_READ: case OP_COMPARE:
			want = CSUPP; break;
		case OP_WRITE: case OP_WRITE_ZEROES: case OP_DSM: case OP_COPY:
			want = CSUPP | LBCC; break;
		default:
			want = 0;
		}
		EXPECT_EQ(want, e) TH_LOG("I/O opcode %#x", op);
		/* what it lists is what the drive answers */
		if (!want) {
			struct nvme_passthru_cmd64 io = rw(op, 0, 1, self->buf2);

			EXPECT_EQ(SC_INVALID_OPCODE,
				  nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &io))
				TH_LOG("I/O opcode %#x", op);
		}
	}
	ASSERT_EQ(-1, ubt_check_zero(self->buf + 2048, 2048));
	/* ZNS and KV on a regular drive (sets of other drives); an unknown set */
	c.cdw14 = 2u << 24;
	ASSERT_EQ(SC_INVALID_IO_CMD_SET, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw14 = 1u << 24;
	ASSERT_EQ(SC_INVALID_IO_CMD_SET, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw14 = 5u << 24;
	ASSERT_EQ(SC_INVALID_LOG_PAGE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw14 = 0xffu << 24;
	ASSERT_EQ(SC_INVALID_LOG_PAGE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
}

TEST_F(nv, log_bad)
{
	static const uint8_t bad_lid[] = { 0x00, 0x04, 0x06, 0x0c, 0x70, 0x80, 0xc0, 0xff };
	struct nvme_passthru_cmd64 c;

	for (size_t i = 0; i < sizeof(bad_lid); i++) {
		c = get_log(bad_lid[i], 0xffffffff, self->buf, 512, 0);
		EXPECT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("LID %#x", bad_lid[i]);
	}
	/* the transfer other than NUMD's */
	c = get_log(LID_SMART, 0xffffffff, self->buf, 512, 0);
	c.data_len = 508;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.data_len = 516;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = get_log(LID_SMART, 0xffffffff, NULL, 512, 0);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	/* NUMD too big: above MDTS (512 KiB), and the largest NUMDU */
	c = get_log(LID_ERROR, 0xffffffff, self->buf, (1 << 20), 0);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = get_log(LID_ERROR, 0xffffffff, self->buf, 512, 0);
	c.cdw11 = 0xffff;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* LPO: past the end, at it, not a dword, huge */
	c = get_log(LID_SMART, 0xffffffff, self->buf, 4, 512);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = get_log(LID_SMART, 0xffffffff, self->buf, 4, 508);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = get_log(LID_SMART, 0xffffffff, self->buf, 4, 2);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = get_log(LID_EFFECTS, 0, self->buf, 4096, 1ULL << 40);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = get_log(LID_EFFECTS, 0, self->buf, 4096, ~3ULL);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* an unmapped buffer: the host's EFAULT */
	c = get_log(LID_SMART, 0xffffffff, (void *)4096, 512, 0);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
}

TEST_F(nv, features)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_GET_FEAT, 0, NULL, 0);
	struct nvme_passthru_cmd c32;
	uint64_t res2 = 0;
	struct dirent *de;
	int nq = 0;
	uint32_t q;
	DIR *d;

	/*
	 * the drive's hardware queues, poll queues too: /sys/block/uringblk0/mq/N;
	 * a queue_mode=bio drive (no mq directory) answers one
	 */
	d = opendir("/sys/block/uringblk0/mq");
	if (d) {
		while ((de = readdir(d)))
			nq += de->d_name[0] != '.';
		closedir(d);
	} else {
		ASSERT_EQ(ENOENT, errno);
		nq = 1;
	}
	ASSERT_LE(1, nq);
	c.cdw10 = 0x07;		/* Number of Queues */
	c.result = 77;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	q = c.result;
	ASSERT_EQ(nq - 1, q & 0xffff);			/* 0's based */
	ASSERT_EQ(q & 0xffff, q >> 16);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2));
	ASSERT_EQ(q, res2);
	memset(&c32, 0, sizeof(c32));
	c32.opcode = OP_GET_FEAT;
	c32.cdw10 = 0x06;	/* Volatile Write Cache: enabled */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN_CMD, &c32));
	ASSERT_EQ(1, c32.result);
	c.cdw10 = 0x06 | 3 << 8;	/* SEL supported capabilities: none */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, c.result);
	c.cdw10 = 0x06 | 1 << 8;	/* default */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(1, c.result);
	c.cdw10 = 0x06 | 4 << 8;	/* a reserved SEL */
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* refused as nvmet refuses: Arbitration, Power Mgmt, ... (04h: nvme_conform) */
	for (int fid = 0; fid < 256; fid++) {
		if (fid == 0x04 || fid == 0x06 || fid == 0x07)
			continue;
		c = cmd64(OP_GET_FEAT, 0, NULL, 0);
		c.cdw10 = fid;
		EXPECT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("get FID %#x", fid);
		c.opcode = OP_SET_FEAT;
		EXPECT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("set FID %#x", fid);
	}
	/* a data buffer: none of these takes one */
	c = cmd64(OP_GET_FEAT, 0, self->buf, 4096);
	c.cdw10 = 0x07;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));

	/* Set: Number of Queues answers what there is; FFFFh Invalid Field */
	c = cmd64(OP_SET_FEAT, 0, NULL, 0);
	c.cdw10 = 0x07;
	c.cdw11 = 0x00400040;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(q, c.result);
	c.cdw11 = 0xffff0000;
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw11 = 0x0000ffff;
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* VWC: on stays on, off is refused; saving is refused */
	c.cdw10 = 0x06;
	c.cdw11 = 1;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(1, c.result);
	c.cdw11 = 0;
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw10 = 0x06 | 1u << 31;
	c.cdw11 = 1;
	ASSERT_EQ(SC_NOT_SAVEABLE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw10 = 0x07 | 1u << 31;
	c.cdw11 = 0;
	ASSERT_EQ(SC_NOT_SAVEABLE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* the write cache is still on */
	c = cmd64(OP_GET_FEAT, 0, NULL, 0);
	c.cdw10 = 0x06;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(1, c.result);
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
