// SPDX-License-Identifier: GPL-2.0
/*
 * Flush, FUA, discard and write-zeroes: what each userspace call turns
 * into at the driver (exact counter deltas), that discarded and zeroed
 * ranges read back as zeroes, and that discard gives memory back.
 *
 * Expected requests, from block/fops.c, block/blk-lib.c and blk-flush.c of
 * Linux 6.1, for a queue with a volatile write cache and FUA
 * (IDENTIFY F_FLUSH and F_FUA):
 *   fsync/fdatasync, nothing dirty        -> 1 flush
 *   O_DIRECT write + RWF_DSYNC / O_DSYNC  -> 1 FUA write, then
 *                                            generic_write_sync(): 1 flush
 *   buffered write + RWF_DSYNC            -> plain write(s) + 1 flush
 *   BLKDISCARD of len <= max_discard      -> 1 discard of len
 *   BLKZEROOUT with write_zeroes_max > 0  -> 1 write-zeroes per
 *                                            max_write_zeroes chunk
 * Without FUA the block layer turns a FUA write into write + post-flush;
 * without a volatile cache it drops flushes and FUA altogether.  The
 * expectations below are derived from the features the device announces.
 */
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define CAPACITY	(1024 * UBT_MIB)
#define REGION(n)	((uint64_t)(n) * 64 * UBT_MIB)	/* 64 MiB per test */

FIXTURE(fd) {
	int dfd, bfd;
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	uint8_t *buf;
	bool flush, fua;
};

FIXTURE_VARIANT(fd) {
	const char *params;
	uint32_t bs;
};

FIXTURE_VARIANT_ADD(fd, bs512) {
	.params = "capacity_mb=1024 block_size=512",
	.bs = 512,
};

FIXTURE_VARIANT_ADD(fd, bs4096) {
	.params = "capacity_mb=1024 block_size=4096",
	.bs = 4096,
};

FIXTURE_SETUP(fd)
{
	UBT_SETUP_MODULE(ubt_module_ensure, variant->params);
	self->dfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->dfd);
	self->bfd = ubt_open_blk(0, O_RDWR);
	ASSERT_LE(0, self->bfd);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	self->flush = self->id.features & URINGBLK_F_FLUSH;
	self->fua = self->flush && (self->id.features & URINGBLK_F_FUA);
	self->buf = ubt_alloc(8 * UBT_MIB);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(fd)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	close(self->dfd);
	close(self->bfd);
}

enum { R_OPS, R_BYTES, W_OPS, W_BYTES, FLUSH, D_OPS, D_BYTES, WZ_OPS, WZ_BYTES,
       FUA, ERRORS, IN_FLIGHT, TO_HOST, BACKING };

/* Deltas of every counter; a delta of SKIP_FIELD is not checked. */
#define ANY	UINT64_MAX

static void snap(struct __test_metadata *_metadata, FIXTURE_DATA(fd) *self,
		 struct uringblk_stats *st)
{
	ASSERT_EQ(sizeof(*st), ubt_get_stats(&self->ring, self->cfd, st, 0));
}

static void expect_delta(struct __test_metadata *_metadata,
			 const struct uringblk_stats *a,
			 const struct uringblk_stats *b,
			 const uint64_t delta[UBT_NR_STATS])
{
	int i;

	for (i = 0; i < UBT_NR_STATS; i++) {
		uint64_t d = ubt_stats_field(b, i) - ubt_stats_field(a, i);

		if (i == IN_FLIGHT) {
			EXPECT_EQ(0, ubt_stats_field(b, i));
			continue;
		}
		if (delta[i] == ANY)
			continue;
		EXPECT_EQ(delta[i], d) TH_LOG("%s: %lld (%llu -> %llu)",
			ubt_stats_names[i], (long long)d,
			(unsigned long long)ubt_stats_field(a, i),
			(unsigned long long)ubt_stats_field(b, i));
	}
}

#define CHECK_ZERO(fd, off, len) do { \
	ssize_t __bad; \
	memset(self->buf, 0xee, (len)); \
	ASSERT_EQ((ssize_t)(len), ubt_pread_full((fd), self->buf, (len), (off))); \
	__bad = ubt_check_zero(self->buf, (len)); \
	EXPECT_EQ(-1, __bad) TH_LOG("non-zero byte at device offset %llu", \
				    (unsigned long long)((off) + __bad)); \
} while (0)

