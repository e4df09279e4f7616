// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe admin commands on the command device (driver/nvme_admin.c), their
 * data checked field by field against the drive's configuration and
 * counters, and every refusal's status (the passthrough contract and I/O:
 * nvme_passthru.c):
 *  - Identify CNS 00h, 01h, 02h, 03h, 05h, 06h, 08h against the drive's configuration,
 *    every other CNS and admin opcode Invalid Field / Invalid Opcode;
 *  - Get Log Page (error, SMART from the drive's counters, firmware slot,
 *    effects per CSI against what the drive answers), NUMD, LPO and the
 *    statuses for bad ones; Get/Set Features (Number of Queues, Volatile
 *    Write Cache, SEL, SV; Set Number of Queues Command Sequence Error,
 *    write cache off Feature Not Changeable) and every FID the drive lacks
 *    Invalid Field, with a buffer too; Identify of an NSID outside 1..NN
 *    Invalid Namespace.
 * The runner fails the test if the kernel logs a warning meanwhile.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_passthru.h"

NV_FIXTURE()

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
	/*
	 * NSIDs 1..NN (3) are all active: no Identify of an inactive one.  0,
	 * NN + 1, FFFFFFFEh are invalid, and FFFFFFFFh (common capabilities,
	 * with Namespace Management only): Invalid Namespace, as QEMU's NVMe
	 * device answers, by ioctl and URING_CMD, nothing copied.
	 */
	static const uint32_t bad_nsid[] = { 0, 4, 5, 0x100, 0xfffffffe, 0xffffffff };

	for (size_t i = 0; i < sizeof(bad_nsid) / sizeof(bad_nsid[0]); i++) {
		memset(self->buf, 0xa5, ID_SIZE);
		c.nsid = bad_nsid[i];
		c.result = 77;
		EXPECT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("nsid %#x", bad_nsid[i]);
		EXPECT_EQ(0, c.result);	/* a status: result written back */
		EXPECT_EQ(SC_INVALID_NS,
			  nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL))
			TH_LOG("nsid %#x", bad_nsid[i]);
		EXPECT_EQ(0xa5, self->buf[0]);
	}
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
	/* NSIDs outside 1..NN: Invalid Namespace (none in it is inactive) */
	for (uint32_t nsid = 0; nsid != 6; nsid = nsid ? nsid + 1 : 4) {
		c.nsid = nsid;
		EXPECT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("CNS 08h nsid %u", nsid);
	}
	c.nsid = 0xfffffffe;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.nsid = 0xffffffff;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* and CNS 05h and 03h the same */
	c = identify(0x05, 0, self->buf);
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.nsid = 0xfffffffe;
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x03, 0, self->buf);
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
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
	/*
	 * the FIDs the drive lacks (the mandatory ones 01h-0Bh: nvme_conform):
	 * Invalid Field, also with a data buffer (the FID is checked first)
	 */
	for (int fid = 0; fid < 256; fid++) {
		if ((fid >= 0x01 && fid <= 0x02) || (fid >= 0x04 && fid <= 0x0b))
			continue;
		for (int withbuf = 0; withbuf <= 1; withbuf++) {
			c = cmd64(OP_GET_FEAT, 0, withbuf ? self->buf : NULL,
				  withbuf ? 4096 : 0);
			c.cdw10 = fid;
			EXPECT_EQ(SC_INVALID_FIELD,
				  nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
				TH_LOG("get FID %#x, buffer %d", fid, withbuf);
			c.opcode = OP_SET_FEAT;
			EXPECT_EQ(SC_INVALID_FIELD,
				  nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
				TH_LOG("set FID %#x, buffer %d", fid, withbuf);
		}
	}
	/* a data buffer with a FID the drive has: none of them takes one */
	c = cmd64(OP_GET_FEAT, 0, self->buf, 4096);
	c.cdw10 = 0x07;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.opcode = OP_SET_FEAT;
	c.cdw10 = 0x06;
	c.cdw11 = 1;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));

	/*
	 * Set Number of Queues: the I/O queues exist from the drive's creation,
	 * so always Command Sequence Error, before any I/O and after it
	 */
	c = cmd64(OP_SET_FEAT, 0, NULL, 0);
	c.cdw10 = 0x07;
	c.cdw11 = 0x00400040;
	c.result = 77;
	ASSERT_EQ(SC_CMD_SEQ_ERROR, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, c.result);
	c.cdw11 = q;				/* what there is */
	ASSERT_EQ(SC_CMD_SEQ_ERROR, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw11 = 0xffff0000;
	ASSERT_EQ(SC_CMD_SEQ_ERROR, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(SC_CMD_SEQ_ERROR,
		  nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	c = rw(OP_READ, 0, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	c = cmd64(OP_SET_FEAT, 0, NULL, 0);
	c.cdw10 = 0x07;
	ASSERT_EQ(SC_CMD_SEQ_ERROR, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* VWC: on stays on, off is Feature Not Changeable; saving is refused */
	c.cdw10 = 0x06;
	c.cdw11 = 1;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(1, c.result);
	c.cdw11 = 0;
	ASSERT_EQ(SC_NOT_CHANGEABLE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(SC_NOT_CHANGEABLE,
		  nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
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

TEST_HARNESS_MAIN
