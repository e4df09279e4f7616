// SPDX-License-Identifier: GPL-2.0
/*
 * Device memory (SLM) and memory range sets (uAPI "The computational
 * storage model"): MEM_READ and MEM_WRITE round trips at any offset, holes
 * reading as zeroes and the slm_bytes gauge growing only with the pages
 * used; MEM_COPY's data and counters on memory and file-backed drives,
 * through the block read policy (zone write pointers, OFFLINE zones,
 * injected read faults); range set creation and deletion with every
 * refusal's errno (bounds, granularity, overlaps, limits, unknown ids);
 * -EBADF on a read-only command device; -EOPNOTSUPP without SLM
 * (slm_size_mb=0); configfs slm_size; IOSQE_IO_LINK chains; the removal
 * of a drive with MEM_COPYs in flight.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define SLM_MB		4
#define SLM_SIZE	(SLM_MB * UBT_MIB)
#define MAX_XFER	(16 * UBT_MIB)
#define FAULT_DIR	"/sys/block/uringblk0/fault/"
#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_DEV		CFG_ROOT "/ubt-slm"

static uint64_t pg(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/* One command with its words; cqe->res. */
static int slm_cmd(struct io_uring *ring, int fd, uint32_t op, const void *addr,
		   uint32_t len, uint64_t w0, uint64_t w1)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)addr, len);
	cmd.cdw[0] = w0;
	cmd.cdw[1] = w1;
	return ubt_uring_cmd(ring, fd, op, &cmd, NULL);
}

static int mem_read(struct io_uring *r, int fd, uint64_t off, void *buf, uint32_t len)
{
	return slm_cmd(r, fd, URINGBLK_CMD_MEM_READ, buf, len, off, 0);
}

static int mem_write(struct io_uring *r, int fd, uint64_t off, const void *buf,
		     uint32_t len)
{
	return slm_cmd(r, fd, URINGBLK_CMD_MEM_WRITE, buf, len, off, 0);
}

static int mem_copy(struct io_uring *r, int fd, uint64_t off,
		    const struct uringblk_copy_range *cr, uint32_t nr)
{
	return slm_cmd(r, fd, URINGBLK_CMD_MEM_COPY, cr, nr * sizeof(*cr), off, nr);
}

static int rs_create(struct io_uring *r, int fd, const struct uringblk_mem_range *mr,
		     uint32_t nr)
{
	return slm_cmd(r, fd, URINGBLK_CMD_RANGE_SET_CREATE, mr, nr * sizeof(*mr), 0, 0);
}

static int rs_delete(struct io_uring *r, int fd, uint64_t rsid)
{
	return slm_cmd(r, fd, URINGBLK_CMD_RANGE_SET_DELETE, NULL, 0, rsid, 0);
}

static uint64_t stat_of(struct io_uring *r, int fd)
{
	struct uringblk_stats st;

	return ubt_get_stats(r, fd, &st, 0) == sizeof(st) ? st.slm_bytes : ~0ULL;
}

/* ---- memory and file-backed drives, 16 MiB, 4 MiB of SLM ---------------- */

FIXTURE(slm) {
	struct io_uring ring;
	int cfd, bfd;
	uint32_t bs;
	uint8_t *buf, *buf2, *data;
};

FIXTURE_VARIANT(slm) {
	const char *params;
	uint32_t bs;
};

FIXTURE_VARIANT_ADD(slm, mem) {
	.params = "capacity_mb=16 nr_devices=1 slm_size_mb=4",
	.bs = 512,
};

FIXTURE_VARIANT_ADD(slm, mem4k) {
	.params = "capacity_mb=16 nr_devices=1 slm_size_mb=4 block_size=4096",
	.bs = 4096,
};

FIXTURE_VARIANT_ADD(slm, file) {
	.params = "capacity_mb=16 slm_size_mb=4 backing=file path=/var/tmp/ubt-slm.img",
	.bs = 512,
};

FIXTURE_SETUP(slm)
{
	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	self->bs = variant->bs;
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	self->buf = ubt_alloc(MAX_XFER + 8192);
	self->buf2 = ubt_alloc(MAX_XFER + 8192);
	self->data = ubt_alloc(UBT_MIB);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->buf2);
	ASSERT_NE(NULL, self->data);
	/* the first MiB of the drive: a pattern of its offsets */
	ubt_fill(self->data, UBT_MIB, 0, 17);
	ASSERT_EQ((ssize_t)UBT_MIB, ubt_pwrite_full(self->bfd, self->data, UBT_MIB, 0));
}

FIXTURE_TEARDOWN(slm)
{
	close(self->bfd);
	close(self->cfd);
	io_uring_queue_exit(&self->ring);
}

TEST_F(slm, identify)
{
	struct uringblk_identify id;

	ASSERT_EQ(sizeof(id), ubt_identify(&self->ring, self->cfd, &id));
	EXPECT_TRUE(id.features & URINGBLK_F_SLM);
	EXPECT_EQ(SLM_SIZE, id.slm_size);
	EXPECT_EQ(pg(), id.slm_granularity);
	EXPECT_EQ(64, id.max_range_sets);
	EXPECT_EQ(64, id.max_set_ranges);
	EXPECT_EQ(MAX_XFER, id.max_mem_xfer);
	EXPECT_LE(3, id.abi_minor);	/* SLM came with ABI 1.3 */
}

/*
 * Writes land where they are aimed, across pages, at odd offsets; never
 * written bytes read as zeroes; counters exact, sysfs the same.
 */
