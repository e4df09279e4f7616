// SPDX-License-Identifier: GPL-2.0
/*
 * ZNS through NVMe passthrough (driver/nvme.c, driver/zoned_nvme.c): a
 * zoned drive's namespace 1 is a ZNS namespace, checked one field and one
 * status at a time, through the 64-bit ioctls and NVME_URING_CMD_IO:
 *  - Identify: CNS 03h's CSI is 02h; CNS 05h CSI 02h (MAR, MOR 0's based,
 *    LBAFE0 ZSZE); CNS 06h CSI 02h (ZASL from zone_append_max_bytes);
 *    CNS 05h for another CSI Invalid Field;
 *  - Zone Management Receive: every zone's descriptor (ZT, ZS, ZCAP,
 *    ZSLBA, WP), the Partial Report bit, the state filter, from an LBA
 *    inside a zone; a ZRA or ZRASF out of range, a buffer below the
 *    header Invalid Field, an SLBA past the end LBA Out of Range, a data
 *    length other than NUMD's Data SGL Length Invalid;
 *  - Zone Management Send: Open, Close, Finish, Reset and their zone
 *    states (Close of an open zone without data: closed, as ZNS); Open
 *    of a full zone Invalid Zone State Transition; the
 *    fourth open Too Many Open Zones (max_open 3); Select All for each
 *    action; an SLBA not a zone start Invalid Field, past the end LBA Out
 *    of Range; ZSA Offline and others Invalid Field;
 *  - Zone Append: the result is the LBA written (result and big_cqe[0]),
 *    the data there; a full zone Zone Is Full, less room left than the
 *    data Zone Boundary Error; not a zone start Invalid Field; above ZASL
 *    Invalid Field;
 *  - Read and Compare across a zone boundary Zone Boundary Error (RAZB
 *    clear), the block device's read over it a success;
 *  - the block device's zone report after NVMe Close of a zone without
 *    data (closed, active), and its own close (empty);
 *  - NVM Write (the bio path): Too Many Open Zones; Write Fault off the
 *    write pointer and to a full zone;
 *  - permissions: without CAP_SYS_ADMIN on a read-only open, Receive is
 *    allowed, Send and Append -EACCES.
 * The runner fails the test if the kernel logs a warning meanwhile.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/blkzoned.h>
#include <linux/capability.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_test.h"

#define LBA		512
#define ZSZE		4096		/* 2 MiB zones of 512-byte LBAs */
#define NR_ZONES	16		/* 32 MiB */
#define ID_SIZE		4096

#define DNR			0x4000
#define SC_INVALID_OPCODE	(DNR | 0x01)
#define SC_INVALID_FIELD	(DNR | 0x02)
#define SC_SGL_INVALID_DATA	(DNR | 0x0f)
#define SC_LBA_RANGE		(DNR | 0x80)
#define SC_ZONE_BOUNDARY	(DNR | 0x1b8)
#define SC_ZONE_FULL		(DNR | 0x1b9)
#define SC_ZONE_INVALID_WRITE	(DNR | 0x1bc)
#define SC_ZONE_TOO_MANY_OPEN	(DNR | 0x1be)
#define SC_ZONE_INVALID_TRANS	(DNR | 0x1bf)

enum { OP_WRITE = 0x01, OP_READ = 0x02, OP_IDENTIFY = 0x06, OP_ZMS = 0x79,
       OP_ZMR = 0x7a, OP_ZAPPEND = 0x7d };
enum { ZSA_CLOSE = 1, ZSA_FINISH = 2, ZSA_OPEN = 3, ZSA_RESET = 4, ZSA_OFFLINE = 5 };
enum { ZS_EMPTY = 0x1, ZS_IOPEN = 0x2, ZS_EOPEN = 0x3, ZS_CLOSED = 0x4, ZS_FULL = 0xe };

/* cmd64() with the starting LBA in CDW10-11. */
static struct nvme_passthru_cmd64 cmd64_lba(uint8_t opcode, uint32_t nsid, void *buf,
					    uint32_t len, uint64_t slba)
{
	struct nvme_passthru_cmd64 c = cmd64(opcode, nsid, buf, len);

	c.cdw10 = (uint32_t)slba;
	c.cdw11 = slba >> 32;
	return c;
}

static struct nvme_passthru_cmd64 identify(uint8_t cns, uint8_t csi, void *buf)
{
	struct nvme_passthru_cmd64 c = cmd64_lba(OP_IDENTIFY, 1, buf, ID_SIZE, 0);

