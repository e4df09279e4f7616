// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's namespaces beyond NVM (driver/nvme_ns.c) and the SLM
 * namespace's I/O commands (driver/nvme_slm.c):
 *  - the nodes /dev/uringblkc0n2 (Computational Programs) and n3 (SLM):
 *    character devices of the command device's major, minors 64 and 128;
 *    NVME_IOCTL_ID per node; an I/O command whose nsid is not the node's
 *    -EINVAL on every node, by each ioctl and URING_CMD; admin ioctls on a
 *    namespace node reach the controller, NVME_URING_CMD_ADMIN and the
 *    drive's own commands there -ENOTTY (6.1's /dev/ngXnY), after the
 *    SQE128/CQE32 check;
 *  - Identify: nn, the active lists (CNS 02h, 07h per CSI), descriptors
 *    (CNS 03h), CNS 00h and 08h of NSID 2 and 3, CNS 05h of CP field by
 *    field and of SLM, CNS 06h of both, each wrong namespace/set pairing;
 *    the effects log of CSI 03h, each listed opcode one the drive answers;
 *  - Memory Write then Read (ioctl and URING_CMD) against the drive's own
 *    MEM_READ; Memory Fill's pattern and zeroes; Memory Copy of two LBA
 *    ranges against the block device's data; the counters they move;
 *  - every bad field's status: misaligned SB/LEN/SDADDR, a buffer below
 *    LEN, beyond SLM, above MDTS, a Fill with data, Copy's descriptor
 *    format, descriptor bytes, LEN sum, source namespaces, Fast Copy Only,
 *    LBAs beyond the NVM namespace, too many ranges, metadata;
 *  - permissions without CAP_SYS_ADMIN: Read on a read-only node, Write,
 *    Fill, Copy only on one opened for writing; Copy, which reads the NVM
 *    namespace, only for a process holding a file of it (as nobody);
 *  - the timing model: Memory Write/Read at least the link's modelled time,
 *    Memory Copy the media read's, as MEM_WRITE/READ/COPY;
 *  - a runtime drive removed while a thread reads SLM through n3 and both
 *    nodes are open: the reads end (-ENODEV), NVME_IOCTL_ID still answers,
 *    and the module unloads once the files are closed;
 *  - a timed drive (link_mbps=1) removed while Memory Reads wait for their
 *    deadlines in their callers: each still waiting answers Namespace Not
 *    Ready at once.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_test.h"

#define CAP_MB		16
#define SLM_MB		4
#define SLM_SIZE	((uint64_t)SLM_MB << 20)
#define LBA		512
#define ID_SIZE		4096
#define BUF_SIZE	(1 << 20)

#define DNR			0x4000
#define SC_INVALID_OPCODE	(DNR | 0x01)
#define SC_INVALID_FIELD	(DNR | 0x02)
#define SC_INVALID_NS		(DNR | 0x0b)
#define SC_SGL_INVALID_DATA	(DNR | 0x0f)
#define SC_LBA_RANGE		(DNR | 0x80)
#define SC_CMD_SIZE_LIMIT	(DNR | 0x183)
#define SC_FAST_COPY		(DNR | 0x186)
#define SC_NS_NOT_READY		0x82	/* no DNR: the status of -ENODEV */

enum { OP_IDENTIFY = 0x06, OP_GET_LOG = 0x02 };
enum { SLM_COPY = 0x01, SLM_READ = 0x02, SLM_FILL = 0x04, SLM_WRITE = 0x05 };
enum { CSI_NVM = 0, CSI_SLM = 3, CSI_CP = 4 };

static struct nvme_passthru_cmd64 identify(uint8_t cns, uint8_t csi, uint32_t nsid,
					   void *buf)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_IDENTIFY, nsid, buf, ID_SIZE);

	c.cdw10 = cns;
	c.cdw11 = (uint32_t)csi << 24;
	return c;
}

/* Memory Read, Write (@buf of @buflen) or Fill (no buffer) of @len at @sb. */
static struct nvme_passthru_cmd64 mem(uint8_t opcode, uint64_t sb, uint32_t len,
				      void *buf, uint32_t buflen)
{
	struct nvme_passthru_cmd64 c = cmd64(opcode, 3, buf, buflen);

	c.cdw10 = (uint32_t)sb;
	c.cdw11 = sb >> 32;
	c.cdw12 = len;
	return c;
}

/* A Format 2h source range entry (libnvme's struct nvme_copy_range_f2). */
struct copy_f2 {
	uint32_t snsid;
	uint8_t  rsvd4[4];
	uint64_t slba;
	uint16_t nlb;		/* 0's based */
	uint8_t  cetype;
	uint8_t  rsvd19;
	uint16_t cev;
	uint16_t sopt;
	uint8_t  rsvd24[8];
};
_Static_assert(sizeof(struct copy_f2) == 32, "Format 2h entry");

/* Memory Copy of @nr entries at @d to SDADDR @sdaddr, LEN @len. */
static struct nvme_passthru_cmd64 mcopy(struct copy_f2 *d, uint32_t nr, uint64_t sdaddr,
					uint64_t len)
{
	struct nvme_passthru_cmd64 c = cmd64(SLM_COPY, 3, d, nr * sizeof(*d));

	c.cdw2 = (uint32_t)len;
	c.cdw3 = len >> 32;
	c.cdw10 = (uint32_t)sdaddr;
	c.cdw11 = sdaddr >> 32;
	c.cdw12 = (nr - 1) | 2u << 8;	/* NR 0's based, CDFT 2h */
	return c;
}

