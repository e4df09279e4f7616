// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe conformance details of the command device (driver/nvme_admin.c),
 * field by field and status by status, where the drive was compared with
 * QEMU's NVMe device (nvme_qemu.sh) and the answer was settled:
 *  - Identify Namespace DLFEAT 001b (a deallocated block reads as zeroes:
 *    checked by deallocating written blocks and reading them), bit 3 clear
 *    (Write Zeroes' DEAC deallocates nothing);
 *  - Identify Controller WCTEMP 343 K and CCTEMP 373 K, above the SMART
 *    log's constant temperature, no critical warning; VWC exactly 1 (bits
 *    2:1 00b: a Flush with NSID FFFFFFFFh never reaches the device, the
 *    host half answers -EINVAL); KAS 0; AERL 3;
 *  - Abort (08h): result bit 0 set (not aborted) for every SQID the drive
 *    has (0 and Number of Queues' NSQA + 1 I/O queues), Invalid Field
 *    past them, Data SGL Length Invalid with a buffer, through the 64- and
 *    32-bit ioctls and URING_CMD; -EACCES without CAP_SYS_ADMIN;
 *  - Asynchronous Event Request (0Ch): Asynchronous Event Request Limit
 *    Exceeded at once, by ioctl and by URING_CMD (never held: the ring
 *    closes and the module unloads behind it);
 *  - Keep Alive (18h): Invalid Opcode (KAS 0);
 *  - Get Features Temperature Threshold (04h): over = WCTEMP, under 0, a
 *    sensor the drive lacks 0, a reserved THSEL Invalid Field, SEL 011b
 *    nothing changeable; Set Features of it Feature Not Changeable;
 *  - the effects log lists Abort and AER (CSUPP), not Keep Alive;
 *  - Get Features of the mandatory Arbitration (01h, burst no limit),
 *    Power Management (02h, state 0), Interrupt Coalescing (08h, 0),
 *    Interrupt Vector Configuration (09h, vectors 0 to NSQA + 1, Coalescing
 *    Disable on 0) and Asynchronous Event Configuration (0Bh, as set),
 *    QEMU's values; SEL 011b; Set of the first four Feature Not
 *    Changeable, of 0Bh kept; SV Not Saveable;
 *  - Set Features Volatile Write Cache WCE 0: Feature Not Changeable.
 * The runner fails the test if the kernel logs a warning meanwhile.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_passthru.h"

#define SC_ASYNC_LIMIT		(DNR | 0x105)

/* Identify Controller and Namespace offsets (<linux/nvme.h>) */
#define IDC_AERL	259
#define IDC_WCTEMP	266
#define IDC_CCTEMP	268
#define IDC_KAS		320
#define IDN_DLFEAT	33

#define SMART_CRIT	0

enum { OP_ABORT = 0x08, OP_AER = 0x0c, OP_KEEP_ALIVE = 0x18 };

/* buf: 64 KiB */
NVME_FIXTURE(nc, ubt_module_ensure, "capacity_mb=16 nr_devices=1", 64 << 10, 1)

TEST_F(nc, identify_fields)
{
	struct nvme_passthru_cmd64 c = identify(0x01, 0, self->buf);
	uint16_t wctemp, cctemp, temp;

	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	wctemp = self->buf[IDC_WCTEMP] | self->buf[IDC_WCTEMP + 1] << 8;
	cctemp = self->buf[IDC_CCTEMP] | self->buf[IDC_CCTEMP + 1] << 8;
	ASSERT_EQ(343, wctemp);
	ASSERT_EQ(373, cctemp);
	ASSERT_EQ(1, self->buf[IDC_VWC]);	/* present; 2:1 00b */
	ASSERT_EQ(0, self->buf[IDC_KAS] | self->buf[IDC_KAS + 1]);
	ASSERT_EQ(3, self->buf[IDC_AERL]);
	/* the SMART temperature is below both: no critical warning */
	c = get_log(0x02, 0xffffffff, self->buf, 512, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	temp = self->buf[SMART_TEMP] | self->buf[SMART_TEMP + 1] << 8;
	ASSERT_NE(0, temp);
	ASSERT_GT(wctemp, temp);
	ASSERT_EQ(0, self->buf[SMART_CRIT]);

	/* DLFEAT on NSID 1; the CP and SLM namespaces have no blocks: 0 */
	c = identify(0x00, 1, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0x01, self->buf[IDN_DLFEAT]);
	c = identify(0x00, 2, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, self->buf[IDN_DLFEAT]);
}

/* What DLFEAT 001b promises: deallocated blocks read as zeroes. */
TEST_F(nc, dlfeat_deallocated_reads_zeroes)
{
	struct nvme_passthru_cmd64 c;
	uint8_t range[16] = { 0 };

	memset(self->buf, 0x5a, 16 * LBA);
	c = rw(OP_WRITE, 64, 16, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	range[4] = 8;		/* nlb 8 at slba 68 */
	range[8] = 68;
	c = cmd64(OP_DSM, 1, range, 16);
	c.cdw11 = 1 << 2;	/* AD */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	memset(self->buf, 0xee, 16 * LBA);
	c = rw(OP_READ, 64, 16, self->buf);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_IO64_CMD, &c));
	for (int i = 0; i < 16 * LBA; i++) {
		uint8_t want = (i >= 4 * LBA && i < 12 * LBA) ? 0 : 0x5a;

		ASSERT_EQ(want, self->buf[i]) TH_LOG("byte %d", i);
	}
}

TEST_F(nc, abort)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_GET_FEAT, 0, NULL, 0);
	struct nvme_passthru_cmd c32;
	uint64_t res2 = 0;
	uint32_t nsqa;

	c.cdw10 = 0x07;		/* Number of Queues: NSQA, 0's based */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	nsqa = (c.result & 0xffff) + 1;

	/* the admin queue, the first and the last I/O queue: not aborted */
	for (uint32_t sqid = 0; sqid <= nsqa; sqid += sqid ? nsqa - 1 : 1) {
		c = cmd64(OP_ABORT, 0, NULL, 0);
		c.cdw10 = sqid | 0xbeefu << 16;		/* CID: any */
		c.result = 0;
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("sqid %u", sqid);
		ASSERT_EQ(1, c.result);
		res2 = 0;
		ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2));
		ASSERT_EQ(1, res2);
		if (nsqa == 1)
			break;
	}
	memset(&c32, 0, sizeof(c32));
	c32.opcode = OP_ABORT;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN_CMD, &c32));
	ASSERT_EQ(1, c32.result);

	/* an SQID the drive does not have; a data buffer */
	c = cmd64(OP_ABORT, 0, NULL, 0);
	c.cdw10 = nsqa + 1;
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw10 = 0xffff;
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(SC_INVALID_FIELD,
		  nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	c = cmd64(OP_ABORT, 0, self->buf, 4096);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));

	/* an admin command: CAP_SYS_ADMIN only (Linux 6.2's rule) */
	ASSERT_EQ(0, drop_sys_admin());
	c = cmd64(OP_ABORT, 0, NULL, 0);
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = cmd64(OP_AER, 0, NULL, 0);
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
}