	c.cdw10 = cns;
	c.cdw11 = (uint32_t)csi << 24;
	return c;
}

static struct nvme_passthru_cmd64 zmr(uint64_t slba, void *buf, uint32_t len,
				      uint8_t zrasf, int partial)
{
	struct nvme_passthru_cmd64 c = cmd64_lba(OP_ZMR, 1, buf, len, slba);

	c.cdw12 = len / 4 - 1;
	c.cdw13 = zrasf << 8 | partial << 16;
	return c;
}

static struct nvme_passthru_cmd64 zms(uint64_t slba, uint8_t zsa, int all)
{
	struct nvme_passthru_cmd64 c = cmd64_lba(OP_ZMS, 1, NULL, 0, slba);

	c.cdw13 = zsa | all << 8;
	return c;
}

static struct nvme_passthru_cmd64 rw(uint8_t opcode, uint64_t slba, uint32_t nlb,
				     void *buf)
{
	struct nvme_passthru_cmd64 c = cmd64_lba(opcode, 1, buf, nlb * LBA, slba);

	c.cdw12 = nlb - 1;
	return c;
}

static int io(int fd, struct nvme_passthru_cmd64 *c)
{
	return nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, c);
}

/* buf: 1 MiB */
NVME_FIXTURE(zns, ubt_module_reload,
	     "capacity_mb=32 zoned=1 zone_size_mb=2 zone_max_open=3 zone_max_active=4",
	     1 << 20, 1)

/* One zone's state (ZS) from a one-descriptor partial report. */
static int zone_state(int fd, uint8_t *buf, uint64_t slba, uint64_t *wp)
{
	struct nvme_passthru_cmd64 c = zmr(slba, buf, 128, 0, 1);
	int ret = io(fd, &c);

	if (ret)
		return -1000 - ret;
	if (wp)
		*wp = le64(buf + 64 + 24);
	return buf[64 + 1] >> 4;
}

/*
 * Commands Supported and Effects on a zoned drive: CSI 02h lists the NVM
 * commands a ZNS namespace takes and the zone commands, CSI 00h those NVM
 * ones alone; each listed opcode is one the drive answers.
 */
TEST_F(zns, effects_log)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf;

	for (int csi = 0; csi <= 2; csi += 2) {
		memset(b, 0xa5, 4096);
		c = cmd64_lba(0x02, 0, b, 4096, 0);
		c.cdw10 = 0x05 | 1023u << 16;
		c.cdw11 = 0;
		c.cdw14 = (uint32_t)csi << 24;
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		for (int op = 0; op < 256; op++) {
			uint32_t want = 0, e = le32(b + 1024 + op * 4);

			switch (op) {
			case 0x00: case 0x02: case 0x05:
				want = 1;
				break;
			case 0x01: case 0x08: case 0x19:	/* Copy: ZNS too */
				want = 1 | 2;
				break;
			case 0x7a:
				want = csi == 2 ? 1 : 0;
				break;
			case 0x79: case 0x7d:
				want = csi == 2 ? 1 | 2 : 0;
				break;
			}
			EXPECT_EQ(want, e) TH_LOG("CSI %d I/O opcode %#x", csi, op);
		}
		ASSERT_EQ(1, le32(b + 0x06 * 4));	/* Identify */
	}
	/* Dataset Management: a zoned drive has no deallocate */
	c = cmd64_lba(0x09, 1, b, 16, 0);
	ASSERT_EQ(SC_INVALID_OPCODE, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
}