static int open_ns(int nsid, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/uringblkc0n%d", nsid);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

FIXTURE(ns) {
	struct io_uring ring;
	int fd, fd2, fd3;
	uint8_t *buf;
	uint8_t *buf2;
};

FIXTURE_SETUP(ns)
{
	self->ring.ring_fd = -1;
	self->fd = self->fd2 = self->fd3 = -1;
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=16 nr_devices=1 slm_size_mb=4");
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0n3", 5000));
	self->fd = ubt_open_cdev(0, O_RDWR);
	self->fd2 = open_ns(2, O_RDWR);
	self->fd3 = open_ns(3, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_LE(0, self->fd2);
	ASSERT_LE(0, self->fd3);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->buf = ubt_alloc(BUF_SIZE);
	self->buf2 = ubt_alloc(BUF_SIZE);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->buf2);
}

FIXTURE_TEARDOWN(ns)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->fd2 >= 0)
		close(self->fd2);
	if (self->fd3 >= 0)
		close(self->fd3);
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
	if (self->buf)
		munmap(self->buf, BUF_SIZE);
	if (self->buf2)
		munmap(self->buf2, BUF_SIZE);
}

TEST_F(ns, nodes_and_ids)
{
	struct stat c0, st;

	ASSERT_EQ(0, stat("/dev/uringblkc0", &c0));
	for (int nsid = 2; nsid <= 3; nsid++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/uringblkc0n%d", nsid);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_TRUE(S_ISCHR(st.st_mode));
		ASSERT_EQ(major(c0.st_rdev), major(st.st_rdev));
		ASSERT_EQ((nsid - 1) * 64, minor(st.st_rdev));
	}
	ASSERT_EQ(1, nvme_ioctl(self->fd, NVME_IOCTL_ID, NULL));
	ASSERT_EQ(2, nvme_ioctl(self->fd2, NVME_IOCTL_ID, NULL));
	ASSERT_EQ(3, nvme_ioctl(self->fd3, NVME_IOCTL_ID, NULL));
	/* no fourth namespace, no node */
	ASSERT_EQ(-ENOENT, open_ns(4, O_RDONLY));
	ASSERT_EQ(-ENOTTY, nvme_ioctl(self->fd3, NVME_IOCTL_RESET, NULL));
}