#define CHECK_PAT(fd, off, len, seed) do { \
	ssize_t __bad; \
	memset(self->buf, 0xee, (len)); \
	ASSERT_EQ((ssize_t)(len), ubt_pread_full((fd), self->buf, (len), (off))); \
	__bad = ubt_check(self->buf, (len), (off), (seed)); \
	EXPECT_EQ(-1, __bad) TH_LOG("pattern %u wrong at device offset %llu", \
				    (unsigned int)(seed), \
				    (unsigned long long)((off) + __bad)); \
} while (0)

#define WRITE_PAT(fd, off, len, seed) do { \
	ubt_fill(self->buf, (len), (off), (seed)); \
	ASSERT_EQ((ssize_t)(len), ubt_pwrite_full((fd), self->buf, (len), (off))); \
} while (0)

/* Empty a region (all pages freed) so backing_bytes deltas are known. */
static void discard_region(struct __test_metadata *_metadata,
			   FIXTURE_DATA(fd) *self, uint64_t off, uint64_t len)
{
	uint64_t r[2] = { off, len };

	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r)) TH_LOG("BLKDISCARD: %m");
}

TEST_F(fd, fsync_is_one_flush)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats a, b;

	snap(_metadata, self, &a);
	ASSERT_EQ(0, fsync(self->dfd));
	snap(_metadata, self, &b);
	delta[FLUSH] = self->flush;
	expect_delta(_metadata, &a, &b, delta);

	ASSERT_EQ(0, fdatasync(self->dfd));
	snap(_metadata, self, &a);
	expect_delta(_metadata, &b, &a, delta);
}

TEST_F(fd, buffered_write_then_fsync)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats a, b;

	discard_region(_metadata, self, REGION(1), UBT_MIB);
	snap(_metadata, self, &a);
	WRITE_PAT(self->bfd, REGION(1), 4096, 1);
	ASSERT_EQ(0, fsync(self->bfd));
	snap(_metadata, self, &b);
	/* One dirty page, written once (how many requests is the cache's business). */
	delta[W_OPS] = ANY;
	delta[W_BYTES] = 4096;
	delta[FLUSH] = self->flush;
	delta[BACKING] = 4096;
	expect_delta(_metadata, &a, &b, delta);
	EXPECT_LE(1, b.write_ops - a.write_ops);
	CHECK_PAT(self->dfd, REGION(1), 4096, 1);
}

TEST_F(fd, direct_rwf_dsync_is_fua)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats a, b;
	struct iovec iov;

	discard_region(_metadata, self, REGION(2), UBT_MIB);
	ubt_fill(self->buf, 4096, REGION(2), 2);
	iov.iov_base = self->buf;
	iov.iov_len = 4096;
	snap(_metadata, self, &a);
	ASSERT_EQ(4096, pwritev2(self->dfd, &iov, 1, REGION(2), RWF_DSYNC));
	snap(_metadata, self, &b);
	delta[W_OPS] = 1;
	delta[W_BYTES] = 4096;
	delta[FUA] = self->fua;
	/* The post-flush replacing a missing FUA, then generic_write_sync(). */
	delta[FLUSH] = self->flush ? 1 + !self->fua : 0;
	delta[BACKING] = 4096;
	expect_delta(_metadata, &a, &b, delta);
	CHECK_PAT(self->dfd, REGION(2), 4096, 2);
}

TEST_F(fd, direct_o_dsync_is_fua)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats a, b;
	int sfd;

	sfd = ubt_open_blk(0, O_RDWR | O_DIRECT | O_DSYNC);
	ASSERT_LE(0, sfd);
	discard_region(_metadata, self, REGION(3), UBT_MIB);
	snap(_metadata, self, &a);
	ubt_fill(self->buf, 8192, REGION(3), 3);
	ASSERT_EQ(8192, pwrite(sfd, self->buf, 8192, REGION(3)));
	ubt_fill(self->buf, 4096, REGION(3) + 65536, 3);
	ASSERT_EQ(4096, pwrite(sfd, self->buf, 4096, REGION(3) + 65536));
	snap(_metadata, self, &b);
	close(sfd);
	delta[W_OPS] = 2;
	delta[W_BYTES] = 12288;
	delta[FUA] = 2 * self->fua;
	delta[FLUSH] = self->flush ? 2 * (1 + !self->fua) : 0;
	delta[BACKING] = 12288;
	expect_delta(_metadata, &a, &b, delta);
}

TEST_F(fd, buffered_rwf_dsync_is_flush)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats a, b;
	struct iovec iov;

	discard_region(_metadata, self, REGION(4), UBT_MIB);
	ubt_fill(self->buf, 4096, REGION(4), 4);
	iov.iov_base = self->buf;
	iov.iov_len = 4096;
	snap(_metadata, self, &a);
	ASSERT_EQ(4096, pwritev2(self->bfd, &iov, 1, REGION(4), RWF_DSYNC));
	snap(_metadata, self, &b);
	delta[W_OPS] = ANY;
	delta[W_BYTES] = 4096;
	delta[FLUSH] = self->flush;
	delta[BACKING] = 4096;
	expect_delta(_metadata, &a, &b, delta);
	CHECK_PAT(self->dfd, REGION(4), 4096, 4);
}