TEST_F(zns, identify)
{
	struct nvme_passthru_cmd64 c;
	uint64_t append_max = 0;
	uint8_t *b = self->buf;

	memset(b, 0xff, ID_SIZE);
	c = identify(0x03, 0, b);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0x04, b[0]);		/* NIDT CSI */
	ASSERT_EQ(1, b[1]);
	ASSERT_EQ(0x02, b[4]);		/* ZNS */

	memset(b, 0xff, ID_SIZE);
	c = identify(0x05, 0x02, b);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	EXPECT_EQ(0, b[0] | b[1] | b[2] | b[3]);	/* zoc, ozcs */
	EXPECT_EQ(3, le32(b + 4));	/* mar: 4 active, 0's based */
	EXPECT_EQ(2, le32(b + 8));	/* mor: 3 open */
	EXPECT_EQ(0, le32(b + 12));	/* rrl */
	EXPECT_EQ(0, le32(b + 16));	/* frl */
	EXPECT_EQ(ZSZE, le64(b + 2816));	/* lbafe[0].zsze */
	EXPECT_EQ(0, b[2816 + 8]);	/* zdes */
	/* no such namespace: Invalid Namespace; the CP one (not ZNS): Invalid Field */
	c = identify(0x05, 0x02, b);
	c.nsid = 4;
	ASSERT_EQ(DNR | 0x0b, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.nsid = 2;
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* the NVM set's data (ZNS builds on it): no PI, all zero, as QEMU's */
	memset(b, 0xff, ID_SIZE);
	c = identify(0x05, 0x00, b);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(b, ID_SIZE));
	/* another command set */
	c = identify(0x05, 0x04, b);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/zone_append_max_bytes", &append_max));
	memset(b, 0xff, ID_SIZE);
	c = identify(0x06, 0x02, b);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	EXPECT_EQ(__builtin_ctzll(append_max >> 12), b[0]);	/* zasl */
	EXPECT_EQ(0, b[1] | b[100] | b[4095]);
	/* and through URING_CMD */
	memset(b, 0xff, ID_SIZE);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	EXPECT_EQ(__builtin_ctzll(append_max >> 12), b[0]);
}