/* Each node takes only its own namespace's I/O commands. */
TEST_F(ns, nsid_mismatch)
{
	const int fds[] = { self->fd, self->fd2, self->fd3 };
	struct nvme_passthru_cmd c32;
	struct nvme_passthru_cmd64 c;

	for (int node = 1; node <= 3; node++) {
		for (uint32_t nsid = 0; nsid <= 4; nsid++) {
			if (nsid == (uint32_t)node)
				continue;
			c = mem(SLM_READ, 0, 4, self->buf, 4);
			c.nsid = nsid;
			EXPECT_EQ(-EINVAL, nvme_ioctl(fds[node - 1], NVME_IOCTL_IO64_CMD, &c))
				TH_LOG("node %d nsid %u", node, nsid);
			EXPECT_EQ(-EINVAL, nvme_uring(&self->ring, fds[node - 1],
						      NVME_URING_CMD_IO, &c, NULL))
				TH_LOG("node %d nsid %u", node, nsid);
			memset(&c32, 0, sizeof(c32));
			c32.opcode = SLM_READ;
			c32.nsid = nsid;
			EXPECT_EQ(-EINVAL, nvme_ioctl(fds[node - 1], NVME_IOCTL_IO_CMD, &c32));
		}
	}
	/* the node's own: answered (LEN 0 reads nothing) */
	c = mem(SLM_READ, 0, 0, NULL, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* flags still come first */
	c.flags = 1;
	c.nsid = 2;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
}

/* As /dev/ngXnY: admin ioctls reach the controller, admin URING_CMD does not. */
TEST_F(ns, ns_node_admin_and_drive_cmds)
{
	struct nvme_passthru_cmd64 c = identify(0x01, 0, 0, self->buf);
	struct uringblk_cmd raw;
	struct io_uring r;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;

	memset(self->buf, 0, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(3, le32(self->buf + 516));		/* nn */
	ASSERT_EQ(0, nvme_ioctl(self->fd2, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-ENOTTY, nvme_uring(&self->ring, self->fd3, NVME_URING_CMD_ADMIN, &c, NULL));
	ASSERT_EQ(-ENOTTY, nvme_uring(&self->ring, self->fd2, NVME_URING_CMD_ADMIN, &c, NULL));
	ubt_cmd_init(&raw, self->buf, 4096);
	ASSERT_EQ(-ENOTTY, ubt_uring_cmd(&self->ring, self->fd3, URINGBLK_CMD_IDENTIFY,
					 &raw, NULL));
	/* the controller node still takes it */
	ASSERT_LE(0, ubt_uring_cmd(&self->ring, self->fd, URINGBLK_CMD_IDENTIFY, &raw, NULL));
	/* without CQE32: -EOPNOTSUPP before the cmd_op */
	ASSERT_EQ(0, io_uring_queue_init(4, &r, IORING_SETUP_SQE128));
	for (int i = 0; i < 2; i++) {
		sqe = io_uring_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = self->fd3;
		sqe->cmd_op = i ? NVME_URING_CMD_IO : URINGBLK_CMD_IDENTIFY;
		ASSERT_EQ(1, io_uring_submit(&r));
		ASSERT_EQ(0, io_uring_wait_cqe(&r, &cqe));
		EXPECT_EQ(-EOPNOTSUPP, cqe->res);
		io_uring_cqe_seen(&r, cqe);
	}
	io_uring_queue_exit(&r);
}

/* NSID 2's commands go to the CP set, which has no Memory Read. */
TEST_F(ns, cp_routes_to_its_set)
{
	struct nvme_passthru_cmd64 c = mem(SLM_READ, 0, 4, self->buf, 4);

	c.nsid = 2;
	ASSERT_EQ(SC_INVALID_OPCODE, nvme_ioctl(self->fd2, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(SC_INVALID_OPCODE, nvme_uring(&self->ring, self->fd2, NVME_URING_CMD_IO,
						&c, NULL));
}

TEST_F(ns, identify_lists_and_descriptors)
{
	static const struct { int csi; uint32_t nsid; } sets[] = {
		{ CSI_NVM, 1 }, { CSI_SLM, 3 }, { CSI_CP, 2 },
	};
	struct nvme_passthru_cmd64 c = identify(0x02, 0, 0, self->buf);

	memset(self->buf, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(1, le32(self->buf));
	ASSERT_EQ(2, le32(self->buf + 4));
	ASSERT_EQ(3, le32(self->buf + 8));
	ASSERT_EQ(-1, ubt_check_zero(self->buf + 12, ID_SIZE - 12));
	c.nsid = 2;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(3, le32(self->buf));
	ASSERT_EQ(-1, ubt_check_zero(self->buf + 4, ID_SIZE - 4));
	/* CNS 07h: one set's namespaces; CNS 03h: each namespace's CSI */
	for (int i = 0; i < 3; i++) {
		c = identify(0x07, sets[i].csi, 0, self->buf);
		memset(self->buf, 0xa5, ID_SIZE);
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		EXPECT_EQ(sets[i].nsid, le32(self->buf)) TH_LOG("CSI %d", sets[i].csi);
		EXPECT_EQ(-1, ubt_check_zero(self->buf + 4, ID_SIZE - 4));
		c = identify(0x03, 0, sets[i].nsid, self->buf);
		memset(self->buf, 0xa5, ID_SIZE);
		ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_ADMIN64_CMD, &c));
		EXPECT_EQ(4, self->buf[0]);	/* NIDT: CSI */
		EXPECT_EQ(1, self->buf[1]);
		EXPECT_EQ(sets[i].csi, self->buf[4]) TH_LOG("NSID %u", sets[i].nsid);
		EXPECT_EQ(-1, ubt_check_zero(self->buf + 5, ID_SIZE - 5));
	}
	c = identify(0x07, 1, 0, self->buf);	/* KV: none */
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf, ID_SIZE));
	c = identify(0x03, 0, 4, self->buf);
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
}

/* CNS 00h, 08h of the non-block namespaces; CNS 05h, 06h of their sets. */
TEST_F(ns, identify_namespaces)
{
	struct nvme_passthru_cmd64 c;
	uint8_t *b = self->buf;

	for (uint32_t nsid = 2; nsid <= 3; nsid++) {
		c = identify(0x00, 0, nsid, b);
		memset(b, 0xa5, ID_SIZE);
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		EXPECT_EQ(-1, ubt_check_zero(b, ID_SIZE)) TH_LOG("NSID %u", nsid);
		c = identify(0x08, 0, nsid, b);
		memset(b, 0xa5, ID_SIZE);
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		EXPECT_EQ(1, b[14]);			/* nstat: ready */
		EXPECT_EQ(14, ubt_check_zero(b, ID_SIZE));
	}
	/* CP namespace data (CNS 05h, CSI 04h), field by field */
	c = identify(0x05, CSI_CP, 2, b);
	memset(b, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd2, NVME_IOCTL_ADMIN64_CMD, &c));
	EXPECT_EQ(URINGBLK_MAX_ACTIVE_PROGS, b[0] | b[1] << 8);	/* maxact */
	EXPECT_EQ(64, b[2] | b[3] << 8);			/* maxmemrs */
	EXPECT_EQ(4096, b[4] | b[5] << 8);			/* mrsg */
	EXPECT_EQ(64, b[6]);					/* maxmemr */
	EXPECT_EQ(0, b[7]);
	/* maxpb: 64 programs of 4096 8-byte instructions, in MiB */
	EXPECT_EQ((64ULL * URINGBLK_PROG_MAX_INSNS * 8 + (1 << 20) - 1) >> 20, le64(b + 8));
	EXPECT_EQ(0, b[16]);					/* lpg */
	EXPECT_EQ(-1, ubt_check_zero(b + 17, ID_SIZE - 17));
	/* SLM namespace data and both sets' controller data: zeroes */
	c = identify(0x05, CSI_SLM, 3, b);
	memset(b, 0xa5, ID_SIZE);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_ADMIN64_CMD, &c));
	EXPECT_EQ(-1, ubt_check_zero(b, ID_SIZE));
	for (int csi = CSI_SLM; csi <= CSI_CP; csi++) {
		c = identify(0x06, csi, 0, b);
		memset(b, 0xa5, ID_SIZE);
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		EXPECT_EQ(-1, ubt_check_zero(b, ID_SIZE)) TH_LOG("CSI %d", csi);
	}
	/* a namespace of another set: Invalid Field; none: Invalid Namespace */
	c = identify(0x05, CSI_SLM, 2, b);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x05, CSI_CP, 3, b);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x05, CSI_CP, 1, b);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x05, CSI_NVM, 3, b);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x05, CSI_SLM, 4, b);
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	c = identify(0x05, CSI_SLM, 0xffffffff, b);
	ASSERT_EQ(SC_INVALID_NS, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
}