TEST_F(slm, read_write)
{
	struct uringblk_stats a, b, sys;
	const uint64_t off = 3 * pg() - 100;
	const uint32_t len = 2 * pg() + 333;

	ASSERT_EQ(sizeof(a), ubt_get_stats(&self->ring, self->cfd, &a, 0));
	EXPECT_EQ(0, a.slm_bytes);
	ubt_fill(self->buf, len, off, 5);
	ASSERT_EQ(len, mem_write(&self->ring, self->cfd, off, self->buf, len));
	memset(self->buf2, 0xee, len + 200);
	ASSERT_EQ(len + 200, mem_read(&self->ring, self->cfd, off - 100, self->buf2,
				      len + 200));
	EXPECT_EQ(-1, ubt_check_zero(self->buf2, 100));
	EXPECT_EQ(-1, ubt_check(self->buf2 + 100, len, off, 5));
	EXPECT_EQ(-1, ubt_check_zero(self->buf2 + 100 + len, 100));
	/* the last byte of SLM, and a hole */
	ASSERT_EQ(1, mem_write(&self->ring, self->cfd, SLM_SIZE - 1, "Z", 1));
	ASSERT_EQ(1, mem_read(&self->ring, self->cfd, SLM_SIZE - 1, self->buf2, 1));
	EXPECT_EQ('Z', self->buf2[0]);
	memset(self->buf2, 0xee, 8192);
	ASSERT_EQ(8192, mem_read(&self->ring, self->cfd, UBT_MIB, self->buf2, 8192));
	EXPECT_EQ(-1, ubt_check_zero(self->buf2, 8192));

	ASSERT_EQ(sizeof(b), ubt_get_stats(&self->ring, self->cfd, &b, 0));
	EXPECT_EQ(2, b.mem_writes - a.mem_writes);
	EXPECT_EQ(3, b.mem_reads - a.mem_reads);
	EXPECT_EQ(len + 1, b.slm_bytes_from_host - a.slm_bytes_from_host);
	EXPECT_EQ(len + 200 + 1 + 8192, b.slm_bytes_to_host - a.slm_bytes_to_host);
	EXPECT_EQ(len + 200 + 1 + 8192, b.bytes_to_host - a.bytes_to_host);
	EXPECT_EQ(0, b.slm_bytes_from_media - a.slm_bytes_from_media);
	EXPECT_EQ(0, b.mem_copies - a.mem_copies);
	EXPECT_EQ(0, b.executes);
	/* pages 2-5 (the write) and the last one */
	EXPECT_EQ(5 * pg(), b.slm_bytes);
	EXPECT_EQ(0, b.read_ops - a.read_ops);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &sys));
	EXPECT_EQ(b.mem_reads, sys.mem_reads);
	EXPECT_EQ(b.mem_writes, sys.mem_writes);
	EXPECT_EQ(b.slm_bytes_to_host, sys.slm_bytes_to_host);
	EXPECT_EQ(b.slm_bytes_from_host, sys.slm_bytes_from_host);
	EXPECT_EQ(b.slm_bytes, sys.slm_bytes);
}

/* The gauge grows with pages touched, not with reads or with SLM size. */
TEST_F(slm, sparse)
{
	EXPECT_EQ(0, stat_of(&self->ring, self->cfd));
	ASSERT_EQ(4 * UBT_MIB, mem_read(&self->ring, self->cfd, 0, self->buf,
					4 * UBT_MIB));
	EXPECT_EQ(0, stat_of(&self->ring, self->cfd));
	ASSERT_EQ(1, mem_write(&self->ring, self->cfd, UBT_MIB + 7, "x", 1));
	EXPECT_EQ(pg(), stat_of(&self->ring, self->cfd));
	ASSERT_EQ(2, mem_write(&self->ring, self->cfd, 2 * UBT_MIB - 1, "xy", 2));
	EXPECT_EQ(3 * pg(), stat_of(&self->ring, self->cfd));
	/* rewriting costs nothing more */
	ASSERT_EQ(1, mem_write(&self->ring, self->cfd, UBT_MIB, "x", 1));
	EXPECT_EQ(3 * pg(), stat_of(&self->ring, self->cfd));
	/* a reset leaves the gauge */
	ASSERT_EQ(0, ubt_sysfs_reset_stats(0));
	EXPECT_EQ(3 * pg(), stat_of(&self->ring, self->cfd));
}

