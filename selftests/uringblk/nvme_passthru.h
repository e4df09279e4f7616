/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests of the NVM command set on drive 0 share (nvme_passthru.c:
 * the passthrough contract and I/O; nvme_admin.c: Identify, logs,
 * features; nvme_conform.c): the drive's size, statuses, opcodes and
 * data structure offsets, command builders, and the fixture of the first
 * two (NV_FIXTURE()).  Include after ../kselftest_harness.h.
 */
#ifndef URINGBLK_NVME_PASSTHRU_H
#define URINGBLK_NVME_PASSTHRU_H

#include "nvme_test.h"

#define CAP_MB		16
#define LBA		512
#define NSZE		((CAP_MB << 20) / LBA)
#define ID_SIZE		4096

/* NVMe statuses as the syscall returns them (status field >> 1) */
#define DNR			0x4000
#define SC_INVALID_OPCODE	(DNR | 0x01)
#define SC_INVALID_FIELD	(DNR | 0x02)
#define SC_INVALID_NS		(DNR | 0x0b)
#define SC_CMD_SEQ_ERROR	(DNR | 0x0c)
#define SC_SGL_INVALID_DATA	(DNR | 0x0f)
#define SC_LBA_RANGE		(DNR | 0x80)
#define SC_INVALID_IO_CMD_SET	(DNR | 0x2c)
#define SC_INVALID_LOG_PAGE	(DNR | 0x109)
#define SC_NOT_SAVEABLE		(DNR | 0x10d)
#define SC_NOT_CHANGEABLE	(DNR | 0x10e)
#define SC_COMPARE_FAILED	(DNR | 0x285)

/* Offsets in the Identify data (NVMe 2.0, <linux/nvme.h>) */
#define IDC_SN		4
#define IDC_MN		24
#define IDC_MDTS	77
#define IDC_VER		80
#define IDC_NN		516
#define IDC_VWC		525
#define IDC_SUBNQN	768
#define IDN_NSZE	0
#define IDN_NCAP	8
#define IDN_NLBAF	25
#define IDN_FLBAS	26
#define IDN_LBAF0_DS	130

enum { OP_FLUSH = 0x00, OP_WRITE = 0x01, OP_READ = 0x02, OP_COMPARE = 0x05,
       OP_WRITE_ZEROES = 0x08, OP_DSM = 0x09, OP_COPY = 0x19,
       OP_IDENTIFY = 0x06, OP_GET_LOG = 0x02, OP_SET_FEAT = 0x09, OP_GET_FEAT = 0x0a };
enum { LID_ERROR = 0x01, LID_SMART = 0x02, LID_FW = 0x03, LID_EFFECTS = 0x05 };

/* Offsets in the SMART / Health log and the effects log */
#define SMART_TEMP	1
#define SMART_DUR	32
#define SMART_DUW	48
#define SMART_HR	64
#define SMART_HW	80
#define SMART_POH	128
#define SMART_MEDIA	160
#define EFF_IOCS	1024
#define CSUPP		1
#define LBCC		2
#define IDC_LPA		261
#define IDC_ELPE	262
#define IDC_ONCS	520

/* Identify of CNS @cns, 4 KiB into @buf */
static inline struct nvme_passthru_cmd64 identify(uint8_t cns, uint32_t nsid,
						  void *buf)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_IDENTIFY, nsid, buf, ID_SIZE);

	c.cdw10 = cns;
	return c;
}

/* Get Log Page of @len bytes at offset @lpo (NUMD from @len). */
static inline struct nvme_passthru_cmd64 get_log(uint8_t lid, uint32_t nsid,
						 void *buf, uint32_t len,
						 uint64_t lpo)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_GET_LOG, nsid, buf, len);
	uint32_t numd = len / 4 - 1;

	c.cdw10 = lid | (numd & 0xffff) << 16;
	c.cdw11 = numd >> 16;
	c.cdw12 = (uint32_t)lpo;
	c.cdw13 = lpo >> 32;
	return c;
}

/* Read, Write, Compare...: @nlb blocks at @slba of NSID 1 */
static inline struct nvme_passthru_cmd64 rw(uint8_t opcode, uint64_t slba,
					    uint32_t nlb, void *buf)
{
	struct nvme_passthru_cmd64 c = cmd64(opcode, 1, buf, nlb * LBA);

	c.cdw10 = (uint32_t)slba;
	c.cdw11 = slba >> 32;
	c.cdw12 = nlb - 1;
	return c;
}

/* nvme_passthru.c and nvme_admin.c: buf and buf2, 1 MiB each */
#define NV_FIXTURE()	NVME_FIXTURE(nv, ubt_module_ensure, \
				     "capacity_mb=16 nr_devices=1", 1 << 20, 2)

#endif /* URINGBLK_NVME_PASSTHRU_H */
