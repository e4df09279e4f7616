// SPDX-License-Identifier: GPL-2.0
/*
 * Data integrity through the block device: what is written is read back,
 * at block, device-page and request-size boundaries, through O_DIRECT and
 * the page cache, at the last block, and nothing else changes.
 *
 * The device is the default 16 GiB one (sparse: only data written costs
 * memory, so it fits a 1-2 GiB guest).  Each test owns the first 256 MiB of
 * its own GiB ("region"), so tests can share one module load and still
 * check that unwritten neighbours read as zeroes; the sparse test writes in
 * the second half of each GiB, which no other test touches.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define REGION(n)	((uint64_t)(n) * UBT_GIB)

FIXTURE(data) {
	int dfd;		/* O_DIRECT */
	int bfd;		/* buffered */
	uint64_t cap;
	uint8_t *buf, *rbuf;
	size_t buflen;
};

FIXTURE_VARIANT(data) {
	const char *params;
	uint32_t bs;
};

FIXTURE_VARIANT_ADD(data, bs512) {
	.params = "block_size=512",
	.bs = 512,
};

FIXTURE_VARIANT_ADD(data, bs4096) {
	.params = "block_size=4096",
	.bs = 4096,
};

/* The same on the file backend (tmpfs: buffered I/O through the page cache). */
FIXTURE_VARIANT_ADD(data, file512) {
	.params = "block_size=512 backing=file path=/var/tmp/ubt-io_data-512.img",
	.bs = 512,
};

FIXTURE_VARIANT_ADD(data, file4096) {
	.params = "block_size=4096 backing=file path=/var/tmp/ubt-io_data-4096.img",
	.bs = 4096,
};

static void open_devs(struct __test_metadata *_metadata, FIXTURE_DATA(data) *self)
{
	self->dfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->dfd) TH_LOG("open O_DIRECT: %s", strerror(-self->dfd));
	self->bfd = ubt_open_blk(0, O_RDWR);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(0, ioctl(self->dfd, BLKGETSIZE64, &self->cap));
}

FIXTURE_SETUP(data)
{
	UBT_SETUP_MODULE(ubt_module_ensure, variant->params);
	open_devs(_metadata, self);
	ASSERT_EQ(16 * UBT_GIB, self->cap);
	self->buflen = 8 * UBT_MIB;
	self->buf = ubt_alloc(self->buflen);
	self->rbuf = ubt_alloc(self->buflen);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->rbuf);
}

FIXTURE_TEARDOWN(data)
{
	close(self->dfd);
	close(self->bfd);
}

/* Write [off, off+len) with seed through fd (whole-transfer or fail). */
#define WRITE_PAT(fd, off, len, seed) do { \
	ubt_fill(self->buf, (len), (off), (seed)); \
	ASSERT_EQ((ssize_t)(len), ubt_pwrite_full((fd), self->buf, (len), (off))) \
		TH_LOG("write %llu bytes at %llu", (unsigned long long)(len), \
		       (unsigned long long)(off)); \
} while (0)

/* Read [off, off+len) through fd and check it holds seed's pattern. */
#define CHECK_PAT(fd, off, len, seed) do { \
	ssize_t __bad; \
	memset(self->rbuf, 0xee, (len)); \
	ASSERT_EQ((ssize_t)(len), ubt_pread_full((fd), self->rbuf, (len), (off))); \
	__bad = ubt_check(self->rbuf, (len), (off), (seed)); \
	EXPECT_EQ(-1, __bad) TH_LOG("pattern %u wrong at device offset %llu", \
				    (unsigned int)(seed), \
				    (unsigned long long)((off) + __bad)); \
} while (0)

#define CHECK_ZERO(fd, off, len) do { \
	ssize_t __bad; \
	memset(self->rbuf, 0xee, (len)); \
	ASSERT_EQ((ssize_t)(len), ubt_pread_full((fd), self->rbuf, (len), (off))); \
	__bad = ubt_check_zero(self->rbuf, (len)); \
	EXPECT_EQ(-1, __bad) TH_LOG("non-zero byte at device offset %llu", \
				    (unsigned long long)((off) + __bad)); \
} while (0)

