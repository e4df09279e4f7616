/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests of the NVMe Computational Programs command set share
 * (nvme_cp.c: the admin commands; nvme_cp_io.c: Execute Program by ioctl;
 * nvme_cp_exec.c: Execute Program by URING_CMD): statuses, opcodes, the
 * commands built and sent, and the fixture of nvme_cp.c and nvme_cp_io.c:
 * a 16 MiB drive with 4 MiB of SLM, loaded afresh, its command device and
 * a 1 MiB buffer.  Include after ../kselftest_harness.h.
 */
#ifndef URINGBLK_NVME_CP_H
#define URINGBLK_NVME_CP_H

#include "nvme_test.h"
#include "prog_test.h"
#include "liburingblk.h"	/* uringblk_prog_read_obj() */

#define SLM_MB		4
#define PAGE		4096

/* NVMe statuses as the syscall returns them (status field >> 1) */
#define DNR			0x4000
#define SC_INVALID_OPCODE	(DNR | 0x01)
#define SC_INVALID_FIELD	(DNR | 0x02)
#define SC_INVALID_NS		(DNR | 0x0b)
#define SC_SGL_INVALID_DATA	(DNR | 0x0f)
#define SC_INVALID_MEM_NS	(DNR | 0x18b)
#define SC_INVALID_MRS		(DNR | 0x18c)
#define SC_INVALID_MRS_ID	(DNR | 0x18d)
#define SC_INVALID_PROG_DATA	(DNR | 0x18e)
#define SC_INVALID_PIND		(DNR | 0x18f)
#define SC_INVALID_PTYPE	(DNR | 0x190)
#define SC_MAX_MEM_RANGES	(DNR | 0x191)
#define SC_MAX_ACTIVATED	(DNR | 0x193)
#define SC_MRS_IN_USE		(DNR | 0x195)
#define SC_NO_PROGRAM		(DNR | 0x196)
#define SC_OVERLAPPING		(DNR | 0x197)
#define SC_PROG_IN_USE		(DNR | 0x199)
#define SC_NOT_DOWNLOADABLE	(DNR | 0x19a)
#define SC_PROG_TOO_BIG		(DNR | 0x19b)

enum { OP_GET_LOG = 0x02, OP_LOAD = 0x85, OP_ACT = 0x88, OP_MRS = 0x89 };
#define CP_NSID		2
#define SLM_NSID	3
#define PTYPE_EBPF	0xc0
#define SEL_UNLOAD	(1u << 24)

struct mrd {		/* Memory Range Descriptor */
	uint32_t mnsid;
	uint32_t len;
	uint64_t sb;
	uint8_t rsvd[16];
};

/* Load Program: @numb bytes at @loff of a @psize-byte program */
static inline struct nvme_passthru_cmd64 load_cmd(uint16_t pind, uint8_t ptype,
						  uint32_t psize, uint32_t loff,
						  const void *buf, uint32_t numb)
{
	return (struct nvme_passthru_cmd64) {
		.opcode = OP_LOAD, .nsid = CP_NSID,
		.addr = (uintptr_t)buf, .data_len = numb,
		.cdw10 = pind | (uint32_t)ptype << 16,
		.cdw11 = psize, .cdw14 = numb, .cdw15 = loff,
	};
}

static inline int admin(int fd, struct nvme_passthru_cmd64 *c)
{
	return nvme_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, c);
}

/* Load Program of @len bytes at @loff of a @psize-byte program: the status. */
static inline int load_piece(int fd, uint16_t pind, uint32_t psize,
			     uint32_t loff, const void *buf, uint32_t len,
			     uint64_t *result)
{
	struct nvme_passthru_cmd64 c = load_cmd(pind, PTYPE_EBPF, psize, loff, buf, len);
	int ret = admin(fd, &c);

	if (result)
		*result = c.result;
	return ret;
}

/* The whole program in one piece: its id (> 0) or the status negated. */
static inline int load_whole(int fd, uint16_t pind,
			     const struct bpf_insn *insns, size_t cnt)
{
	uint32_t len = cnt * sizeof(*insns);
	uint64_t id;
	int ret = load_piece(fd, pind, len, 0, insns, len, &id);

	return ret ? -ret : (int)id;
}