/* The effects log of CSI 03h lists the four commands, each answered. */
TEST_F(ns, effects_slm)
{
	struct nvme_passthru_cmd64 c = cmd64(OP_GET_LOG, 0, self->buf, 4096);

	c.cdw10 = 0x05 | 1023u << 16;
	c.cdw14 = (uint32_t)CSI_SLM << 24;
	memset(self->buf, 0xa5, 4096);
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
	for (int op = 0; op < 256; op++) {
		uint32_t e = le32(self->buf + 1024 + op * 4);
		bool sup = op == SLM_COPY || op == SLM_READ || op == SLM_FILL ||
			   op == SLM_WRITE;

		EXPECT_EQ(sup ? 1u : 0u, e) TH_LOG("I/O opcode %#x", op);
		if (!sup) {
			struct nvme_passthru_cmd64 io = mem(op, 0, 4, self->buf2, 4);

			EXPECT_EQ(SC_INVALID_OPCODE, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &io))
				TH_LOG("I/O opcode %#x", op);
		}
	}
	/* the CP set's log is there too (its commands are nvme_cp_io.c's) */
	c.cdw14 = (uint32_t)CSI_CP << 24;
	ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
}

/* Write then Read, by ioctl and URING_CMD; the drive's MEM_READ agrees. */
TEST_F(ns, write_read)
{
	const uint64_t sb = 4096 + 12;
	const uint32_t len = 3 * 4096 + 8;
	struct nvme_passthru_cmd64 c;
	struct uringblk_cmd raw;
	uint64_t res2 = 7;

	for (uint32_t i = 0; i < len; i++)
		self->buf[i] = (uint8_t)(i * 7 + 3);
	c = mem(SLM_WRITE, sb, len, self->buf, len);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	memset(self->buf2, 0, len);
	c = mem(SLM_READ, sb, len, self->buf2, len);
	c.result = 9;
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, c.result);
	ASSERT_EQ(0, memcmp(self->buf, self->buf2, len));
	/* URING_CMD, a larger buffer (only LEN moves) */
	memset(self->buf2, 0x5a, len + 64);
	c = mem(SLM_READ, sb, len, self->buf2, len + 64);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd3, NVME_URING_CMD_IO, &c, &res2));
	ASSERT_EQ(0, res2);
	ASSERT_EQ(0, memcmp(self->buf, self->buf2, len));
	ASSERT_EQ(0x5a, self->buf2[len]);
	/* the drive's own MEM_READ sees the same SLM */
	memset(self->buf2, 0, len);
	ubt_cmd_init(&raw, self->buf2, len);
	raw.mem_rw.slm_off = sb;
	ASSERT_EQ((int)len, ubt_uring_cmd(&self->ring, self->fd, URINGBLK_CMD_MEM_READ, &raw, NULL));
	ASSERT_EQ(0, memcmp(self->buf, self->buf2, len));
	/* URING_CMD Write: the last dword of SLM */
	memcpy(self->buf, "ABCD", 4);
	c = mem(SLM_WRITE, SLM_SIZE - 4, 4, self->buf, 4);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd3, NVME_URING_CMD_IO, &c, NULL));
	c = mem(SLM_READ, SLM_SIZE - 8, 8, self->buf2, 8);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf2 + 4, "ABCD", 4));
}

TEST_F(ns, fill)
{
	const uint32_t pat = 0x44332211;
	struct nvme_passthru_cmd64 c;

	memset(self->buf, 0xee, 8192);
	c = mem(SLM_WRITE, 0, 8192, self->buf, 8192);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* 4100 bytes from 8: across a page, the pattern repeated from SLM byte 0 */
	c = mem(SLM_FILL, 8, 4100, NULL, 0);
	c.cdw13 = pat;
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_READ, 0, 8192, self->buf2, 8192);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	for (int i = 0; i < 8192; i++) {
		uint8_t want = i >= 8 && i < 8 + 4100 ? (uint8_t)(pat >> (i % 4 * 8)) : 0xee;

		ASSERT_EQ(want, self->buf2[i]) TH_LOG("SLM byte %d", i);
	}
	/* pattern 0: zeroes, by URING_CMD */
	c = mem(SLM_FILL, 4096, 4096, NULL, 0);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd3, NVME_URING_CMD_IO, &c, NULL));
	c = mem(SLM_READ, 4096, 4096, self->buf2, 4096);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-1, ubt_check_zero(self->buf2, 4096));
}

/* Memory Copy of two LBA ranges: SLM holds what the block device reads. */
TEST_F(ns, copy_lbas)
{
	struct copy_f2 *d = (struct copy_f2 *)self->buf2;
	struct nvme_passthru_cmd64 c;
	struct uringblk_stats s0, s1;
	uint8_t *want = self->buf + 65536;
	int bfd;

	for (int i = 0; i < 16 * LBA; i++)
		self->buf[i] = (uint8_t)(i * 13 + 1);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(16 * LBA, pwrite(bfd, self->buf, 16 * LBA, 100 * LBA));
	/* what the block device reads: LBAs 110-113, then 100 */
	ASSERT_EQ(4 * LBA, pread(bfd, want, 4 * LBA, 110 * LBA));
	ASSERT_EQ(LBA, pread(bfd, want + 4 * LBA, LBA, 100 * LBA));
	close(bfd);
	memset(d, 0, 2 * sizeof(*d));
	d[0].snsid = 1;
	d[0].slba = 110;
	d[0].nlb = 3;
	d[1].snsid = 1;
	d[1].slba = 100;
	d[1].nlb = 0;
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s0));
	c = mcopy(d, 2, 65536, 5 * LBA);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s1));
	EXPECT_EQ(1, s1.mem_copies - s0.mem_copies);
	EXPECT_EQ(5 * LBA, s1.slm_bytes_from_media - s0.slm_bytes_from_media);
	memset(self->buf, 0, 5 * LBA);
	c = mem(SLM_READ, 65536, 5 * LBA, self->buf, 5 * LBA);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf, want, 5 * LBA));
	/* and by URING_CMD, to another place */
	c = mcopy(d, 2, 131072, 5 * LBA);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd3, NVME_URING_CMD_IO, &c, NULL));
	c = mem(SLM_READ, 131072, 5 * LBA, self->buf, 5 * LBA);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, memcmp(self->buf, want, 5 * LBA));
}