TEST_F(data, unwritten_reads_zero)
{
	struct uringblk_stats st;
	uint64_t offs[] = { 0, 4096, REGION(1) - variant->bs, REGION(8),
			    16 * UBT_GIB - UBT_MIB };
	size_t i;

	/* A fresh device: nothing has ever been written. */
	close(self->dfd);
	close(self->bfd);
	ASSERT_EQ(0, ubt_module_reload(variant->params));
	open_devs(_metadata, self);

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		uint64_t len = offs[i] + UBT_MIB <= self->cap ? UBT_MIB :
			       self->cap - offs[i];

		CHECK_ZERO(self->dfd, offs[i], len);
		CHECK_ZERO(self->bfd, offs[i], len);
	}
	/* Reading holes stores nothing. */
	ASSERT_EQ(0, ubt_sysfs_stats(0, &st));
	EXPECT_EQ(0, st.backing_bytes);
}

TEST_F(data, direct_single_blocks)
{
	const uint32_t bs = variant->bs;
	const uint64_t base = REGION(1);
	const uint64_t blocks[] = { 0, 1, 7, 8, 9, 4095, 4096, 12345 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		WRITE_PAT(self->dfd, base + blocks[i] * bs, bs, 100 + i);
	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		CHECK_PAT(self->dfd, base + blocks[i] * bs, bs, 100 + i);
	/* Unwritten neighbours of isolated blocks stay zero. */
	CHECK_ZERO(self->dfd, base + 2 * bs, 5 * bs);
	CHECK_ZERO(self->dfd, base + 10 * bs, 4085ULL * bs);
	CHECK_ZERO(self->dfd, base + 12346ULL * bs, bs);
	/* Overwrite one block: only it changes. */
	WRITE_PAT(self->dfd, base + 8 * bs, bs, 200);
	CHECK_PAT(self->dfd, base + 7 * bs, bs, 100 + 2);
	CHECK_PAT(self->dfd, base + 8 * bs, bs, 200);
	CHECK_PAT(self->dfd, base + 9 * bs, bs, 100 + 4);
}

/*
 * Transfers that cross 4 KiB device pages (the memory backend's unit), and
 * user buffers that cross host pages at other points than the device does.
 */
TEST_F(data, direct_cross_page)
{
	const uint32_t bs = variant->bs;
	const uint64_t base = REGION(2);
	struct { uint64_t off; uint32_t len; } io[] = {
		{ 4096 - bs, 2 * bs },
		{ 3 * 4096 - bs, 4096 + 2 * bs },
		{ 8 * 4096 - 2 * bs, 3 * 4096 + 4 * bs },
		{ 20 * 4096 + bs, 65536 },
	};
	uint8_t *ubuf;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(io); i++)
		WRITE_PAT(self->dfd, base + io[i].off, io[i].len, 300 + i);
	for (i = 0; i < ARRAY_SIZE(io); i++)
		CHECK_PAT(self->dfd, base + io[i].off, io[i].len, 300 + i);

	/*
	 * A user buffer 512 bytes into a page (O_DIRECT needs only 512-byte
	 * alignment here): every bio_vec straddles host pages differently
	 * from the device pages.
	 */
	ubuf = self->buf + 512;
	ubt_fill(ubuf, 5 * 4096, base + 40 * 4096, 310);
	ASSERT_EQ(5 * 4096, pwrite(self->dfd, ubuf, 5 * 4096, base + 40 * 4096));
	memset(self->rbuf, 0, 6 * 4096);
	ASSERT_EQ(5 * 4096, pread(self->dfd, self->rbuf + 512, 5 * 4096,
				  base + 40 * 4096));
	EXPECT_EQ(-1, ubt_check(self->rbuf + 512, 5 * 4096, base + 40 * 4096, 310));

	/* A vector of block-sized pieces, scattered in memory. */
	if (bs == 512) {
		struct iovec iov[9];

		for (i = 0; i < ARRAY_SIZE(iov); i++) {
			iov[i].iov_base = self->buf + i * 8192 + 1024;
			iov[i].iov_len = 512;
			ubt_fill(iov[i].iov_base, 512, base + 60 * 4096 - 1024 + i * 512, 311);
		}
		ASSERT_EQ(9 * 512, pwritev(self->dfd, iov, 9, base + 60 * 4096 - 1024));
		CHECK_PAT(self->dfd, base + 60 * 4096 - 1024, 9 * 512, 311);
	}
	/* Neighbours untouched. */
	CHECK_ZERO(self->dfd, base + 80 * 4096, 4096);
}