TEST_F(zns, report)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf;
	uint32_t len = 64 + NR_ZONES * 64;
	int i;

	memset(b, 0xff, len);
	c = zmr(0, b, len, 0, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	ASSERT_EQ(NR_ZONES, le64(b));
	for (i = 0; i < NR_ZONES; i++) {
		uint8_t *d = b + 64 + i * 64;

		EXPECT_EQ(0x2, d[0]);			/* zt: sequential write required */
		EXPECT_EQ(ZS_EMPTY << 4, d[1]);
		EXPECT_EQ(ZSZE, le64(d + 8));		/* zcap */
		EXPECT_EQ((uint64_t)i * ZSZE, le64(d + 16));	/* zslba */
		EXPECT_EQ((uint64_t)i * ZSZE, le64(d + 24));	/* wp */
	}
	/* room for 2: partial counts what came back, else every zone */
	c = zmr(0, b, 64 + 2 * 64, 0, 1);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(2, le64(b));
	c = zmr(0, b, 64 + 2 * 64, 0, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(NR_ZONES, le64(b));
	/* from an LBA inside the last zone */
	c = zmr(15 * ZSZE + 7, b, len, 0, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(1, le64(b));
	EXPECT_EQ(15 * ZSZE, le64(b + 64 + 16));
	/* the filter: one zone full, the rest empty */
	c = zms(4 * ZSZE, ZSA_FINISH, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	c = zmr(0, b, len, 0x05, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(1, le64(b));
	EXPECT_EQ(4 * ZSZE, le64(b + 64 + 16));
	EXPECT_EQ(ZS_FULL << 4, b[64 + 1]);
	EXPECT_EQ(5 * ZSZE, le64(b + 64 + 24));		/* wp at the zone's end */
	c = zmr(0, b, len, 0x01, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(NR_ZONES - 1, le64(b));
	c = zmr(0, b, len, 0x04, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(0, le64(b));
	/* and through URING_CMD */
	c = zmr(0, b, len, 0x05, 1);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	EXPECT_EQ(1, le64(b));

	/* bad fields */
	c = zmr(0, b, len, 0, 0);
	c.cdw13 |= 1;			/* zra 01h: extended report */
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = zmr(0, b, len, 0x08, 0);
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = zmr(NR_ZONES * ZSZE, b, len, 0, 0);
	EXPECT_EQ(SC_LBA_RANGE, io(self->fd, &c));
	c = zmr(0, b, 60, 0, 0);	/* less than the header */
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = zmr(0, b, len, 0, 0);
	c.data_len = len - 64;
	EXPECT_EQ(SC_SGL_INVALID_DATA, io(self->fd, &c));
}

TEST_F(zns, mgmt_send)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf;
	uint64_t wp;
	int i;

	/* an empty zone cannot be closed */
	c = zms(1 * ZSZE, ZSA_CLOSE, 0);
	EXPECT_EQ(SC_ZONE_INVALID_TRANS, io(self->fd, &c));
	c = zms(1 * ZSZE, ZSA_OPEN, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_EOPEN, zone_state(self->fd, b, 1 * ZSZE, NULL));
	/*
	 * Closed with nothing written: ZNS's ZSEO -> ZSC, CLOSED with its
	 * write pointer at the start (QEMU's answer too), not EMPTY (the
	 * block device's rule, ZBC's and null_blk's): blk_zones_agree.
	 */
	c = zms(1 * ZSZE, ZSA_CLOSE, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_CLOSED, zone_state(self->fd, b, 1 * ZSZE, &wp));
	EXPECT_EQ(1 * ZSZE, wp);
	c = zms(1 * ZSZE, ZSA_RESET, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	/* written, then closed: closed */
	memset(b + 8192, 0x5a, 8 * LBA);
	c = rw(OP_WRITE, 1 * ZSZE, 8, b + 8192);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b, 1 * ZSZE, &wp));
	EXPECT_EQ(ZSZE + 8, wp);
	c = zms(1 * ZSZE, ZSA_CLOSE, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_CLOSED, zone_state(self->fd, b, 1 * ZSZE, NULL));
	c = zms(1 * ZSZE, ZSA_FINISH, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_FULL, zone_state(self->fd, b, 1 * ZSZE, &wp));
	EXPECT_EQ(2 * ZSZE, wp);
	/* a full zone cannot be opened */
	c = zms(1 * ZSZE, ZSA_OPEN, 0);
	EXPECT_EQ(SC_ZONE_INVALID_TRANS, io(self->fd, &c));
	c = zms(1 * ZSZE, ZSA_RESET, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_EMPTY, zone_state(self->fd, b, 1 * ZSZE, &wp));
	EXPECT_EQ(ZSZE, wp);

	/* max_open 3: the fourth open */
	for (i = 0; i < 3; i++) {
		c = zms(i * ZSZE, ZSA_OPEN, 0);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	c = zms(3 * ZSZE, ZSA_OPEN, 0);
	EXPECT_EQ(SC_ZONE_TOO_MANY_OPEN, io(self->fd, &c));
	/* Select All: close the open, then open the closed (written ones) */
	for (i = 0; i < 3; i++) {
		c = rw(OP_WRITE, i * ZSZE, 1, b + 8192);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	c = zms(0, ZSA_CLOSE, 1);
	ASSERT_EQ(0, io(self->fd, &c));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(ZS_CLOSED, zone_state(self->fd, b, i * ZSZE, NULL));
	c = zms(0, ZSA_OPEN, 1);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(ZS_EOPEN, zone_state(self->fd, b, i * ZSZE, NULL));
	c = zms(0, ZSA_FINISH, 1);
	ASSERT_EQ(0, io(self->fd, &c));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(ZS_FULL, zone_state(self->fd, b, i * ZSZE, NULL));
	EXPECT_EQ(ZS_EMPTY, zone_state(self->fd, b, 3 * ZSZE, NULL));
	c = zms(12345, ZSA_RESET, 1);	/* slba ignored with Select All */
	ASSERT_EQ(0, io(self->fd, &c));
	for (i = 0; i < NR_ZONES; i++)
		EXPECT_EQ(ZS_EMPTY, zone_state(self->fd, b, i * ZSZE, NULL));

	/* bad fields */
	c = zms(ZSZE + 1, ZSA_OPEN, 0);
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = zms(NR_ZONES * ZSZE, ZSA_OPEN, 0);
	EXPECT_EQ(SC_LBA_RANGE, io(self->fd, &c));
	c = zms(0, ZSA_OFFLINE, 0);
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = zms(0, 0, 0);
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = zms(0, 0x10, 0);
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = zms(0, ZSA_OPEN, 0);
	c.addr = (uintptr_t)b;
	c.data_len = 64;		/* no descriptor extension */
	EXPECT_EQ(SC_SGL_INVALID_DATA, io(self->fd, &c));
}

TEST_F(zns, append)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf;
	uint64_t res2 = 0, append_max = 0, wp;

	memset(b, 0x11, 8 * LBA);
	c = rw(OP_ZAPPEND, 3 * ZSZE, 8, b);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(3 * ZSZE, c.result);
	memset(b, 0x22, 8 * LBA);
	c = rw(OP_ZAPPEND, 3 * ZSZE, 8, b);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, &res2));
	EXPECT_EQ(3 * ZSZE + 8, res2);
	/* the 32-bit ioctl's result */
	{
		struct nvme_passthru_cmd c32 = {
			.opcode = OP_ZAPPEND, .nsid = 1, .addr = (uintptr_t)b,
			.data_len = LBA, .cdw10 = 3 * ZSZE,
		};
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO_CMD, &c32));
		EXPECT_EQ(3 * ZSZE + 16, c32.result);
	}
	c = rw(OP_READ, 3 * ZSZE, 16, b + 65536);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(0x11, b[65536]);
	EXPECT_EQ(0x11, b[65536 + 8 * LBA - 1]);
	EXPECT_EQ(0x22, b[65536 + 8 * LBA]);
	EXPECT_EQ(0x22, b[65536 + 16 * LBA - 1]);

	/* not a zone start; past the end; a length other than NLB's */
	c = rw(OP_ZAPPEND, 3 * ZSZE + 8, 1, b);
	EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	c = rw(OP_ZAPPEND, NR_ZONES * ZSZE, 1, b);
	EXPECT_EQ(SC_LBA_RANGE, io(self->fd, &c));
	c = rw(OP_ZAPPEND, 3 * ZSZE, 2, b);
	c.data_len = LBA;
	EXPECT_EQ(SC_SGL_INVALID_DATA, io(self->fd, &c));
	/* above ZASL */
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/zone_append_max_bytes", &append_max));
	if (append_max < (1 << 20) && append_max / LBA < 0x10000) {
		c = rw(OP_ZAPPEND, 3 * ZSZE, append_max / LBA + 1, b);
		EXPECT_EQ(SC_INVALID_FIELD, io(self->fd, &c));
	}
	/*
	 * Less room left than the data: Zone Boundary Error (ZNS, QEMU), not
	 * Zone Is Full, and nothing written; the rest exactly fills it.
	 * Zone 4: written up to 8 LBAs before its end.
	 */
	memset(b, 0x44, 1024 * LBA);
	for (int i = 0; i < 4; i++) {
		c = rw(OP_WRITE, 4 * ZSZE + i * 1024, i < 3 ? 1024 : 1016, b);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	c = rw(OP_ZAPPEND, 4 * ZSZE, 16, b);
	EXPECT_EQ(SC_ZONE_BOUNDARY, io(self->fd, &c));
	EXPECT_EQ(SC_ZONE_BOUNDARY, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO,
					       &c, NULL));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 4 * ZSZE, &wp));
	EXPECT_EQ(5 * ZSZE - 8, wp);
	c = rw(OP_ZAPPEND, 4 * ZSZE, 8, b);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(5 * ZSZE - 8, c.result);
	EXPECT_EQ(ZS_FULL, zone_state(self->fd, b + 65536, 4 * ZSZE, NULL));
	/* a full zone */
	c = zms(3 * ZSZE, ZSA_FINISH, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	c = rw(OP_ZAPPEND, 3 * ZSZE, 1, b);
	c.result = 0x5a5a;
	EXPECT_EQ(SC_ZONE_FULL, io(self->fd, &c));
	EXPECT_EQ(0, c.result);		/* written back with a status */
}