TEST_F(fd, discard_reads_zero_and_is_counted)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	const uint64_t base = REGION(5);
	struct uringblk_stats a, b;
	uint64_t r[2];

	if (!(self->id.features & URINGBLK_F_DISCARD))
		SKIP(return, "device does not announce URINGBLK_F_DISCARD");
	discard_region(_metadata, self, base, UBT_MIB);
	WRITE_PAT(self->dfd, base, UBT_MIB, 5);
	/* Populate the page cache too: the ioctl must drop it. */
	CHECK_PAT(self->bfd, base, UBT_MIB, 5);

	snap(_metadata, self, &a);
	r[0] = base + 256 * UBT_KIB;
	r[1] = 512 * UBT_KIB;
	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r));
	snap(_metadata, self, &b);
	delta[D_OPS] = 1;
	delta[D_BYTES] = 512 * UBT_KIB;
	delta[BACKING] = -(512 * UBT_KIB);	/* whole pages: all freed */
	expect_delta(_metadata, &a, &b, delta);

	CHECK_PAT(self->dfd, base, 256 * UBT_KIB, 5);
	CHECK_ZERO(self->dfd, base + 256 * UBT_KIB, 512 * UBT_KIB);
	CHECK_PAT(self->dfd, base + 768 * UBT_KIB, 256 * UBT_KIB, 5);
	CHECK_ZERO(self->bfd, base + 256 * UBT_KIB, 512 * UBT_KIB);

	/* Writing into a discarded range works like any first write. */
	WRITE_PAT(self->dfd, base + 300 * UBT_KIB, 8192, 6);
	CHECK_PAT(self->dfd, base + 300 * UBT_KIB, 8192, 6);
	CHECK_ZERO(self->dfd, base + 256 * UBT_KIB, 44 * UBT_KIB);
}

/* Discards smaller than a 4 KiB page zero part of it and keep the rest. */
TEST_F(fd, discard_partial_page)
{
	const uint32_t bs = variant->bs;
	const uint64_t base = REGION(6);
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats a, b;
	uint64_t r[2];

	if (bs >= 4096)
		SKIP(return, "blocks are whole pages");
	discard_region(_metadata, self, base, UBT_MIB);
	WRITE_PAT(self->dfd, base, 16384, 7);
	snap(_metadata, self, &a);
	/* One sector inside a page, then a range straddling two pages. */
	r[0] = base + 4096 + 512;
	r[1] = 1024;
	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r));
	r[0] = base + 3 * 4096 - 1024;
	r[1] = 2048;
	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r));
	snap(_metadata, self, &b);
	delta[D_OPS] = 2;
	delta[D_BYTES] = 3072;
	delta[BACKING] = 0;	/* partial pages stay */
	expect_delta(_metadata, &a, &b, delta);

	CHECK_PAT(self->dfd, base, 4096 + 512, 7);
	CHECK_ZERO(self->dfd, base + 4096 + 512, 1024);
	CHECK_PAT(self->dfd, base + 4096 + 1536, 4096 - 1536 + 4096 - 1024, 7);
	CHECK_ZERO(self->dfd, base + 3 * 4096 - 1024, 2048);
	CHECK_PAT(self->dfd, base + 3 * 4096 + 1024, 4096 - 1024, 7);
}

/*
 * 256 MiB written and discarded: the range reads as zeroes, the counters
 * move by exactly one request per max_discard chunk, and the memory comes
 * back (backing_bytes exactly, MemAvailable by most of it).
 */