/*
 * A transfer longer than max_sectors_kb is split into several requests;
 * start it one block before a request-size boundary so no piece is
 * aligned, and check the data on both sides of every split.
 */
TEST_F(data, direct_large_split)
{
	const uint32_t bs = variant->bs;
	const uint64_t base = REGION(3);
	uint64_t max_kb, maxb, off, len;

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_sectors_kb", &max_kb));
	maxb = max_kb * UBT_KIB;
	len = 2 * maxb + 5 * bs;
	ASSERT_GE(self->buflen, len + 2 * maxb);
	off = base + maxb - bs;

	/* A frame of another pattern around the target range. */
	WRITE_PAT(self->dfd, base, len + 2 * maxb, 400);
	WRITE_PAT(self->dfd, off, len, 401);
	CHECK_PAT(self->dfd, off, len, 401);
	CHECK_PAT(self->dfd, base, off - base, 400);
	CHECK_PAT(self->dfd, off + len, base + len + 2 * maxb - off - len, 400);
	/* Read it back with different split points than it was written. */
	CHECK_PAT(self->dfd, off + bs, len - bs, 401);
	CHECK_PAT(self->bfd, off, len, 401);
}

/*
 * Buffered writes of unaligned byte ranges: the page cache does the
 * read-modify-write of partial blocks, and after fsync the device holds
 * the merged result (checked with O_DIRECT, then again through a dropped
 * page cache).
 */
TEST_F(data, buffered_unaligned)
{
	const uint64_t base = REGION(4);
	const struct { uint64_t off; uint32_t len; } io[] = {
		{ 1000, 100 }, { 4000, 5000 }, { 65535, 2 }, { 100000, 70000 },
	};
	uint8_t *expect = self->buf + 4 * UBT_MIB;
	const uint64_t span = 256 * UBT_KIB;
	size_t i;
	ssize_t bad;

	WRITE_PAT(self->dfd, base, span, 500);
	ubt_fill(expect, span, base, 500);
	for (i = 0; i < ARRAY_SIZE(io); i++) {
		uint8_t tmp[70000];

		ubt_fill(tmp, io[i].len, base + io[i].off, 501 + i);
		memcpy(expect + io[i].off, tmp, io[i].len);
		ASSERT_EQ(io[i].len, pwrite(self->bfd, tmp, io[i].len, base + io[i].off));
	}
	ASSERT_EQ(0, fsync(self->bfd));

	ASSERT_EQ(span, ubt_pread_full(self->dfd, self->rbuf, span, base));
	bad = -1;
	for (i = 0; i < span; i++)
		if (self->rbuf[i] != expect[i]) {
			bad = i;
			break;
		}
	EXPECT_EQ(-1, bad) TH_LOG("device differs at offset %zd", bad);

	/* Drop the page cache, read through it again. */
	ASSERT_EQ(0, ioctl(self->bfd, BLKFLSBUF, 0));
	memset(self->rbuf, 0, span);
	ASSERT_EQ(span, ubt_pread_full(self->bfd, self->rbuf, span, base));
	EXPECT_EQ(0, memcmp(self->rbuf, expect, span));
}