TEST_F(slm, rw_refusals)
{
	struct uringblk_copy_range cr = { .slba = 0, .nlb = 1 };
	struct uringblk_mem_range mr = { 0, pg() };
	struct uringblk_cmd cmd;
	int ro;

	EXPECT_EQ(-EINVAL, mem_read(&self->ring, self->cfd, 0, self->buf, 0));
	EXPECT_EQ(-EINVAL, mem_write(&self->ring, self->cfd, 0, self->buf, 0));
	EXPECT_EQ(-E2BIG, mem_read(&self->ring, self->cfd, 0, self->buf, MAX_XFER + 1));
	EXPECT_EQ(-E2BIG, mem_write(&self->ring, self->cfd, 0, self->buf, MAX_XFER + 1));
	EXPECT_EQ(-ERANGE, mem_read(&self->ring, self->cfd, SLM_SIZE, self->buf, 1));
	EXPECT_EQ(-ERANGE, mem_write(&self->ring, self->cfd, SLM_SIZE - 10, self->buf, 11));
	EXPECT_EQ(-ERANGE, mem_read(&self->ring, self->cfd, ~0ULL, self->buf, 1));
	EXPECT_EQ(-ERANGE, mem_write(&self->ring, self->cfd, ~0ULL - 1, self->buf, 4));
	EXPECT_EQ(-EFAULT, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
				   (void *)8, 16, 0, 0));
	EXPECT_EQ(-EFAULT, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_WRITE,
				   (void *)8, 16, 0, 0));
	/* words past the view, flags, rsvd0 */
	EXPECT_EQ(-EINVAL, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
				   self->buf, 16, 0, 1));
	ubt_cmd_init(&cmd, self->buf, 16);
	cmd.flags = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_WRITE,
					 &cmd, NULL));
	ubt_cmd_init(&cmd, self->buf, 16);
	cmd.cdw[6] = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_COPY,
					 &cmd, NULL));
	ubt_cmd_init(&cmd, self->buf, 16);
	cmd.rsvd0 = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_RANGE_SET_CREATE, &cmd, NULL));
	/* DELETE takes no buffer */
	EXPECT_EQ(-EINVAL, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_RANGE_SET_DELETE,
				   self->buf, 16, 1, 0));
	EXPECT_EQ(0, stat_of(&self->ring, self->cfd));

	/* A read-only command device may read, not change, device memory. */
	ro = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(16, mem_read(&self->ring, ro, 0, self->buf, 16));
	EXPECT_EQ(-EBADF, mem_write(&self->ring, ro, 0, self->buf, 16));
	EXPECT_EQ(-EBADF, mem_copy(&self->ring, ro, 0, &cr, 1));
	EXPECT_EQ(-EBADF, rs_create(&self->ring, ro, &mr, 1));
	EXPECT_EQ(-EBADF, rs_delete(&self->ring, ro, 1));
	close(ro);
	EXPECT_EQ(0, stat_of(&self->ring, self->cfd));
}

/*
 * MEM_COPY: ranges end to end at aligned and unaligned SLM offsets; what
 * lands is what the block device holds; unwritten blocks give zeroes;
 * nothing crosses the bus.
 */
TEST_F(slm, copy)
{
	const uint32_t bs = self->bs;
	const uint64_t far = 8 * UBT_MIB / bs;	/* never written */
	struct uringblk_copy_range cr[4] = {
		{ .slba = 2, .nlb = 3 },
		{ .slba = 10, .nlb = 1 },
		{ .slba = far, .nlb = 2 },
		{ .slba = 0, .nlb = 2 },
	};
	const uint64_t offs[] = { 0, 2 * pg(), 100, 3 * pg() + 512 };
	const uint32_t total = 8 * bs;
	struct uringblk_stats a, b;

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint8_t *w = self->buf2;

		ASSERT_EQ(sizeof(a), ubt_get_stats(&self->ring, self->cfd, &a, 0));
		ASSERT_EQ(total, mem_copy(&self->ring, self->cfd, offs[i], cr, 4))
			TH_LOG("slm_off %llu", (unsigned long long)offs[i]);
		ASSERT_EQ(sizeof(b), ubt_get_stats(&self->ring, self->cfd, &b, 0));
		EXPECT_EQ(1, b.mem_copies - a.mem_copies);
		EXPECT_EQ(total, b.slm_bytes_from_media - a.slm_bytes_from_media);
		EXPECT_EQ(0, b.bytes_to_host - a.bytes_to_host);
		EXPECT_EQ(0, b.slm_bytes_to_host - a.slm_bytes_to_host);
		EXPECT_EQ(0, b.read_ops - a.read_ops);

		memset(self->buf, 0xee, total);
		ASSERT_EQ(total, mem_read(&self->ring, self->cfd, offs[i], self->buf, total));
		memcpy(w, self->data + 2 * bs, 3 * bs);
		memcpy(w + 3 * bs, self->data + 10 * bs, bs);
		memset(w + 4 * bs, 0, 2 * bs);
		memcpy(w + 6 * bs, self->data, 2 * bs);
		EXPECT_EQ(0, memcmp(self->buf, w, total))
			TH_LOG("slm_off %llu", (unsigned long long)offs[i]);
	}
}

/* A copy of max_mem_xfer bytes in one range and in many. */
TEST_F(slm, copy_large)
{
	struct uringblk_copy_range cr[64];
	const uint64_t nblk = SLM_SIZE / self->bs;

	/* the whole SLM from the start of the drive, in one range */
	cr[0] = (struct uringblk_copy_range){ .slba = 0, .nlb = nblk };
	ASSERT_EQ(SLM_SIZE, mem_copy(&self->ring, self->cfd, 0, cr, 1));
	ASSERT_EQ(UBT_MIB, mem_read(&self->ring, self->cfd, 0, self->buf, UBT_MIB));
	EXPECT_EQ(0, memcmp(self->buf, self->data, UBT_MIB));
	EXPECT_EQ(SLM_SIZE, stat_of(&self->ring, self->cfd));
	/* 64 ranges, the block order reversed */
	for (int i = 0; i < 64; i++)
		cr[i] = (struct uringblk_copy_range){ .slba = 63 - i, .nlb = 1 };
	ASSERT_EQ(64 * self->bs, mem_copy(&self->ring, self->cfd, 0, cr, 64));
	ASSERT_EQ(64 * self->bs, mem_read(&self->ring, self->cfd, 0, self->buf,
					  64 * self->bs));
	for (int i = 0; i < 64; i++)
		EXPECT_EQ(0, memcmp(self->buf + i * self->bs,
				    self->data + (63 - i) * self->bs, self->bs));
}