/*
 * Read and Compare across a zone boundary: the namespace reports RAZB
 * (OZCS bit 0) clear, so Zone Boundary Error, whatever the zones hold
 * (QEMU's nvme_check_zone_read()); inside a zone, past the write pointer
 * too, they succeed.  The block device splits such a read at the zone's
 * end and reads both parts (the block layer's chunk_sectors).
 */
TEST_F(zns, read_across_zones)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf;
	int bfd;

	memset(b, 0x5c, 8 * LBA);
	c = rw(OP_WRITE, 1 * ZSZE, 8, b);
	ASSERT_EQ(0, io(self->fd, &c));
	c = rw(OP_READ, 1 * ZSZE - 4, 7, b);
	EXPECT_EQ(SC_ZONE_BOUNDARY, io(self->fd, &c));
	EXPECT_EQ(SC_ZONE_BOUNDARY, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO,
					       &c, NULL));
	c = rw(OP_READ, 2 * ZSZE - 1, 2, b);	/* two empty zones */
	EXPECT_EQ(SC_ZONE_BOUNDARY, io(self->fd, &c));
	c = rw(0x05, 1 * ZSZE - 4, 7, b);	/* Compare */
	EXPECT_EQ(SC_ZONE_BOUNDARY, io(self->fd, &c));
	/* each side alone */
	c = rw(OP_READ, 1 * ZSZE - 4, 4, b);
	EXPECT_EQ(0, io(self->fd, &c));
	c = rw(OP_READ, 1 * ZSZE, 3, b);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(0x5c, b[0]);
	EXPECT_EQ(0x5c, b[3 * LBA - 1]);
	/* the block device: one read over the same boundary succeeds */
	bfd = open("/dev/uringblk0", O_RDONLY | O_DIRECT);
	ASSERT_LE(0, bfd);
	memset(b, 0, 8 * LBA);
	EXPECT_EQ(8 * LBA, pread(bfd, b, 8 * LBA, (off_t)(1 * ZSZE - 4) * LBA));
	EXPECT_EQ(0, b[0]);
	EXPECT_EQ(0x5c, b[4 * LBA]);
	EXPECT_EQ(0x5c, b[8 * LBA - 1]);
	close(bfd);
}