/* O_DIRECT and the page cache see each other's writes. */
TEST_F(data, direct_and_buffered_coherent)
{
	const uint64_t base = REGION(5);

	/* Populate the page cache, then overwrite underneath with O_DIRECT. */
	WRITE_PAT(self->bfd, base, UBT_MIB, 600);
	ASSERT_EQ(0, fsync(self->bfd));
	CHECK_PAT(self->bfd, base, UBT_MIB, 600);
	WRITE_PAT(self->dfd, base + 64 * UBT_KIB, 128 * UBT_KIB, 601);
	CHECK_PAT(self->bfd, base + 64 * UBT_KIB, 128 * UBT_KIB, 601);
	CHECK_PAT(self->bfd, base, 64 * UBT_KIB, 600);
	/* Buffered write without fsync; an O_DIRECT read writes it back first. */
	WRITE_PAT(self->bfd, base + 512 * UBT_KIB, 8192, 602);
	CHECK_PAT(self->dfd, base + 512 * UBT_KIB, 8192, 602);
	CHECK_PAT(self->dfd, base + 256 * UBT_KIB, 256 * UBT_KIB, 600);
}

TEST_F(data, last_blocks)
{
	const uint32_t bs = variant->bs;
	const uint64_t cap = self->cap;

	WRITE_PAT(self->dfd, cap - bs, bs, 700);
	CHECK_PAT(self->dfd, cap - bs, bs, 700);
	WRITE_PAT(self->dfd, cap - UBT_MIB, UBT_MIB - bs, 701);
	CHECK_PAT(self->dfd, cap - UBT_MIB, UBT_MIB - bs, 701);
	CHECK_PAT(self->dfd, cap - bs, bs, 700);
	WRITE_PAT(self->dfd, cap - 3 * 4096, 3 * 4096, 702);
	CHECK_PAT(self->dfd, cap - UBT_MIB, UBT_MIB - 3 * 4096, 701);
	CHECK_PAT(self->bfd, cap - 3 * 4096, 3 * 4096, 702);
	/* The very last byte, through the page cache. */
	{
		uint8_t b = 0x42, r = 0;

		ASSERT_EQ(1, pwrite(self->bfd, &b, 1, cap - 1));
		ASSERT_EQ(0, fsync(self->bfd));
		ASSERT_EQ(bs, pread(self->dfd, self->rbuf, bs, cap - bs));
		EXPECT_EQ(0x42, self->rbuf[bs - 1]);
		ASSERT_EQ(1, pread(self->bfd, &r, 1, cap - 1));
		EXPECT_EQ(0x42, r);
	}
}

/*
 * The whole 16 GiB address space is usable in a much smaller guest: one
 * block in every GiB (and the last one) costs a page each, not capacity.
 */
TEST_F(data, sparse_whole_device)
{
	const uint32_t bs = variant->bs;
	struct uringblk_stats s0, s1;
	uint64_t avail0, avail1, off;
	int i;

	ASSERT_EQ(0, ubt_sysfs_stats(0, &s0));
	avail0 = ubt_mem_available();
	for (i = 0; i < 16; i++) {
		off = REGION(i) + 512 * UBT_MIB + i * (uint64_t)bs;
		WRITE_PAT(self->dfd, off, bs, 800 + i);
	}
	for (i = 0; i < 16; i++) {
		off = REGION(i) + 512 * UBT_MIB + i * (uint64_t)bs;
		CHECK_PAT(self->dfd, off, bs, 800 + i);
		CHECK_ZERO(self->dfd, off - 64 * UBT_KIB, 64 * UBT_KIB);
	}
	avail1 = ubt_mem_available();
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s1));
	EXPECT_EQ(16 * 4096, s1.backing_bytes - s0.backing_bytes);
	EXPECT_LT(avail0, avail1 + 64 * UBT_MIB)
		TH_LOG("MemAvailable fell by %lld MiB for 16 blocks",
		       ((long long)avail0 - (long long)avail1) / (long long)UBT_MIB);
}