TEST_F(slm, copy_refusals)
{
	const uint64_t nblk = 16 * UBT_MIB / self->bs;
	struct uringblk_copy_range cr[65];
	struct uringblk_stats a, b;

	for (int i = 0; i < 65; i++)
		cr[i] = (struct uringblk_copy_range){ .slba = i, .nlb = 1 };
	ASSERT_EQ(sizeof(a), ubt_get_stats(&self->ring, self->cfd, &a, 0));
	EXPECT_EQ(-EINVAL, mem_copy(&self->ring, self->cfd, 0, cr, 0));
	EXPECT_EQ(-E2BIG, mem_copy(&self->ring, self->cfd, 0, cr, 65));
	/* len must be exactly nr_ranges entries */
	EXPECT_EQ(-EINVAL, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_COPY,
				   cr, 3 * sizeof(cr[0]), 0, 2));
	EXPECT_EQ(-EINVAL, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_COPY,
				   cr, 0, 0, 2));
	EXPECT_EQ(-EFAULT, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_COPY,
				   (void *)8, 16, 0, 1));
	cr[1].nlb = 0;
	EXPECT_EQ(-EINVAL, mem_copy(&self->ring, self->cfd, 0, cr, 3));
	cr[1].nlb = 1;
	cr[2].flags = 1U << 31;	/* an unknown flag */
	EXPECT_EQ(-EINVAL, mem_copy(&self->ring, self->cfd, 0, cr, 3));
	cr[2].flags = 0;
	cr[2].slba = nblk;
	EXPECT_EQ(-ERANGE, mem_copy(&self->ring, self->cfd, 0, cr, 3));
	cr[2].slba = nblk - 1;
	cr[2].nlb = 2;
	EXPECT_EQ(-ERANGE, mem_copy(&self->ring, self->cfd, 0, cr, 3));
	cr[2].slba = ~0ULL;
	EXPECT_EQ(-ERANGE, mem_copy(&self->ring, self->cfd, 0, cr, 3));
	cr[2] = (struct uringblk_copy_range){ .slba = 2, .nlb = 1 };
	/* more than max_mem_xfer in all (checked before the SLM fit) */
	cr[0] = (struct uringblk_copy_range){ .slba = 0, .nlb = nblk };
	EXPECT_EQ(-E2BIG, mem_copy(&self->ring, self->cfd, 0, cr, 2));
	/* does not fit in SLM from the offset */
	cr[0] = (struct uringblk_copy_range){ .slba = 0, .nlb = 4 };
	EXPECT_EQ(-ERANGE, mem_copy(&self->ring, self->cfd, SLM_SIZE - 4 * self->bs,
				    cr, 2));
	EXPECT_EQ(-ERANGE, mem_copy(&self->ring, self->cfd, SLM_SIZE, cr, 1));
	EXPECT_EQ(-ERANGE, mem_copy(&self->ring, self->cfd, ~0ULL, cr, 1));
	ASSERT_EQ(sizeof(b), ubt_get_stats(&self->ring, self->cfd, &b, 0));
	EXPECT_EQ(0, b.mem_copies - a.mem_copies);
	EXPECT_EQ(0, b.slm_bytes_from_media - a.slm_bytes_from_media);
	EXPECT_EQ(0, b.slm_bytes);
	/* the largest that fits */
	EXPECT_EQ(4 * self->bs, mem_copy(&self->ring, self->cfd,
					 SLM_SIZE - 4 * self->bs, cr, 1));
}

TEST_F(slm, range_sets)
{
	const uint64_t p = pg();
	struct uringblk_mem_range mr[65];
	int id1, id2, id3;
	uint8_t *big = self->buf;

	/* data written before a set maps the pages stays there */
	ubt_fill(big, 3 * p, 0, 9);
	ASSERT_EQ(3 * p, mem_write(&self->ring, self->cfd, 0, big, 3 * p));
	EXPECT_EQ(3 * p, stat_of(&self->ring, self->cfd));

	mr[0] = (struct uringblk_mem_range){ 8 * p, 2 * p };
	mr[1] = (struct uringblk_mem_range){ 0, p };
	id1 = rs_create(&self->ring, self->cfd, mr, 2);
	ASSERT_LT(0, id1);
	/* creating a set allocates what it covers: pages 8, 9 */
	EXPECT_EQ(5 * p, stat_of(&self->ring, self->cfd));
	id2 = rs_create(&self->ring, self->cfd, mr, 2);	/* sets may overlap */
	ASSERT_LT(id1, id2);
	/* adjacent ranges do not overlap; the whole SLM in one range */
	mr[0] = (struct uringblk_mem_range){ 0, p };
	mr[1] = (struct uringblk_mem_range){ p, p };
	id3 = rs_create(&self->ring, self->cfd, mr, 2);
	ASSERT_LT(id2, id3);
	EXPECT_EQ(0, rs_delete(&self->ring, self->cfd, id3));
	mr[0] = (struct uringblk_mem_range){ 0, SLM_SIZE };
	id3 = rs_create(&self->ring, self->cfd, mr, 1);
	ASSERT_LT(id2, id3);
	EXPECT_EQ(SLM_SIZE, stat_of(&self->ring, self->cfd));

	EXPECT_EQ(0, rs_delete(&self->ring, self->cfd, id1));
	EXPECT_EQ(-EBADSLT, rs_delete(&self->ring, self->cfd, id1));
	EXPECT_EQ(-EBADSLT, rs_delete(&self->ring, self->cfd, 0));
	EXPECT_EQ(-EBADSLT, rs_delete(&self->ring, self->cfd, 0xffffffffULL));
	EXPECT_EQ(-EINVAL, rs_delete(&self->ring, self->cfd, 1ULL << 32 | id2));
	EXPECT_EQ(0, rs_delete(&self->ring, self->cfd, id2));
	EXPECT_EQ(0, rs_delete(&self->ring, self->cfd, id3));
	/* ids are never reused */
	mr[0] = (struct uringblk_mem_range){ 0, p };
	EXPECT_EQ(id3 + 1, rs_create(&self->ring, self->cfd, mr, 1));
	/* the memory and its contents stay */
	EXPECT_EQ(SLM_SIZE, stat_of(&self->ring, self->cfd));
	ASSERT_EQ(3 * p, mem_read(&self->ring, self->cfd, 0, self->buf2, 3 * p));
	EXPECT_EQ(0, memcmp(self->buf2, big, 3 * p));

	/* 64 ranges is the most */
	for (int i = 0; i < 65; i++)
		mr[i] = (struct uringblk_mem_range){ i * 2 * p, p };
	EXPECT_LT(0, rs_create(&self->ring, self->cfd, mr, 64));
	EXPECT_EQ(-E2BIG, rs_create(&self->ring, self->cfd, mr, 65));
}