/* The zone @sector starts as the block device reports it: its condition. */
static int blk_zone_cond(int bfd, uint64_t sector, uint64_t *wp)
{
	struct {
		struct blk_zone_report r;
		struct blk_zone z;
	} rep = { .r = { .sector = sector, .nr_zones = 1 } };

	if (ioctl(bfd, BLKREPORTZONE, &rep) || rep.r.nr_zones != 1)
		return -1;
	*wp = rep.z.wp;
	return rep.z.cond;
}

/*
 * One zone state under both faces.  An NVMe Close of an explicitly opened
 * zone without data leaves it CLOSED (ZNS): the block device's report says
 * closed, write pointer at the start, and the zone is active (the limits
 * count it: max_active 4).  A write from either face opens it again, a
 * reset empties it.  The block device's own close keeps its rule (ZBC's,
 * null_blk's): such a zone becomes EMPTY.
 */
TEST_F(zns, blk_zones_agree)
{
	struct nvme_passthru_cmd64 c;
	struct blk_zone_range zr = { .sector = 5 * ZSZE, .nr_sectors = ZSZE };
	uint8_t *b = self->buf;
	uint64_t wp;
	int bfd, i;

	bfd = open("/dev/uringblk0", O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	for (i = 0; i < 4; i++) {
		c = zms(i * ZSZE, ZSA_OPEN, 0);
		ASSERT_EQ(0, io(self->fd, &c));
		c = zms(i * ZSZE, ZSA_CLOSE, 0);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(ZS_CLOSED, zone_state(self->fd, b, i * ZSZE, &wp));
		EXPECT_EQ(i * ZSZE, wp);
		EXPECT_EQ(BLK_ZONE_COND_CLOSED, blk_zone_cond(bfd, i * ZSZE, &wp));
		EXPECT_EQ(i * ZSZE, wp);
	}
	/* four closed zones are max_active: a fifth cannot open */
	c = zms(4 * ZSZE, ZSA_OPEN, 0);
	EXPECT_EQ(DNR | 0x1bd, io(self->fd, &c));	/* Too Many Active Zones */
	EXPECT_EQ(-1, ioctl(bfd, BLKOPENZONE, &zr));
	/* a write through the block device opens a closed empty zone */
	memset(b, 0x6d, 4096);
	EXPECT_EQ(4096, pwrite(bfd, b, 4096, 0));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 0, &wp));
	EXPECT_EQ(8, wp);
	/* a reset through the block device empties one, and frees its place */
	zr.sector = 1 * ZSZE;
	ASSERT_EQ(0, ioctl(bfd, BLKRESETZONE, &zr));
	EXPECT_EQ(ZS_EMPTY, zone_state(self->fd, b, 1 * ZSZE, NULL));
	/* the block device's close of an opened empty zone: EMPTY */
	zr.sector = 5 * ZSZE;
	ASSERT_EQ(0, ioctl(bfd, BLKOPENZONE, &zr));
	EXPECT_EQ(ZS_EOPEN, zone_state(self->fd, b, 5 * ZSZE, NULL));
	ASSERT_EQ(0, ioctl(bfd, BLKCLOSEZONE, &zr));
	EXPECT_EQ(ZS_EMPTY, zone_state(self->fd, b, 5 * ZSZE, NULL));
	EXPECT_EQ(BLK_ZONE_COND_EMPTY, blk_zone_cond(bfd, 5 * ZSZE, &wp));
	/* Select All Close (NVMe) of the open zone 0 with data: CLOSED */
	c = zms(0, ZSA_CLOSE, 1);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_CLOSED, zone_state(self->fd, b, 0, NULL));
	c = zms(0, ZSA_RESET, 1);
	ASSERT_EQ(0, io(self->fd, &c));
	for (i = 0; i < 6; i++)
		EXPECT_EQ(BLK_ZONE_COND_EMPTY, blk_zone_cond(bfd, i * ZSZE, &wp));
	close(bfd);
}