/*
 * Whole device pages through page-aligned buffers, the memory backend's
 * page-copy path (driver/mem.c): holes among data in one request, whole-page
 * writes into new and existing pages (the latter allocating nothing), and
 * the same pages read back in pieces and from buffers not page aligned.
 */
TEST_F(data, direct_whole_pages)
{
	const uint32_t bs = variant->bs, pg = 4096, n = 32;
	const bool mem = !strstr(variant->params, "backing=file");
	const uint64_t base = REGION(7);
	struct uringblk_stats s0, s1, s2, s3;
	ssize_t bad;
	uint32_t i;

	/* Rerun on the same load: start from holes. */
	{
		uint64_t r[2] = { base, 64 * pg };

		ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r));
	}
	/* All holes, one request of whole pages. */
	CHECK_ZERO(self->dfd, base, n * pg);

	/* Every other page written, one whole page per request. */
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s0));
	for (i = 0; i < n; i += 2)
		WRITE_PAT(self->dfd, base + i * pg, pg, 1000);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s1));
	if (mem)
		EXPECT_EQ((uint64_t)n / 2 * pg, s1.backing_bytes - s0.backing_bytes);
	/* One 128 KiB request over data and holes in turn. */
	memset(self->rbuf, 0xee, n * pg);
	ASSERT_EQ((ssize_t)(n * pg), ubt_pread_full(self->dfd, self->rbuf, n * pg, base));
	for (i = 0; i < n; i++) {
		bad = i % 2 ? ubt_check_zero(self->rbuf + i * pg, pg)
			    : ubt_check(self->rbuf + i * pg, pg, base + i * pg, 1000);
		EXPECT_EQ(-1, bad) TH_LOG("page %u wrong at byte %zd", i, bad);
	}

	/* One request over all of them: only the holes get new pages. */
	WRITE_PAT(self->dfd, base, n * pg, 1001);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s2));
	if (mem)
		EXPECT_EQ((uint64_t)n / 2 * pg, s2.backing_bytes - s1.backing_bytes);
	/* Rewriting existing pages allocates nothing. */
	WRITE_PAT(self->dfd, base, n * pg, 1002);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s3));
	EXPECT_EQ(s2.backing_bytes, s3.backing_bytes);
	CHECK_PAT(self->dfd, base, n * pg, 1002);
	CHECK_PAT(self->bfd, base, n * pg, 1002);

	/* A new page written whole (never zeroed first), read back in blocks. */
	WRITE_PAT(self->dfd, base + 40 * pg, pg, 1003);
	for (i = 0; i < pg / bs; i++)
		CHECK_PAT(self->dfd, base + 40 * pg + i * bs, bs, 1003);
	/* A new page written in part, read whole: zeroes around the data. */
	WRITE_PAT(self->dfd, base + 42 * pg + (pg - bs) / 2 / bs * bs, bs, 1004);
	memset(self->rbuf, 0xee, 3 * pg);
	ASSERT_EQ((ssize_t)(3 * pg), ubt_pread_full(self->dfd, self->rbuf, 3 * pg,
						    base + 41 * pg));
	EXPECT_EQ(-1, ubt_check_zero(self->rbuf, pg + (pg - bs) / 2 / bs * bs));
	EXPECT_EQ(-1, ubt_check(self->rbuf + pg + (pg - bs) / 2 / bs * bs, bs,
				base + 42 * pg + (pg - bs) / 2 / bs * bs, 1004));
	EXPECT_EQ(-1, ubt_check_zero(self->rbuf + pg + (pg - bs) / 2 / bs * bs + bs,
				     pg - (pg - bs) / 2 / bs * bs - bs + pg));

	/*
	 * Page-sized transfers that are not whole pages: 512-byte-aligned
	 * buffers and offsets inside a page (O_DIRECT allows it with 512 B
	 * blocks), over data and a hole.
	 */
	if (bs == 512) {
		memset(self->rbuf, 0xee, 4 * pg);
		ASSERT_EQ((ssize_t)(2 * pg), ubt_pread_full(self->dfd, self->rbuf + 512,
							    2 * pg, base + pg + 1536));
		EXPECT_EQ(-1, ubt_check(self->rbuf + 512, 2 * pg, base + pg + 1536, 1002));
		memset(self->rbuf, 0xee, 4 * pg);
		ASSERT_EQ((ssize_t)pg, ubt_pread_full(self->dfd, self->rbuf + 1024, pg,
						      base + 43 * pg + 512));
		EXPECT_EQ(-1, ubt_check_zero(self->rbuf + 1024, pg));
		ubt_fill(self->buf + 2048, pg, base + 3 * pg + 2048, 1005);
		ASSERT_EQ((ssize_t)pg, ubt_pwrite_full(self->dfd, self->buf + 2048, pg,
						       base + 3 * pg + 2048));
		CHECK_PAT(self->dfd, base + 3 * pg, 2048, 1002);
		CHECK_PAT(self->dfd, base + 3 * pg + 2048, pg, 1005);
		CHECK_PAT(self->dfd, base + 4 * pg + 2048, 2048, 1002);
	}
}