TEST_F(slm, range_set_refusals)
{
	const uint64_t p = pg();
	struct uringblk_mem_range mr[3];

#define CREATE1(off, len) \
	(mr[0] = (struct uringblk_mem_range){ (off), (len) }, \
	 rs_create(&self->ring, self->cfd, mr, 1))
	EXPECT_EQ(-EINVAL, CREATE1(0, 0));
	EXPECT_EQ(-EINVAL, CREATE1(1, p));
	EXPECT_EQ(-EINVAL, CREATE1(p / 2, p));
	EXPECT_EQ(-EINVAL, CREATE1(0, p + 1));
	EXPECT_EQ(-EINVAL, CREATE1(0, p / 2));
	EXPECT_EQ(-ERANGE, CREATE1(SLM_SIZE, p));
	EXPECT_EQ(-ERANGE, CREATE1(SLM_SIZE - p, 2 * p));
	EXPECT_EQ(-ERANGE, CREATE1(0, SLM_SIZE + p));
	EXPECT_EQ(-ERANGE, CREATE1(~0ULL - p + 1, p));
	EXPECT_EQ(-ERANGE, CREATE1(p, ~0ULL - p + 1));
	/* alignment is checked before bounds, in every range */
	mr[1] = (struct uringblk_mem_range){ 3, p };
	EXPECT_EQ(-EINVAL, rs_create(&self->ring, self->cfd, mr, 2));
	/* overlaps inside a set */
	mr[0] = (struct uringblk_mem_range){ 0, 4 * p };
	mr[1] = (struct uringblk_mem_range){ 8 * p, p };
	mr[2] = (struct uringblk_mem_range){ 3 * p, p };
	EXPECT_EQ(-EINVAL, rs_create(&self->ring, self->cfd, mr, 3));
	mr[2] = (struct uringblk_mem_range){ 8 * p, p };
	EXPECT_EQ(-EINVAL, rs_create(&self->ring, self->cfd, mr, 3));
	/* buffer shape: empty, not whole entries, too many (-E2BIG first) */
	EXPECT_EQ(-EINVAL, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE,
				   mr, 0, 0, 0));
	EXPECT_EQ(-EINVAL, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE,
				   mr, 17, 0, 0));
	EXPECT_EQ(-E2BIG, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE,
				  mr, 65 * 16 + 1, 0, 0));
	EXPECT_EQ(-EFAULT, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE,
				   (void *)8, 16, 0, 0));
	/* cdw words: create has none */
	EXPECT_EQ(-EINVAL, slm_cmd(&self->ring, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE,
				   mr, 16, 1, 0));
	/* nothing was allocated by a refusal */
	EXPECT_EQ(0, stat_of(&self->ring, self->cfd));
#undef CREATE1
}

/* At most 64 sets; a deletion makes room, under a new id. */
TEST_F(slm, range_set_limit)
{
	struct uringblk_mem_range mr = { 0, pg() };
	int ids[64], id;

	for (int i = 0; i < 64; i++) {
		ids[i] = rs_create(&self->ring, self->cfd, &mr, 1);
		ASSERT_EQ(i + 1, ids[i]);
	}
	EXPECT_EQ(-ENOSPC, rs_create(&self->ring, self->cfd, &mr, 1));
	EXPECT_EQ(0, rs_delete(&self->ring, self->cfd, ids[10]));
	id = rs_create(&self->ring, self->cfd, &mr, 1);
	EXPECT_EQ(65, id);
	EXPECT_EQ(-ENOSPC, rs_create(&self->ring, self->cfd, &mr, 1));
	EXPECT_EQ(pg(), stat_of(&self->ring, self->cfd));
}

/*
 * IOSQE_IO_LINK: MEM_WRITE then MEM_READ of the same bytes in one
 * submission; a failed first step cancels the second.
 */