/*
 * NVM Write on a zoned drive takes the bio path, and answers the zone's
 * own status: the zoned layer notes it beside the bio (the block device
 * sees -EIO): Zone Invalid Write off the write pointer, Zone Is Full, the
 * zone resource errors (Too Many Open Zones); a write across a zone's end
 * Zone Boundary Error before anything moves (Copy: copy_to_write_pointer).
 */
TEST_F(zns, nvm_write_statuses)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf;
	uint64_t wp;

	memset(b, 0x33, 8 * LBA);
	c = rw(OP_WRITE, 6 * ZSZE, 8, b);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 6 * ZSZE, &wp));
	EXPECT_EQ(6 * ZSZE + 8, wp);
	c = rw(OP_WRITE, 6 * ZSZE + 16, 8, b);
	EXPECT_EQ(SC_ZONE_INVALID_WRITE, io(self->fd, &c));
	EXPECT_EQ(SC_ZONE_INVALID_WRITE, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO,
						    &c, NULL));
	/* nothing moved: the write pointer is where it was, a write there works */
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 6 * ZSZE, &wp));
	EXPECT_EQ(6 * ZSZE + 8, wp);
	/* across the zone's end: Zone Boundary Error */
	c = rw(OP_WRITE, 6 * ZSZE - 4, 8, b);
	EXPECT_EQ(SC_ZONE_BOUNDARY, io(self->fd, &c));
	c = zms(6 * ZSZE, ZSA_FINISH, 0);
	ASSERT_EQ(0, io(self->fd, &c));
	c = rw(OP_WRITE, 6 * ZSZE, 8, b);
	EXPECT_EQ(SC_ZONE_FULL, io(self->fd, &c));
	EXPECT_EQ(SC_ZONE_FULL, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	/* three explicitly open (max_open 3): a write to a fourth zone */
	for (int i = 0; i < 3; i++) {
		c = zms(i * ZSZE, ZSA_OPEN, 0);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	c = rw(OP_WRITE, 7 * ZSZE, 8, b);
	EXPECT_EQ(SC_ZONE_TOO_MANY_OPEN, io(self->fd, &c));
}

/* Copy (19h), @nr format 0 ranges of @nlb LBAs from @src on, to @sdlba. */
static struct nvme_passthru_cmd64 copy_cmd(uint8_t *ranges, uint64_t sdlba, uint64_t src,
					   uint32_t nr, uint16_t nlb)
{
	struct nvme_passthru_cmd64 c = cmd64_lba(0x19, 1, ranges, nr * 32, sdlba);

	memset(ranges, 0, nr * 32);
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t slba = src + (uint64_t)i * nlb;
		uint16_t n0 = nlb - 1;

		memcpy(ranges + i * 32 + 8, &slba, 8);
		memcpy(ranges + i * 32 + 16, &n0, 2);
	}
	c.cdw12 = nr - 1;
	return c;
}

/*
 * Copy on a ZNS namespace: the destination is a write at the zone's write
 * pointer (QEMU's nvme_check_zone_write()): Zone Is Full, Zone Invalid
 * Write off the write pointer, Zone Boundary Error past the zone's
 * capacity, nothing moved for any of them; the zone's open limit is the
 * zoned layer's, its status the command's (Too Many Open Zones).
 */