static inline int act(int fd, uint16_t pind, uint32_t sel)
{
	struct nvme_passthru_cmd64 c = {
		.opcode = OP_ACT, .nsid = CP_NSID, .cdw10 = pind | sel << 16,
	};

	return admin(fd, &c);
}

static inline int unload(int fd, uint16_t pind)
{
	struct nvme_passthru_cmd64 c = load_cmd(pind, 0, 0, 0, NULL, 0);

	c.cdw10 |= SEL_UNLOAD;
	return admin(fd, &c);
}

/* Memory Range Set Management create of @n descriptors; *@rsid. */
static inline int mrs_create(int fd, struct mrd *d, uint32_t n, uint64_t *rsid)
{
	struct nvme_passthru_cmd64 c = {
		.opcode = OP_MRS, .nsid = CP_NSID, .addr = (uintptr_t)d,
		.data_len = n * sizeof(*d), .cdw10 = 0, .cdw11 = n,
	};
	int ret = admin(fd, &c);

	if (rsid)
		*rsid = c.result;
	return ret;
}

static inline int mrs_delete(int fd, uint32_t rsid)
{
	struct nvme_passthru_cmd64 c = {
		.opcode = OP_MRS, .nsid = CP_NSID, .cdw10 = 1 | rsid << 16,
	};

	return admin(fd, &c);
}

static inline struct mrd slm_range(uint64_t sb, uint32_t len)
{
	return (struct mrd) { .mnsid = SLM_NSID, .len = len, .sb = sb };
}

/* count_pattern's instructions (progs/count_pattern.bpf.o): *cnt of them. */
static inline struct bpf_insn *count_pattern_insns(unsigned int *cnt)
{
	struct uringblk_prog_obj po;
	char path[512], err[256];

	ubp_obj_path("count_pattern", path, sizeof(path));
	if (uringblk_prog_read_obj(path, NULL, &po, err, sizeof(err)))
		return NULL;
	*cnt = po.insn_cnt;
	return po.insns;	/* the rest of po is empty: no global data */
}

/* Execute Program (01h) on the CP namespace's node */
#define CP_NODE		"/dev/uringblkc0n2"
#define OP_EXECUTE	0x01

/* Execute Program of slot @pind over set @rsid: CPARAM1/2, parameter data. */
static inline struct nvme_passthru_cmd64 exec_cmd(uint16_t pind, uint16_t rsid,
						  uint64_t p1, uint64_t p2,
						  uint64_t *param, uint32_t plen)
{
	return (struct nvme_passthru_cmd64) {
		.opcode = OP_EXECUTE, .nsid = CP_NSID,
		.cdw2 = pind | (uint32_t)rsid << 16,
		.addr = (uintptr_t)param, .data_len = plen,
		.cdw10 = (uint32_t)p1, .cdw11 = p1 >> 32,
		.cdw12 = (uint32_t)p2, .cdw13 = p2 >> 32,
	};
}

static inline int io(int fd, struct nvme_passthru_cmd64 *c)
{
	return nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, c);
}

/* Execute Program statuses: the drive's runs limit, a drive going away */
#define SC_RUNS_LIMIT	(DNR | 0x7d0)
#define SC_NS_NOT_READY	0x82
#define SC_ABORT_REQ	0x07	/* Command Abort Requested */

/* Load Program of the whole @insns into slot @pind, activated: the id or < 0. */
static inline int load_act(int fd, uint16_t pind, const struct bpf_insn *insns, size_t cnt)
{
	uint32_t len = cnt * sizeof(*insns);
	uint64_t id;
	int ret = load_piece(fd, pind, len, 0, insns, len, &id);

	if (ret)
		return ret > 0 ? -ret : ret;
	return act(fd, pind, 1) ? -1 : (int)id;
}

/* A set over SLM [0, @len): its RSID, or 0. */
static inline uint32_t set_create(int fd, uint32_t len)
{
	struct mrd d = slm_range(0, len);
	uint64_t rsid;

	return mrs_create(fd, &d, 1, &rsid) ? 0 : (uint32_t)rsid;
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
	nvme_uring_prep(sqe, fd, c, 1, flags);
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

/* nvme_cp.c and nvme_cp_io.c: self->buf, 1 MiB */
#define CP_FIXTURE()	NVME_FIXTURE(cp, ubt_module_reload, \
				     "capacity_mb=16 nr_devices=1 slm_size_mb=4", \
				     1 << 20, 1)

#endif /* URINGBLK_NVME_CP_H */