TEST_F(slm, linked_chain)
{
	struct uringblk_cmd w, r;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int res[2];

	for (int round = 0; round < 2; round++) {
		const uint32_t len = round ? 0 : 5000;	/* 0: -EINVAL */

		ubt_fill(self->buf, 5000, 77, round);
		memset(self->buf2, 0xee, 5000);
		ubt_cmd_init(&w, self->buf, len);
		w.mem_rw.slm_off = 77;
		ubt_cmd_init(&r, self->buf2, 5000);
		r.mem_rw.slm_off = 77;
		sqe = io_uring_get_sqe(&self->ring);
		ASSERT_NE(NULL, sqe);
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = self->cfd;
		sqe->cmd_op = URINGBLK_CMD_MEM_WRITE;
		memcpy(sqe->cmd, &w, sizeof(w));
		sqe->flags = IOSQE_IO_LINK;
		sqe->user_data = 0;
		sqe = io_uring_get_sqe(&self->ring);
		ASSERT_NE(NULL, sqe);
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = self->cfd;
		sqe->cmd_op = URINGBLK_CMD_MEM_READ;
		memcpy(sqe->cmd, &r, sizeof(r));
		sqe->user_data = 1;
		ASSERT_EQ(2, io_uring_submit(&self->ring));
		for (int i = 0; i < 2; i++) {
			ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
			ASSERT_GT(2, cqe->user_data);
			res[cqe->user_data] = cqe->res;
			io_uring_cqe_seen(&self->ring, cqe);
		}
		if (!round) {
			EXPECT_EQ(5000, res[0]);
			EXPECT_EQ(5000, res[1]);
			EXPECT_EQ(-1, ubt_check(self->buf2, 5000, 77, 0));
		} else {
			EXPECT_EQ(-EINVAL, res[0]);
			EXPECT_EQ(-ECANCELED, res[1]);
			/* the read never ran */
			EXPECT_EQ(0xee, self->buf2[0]);
		}
	}
}

/* The standard's flow without a round trip: MEM_COPY linked to MEM_READ. */
TEST_F(slm, linked_copy_read)
{
	struct uringblk_copy_range cr = { .slba = 3, .nlb = 8 };
	const uint32_t len = 8 * self->bs;
	struct uringblk_cmd c, r;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int res[2] = { 1, 1 };

	ubt_cmd_init(&c, &cr, sizeof(cr));
	c.mem_copy.slm_off = 3 * pg();
	c.mem_copy.nr_ranges = 1;
	ubt_cmd_init(&r, self->buf, len);
	r.mem_rw.slm_off = 3 * pg();
	memset(self->buf, 0xee, len);
	for (int i = 0; i < 2; i++) {
		sqe = io_uring_get_sqe(&self->ring);
		ASSERT_NE(NULL, sqe);
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = self->cfd;
		sqe->cmd_op = i ? URINGBLK_CMD_MEM_READ : URINGBLK_CMD_MEM_COPY;
		memcpy(sqe->cmd, i ? &r : &c, sizeof(c));
		sqe->flags = i ? 0 : IOSQE_IO_LINK;
		sqe->user_data = i;
	}
	ASSERT_EQ(2, io_uring_submit(&self->ring));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
		ASSERT_GT(2, cqe->user_data);
		res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(&self->ring, cqe);
	}
	EXPECT_EQ(len, res[0]);
	EXPECT_EQ(len, res[1]);
	EXPECT_EQ(0, memcmp(self->buf, self->data + 3 * self->bs, len));
}

/* ---- no SLM ----------------------------------------------------------- */

TEST(no_slm)
{
	struct uringblk_mem_range mr = { 0, 4096 };
	struct uringblk_copy_range cr = { 0, 1, 0 };
	struct uringblk_identify id;
	struct uringblk_stats st;
	struct io_uring ring;
	char b[16] = "";
	int cfd;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 slm_size_mb=0");
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(sizeof(id), ubt_identify(&ring, cfd, &id));
	EXPECT_FALSE(id.features & URINGBLK_F_SLM);
	EXPECT_EQ(0, id.slm_size);
	EXPECT_EQ(0, id.slm_granularity);
	EXPECT_EQ(0, id.max_range_sets);
	EXPECT_EQ(0, id.max_set_ranges);
	EXPECT_EQ(0, id.max_mem_xfer);
	EXPECT_EQ(-EOPNOTSUPP, mem_read(&ring, cfd, 0, b, 16));
	EXPECT_EQ(-EOPNOTSUPP, mem_write(&ring, cfd, 0, b, 16));
	EXPECT_EQ(-EOPNOTSUPP, mem_copy(&ring, cfd, 0, &cr, 1));
	EXPECT_EQ(-EOPNOTSUPP, rs_create(&ring, cfd, &mr, 1));
	EXPECT_EQ(-EOPNOTSUPP, rs_delete(&ring, cfd, 1));
	ASSERT_EQ(sizeof(st), ubt_get_stats(&ring, cfd, &st, 0));
	EXPECT_EQ(0, st.slm_bytes);
	EXPECT_EQ(0, st.mem_reads + st.mem_writes + st.mem_copies);
	close(cfd);
	io_uring_queue_exit(&ring);
}

/* ---- the read policy: zones and injected faults ----------------------- */

#define ZONE_MB		4

static int knob(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), FAULT_DIR "%s", name);
	return ubt_write_str(path, val);
}

/*
 * A zoned drive: blocks past a zone's write pointer copy as zeroes; an
 * OFFLINE zone fails the copy with -EIO after the ranges before it landed.
 */