/* Memory grows with data written, and rewriting the same data does not. */
TEST_F(data, memory_grows_with_data)
{
	const uint64_t base = REGION(6), len = 64 * UBT_MIB;
	struct uringblk_stats s0, s1, s2;
	uint64_t avail0, avail1, avail2, chunk = 4 * UBT_MIB, off;

	/* A rerun on the same load starts from zero again. */
	{
		uint64_t r[2] = { base, len };

		ASSERT_EQ(0, ioctl(self->dfd, BLKDISCARD, r));
		ASSERT_EQ(0, ubt_sysfs_stats(0, &s0));
	}
	/*
	 * Freed pages go back after an RCU grace period, which a loaded host
	 * stretches: start from a MemAvailable that has settled (two readings
	 * 200 ms apart within 1 MiB, 5 s at most), so those late frees do not
	 * offset the growth measured below (it once fell 47 MiB, not 48).
	 */
	avail0 = ubt_mem_available();
	for (int i = 0; i < 25; i++) {
		uint64_t a;

		usleep(200000);
		a = ubt_mem_available();
		if (a <= avail0 + UBT_MIB && avail0 <= a + UBT_MIB) {
			avail0 = a;
			break;
		}
		avail0 = a;
	}
	for (off = 0; off < len; off += chunk)
		WRITE_PAT(self->dfd, base + off, chunk, 900);
	avail1 = ubt_mem_available();
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s1));
	EXPECT_EQ(len, s1.backing_bytes - s0.backing_bytes);
	/* Half the data: backing_bytes above is the exact count; this only
	 * shows the pages are real memory, with room for the system's noise. */
	EXPECT_LE(avail1 + 32 * UBT_MIB, avail0)
		TH_LOG("MemAvailable fell by only %lld MiB for 64 MiB written",
		       ((long long)avail0 - (long long)avail1) / (long long)UBT_MIB);

	for (off = 0; off < len; off += chunk)
		WRITE_PAT(self->dfd, base + off, chunk, 901);
	avail2 = ubt_mem_available();
	ASSERT_EQ(0, ubt_sysfs_stats(0, &s2));
	EXPECT_EQ(s1.backing_bytes, s2.backing_bytes);
	EXPECT_LE(avail1, avail2 + 16 * UBT_MIB)
		TH_LOG("rewriting cost %lld MiB more",
		       ((long long)avail1 - (long long)avail2) / (long long)UBT_MIB);
	for (off = 0; off < len; off += chunk)
		CHECK_PAT(self->dfd, base + off, chunk, 901);
}

TEST_HARNESS_MAIN