TEST_F_TIMEOUT(fd, discard_releases_memory, 300)
{
	const uint64_t base = REGION(8), len = 256 * UBT_MIB, chunk = 8 * UBT_MIB;
	uint64_t delta[UBT_NR_STATS] = { 0 };
	uint64_t avail0, avail1, avail2 = 0, maxd, gran, off;
	struct uringblk_stats a, b, w;
	int i;

	if (!(self->id.features & URINGBLK_F_DISCARD))
		SKIP(return, "device does not announce URINGBLK_F_DISCARD");
	discard_region(_metadata, self, base, len);
	usleep(200000);
	avail0 = ubt_mem_available();
	snap(_metadata, self, &a);
	for (off = 0; off < len; off += chunk)
		WRITE_PAT(self->dfd, base + off, chunk, 8);
	snap(_metadata, self, &w);
	EXPECT_EQ(len, w.backing_bytes - a.backing_bytes);
	avail1 = ubt_mem_available();
	EXPECT_LE(avail1 + 200 * UBT_MIB, avail0)
		TH_LOG("writing 256 MiB used only %lld MiB",
		       ((long long)avail0 - (long long)avail1) / (long long)UBT_MIB);

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/discard_max_bytes", &maxd));
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/discard_granularity", &gran));
	/* blk-lib caps a discard bio at UINT_MAX bytes, granularity-aligned. */
	if (maxd > (0xffffffffULL / gran) * gran)
		maxd = (0xffffffffULL / gran) * gran;
	maxd -= maxd % gran;

	discard_region(_metadata, self, base, len);
	snap(_metadata, self, &b);
	delta[W_OPS] = w.write_ops - a.write_ops;
	delta[W_BYTES] = len;
	delta[D_OPS] = (len + maxd - 1) / maxd;
	delta[D_BYTES] = len;
	delta[BACKING] = 0;
	expect_delta(_metadata, &a, &b, delta);

	/* Pages come back after an RCU grace period. */
	for (i = 0; i < 50; i++) {
		avail2 = ubt_mem_available();
		if (avail2 + 32 * UBT_MIB >= avail0)
			break;
		usleep(100000);
	}
	EXPECT_LE(avail1 + 200 * UBT_MIB, avail2)
		TH_LOG("discarding 256 MiB gave back only %lld MiB",
		       ((long long)avail2 - (long long)avail1) / (long long)UBT_MIB);

	for (off = 0; off < len; off += chunk)
		CHECK_ZERO(self->dfd, base + off, chunk);
}

TEST_F(fd, zeroout_reads_zero_and_is_counted)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	const uint64_t base = REGION(12);
	struct uringblk_stats a, b;
	uint64_t wz, r[2];

	discard_region(_metadata, self, base, UBT_MIB);
	WRITE_PAT(self->dfd, base, UBT_MIB, 9);
	CHECK_PAT(self->bfd, base, UBT_MIB, 9);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/write_zeroes_max_bytes", &wz));

	snap(_metadata, self, &a);
	r[0] = base + 128 * UBT_KIB;
	r[1] = 512 * UBT_KIB;
	ASSERT_EQ(0, ioctl(self->dfd, BLKZEROOUT, r));
	snap(_metadata, self, &b);
	if (wz) {
		/* REQ_OP_WRITE_ZEROES reaches the driver, no data moves. */
		EXPECT_TRUE(self->id.features & URINGBLK_F_WRITE_ZEROES);
		delta[WZ_OPS] = (r[1] + wz - 1) / wz;
		delta[WZ_BYTES] = r[1];
		delta[BACKING] = ANY;	/* freeing is allowed, not required */
	} else {
		/* The block layer writes zero pages instead. */
		delta[W_OPS] = ANY;
		delta[W_BYTES] = r[1];
	}
	expect_delta(_metadata, &a, &b, delta);
	EXPECT_GE(a.backing_bytes, b.backing_bytes);

	CHECK_PAT(self->dfd, base, 128 * UBT_KIB, 9);
	CHECK_ZERO(self->dfd, base + 128 * UBT_KIB, 512 * UBT_KIB);
	CHECK_PAT(self->dfd, base + 640 * UBT_KIB, 384 * UBT_KIB, 9);
	CHECK_ZERO(self->bfd, base + 128 * UBT_KIB, 512 * UBT_KIB);
}

/*
 * The fallocate() modes a block device supports from userspace (the VFS
 * refuses FALLOC_FL_NO_HIDE_STALE, blkdev_fallocate's discard mode, with
 * -EOPNOTSUPP before the block layer sees it).  Both become
 * REQ_OP_WRITE_ZEROES.
 */