/* AER is answered at once, never held: a ring with it closes, the module unloads. */
TEST_F(nc, async_event_request)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_AER, 0, NULL, 0);
	struct io_uring ring2;
	uint64_t res2 = 7;

	for (int i = 0; i < 8; i++) {
		ASSERT_EQ(SC_ASYNC_LIMIT, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		ASSERT_EQ(SC_ASYNC_LIMIT,
			  nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2));
	}
	c = cmd64(OP_AER, 0, self->buf, 4096);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* a second ring closed right after its AER */
	ASSERT_EQ(0, ubt_ring_init(&ring2, 0));
	c = cmd64(OP_AER, 0, NULL, 0);
	ASSERT_EQ(SC_ASYNC_LIMIT, nvme_uring(&ring2, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	io_uring_queue_exit(&ring2);
}

TEST_F(nc, keep_alive_and_effects)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_KEEP_ALIVE, 0, NULL, 0);

	ASSERT_EQ(SC_INVALID_OPCODE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(SC_INVALID_OPCODE,
		  nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, NULL));
	/* the effects log of every CSI the drive has lists what it answers */
	for (uint32_t csi = 0; csi <= 4; csi++) {
		if (csi == 1 || csi == 2)	/* none; ZNS: nvme_zns.c */
			continue;
		c = get_log(0x05, 0, self->buf, 4096, 0);
		c.cdw14 = csi << 24;
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		ASSERT_EQ(1, le32(self->buf + OP_ABORT * 4)) TH_LOG("csi %u", csi);
		ASSERT_EQ(1, le32(self->buf + OP_AER * 4)) TH_LOG("csi %u", csi);
		ASSERT_EQ(0, le32(self->buf + OP_KEEP_ALIVE * 4)) TH_LOG("csi %u", csi);
	}
}