TEST_F(zns, copy_to_write_pointer)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf, *ranges = self->buf + 4096;
	uint8_t *id = self->buf + 8192;
	uint64_t wp;

	/* Identify: ONCS bit 8 and MSRC now on the zoned drive too */
	c = cmd64_lba(OP_IDENTIFY, 0, id, ID_SIZE, 0);
	c.cdw10 = 0x01;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_TRUE(id[520 + 1] & 1);
	c = identify(0x00, 0, id);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(127, id[80]);

	/* zone 8: 8 LBAs of 0x5a; two ranges of 4 copied to empty zone 9 */
	memset(b, 0x5a, 8 * LBA);
	c = rw(OP_WRITE, 8 * ZSZE, 8, b);
	ASSERT_EQ(0, io(self->fd, &c));
	c = copy_cmd(ranges, 9 * ZSZE, 8 * ZSZE, 2, 4);
	ASSERT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 9 * ZSZE, &wp));
	EXPECT_EQ(9 * ZSZE + 8, wp);
	memset(b, 0, 8 * LBA);
	c = rw(OP_READ, 9 * ZSZE, 8, b);
	ASSERT_EQ(0, io(self->fd, &c));
	for (int i = 0; i < 8 * LBA; i++) {
		ASSERT_EQ(0x5a, b[i]) TH_LOG("byte %d", i);
	}
	/* at the write pointer again, by URING_CMD */
	c = copy_cmd(ranges, 9 * ZSZE + 8, 8 * ZSZE, 1, 8);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 9 * ZSZE, &wp));
	EXPECT_EQ(9 * ZSZE + 16, wp);

	/* off the write pointer (the zone's start, and past it) */
	c = copy_cmd(ranges, 9 * ZSZE, 8 * ZSZE, 1, 8);
	EXPECT_EQ(SC_ZONE_INVALID_WRITE, io(self->fd, &c));
	c = copy_cmd(ranges, 9 * ZSZE + 32, 8 * ZSZE, 1, 8);
	EXPECT_EQ(SC_ZONE_INVALID_WRITE, io(self->fd, &c));
	EXPECT_EQ(SC_ZONE_INVALID_WRITE, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_IO,
						    &c, NULL));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 9 * ZSZE, &wp));
	EXPECT_EQ(9 * ZSZE + 16, wp);

	/* zone 10 written up to 8 LBAs before its end: 16 more cross it */
	for (int i = 0; i < 4; i++) {
		c = rw(OP_WRITE, 10 * ZSZE + i * 1024, i < 3 ? 1024 : 1016, b);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	c = copy_cmd(ranges, 10 * ZSZE + ZSZE - 8, 8 * ZSZE, 2, 8);
	EXPECT_EQ(SC_ZONE_BOUNDARY, io(self->fd, &c));
	EXPECT_EQ(ZS_IOPEN, zone_state(self->fd, b + 65536, 10 * ZSZE, &wp));
	EXPECT_EQ(10 * ZSZE + ZSZE - 8, wp);
	/* exactly the rest: the zone is full */
	c = copy_cmd(ranges, 10 * ZSZE + ZSZE - 8, 8 * ZSZE, 1, 8);
	EXPECT_EQ(0, io(self->fd, &c));
	EXPECT_EQ(ZS_FULL, zone_state(self->fd, b + 65536, 10 * ZSZE, &wp));
	/* a full zone */
	c = copy_cmd(ranges, 10 * ZSZE, 8 * ZSZE, 1, 8);
	EXPECT_EQ(SC_ZONE_FULL, io(self->fd, &c));
	/* past the namespace: LBA Out of Range, as on a regular drive */
	c = copy_cmd(ranges, NR_ZONES * ZSZE, 8 * ZSZE, 1, 8);
	EXPECT_EQ(SC_LBA_RANGE, io(self->fd, &c));

	/* open limit (3): zones 8 and 9 reset, 0-2 explicitly open: a 4th */
	for (int z = 8; z <= 9; z++) {
		c = zms(z * ZSZE, ZSA_RESET, 0);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	for (int z = 0; z < 3; z++) {
		c = zms(z * ZSZE, ZSA_OPEN, 0);
		ASSERT_EQ(0, io(self->fd, &c));
	}
	c = copy_cmd(ranges, 11 * ZSZE, 8 * ZSZE, 1, 8);
	EXPECT_EQ(SC_ZONE_TOO_MANY_OPEN, io(self->fd, &c));
	EXPECT_EQ(ZS_EMPTY, zone_state(self->fd, b + 65536, 11 * ZSZE, &wp));
}

/* Receive is a read; Send and Append change the media (Linux 6.2's rule). */
TEST_F(zns, permissions)
{
	struct nvme_passthru_cmd64 c;
	int fd;

	fd = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, drop_sys_admin());
	c = zmr(0, self->buf, 128, 0, 1);
	EXPECT_EQ(0, io(fd, &c));
	c = zms(0, ZSA_OPEN, 0);
	EXPECT_EQ(-EACCES, io(fd, &c));
	c = rw(OP_ZAPPEND, 0, 1, self->buf);
	EXPECT_EQ(-EACCES, io(fd, &c));
	/* opened for writing: allowed */
	c = zms(0, ZSA_OPEN, 0);
	EXPECT_EQ(0, io(self->fd, &c));
	c = rw(OP_ZAPPEND, 0, 1, self->buf);
	EXPECT_EQ(0, io(self->fd, &c));
	close(fd);
}

TEST_HARNESS_MAIN