TEST_F(fd, fallocate_modes)
{
	const struct { int mode; const char *name; int counter; } modes[] = {
		{ FALLOC_FL_ZERO_RANGE, "ZERO_RANGE", WZ_OPS },
		{ FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, "ZERO_RANGE|KEEP_SIZE", WZ_OPS },
		{ FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, "PUNCH_HOLE|KEEP_SIZE", WZ_OPS },
	};
	const uint64_t base = REGION(13);
	struct uringblk_stats a, b;
	uint64_t wz;
	size_t i;

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/write_zeroes_max_bytes", &wz));
	if (!wz || !(self->id.features & URINGBLK_F_DISCARD))
		SKIP(return, "needs write-zeroes and discard");
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		uint64_t off = base + i * UBT_MIB;

		WRITE_PAT(self->dfd, off, UBT_MIB, 10);
		snap(_metadata, self, &a);
		ASSERT_EQ(0, fallocate(self->dfd, modes[i].mode, off + 4096, 65536))
			TH_LOG("%s: %m", modes[i].name);
		snap(_metadata, self, &b);
		EXPECT_EQ(1, ubt_stats_field(&b, modes[i].counter) -
			     ubt_stats_field(&a, modes[i].counter)) TH_LOG("%s", modes[i].name);
		EXPECT_EQ(0, b.write_ops - a.write_ops) TH_LOG("%s", modes[i].name);
		CHECK_PAT(self->dfd, off, 4096, 10);
		CHECK_ZERO(self->dfd, off + 4096, 65536);
		CHECK_PAT(self->dfd, off + 4096 + 65536, 4096, 10);
	}
}

/*
 * --- the memory backend's page table (driver/mem.c) -------------------
 * Leaves of 2 MiB, middle nodes of 1 GiB, one top entry per GiB of
 * capacity: a 2 GiB + 1 MiB drive has three top entries, the last mostly
 * beyond the end.  Pages on both sides of each boundary and the last page
 * read back what was written, cost a page each in backing_bytes, and go
 * with a discard that straddles a boundary; their neighbours read zeroes.
 */
FIXTURE(tbl) {
	int dfd, cfd;
	struct io_uring ring;
	uint8_t *buf;
};

FIXTURE_SETUP(tbl)
{
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=2049 block_size=512");
	self->dfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->dfd);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->buf = ubt_alloc(8192);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(tbl)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	close(self->dfd);
}

static uint64_t tbl_backing(struct __test_metadata *_metadata, FIXTURE_DATA(tbl) *self)
{
	struct uringblk_stats st;

	EXPECT_EQ(sizeof(st), ubt_get_stats(&self->ring, self->cfd, &st, 0));
	return st.backing_bytes;
}

TEST_F(tbl, boundaries)
{
	const uint64_t P = 4096, L = 2 * UBT_MIB, G = 1024 * UBT_MIB;
	const uint64_t cap = 2049 * UBT_MIB;
	const uint64_t offs[] = { 0, L - P, L, G - P, G, G + L - P, 2 * G - P,
				  2 * G, cap - P };
	const unsigned int n = sizeof(offs) / sizeof(offs[0]);
	uint64_t r[2] = { 0, cap }, straddle = 4 * L - 512;
	unsigned int i;

	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r)) TH_LOG("BLKDISCARD: %m");
	ASSERT_EQ(0, tbl_backing(_metadata, self));
	for (i = 0; i < n; i++)
		WRITE_PAT(self->dfd, offs[i], P, i + 1);
	EXPECT_EQ(n * P, tbl_backing(_metadata, self));
	/* 1 KiB across a leaf boundary: two new pages, zeroes around it. */
	WRITE_PAT(self->dfd, straddle, 1024, 99);
	EXPECT_EQ((n + 2) * P, tbl_backing(_metadata, self));
	CHECK_ZERO(self->dfd, 4 * L - P, P - 512);
	CHECK_PAT(self->dfd, straddle, 1024, 99);
	CHECK_ZERO(self->dfd, 4 * L + 512, P - 512);

	for (i = 0; i < n; i++) {
		CHECK_PAT(self->dfd, offs[i], P, i + 1);
		if (offs[i] + 2 * P <= cap && (i + 1 == n || offs[i + 1] != offs[i] + P))
			CHECK_ZERO(self->dfd, offs[i] + P, P);
	}
	/* A discard across the middle nodes' boundary: two pages go. */
	r[0] = G - P;
	r[1] = 2 * P;
	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r)) TH_LOG("BLKDISCARD: %m");
	EXPECT_EQ(n * P, tbl_backing(_metadata, self));
	CHECK_ZERO(self->dfd, G - P, 2 * P);
	CHECK_PAT(self->dfd, L, P, 3);
	CHECK_PAT(self->dfd, G + L - P, P, 6);
	/* The last page, and then everything. */
	r[0] = cap - P;
	r[1] = P;
	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r)) TH_LOG("BLKDISCARD: %m");
	CHECK_ZERO(self->dfd, cap - P, P);
	r[0] = 0;
	r[1] = cap;
	ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r)) TH_LOG("BLKDISCARD: %m");
	EXPECT_EQ(0, tbl_backing(_metadata, self));
	CHECK_ZERO(self->dfd, 0, P);
	CHECK_ZERO(self->dfd, 2 * G, P);
}

TEST_HARNESS_MAIN