TEST(zoned)
{
	const uint64_t zone = ZONE_MB * UBT_MIB;
	struct uringblk_copy_range cr[2];
	struct io_uring ring;
	uint8_t *data = ubt_alloc(8 * 512), *got = ubt_alloc(UBT_MIB);
	struct uringblk_stats a, b;
	int cfd, bfd;

	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, got);
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=32 nr_devices=1 zoned=1 "
			 "zone_size_mb=4 zone_nr_conv=1 slm_size_mb=4");
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, cfd);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ubt_fill(data, 8 * 512, 0, 3);
	/* 4 blocks at the start of zones 1 and 2 */
	ASSERT_EQ(4 * 512, ubt_pwrite_full(bfd, data, 4 * 512, zone));
	ASSERT_EQ(4 * 512, ubt_pwrite_full(bfd, data, 4 * 512, 2 * zone));

	/* 8 blocks of zone 1: 4 written, 4 past the write pointer */
	cr[0] = (struct uringblk_copy_range){ .slba = zone / 512, .nlb = 8 };
	ASSERT_EQ(1, mem_write(&ring, cfd, 4 * 512, "\xff", 1));
	ASSERT_EQ(8 * 512, mem_copy(&ring, cfd, 0, cr, 1));
	ASSERT_EQ(8 * 512, mem_read(&ring, cfd, 0, got, 8 * 512));
	EXPECT_EQ(0, memcmp(got, data, 4 * 512));
	EXPECT_EQ(-1, ubt_check_zero(got + 4 * 512, 4 * 512));

	if (access(FAULT_DIR "zone_offline", W_OK)) {
		close(bfd);
		close(cfd);
		SKIP(return, "the driver has no zone fault injection");
	}
	ASSERT_EQ(0, knob("zone_offline", "2"));
	ASSERT_EQ(sizeof(a), ubt_get_stats(&ring, cfd, &a, 0));
	/* zone 1's blocks land at 4096, then zone 2 fails */
	memset(got, 0, 8192);
	ASSERT_EQ(8192, mem_write(&ring, cfd, 4096, got, 8192));
	cr[0] = (struct uringblk_copy_range){ .slba = zone / 512, .nlb = 4 };
	cr[1] = (struct uringblk_copy_range){ .slba = 2 * zone / 512, .nlb = 4 };
	EXPECT_EQ(-EIO, mem_copy(&ring, cfd, 4096, cr, 2));
	ASSERT_EQ(8192, mem_read(&ring, cfd, 4096, got, 8192));
	EXPECT_EQ(0, memcmp(got, data, 4 * 512));
	EXPECT_EQ(-1, ubt_check_zero(got + 4 * 512, 4 * 512));
	EXPECT_EQ(-EIO, mem_copy(&ring, cfd, 0, cr + 1, 1));
	ASSERT_EQ(sizeof(b), ubt_get_stats(&ring, cfd, &b, 0));
	EXPECT_EQ(0, b.mem_copies - a.mem_copies);
	EXPECT_EQ(0, b.slm_bytes_from_media - a.slm_bytes_from_media);
	/* a zone condition is not an injected fault */
	EXPECT_EQ(0, b.faults_injected - a.faults_injected);
	ASSERT_EQ(0, knob("zone_restore", "2"));
	knob("clear", "1");
	close(bfd);
	close(cfd);
	io_uring_queue_exit(&ring);
}

/* An injected read fault fails the copy of the range that reaches it. */
TEST(read_fault)
{
	struct uringblk_copy_range cr[2] = {
		{ .slba = 0, .nlb = 8 },
		{ .slba = 16, .nlb = 8 },
	};
	uint8_t *data = ubt_alloc(64 * 512), *got = ubt_alloc(16 * 512);
	struct uringblk_stats a, b;
	struct io_uring ring;
	int cfd, bfd;

	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, got);
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 slm_size_mb=4");
	if (access(FAULT_DIR "ops", W_OK))
		SKIP(return, "the driver has no fault injection");
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, cfd);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ubt_fill(data, 64 * 512, 0, 8);
	ASSERT_EQ(64 * 512, ubt_pwrite_full(bfd, data, 64 * 512, 0));
	ASSERT_EQ(0, knob("clear", "1"));
	ASSERT_EQ(0, knob("ops", "read"));
	ASSERT_EQ(0, knob("lba_start", "20"));
	ASSERT_EQ(0, knob("lba_count", "4"));

	ASSERT_EQ(sizeof(a), ubt_get_stats(&ring, cfd, &a, 0));
	EXPECT_EQ(-EIO, mem_copy(&ring, cfd, 0, cr, 2));
	/* the first range landed */
	ASSERT_EQ(8 * 512, mem_read(&ring, cfd, 0, got, 8 * 512));
	EXPECT_EQ(0, memcmp(got, data, 8 * 512));
	/* beside the failing blocks, copies work */
	cr[1] = (struct uringblk_copy_range){ .slba = 24, .nlb = 8 };
	EXPECT_EQ(16 * 512, mem_copy(&ring, cfd, 0, cr, 2));
	ASSERT_EQ(16 * 512, mem_read(&ring, cfd, 0, got, 16 * 512));
	EXPECT_EQ(0, memcmp(got + 8 * 512, data + 24 * 512, 8 * 512));
	ASSERT_EQ(sizeof(b), ubt_get_stats(&ring, cfd, &b, 0));
	EXPECT_EQ(1, b.faults_injected - a.faults_injected);
	EXPECT_EQ(1, b.mem_copies - a.mem_copies);
	EXPECT_EQ(16 * 512, b.slm_bytes_from_media - a.slm_bytes_from_media);
	knob("clear", "1");
	close(bfd);
	close(cfd);
	io_uring_queue_exit(&ring);
}

/* ---- configfs: slm_size, and removal with copies in flight ------------- */

static int cfg_mount(void)
{
	if (access("/sys/kernel/config", F_OK) == 0 && access(CFG_ROOT, F_OK) != 0)
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	return access(CFG_ROOT, F_OK) ? -ENOENT : 0;
}

/* Power the configfs drive on; its index, or -errno. */
static int cfg_power_on(void)
{
	char path[64];
	uint64_t idx;
	int ret = ubt_write_str(CFG_DEV "/power", "1");

	if (ret)
		return ret;
	ret = ubt_read_u64(CFG_DEV "/index", &idx);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/dev/uringblkc%d", (int)idx);
	ret = ubt_wait_path(path, 5000);
	return ret ? ret : (int)idx;
}