/* Memory Read and Write count as MEM_READ and MEM_WRITE do. */
TEST_F(ns, counters)
{
	struct nvme_passthru_cmd64 c;
	struct uringblk_stats s0, s1;

	ASSERT_EQ(0, ubt_sysfs_stats(0, &s0));
	c = mem(SLM_WRITE, 0, 8192, self->buf, 8192);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_READ, 0, 4096, self->buf, 4096);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* refused commands count nothing */
	c = mem(SLM_READ, SLM_SIZE, 4, self->buf, 4);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s1));
	EXPECT_EQ(1, s1.mem_writes - s0.mem_writes);
	EXPECT_EQ(8192, s1.slm_bytes_from_host - s0.slm_bytes_from_host);
	EXPECT_EQ(2, s1.mem_reads - s0.mem_reads);
	EXPECT_EQ(8192, s1.slm_bytes_to_host - s0.slm_bytes_to_host);
	EXPECT_EQ(8192, s1.bytes_to_host - s0.bytes_to_host);
}

TEST_F(ns, rw_bad_fields)
{
	struct nvme_passthru_cmd64 c;
	uint64_t kb;

	/* SB, LEN not dword multiples */
	c = mem(SLM_READ, 2, 4, self->buf, 4);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_WRITE, 0, 6, self->buf, 8);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_FILL, 4, 2, NULL, 0);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* a buffer below LEN, none; a Fill with one */
	c = mem(SLM_READ, 0, 4096, self->buf, 4092);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_WRITE, 0, 4096, NULL, 4096);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_uring(&self->ring, self->fd3, NVME_URING_CMD_IO,
						  &c, NULL));
	c = mem(SLM_FILL, 0, 4096, self->buf, 4096);
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* beyond SLM: at its end, across it, far */
	c = mem(SLM_READ, SLM_SIZE, 4, self->buf, 4);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_WRITE, SLM_SIZE - 4, 8, self->buf, 8);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_FILL, ~3ULL, 4, NULL, 0);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* above MDTS (the queue's largest request) */
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_hw_sectors_kb", &kb));
	if (kb * 1024 < BUF_SIZE) {
		c = mem(SLM_READ, 0, kb * 1024 + 4, self->buf, kb * 1024 + 4);
		ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	}
	/* LEN 0: nothing, success; metadata: the host half's -EINVAL */
	c = mem(SLM_WRITE, SLM_SIZE, 0, NULL, 0);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_READ, 0, 4, self->buf, 4);
	c.metadata = (uintptr_t)self->buf2;
	c.metadata_len = 16;
	ASSERT_EQ(-EINVAL, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* a buffer that is not there */
	c = mem(SLM_READ, 0, 4, (void *)4096, 4);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_WRITE, 0, 4, (void *)4096, 4);
	ASSERT_EQ(-EFAULT, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
}