/* Temperature Threshold: the thresholds Identify's WCTEMP states, fixed. */
TEST_F(nc, temperature_threshold)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_GET_FEAT, 0, NULL, 0);
	uint64_t res2 = 0;

	c.cdw10 = 0x04;
	c.cdw11 = 0;				/* composite, over */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(343, c.result);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2));
	ASSERT_EQ(343, res2);
	c.cdw11 = 1 << 20;			/* under */
	c.result = 77;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, c.result);
	c.cdw11 = 1 << 16;			/* sensor 1: none */
	c.result = 77;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, c.result);
	for (uint32_t thsel = 2; thsel <= 3; thsel++) {
		c.cdw11 = thsel << 20;
		ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	}
	c.cdw10 = 0x04 | 3 << 8;		/* SEL 011b: not changeable */
	c.cdw11 = 0;
	c.result = 77;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(0, c.result);
	c = cmd64(OP_SET_FEAT, 0, NULL, 0);
	c.cdw10 = 0x04;
	c.cdw11 = 350;
	ASSERT_EQ(SC_NOT_CHANGEABLE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c.cdw11 = 343;
	ASSERT_EQ(SC_NOT_CHANGEABLE, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = cmd64(OP_GET_FEAT, 0, self->buf, 4096);
	c.cdw10 = 0x04;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	/* the threshold is unchanged */
	c = cmd64(OP_GET_FEAT, 0, NULL, 0);
	c.cdw10 = 0x04;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(343, c.result);
}

/* gf FID CDW11 SEL: Get Features by ioctl and URING_CMD alike; -1 on a mismatch. */
static int64_t gf(struct __test_metadata *_metadata, FIXTURE_DATA(nc) *self,
		  uint32_t fid, uint32_t cdw11, uint32_t sel, int *status)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_GET_FEAT, 0, NULL, 0);
	uint64_t res2 = 0x7777;
	int st;

	c.cdw10 = fid | sel << 8;
	c.cdw11 = cdw11;
	c.result = 0x7777;
	*status = nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c);
	st = nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2);
	EXPECT_EQ(*status, st) TH_LOG("FID %#x: ioctl and URING_CMD", fid);
	if (*status)
		return -1;
	EXPECT_EQ(c.result, res2) TH_LOG("FID %#x: ioctl and URING_CMD", fid);
	return c.result;
}

/* sf FID CDW11 SV: Set Features' status; *result its CDW0. */
static int sf(FIXTURE_DATA(nc) *self, uint32_t fid, uint32_t cdw11, int sv,
	      uint64_t *result)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_SET_FEAT, 0, NULL, 0);
	int st;

	c.cdw10 = fid | (sv ? 1u << 31 : 0);
	c.cdw11 = cdw11;
	st = nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c);
	if (result)
		*result = c.result;
	return st;
}

/*
 * The base specification's mandatory features (01h, 02h, 08h, 09h, 0Bh)
 * with QEMU's NVMe device's values: Get answers them, SEL 011b says only
 * Asynchronous Event Configuration changes, Set of the others is Feature
 * Not Changeable, of any with SV Not Saveable.
 */
