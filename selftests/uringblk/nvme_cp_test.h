/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an NVMe Execute Program test needs (nvme_cp_timing.c; the same as
 * nvme_cp_exec.c's own helpers): a program loaded and activated in a slot,
 * a memory range set, and Execute Program (01h) on the CP namespace node
 * by ioctl or URING_CMD.
 */
#ifndef URINGBLK_NVME_CP_TEST_H
#define URINGBLK_NVME_CP_TEST_H

#include <stdint.h>
#include <string.h>
#include <linux/nvme_ioctl.h>

#include "nvme_test.h"
#include "prog_test.h"

#define CP_NSID		2
#define SLM_NSID	3
#define DNR		0x4000
#define OP_EXECUTE	0x01
#define OP_LOAD		0x85
#define OP_ACT		0x88
#define OP_MRS		0x89
#define PTYPE_EBPF	0xc0
#define SC_RUNS_LIMIT	(DNR | 0x7d0)
#define SC_NS_NOT_READY	0x82

struct mrd {		/* Memory Range Descriptor */
	uint32_t mnsid;
	uint32_t len;
	uint64_t sb;
	uint8_t rsvd[16];
};

static inline int admin(int fd, struct nvme_passthru_cmd64 *c)
{
	return nvme_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, c);
}

/* Load Program of the whole @insns into slot @pind, activated: the id or < 0. */
static inline int load_act(int fd, uint16_t pind, const struct bpf_insn *insns, size_t cnt)
{
	uint32_t len = cnt * sizeof(*insns);
	struct nvme_passthru_cmd64 c = {
		.opcode = OP_LOAD, .nsid = CP_NSID, .addr = (uintptr_t)insns,
		.data_len = len, .cdw10 = pind | PTYPE_EBPF << 16, .cdw11 = len,
		.cdw14 = len,
	};
	struct nvme_passthru_cmd64 a = {
		.opcode = OP_ACT, .nsid = CP_NSID, .cdw10 = pind | 1 << 16,
	};
	int ret = admin(fd, &c);

	if (ret)
		return ret > 0 ? -ret : ret;
	ret = admin(fd, &a);
	return ret ? -1 : (int)c.result;
}

/* A set over SLM [0, @len): its RSID, or 0. */
static inline uint32_t set_create(int fd, uint32_t len)
{
	struct mrd d = { .mnsid = SLM_NSID, .len = len, .sb = 0 };
	struct nvme_passthru_cmd64 c = {
		.opcode = OP_MRS, .nsid = CP_NSID, .addr = (uintptr_t)&d,
		.data_len = sizeof(d), .cdw11 = 1,
	};

	return admin(fd, &c) ? 0 : (uint32_t)c.result;
}

static inline struct nvme_passthru_cmd64 exec_cmd(uint16_t pind, uint16_t rsid, uint64_t p1,
						  uint64_t p2, uint64_t *param, uint32_t plen)
{
	return (struct nvme_passthru_cmd64) {
		.opcode = OP_EXECUTE, .nsid = CP_NSID,
		.cdw2 = pind | (uint32_t)rsid << 16,
		.addr = (uintptr_t)param, .data_len = plen,
		.cdw10 = (uint32_t)p1, .cdw11 = p1 >> 32,
		.cdw12 = (uint32_t)p2, .cdw13 = p2 >> 32,
	};
}

/* Fill an SQE128 slot with an NVME_URING_CMD_IO of @c. */
static inline void prep(struct io_uring_sqe *sqe, int fd, const struct nvme_passthru_cmd64 *c,
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

/* One by URING_CMD, waited for: cqe->res, big_cqe[0] in *@res2. */
static inline int uexec(struct io_uring *ring, int fd, const struct nvme_passthru_cmd64 *c,
			uint64_t *res2, uint8_t flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	prep(sqe, fd, c, 1, flags);
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret)
		return ret;
	ret = cqe->res;
	if (res2)
		*res2 = cqe->big_cqe[0];
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

#endif /* URINGBLK_NVME_CP_TEST_H */