TEST_F(ns, copy_bad_fields)
{
	struct copy_f2 *d = (struct copy_f2 *)self->buf2;
	struct nvme_passthru_cmd64 c;
	const uint64_t nsze = (CAP_MB << 20) / LBA;

	memset(d, 0, 65 * sizeof(*d));
	for (int i = 0; i < 65; i++) {
		d[i].snsid = 1;
		d[i].slba = i;
	}
	/* the descriptor format, LEN and SDADDR dword multiples */
	c = mcopy(d, 1, 0, LBA);
	c.cdw12 = 0;			/* CDFT 0h: NVM Copy's, not here */
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mcopy(d, 1, 0, LBA);
	c.cdw12 |= 4u << 8;		/* 6h */
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mcopy(d, 1, 2, LBA);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* the descriptors' bytes: exactly NR + 1 entries */
	c = mcopy(d, 2, 0, 2 * LBA);
	c.data_len = 32;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c.data_len = 96;
	ASSERT_EQ(SC_SGL_INVALID_DATA, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* LEN other than the ranges' bytes */
	c = mcopy(d, 2, 0, 3 * LBA);
	ASSERT_EQ(SC_INVALID_FIELD, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* source namespaces: none, all, beyond; CP, SLM (no LBAs) */
	const uint32_t bad_nsid[] = { 0, 0xffffffff, 4, 2, 3 };
	const int bad_sc[] = { SC_INVALID_FIELD, SC_INVALID_FIELD, SC_INVALID_FIELD,
			       SC_INVALID_NS, SC_INVALID_NS };

	for (int i = 0; i < 5; i++) {
		d[1].snsid = bad_nsid[i];
		c = mcopy(d, 2, 0, 2 * LBA);
		EXPECT_EQ(bad_sc[i], nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c))
			TH_LOG("SNSID %#x", bad_nsid[i]);
	}
	d[1].snsid = 1;
	/* Fast Copy Only */
	d[0].sopt = 1u << 15;
	c = mcopy(d, 1, 0, LBA);
	ASSERT_EQ(SC_FAST_COPY, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	d[0].sopt = 0;
	/* LBAs beyond the NVM namespace: the last one, one past it */
	d[0].slba = nsze - 1;
	c = mcopy(d, 1, 0, LBA);
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	d[0].nlb = 1;
	c = mcopy(d, 1, 0, 2 * LBA);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	d[0].slba = 0;
	d[0].nlb = 0;
	/* beyond SLM */
	c = mcopy(d, 1, SLM_SIZE - 256, LBA);
	ASSERT_EQ(SC_LBA_RANGE, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* 65 ranges: more than a MEM_COPY takes; 64 pass */
	c = mcopy(d, 65, 0, 65 * LBA);
	ASSERT_EQ(SC_CMD_SIZE_LIMIT, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mcopy(d, 64, 0, 64 * LBA);
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd3, NVME_URING_CMD_IO, &c, NULL));
}

/* Without CAP_SYS_ADMIN: Linux 6.2's rule with these commands' effects. */
TEST_F(ns, permissions)
{
	struct copy_f2 *d = (struct copy_f2 *)self->buf2;
	struct nvme_passthru_cmd64 c;
	int ro;

	ro = open_ns(3, O_RDONLY);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, drop_sys_admin());
	memset(d, 0, sizeof(*d));
	d->snsid = 1;
	c = mem(SLM_READ, 0, 4096, self->buf, 4096);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_uring(&self->ring, ro, NVME_URING_CMD_IO, &c, NULL));
	c = mem(SLM_WRITE, 0, 4096, self->buf, 4096);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(-EACCES, nvme_uring(&self->ring, ro, NVME_URING_CMD_IO, &c, NULL));
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_FILL, 0, 4096, NULL, 0);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mcopy(d, 1, 0, LBA);
	ASSERT_EQ(-EACCES, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	ASSERT_EQ(0, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* unknown opcodes: no effects to allow them by */
	c = mem(0x03, 0, 4, self->buf, 4);
	ASSERT_EQ(-EACCES, nvme_ioctl(self->fd3, NVME_IOCTL_IO64_CMD, &c));
	/* Identify of the namespaces for anyone; the nsid check first */
	c = identify(0x05, CSI_CP, 2, self->buf);
	ASSERT_EQ(0, nvme_ioctl(ro, NVME_IOCTL_ADMIN64_CMD, &c));
	c = mem(SLM_WRITE, 0, 4096, self->buf, 4096);
	c.nsid = 2;
	ASSERT_EQ(-EINVAL, nvme_ioctl(ro, NVME_IOCTL_IO64_CMD, &c));
	close(ro);
}

/*
 * Memory Copy reads the NVM namespace: through the SLM node alone a user
 * without access to it gets -EACCES.  As nobody, with /dev/uringblkc0n3
 * open for writing: refused while the process holds no file of the NVM
 * namespace (an O_PATH one opens nothing), allowed with /dev/uringblkc0
 * open (read-only: anyone who could open it may Read) or /dev/uringblk0
 * open for reading, refused again once that is closed.  Memory Write
 * needs no such file.  The child's exit status is the step that failed.
 */
static int nobody_copy(int fd3, struct copy_f2 *d, uint8_t *buf, struct io_uring *r)
{
	struct nvme_passthru_cmd64 c = mcopy(d, 1, 0, LBA);
	int ret = nvme_ioctl(fd3, NVME_IOCTL_IO64_CMD, &c);

	if (ret != nvme_uring(r, fd3, NVME_URING_CMD_IO, &c, NULL))
		return -1000;		/* the two ways in disagree */
	return ret;
}

static int copy_child(void)
{
	struct copy_f2 *d = ubt_alloc(4096);
	uint8_t *buf = ubt_alloc(4096);
	struct nvme_passthru_cmd64 c;
	struct io_uring r;
	int fd3, fd, p;

	if (!d || !buf || setgid(65534) || setuid(65534))
		return 1;
	memset(d, 0, sizeof(*d));
	d->snsid = 1;
	fd3 = open_ns(3, O_RDWR);
	if (fd3 < 0 || ubt_ring_init(&r, 0))
		return 2;
	p = open("/dev/uringblkc0", O_PATH);
	if (p < 0 || nobody_copy(fd3, d, buf, &r) != -EACCES)
		return 3;
	close(p);
	c = mem(SLM_WRITE, 0, 4096, buf, 4096);
	if (nvme_ioctl(fd3, NVME_IOCTL_IO64_CMD, &c))
		return 4;
	fd = open("/dev/uringblkc0", O_RDONLY);
	if (fd < 0 || nobody_copy(fd3, d, buf, &r))
		return 5;
	close(fd);
	if (nobody_copy(fd3, d, buf, &r) != -EACCES)
		return 6;
	fd = open("/dev/uringblk0", O_RDONLY);
	if (fd < 0 || nobody_copy(fd3, d, buf, &r))
		return 7;
	close(fd);
	if (nobody_copy(fd3, d, buf, &r) != -EACCES)
		return 8;
	return 0;
}

TEST(copy_needs_nvm_access)
{
	static const char *const nodes[] = { "/dev/uringblkc0n3", "/dev/uringblkc0",
					     "/dev/uringblk0" };
	static const mode_t modes[] = { 0666, 0644, 0644 };
	struct stat st[3];
	int i, status;
	pid_t pid;

	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=16 nr_devices=1 slm_size_mb=4");
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0n3", 5000));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, stat(nodes[i], &st[i]));
		ASSERT_EQ(0, chmod(nodes[i], modes[i]));
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(copy_child());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	for (i = 0; i < 3; i++)
		chmod(nodes[i], st[i].st_mode & 07777);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("step %d failed (see copy_child())",
						 WEXITSTATUS(status));
}

/* --- the timing model: the drive's MEM_* deadlines ----------------------- */

#define T_LINK_MBPS	10
#define T_MEDIA_MBPS	10
#define T_LINK_LAT	20000
#define T_FW		10000
#define T_MREAD_LAT	50000
#define T_XFER		(256U << 10)

/* Nanoseconds to move @bytes at @mbps MB/s, rounded as timing.c does. */
static uint64_t xfer_ns(uint64_t bytes, uint64_t mbps)
{
	return (bytes * 1000 + mbps / 2) / mbps;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * With the model on, Memory Write and Read take at least the link, firmware
 * and link latency, Memory Copy the media read: what MEM_WRITE, MEM_READ,
 * MEM_COPY cost (timing_cmd.c); at 10 MB/s 256 KiB is 26 ms, far above what
 * the copy itself takes, so a command that skips the model is caught.
 */
TEST(timing_model)
{
	const uint64_t link = xfer_ns(T_XFER, T_LINK_MBPS) + T_FW + T_LINK_LAT;
	const uint64_t media = T_FW + T_MREAD_LAT + xfer_ns(T_XFER, T_MEDIA_MBPS) + T_LINK_LAT;
	struct nvme_passthru_cmd64 c;
	struct copy_f2 d = { .snsid = 1, .slba = 0, .nlb = T_XFER / LBA - 1 };
	struct uringblk_stats s0, s1;
	struct io_uring ring;
	uint8_t *buf;
	uint64_t t;
	int fd, cfd;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 slm_size_mb=4 "
			 "timing=link_mbps=10,link_lat_ns=20000,fw_overhead_ns=10000,"
			 "media_read_mbps=10,media_read_lat_ns=50000");
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0n3", 5000));
	fd = open_ns(3, O_RDWR);
	cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	buf = ubt_alloc(T_XFER);
	ASSERT_NE(NULL, buf);
	/* GET_STATS: the timing counters are not in sysfs's */
	ASSERT_EQ((int)sizeof(s0), ubt_get_stats(&ring, cfd, &s0, 0));
	for (int op = 0; op < 3; op++) {
		const uint8_t ops[] = { SLM_WRITE, SLM_READ, SLM_COPY };
		uint64_t model = ops[op] == SLM_COPY ? media : link;

		c = ops[op] == SLM_COPY ? mcopy(&d, 1, 0, T_XFER) :
					  mem(ops[op], 0, T_XFER, buf, T_XFER);
		t = now_ns();
		ASSERT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
		t = now_ns() - t;
		EXPECT_LE(model, t) TH_LOG("opcode %#x: %.3f ms, modelled %.3f ms", ops[op],
					   t / 1e6, model / 1e6);
	}
	/* URING_CMD too (from io-wq) */
	c = mem(SLM_READ, 0, T_XFER, buf, T_XFER);
	t = now_ns();
	ASSERT_EQ(0, nvme_uring(&ring, fd, NVME_URING_CMD_IO, &c, NULL));
	t = now_ns() - t;
	EXPECT_LE(link, t) TH_LOG("URING_CMD Memory Read: %.3f ms", t / 1e6);
	/* each one held to its deadline or late, none hurried, as MEM_* are */
	ASSERT_EQ((int)sizeof(s1), ubt_get_stats(&ring, cfd, &s1, 0));
	EXPECT_EQ(4, s1.timing_held - s0.timing_held + s1.timing_late - s0.timing_late);
	EXPECT_EQ(0, s1.timing_hurried - s0.timing_hurried);
	io_uring_queue_exit(&ring);
	close(cfd);
	close(fd);
	munmap(buf, T_XFER);
}

/* --- removal: a runtime drive, nodes open, SLM reads in flight ----------- */

#define CFS	"/sys/kernel/config/uringblk"

struct reader {
	int fd;
	void *buf;
	int last;		/* the answer that ended the loop */
	long done;
};

static void *read_loop(void *arg)
{
	struct reader *r = arg;

	for (;;) {
		struct nvme_passthru_cmd64 c = mem(SLM_READ, 0, 256 << 10, r->buf, 256 << 10);

		r->last = nvme_ioctl(r->fd, NVME_IOCTL_IO64_CMD, &c);
		if (r->last)
			break;
		r->done++;
	}
	return NULL;
}

TEST(removal_with_open_nodes)
{
	struct nvme_passthru_cmd64 c;
	struct reader r = { .fd = -1 };
	pthread_t t;
	int fd2;

	/* no drive at load: the runtime drive is uringblk0 */
	for (int i = 0; i < 100 && ubt_module_loaded() && ubt_module_unload(); i++)
		usleep(100 * 1000);
	UBT_SETUP_MODULE(ubt_module_load, "nr_devices=0");
	if (access(CFS, F_OK))
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	ASSERT_EQ(0, mkdir(CFS "/nsrm", 0755));
	ASSERT_EQ(0, ubt_write_str(CFS "/nsrm/capacity_mb", "16"));
	ASSERT_EQ(0, ubt_write_str(CFS "/nsrm/power", "1"));
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0n3", 5000));
	r.fd = open_ns(3, O_RDWR);
	fd2 = open_ns(2, O_RDONLY);
	ASSERT_LE(0, r.fd);
	ASSERT_LE(0, fd2);
	r.buf = ubt_alloc(256 << 10);
	ASSERT_NE(NULL, r.buf);
	ASSERT_EQ(0, pthread_create(&t, NULL, read_loop, &r));
	usleep(200 * 1000);
	ASSERT_EQ(0, ubt_write_str(CFS "/nsrm/power", "0"));
	ASSERT_EQ(0, rmdir(CFS "/nsrm"));
	pthread_join(t, NULL);
	TH_LOG("%ld reads before the removal ended them with %d", r.done, r.last);
	/*
	 * The host half's check (-ENODEV), or, for a read the removal met
	 * inside the drive, the model's -ENODEV as its status: Namespace Not
	 * Ready (0x082), as every NVMe command in flight answers it.
	 */
	ASSERT_TRUE(r.last == -ENODEV || r.last == SC_NS_NOT_READY)
		TH_LOG("ended with %d: neither -ENODEV nor Namespace Not Ready", r.last);
	ASSERT_EQ(-1, access("/dev/uringblkc0n3", F_OK));
	/* the open files still answer */
	ASSERT_EQ(3, nvme_ioctl(r.fd, NVME_IOCTL_ID, NULL));
	ASSERT_EQ(2, nvme_ioctl(fd2, NVME_IOCTL_ID, NULL));
	c = identify(0x01, 0, 0, r.buf);
	ASSERT_EQ(-ENODEV, nvme_ioctl(fd2, NVME_IOCTL_ADMIN64_CMD, &c));
	c = mem(SLM_WRITE, 0, 4, r.buf, 4);
	ASSERT_EQ(-ENODEV, nvme_ioctl(r.fd, NVME_IOCTL_IO64_CMD, &c));
	/* they pin the module until closed */
	ASSERT_NE(0, ubt_module_unload());
	close(r.fd);
	close(fd2);
	munmap(r.buf, 256 << 10);
	for (int i = 0; i < 100 && ubt_module_unload(); i++)
		usleep(100 * 1000);
	ASSERT_FALSE(ubt_module_loaded());
}

/*
 * A timed drive (link_mbps=1: each 512 KiB Memory Read half a second of the
 * link) removed while Memory Reads wait for their deadlines in their
 * callers (timing_sync.c): the removal ends each wait at once, as it ends
 * every other, and those still waiting answer Namespace Not Ready.
 * RM_FILL reads take the link for 8 s first; the RM_MEASURED ones behind
 * them must all be ended so (fillers: 0 if done before, or 0x082).
 */
#define RM_FILL		16
#define RM_MEASURED	4
#define RM_XFER		(512 << 10)

struct timed_reader {
	int fd;
	void *buf;
	int ret;
	pthread_t th;
};

static void *timed_read_fn(void *arg)
{
	struct timed_reader *r = arg;
	struct nvme_passthru_cmd64 c = mem(SLM_READ, 0, RM_XFER, r->buf, RM_XFER);

	r->ret = nvme_ioctl(r->fd, NVME_IOCTL_IO64_CMD, &c);
	return NULL;
}

/* Drive 0's sysfs counter @name reaching @want (a 60 s hang guard). */
static uint64_t wait_mem_reads(uint64_t want)
{
	uint64_t v = 0;

	for (int i = 0; i < 12000; i++) {
		if (ubt_blk_attr_u64(0, "uringblk/mem_reads", &v) || v >= want)
			break;
		usleep(5000);
	}
	return v;
}

TEST(removal_ends_timed_reads)
{
	struct timed_reader r[RM_FILL + RM_MEASURED];
	int fd, done_before = 0, not_ready = 0;
	uint8_t *buf;

	for (int i = 0; i < 100 && ubt_module_loaded() && ubt_module_unload(); i++)
		usleep(100 * 1000);
	UBT_SETUP_MODULE(ubt_module_load, "nr_devices=0");
	if (access(CFS, F_OK))
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	ASSERT_EQ(0, mkdir(CFS "/nstm", 0755));
	ASSERT_EQ(0, ubt_write_str(CFS "/nstm/capacity_mb", "16"));
	ASSERT_EQ(0, ubt_write_str(CFS "/nstm/slm_size", "1048576"));
	ASSERT_EQ(0, ubt_write_str(CFS "/nstm/timing", "link_mbps=1"));
	ASSERT_EQ(0, ubt_write_str(CFS "/nstm/power", "1"));
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0n3", 5000));
	fd = open_ns(3, O_RDWR);
	ASSERT_LE(0, fd);
	buf = ubt_alloc((size_t)(RM_FILL + RM_MEASURED) * RM_XFER);
	ASSERT_NE(NULL, buf);
	for (int i = 0; i < RM_FILL + RM_MEASURED; i++) {
		r[i] = (struct timed_reader) { .fd = fd, .buf = buf + (size_t)i * RM_XFER,
					       .ret = -1 };
		if (i == RM_FILL)	/* the fillers hold the link: the rest wait behind */
			ASSERT_LE(RM_FILL, wait_mem_reads(RM_FILL));
		ASSERT_EQ(0, pthread_create(&r[i].th, NULL, timed_read_fn, &r[i]));
	}
	ASSERT_LE(RM_FILL + RM_MEASURED, wait_mem_reads(RM_FILL + RM_MEASURED));
	ASSERT_EQ(0, ubt_write_str(CFS "/nstm/power", "0"));
	for (int i = 0; i < RM_FILL + RM_MEASURED; i++) {
		pthread_join(r[i].th, NULL);
		if (i < RM_FILL) {
			EXPECT_TRUE(r[i].ret == 0 || r[i].ret == SC_NS_NOT_READY)
				TH_LOG("filler %d: %d", i, r[i].ret);
			done_before += r[i].ret == 0;
		} else {
			EXPECT_EQ(SC_NS_NOT_READY, r[i].ret) TH_LOG("Memory Read %d", i);
			not_ready += r[i].ret == SC_NS_NOT_READY;
		}
	}
	TH_LOG("%d of %d waiting Memory Reads Namespace Not Ready, %d fillers done before",
	       not_ready, RM_MEASURED, done_before);
	close(fd);
	munmap(buf, (size_t)(RM_FILL + RM_MEASURED) * RM_XFER);
	EXPECT_EQ(0, rmdir(CFS "/nstm"));
	for (int i = 0; i < 100 && ubt_module_unload(); i++)
		usleep(100 * 1000);
	EXPECT_FALSE(ubt_module_loaded());
}

TEST_HARNESS_MAIN