TEST_F(nc, mandatory_features)
{
	static const uint32_t fixed[] = { 0x01, 0x02, 0x08, 0x09 };
	uint64_t res;
	uint32_t nsqa;
	int st;

	ASSERT_EQ(7, gf(_metadata, self, 0x01, 0, 0, &st));	/* burst: no limit */
	ASSERT_EQ(0, gf(_metadata, self, 0x02, 0, 0, &st));	/* power state 0 */
	ASSERT_EQ(0, gf(_metadata, self, 0x08, 0, 0, &st));	/* no coalescing */
	ASSERT_EQ(0, gf(_metadata, self, 0x0b, 0, 0, &st));	/* no events */
	/* default and saved (nothing saveable: the default) alike */
	for (uint32_t sel = 1; sel <= 2; sel++) {
		ASSERT_EQ(7, gf(_metadata, self, 0x01, 0, sel, &st));
		ASSERT_EQ(0, gf(_metadata, self, 0x02, 0, sel, &st));
	}
	/* Interrupt Vector Configuration: vectors 0 (admin) to NSQA + 1 */
	ASSERT_LE(0, gf(_metadata, self, 0x07, 0, 0, &st));
	nsqa = (gf(_metadata, self, 0x07, 0, 0, &st) & 0xffff) + 1;
	ASSERT_EQ(0x10000, gf(_metadata, self, 0x09, 0, 0, &st));	/* CD */
	ASSERT_EQ(1, gf(_metadata, self, 0x09, 1, 0, &st));
	ASSERT_EQ(nsqa, gf(_metadata, self, 0x09, nsqa | 0xabcd0000, 0, &st));
	ASSERT_EQ(-1, gf(_metadata, self, 0x09, nsqa + 1, 0, &st));
	ASSERT_EQ(SC_INVALID_FIELD, st);
	ASSERT_EQ(-1, gf(_metadata, self, 0x09, 0xffff, 0, &st));
	ASSERT_EQ(SC_INVALID_FIELD, st);
	/* SEL 011b: none changeable but 0Bh; a reserved SEL */
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		EXPECT_EQ(0, gf(_metadata, self, fixed[i], 0, 3, &st)) TH_LOG("FID %#x", fixed[i]);
		EXPECT_EQ(-1, gf(_metadata, self, fixed[i], 0, 4, &st)) TH_LOG("FID %#x", fixed[i]);
		EXPECT_EQ(SC_INVALID_FIELD, st) TH_LOG("FID %#x", fixed[i]);
		EXPECT_EQ(SC_NOT_CHANGEABLE, sf(self, fixed[i], 0, 0, NULL)) TH_LOG("FID %#x", fixed[i]);
		EXPECT_EQ(SC_NOT_SAVEABLE, sf(self, fixed[i], 0, 1, NULL)) TH_LOG("FID %#x", fixed[i]);
	}
	ASSERT_EQ(4, gf(_metadata, self, 0x0b, 0, 3, &st));

	/* Asynchronous Event Configuration: kept as set; default 0 */
	ASSERT_EQ(0, sf(self, 0x0b, 0x1ff, 0, &res));
	ASSERT_EQ(0x1ff, gf(_metadata, self, 0x0b, 0, 0, &st));
	ASSERT_EQ(0, gf(_metadata, self, 0x0b, 0, 1, &st));
	ASSERT_EQ(SC_NOT_SAVEABLE, sf(self, 0x0b, 0x3, 1, NULL));
	ASSERT_EQ(0x1ff, gf(_metadata, self, 0x0b, 0, 0, &st));
	ASSERT_EQ(0, sf(self, 0x0b, 0, 0, NULL));
	ASSERT_EQ(0, gf(_metadata, self, 0x0b, 0, 0, &st));
	/* the fixed values did not move */
	ASSERT_EQ(7, gf(_metadata, self, 0x01, 0, 0, &st));
	/* a buffer: Data SGL Length Invalid, a known FID */
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		struct nvme_passthru_cmd64 c = cmd64(OP_GET_FEAT, 0, self->buf, 4096);

		c.cdw10 = fixed[i];
		EXPECT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c))
			TH_LOG("FID %#x", fixed[i]);
	}
}

/*
 * The write cache cannot be turned off: WCE 0 is Feature Not Changeable
 * (not Invalid Field: the value is valid, the feature fixed), WCE 1 a
 * no-op, and the cache stays on.
 */
TEST_F(nc, write_cache_not_changeable)
{
	uint64_t res = 77;
	int st;

	ASSERT_EQ(SC_NOT_CHANGEABLE, sf(self, 0x06, 0, 0, NULL));
	ASSERT_EQ(0, sf(self, 0x06, 1, 0, &res));
	ASSERT_EQ(1, res);
	ASSERT_EQ(1, gf(_metadata, self, 0x06, 0, 0, &st));
	ASSERT_EQ(0, gf(_metadata, self, 0x06, 0, 3, &st));	/* not changeable */
}

TEST_HARNESS_MAIN