TEST(configfs_slm_size)
{
	struct uringblk_identify id;
	struct io_uring ring;
	char val[512];
	int idx, fd;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 slm_size_mb=3");
	if (cfg_mount())
		SKIP(return, "no configfs: %s does not exist", CFG_ROOT);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	rmdir(CFG_DEV);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755));
	ASSERT_EQ(0, ubt_read_str(CFG_ROOT "/features", val, sizeof(val)));
	EXPECT_NE(NULL, strstr(val, ",slm_size,"));
	/* the module parameter is the default */
	ASSERT_EQ(0, ubt_read_str(CFG_DEV "/slm_size", val, sizeof(val)));
	EXPECT_STREQ("3145728", val);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/capacity_mb", "8"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/slm_size", "12288"));
	idx = cfg_power_on();
	ASSERT_LT(0, idx);
	EXPECT_EQ(-EBUSY, ubt_write_str(CFG_DEV "/slm_size", "8192"));
	fd = ubt_open_cdev(idx, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(id), ubt_identify(&ring, fd, &id));
	EXPECT_EQ(12288, id.slm_size);
	EXPECT_TRUE(id.features & URINGBLK_F_SLM);
	EXPECT_EQ(-ERANGE, mem_write(&ring, fd, 12288, "x", 1));
	EXPECT_EQ(1, mem_write(&ring, fd, 12287, "x", 1));
	close(fd);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "0"));

	/* not a multiple of the page size: refused at power-on, said why */
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/slm_size", "1000"));
	EXPECT_EQ(-EINVAL, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_str(CFG_DEV "/error", val, sizeof(val)));
	EXPECT_NE(NULL, strstr(val, "slm_size=1000"));

	/* 0: no SLM */
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/slm_size", "0"));
	idx = cfg_power_on();
	ASSERT_LT(0, idx);
	fd = ubt_open_cdev(idx, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(id), ubt_identify(&ring, fd, &id));
	EXPECT_FALSE(id.features & URINGBLK_F_SLM);
	EXPECT_EQ(-EOPNOTSUPP, mem_write(&ring, fd, 0, "x", 1));
	close(fd);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "0"));
	EXPECT_EQ(0, rmdir(CFG_DEV));
	io_uring_queue_exit(&ring);
}

struct power_off {
	int ret;
};

static void *power_off_thread(void *arg)
{
	struct power_off *p = arg;

	p->ret = ubt_write_str(CFG_DEV "/power", "0");
	return NULL;
}

/*
 * Remove a drive while MEM_COPYs of 16 MiB each are in flight and range
 * sets exist: every copy completes (in full or -ENODEV), removal ends
 * soon, nothing is left behind (the module unloads at the next reload).
 */
TEST(removal_during_copy)
{
	enum { NR = 8 };
	struct uringblk_copy_range cr = { .slba = 0, .nlb = 16 * UBT_MIB / 512 };
	struct uringblk_mem_range mr = { 0, 8 * UBT_MIB };
	struct power_off po = { 0 };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int idx, fd, full = 0, enodev = 0;
	pthread_t th;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 slm_size_mb=0");
	if (cfg_mount())
		SKIP(return, "no configfs: %s does not exist", CFG_ROOT);
	ASSERT_EQ(0, io_uring_queue_init(2 * NR, &ring,
					 IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	rmdir(CFG_DEV);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/capacity_mb", "64"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/slm_size", "16777216"));
	idx = cfg_power_on();
	ASSERT_LE(0, idx);
	fd = ubt_open_cdev(idx, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, rs_create(&ring, fd, &mr, 1));
	mr.slm_off = 4 * UBT_MIB;
	ASSERT_LT(0, rs_create(&ring, fd, &mr, 1));
	/* a first copy, so that the data pages exist */
	ASSERT_EQ(16 * UBT_MIB, mem_copy(&ring, fd, 0, &cr, 1));

	for (int i = 0; i < NR; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct uringblk_cmd cmd;

		ASSERT_NE(NULL, sqe);
		ubt_cmd_init(&cmd, &cr, sizeof(cr));
		cmd.mem_copy.slm_off = 0;
		cmd.mem_copy.nr_ranges = 1;
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = fd;
		sqe->cmd_op = URINGBLK_CMD_MEM_COPY;
		memcpy(sqe->cmd, &cmd, sizeof(cmd));
		sqe->user_data = i;
	}
	ASSERT_EQ(NR, io_uring_submit(&ring));
	usleep(20000);
	ASSERT_EQ(0, pthread_create(&th, NULL, power_off_thread, &po));
	for (int i = 0; i < NR; i++) {
		struct __kernel_timespec ts = { .tv_sec = 30 };

		ASSERT_EQ(0, io_uring_wait_cqe_timeout(&ring, &cqe, &ts))
			TH_LOG("copy %d never completed", i);
		if (cqe->res == (int)(16 * UBT_MIB))
			full++;
		else if (cqe->res == -ENODEV)
			enodev++;
		else
			TH_LOG("copy: %d", cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	pthread_join(th, NULL);
	EXPECT_EQ(0, po.ret);
	EXPECT_EQ(NR, full + enodev);
	TH_LOG("%d copies completed in full, %d stopped by the removal", full, enodev);
	/* the old file answers -ENODEV */
	EXPECT_EQ(-ENODEV, mem_copy(&ring, fd, 0, &cr, 1));
	close(fd);
	EXPECT_EQ(0, rmdir(CFG_DEV));
	io_uring_queue_exit(&ring);
	/* everything freed: the module goes */
	EXPECT_EQ(0, ubt_module_unload());
}

TEST_HARNESS_MAIN
