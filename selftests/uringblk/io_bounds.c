// SPDX-License-Identifier: GPL-2.0
/*
 * I/O at and beyond the end of the device, and misaligned I/O.
 *
 * What userspace sees is decided by the block layer before a request is
 * built (block/fops.c, block/ioctl.c in 6.1):
 *   read starting at or after the end        -> 0 (end of file)
 *   read crossing the end                    -> short read up to the end
 *   write starting at or after the end       -> -ENOSPC
 *   write crossing the end                   -> short write up to the end
 *   O_DIRECT offset/length/buffer misaligned -> -EINVAL
 *   BLKDISCARD/BLKZEROOUT past the end or not 512-aligned -> -EINVAL
 * The tests assert exactly that, that the data up to the end is right, and
 * that the device is unharmed (and its error counter untouched) afterwards.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define CAPACITY	(64 * UBT_MIB)

FIXTURE(bounds) {
	int dfd, bfd;
	uint64_t cap;
	uint8_t *buf;
	struct uringblk_stats st0;
};

FIXTURE_VARIANT(bounds) {
	const char *params;
	uint32_t bs;
};

FIXTURE_VARIANT_ADD(bounds, bs512) {
	.params = "capacity_mb=64 block_size=512",
	.bs = 512,
};

FIXTURE_VARIANT_ADD(bounds, bs4096) {
	.params = "capacity_mb=64 block_size=4096",
	.bs = 4096,
};

FIXTURE_SETUP(bounds)
{
	UBT_SETUP_MODULE(ubt_module_ensure, variant->params);
	self->dfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->dfd);
	self->bfd = ubt_open_blk(0, O_RDWR);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(0, ioctl(self->dfd, BLKGETSIZE64, &self->cap));
	ASSERT_EQ(CAPACITY, self->cap);
	self->buf = ubt_alloc(UBT_MIB);
	ASSERT_NE(NULL, self->buf);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &self->st0));
}

/* Whatever the test did, the last block still works and nothing failed. */
FIXTURE_TEARDOWN(bounds)
{
	const uint32_t bs = variant->bs;
	struct uringblk_stats st;

	ubt_fill(self->buf, bs, self->cap - bs, 77);
	EXPECT_EQ(bs, pwrite(self->dfd, self->buf, bs, self->cap - bs));
	memset(self->buf, 0, bs);
	EXPECT_EQ(bs, pread(self->dfd, self->buf, bs, self->cap - bs));
	EXPECT_EQ(-1, ubt_check(self->buf, bs, self->cap - bs, 77));
	ASSERT_EQ(0, ubt_sysfs_stats(0, &st));
	EXPECT_EQ(self->st0.errors, st.errors) TH_LOG("the driver saw failed requests");
	EXPECT_EQ(0, st.in_flight);
	close(self->dfd);
	close(self->bfd);
}

TEST_F(bounds, size_ioctls)
{
	unsigned long sectors;
	int ssz, pbsz;

	ASSERT_EQ(0, ioctl(self->dfd, BLKGETSIZE, &sectors));
	EXPECT_EQ(CAPACITY / 512, sectors);
	ASSERT_EQ(0, ioctl(self->dfd, BLKSSZGET, &ssz));
	EXPECT_EQ(variant->bs, ssz);
	ASSERT_EQ(0, ioctl(self->dfd, BLKPBSZGET, &pbsz));
	EXPECT_EQ(variant->bs, pbsz);
}

TEST_F(bounds, read_at_or_after_end_is_eof)
{
	const uint32_t bs = variant->bs;
	const uint64_t offs[] = { self->cap, self->cap + bs, 2 * self->cap,
				  1ULL << 62, (uint64_t)INT64_MAX - 2 * bs + 1 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		EXPECT_EQ(0, pread(self->dfd, self->buf, bs, offs[i]))
			TH_LOG("O_DIRECT read at %llu", (unsigned long long)offs[i]);
		EXPECT_EQ(0, pread(self->bfd, self->buf, bs, offs[i]))
			TH_LOG("buffered read at %llu", (unsigned long long)offs[i]);
	}
}

TEST_F(bounds, read_crossing_end_is_short)
{
	const uint32_t bs = variant->bs;
	const uint64_t cap = self->cap;

	ubt_fill(self->buf, 2 * bs, cap - 2 * bs, 1);
	ASSERT_EQ(2 * bs, pwrite(self->dfd, self->buf, 2 * bs, cap - 2 * bs));

	memset(self->buf, 0, 8 * bs);
	EXPECT_EQ(2 * bs, pread(self->dfd, self->buf, 8 * bs, cap - 2 * bs));
	EXPECT_EQ(-1, ubt_check(self->buf, 2 * bs, cap - 2 * bs, 1));

	memset(self->buf, 0, 8 * bs);
	EXPECT_EQ(100, pread(self->bfd, self->buf, 1000, cap - 100));
	EXPECT_EQ(-1, ubt_check(self->buf, 100, cap - 100, 1));
}

TEST_F(bounds, write_at_or_after_end_is_enospc)
{
	const uint32_t bs = variant->bs;
	const uint64_t offs[] = { self->cap, self->cap + bs, 1ULL << 62 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		errno = 0;
		EXPECT_EQ(-1, pwrite(self->dfd, self->buf, bs, offs[i]));
		EXPECT_EQ(ENOSPC, errno) TH_LOG("O_DIRECT write at %llu",
						(unsigned long long)offs[i]);
		errno = 0;
		EXPECT_EQ(-1, pwrite(self->bfd, self->buf, 1, offs[i]));
		EXPECT_EQ(ENOSPC, errno) TH_LOG("buffered write at %llu",
						(unsigned long long)offs[i]);
	}
}

TEST_F(bounds, write_crossing_end_is_short)
{
	const uint32_t bs = variant->bs;
	const uint64_t cap = self->cap;

	ubt_fill(self->buf, 4 * bs, cap - bs, 2);
	EXPECT_EQ(bs, pwrite(self->dfd, self->buf, 4 * bs, cap - bs));
	memset(self->buf, 0, bs);
	ASSERT_EQ(bs, pread(self->dfd, self->buf, bs, cap - bs));
	EXPECT_EQ(-1, ubt_check(self->buf, bs, cap - bs, 2));

	ubt_fill(self->buf, 1000, cap - 100, 3);
	EXPECT_EQ(100, pwrite(self->bfd, self->buf, 1000, cap - 100));
	ASSERT_EQ(0, fsync(self->bfd));
	memset(self->buf, 0, bs);
	ASSERT_EQ(bs, pread(self->dfd, self->buf, bs, cap - bs));
	EXPECT_EQ(-1, ubt_check(self->buf + bs - 100, 100, cap - 100, 3));
}

TEST_F(bounds, negative_or_overflowing_offset_is_einval)
{
	errno = 0;
	EXPECT_EQ(-1, pread(self->dfd, self->buf, variant->bs, -(off_t)variant->bs));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->bfd, self->buf, 1, -1));
	EXPECT_EQ(EINVAL, errno);
	/* offset + length overflowing loff_t is refused by the VFS. */
	errno = 0;
	EXPECT_EQ(-1, pread(self->dfd, self->buf, variant->bs,
			    INT64_MAX - variant->bs + 1));
	EXPECT_EQ(EINVAL, errno);
}

/* The same limits through io_uring reads and writes on the block device. */
TEST_F(bounds, io_uring_at_end)
{
	const uint32_t bs = variant->bs;
	const struct { bool write; uint64_t off; uint32_t len; int res; } io[] = {
		{ false, self->cap, bs, 0 },
		{ false, self->cap - bs, 4 * bs, bs },
		{ true, self->cap, bs, -ENOSPC },
		{ true, self->cap - bs, 4 * bs, bs },
		{ false, bs / 2, bs, -EINVAL },
		{ true, 0, bs / 2, -EINVAL },
	};
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	size_t i;

	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	for (i = 0; i < ARRAY_SIZE(io); i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		if (io[i].write)
			io_uring_prep_write(sqe, self->dfd, self->buf, io[i].len, io[i].off);
		else
			io_uring_prep_read(sqe, self->dfd, self->buf, io[i].len, io[i].off);
		ASSERT_EQ(1, io_uring_submit(&ring));
		ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
		EXPECT_EQ(io[i].res, cqe->res) TH_LOG("case %zu: %s %u at %llu", i,
			io[i].write ? "write" : "read", io[i].len,
			(unsigned long long)io[i].off);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
}

TEST_F(bounds, direct_misaligned_is_einval)
{
	const uint32_t bs = variant->bs;

	/* Offset not a multiple of the logical block size. */
	errno = 0;
	EXPECT_EQ(-1, pread(self->dfd, self->buf, bs, bs / 2));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->dfd, self->buf, bs, 512 + (bs == 512 ? 1 : 0)));
	EXPECT_EQ(EINVAL, errno);
	/* Length not a multiple of it. */
	errno = 0;
	EXPECT_EQ(-1, pread(self->dfd, self->buf, bs + bs / 2, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->dfd, self->buf, bs - 1, 0));
	EXPECT_EQ(EINVAL, errno);
	/* Buffer below the queue's DMA alignment (512). */
	errno = 0;
	EXPECT_EQ(-1, pread(self->dfd, self->buf + 1, bs, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->dfd, self->buf + 256, bs, 0));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(bounds, discard_and_zeroout_out_of_range)
{
	const uint32_t bs = variant->bs;
	const uint64_t cap = self->cap;
	const uint64_t bad[][2] = {
		{ cap, bs },			/* at the end */
		{ cap - bs, 2 * bs },		/* crossing the end */
		{ cap + UBT_MIB, bs },		/* after it */
		{ UINT64_MAX - 511, 512 },	/* start + len overflows */
		{ 0, UINT64_MAX - 511 },
		{ 256, 512 },			/* not 512-aligned */
		{ 0, 256 },
	};
	uint64_t r[2];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(r, bad[i], sizeof(r));
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->dfd, BLKDISCARD, r));
		EXPECT_EQ(EINVAL, errno) TH_LOG("BLKDISCARD %llu+%llu", (unsigned long long)r[0],
						(unsigned long long)r[1]);
		memcpy(r, bad[i], sizeof(r));
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->dfd, BLKZEROOUT, r));
		EXPECT_EQ(EINVAL, errno) TH_LOG("BLKZEROOUT %llu+%llu", (unsigned long long)r[0],
						(unsigned long long)r[1]);
	}
	/* 512-aligned but not block-aligned: refused when blocks are larger. */
	if (bs > 512) {
		r[0] = 512;
		r[1] = bs;
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->dfd, BLKDISCARD, r));
		EXPECT_EQ(EINVAL, errno);
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->dfd, BLKZEROOUT, r));
		EXPECT_EQ(EINVAL, errno);
	}
	/* The last block itself is in range. */
	r[0] = cap - bs;
	r[1] = bs;
	EXPECT_EQ(0, ioctl(self->dfd, BLKDISCARD, r));
	r[0] = cap - bs;
	r[1] = bs;
	EXPECT_EQ(0, ioctl(self->dfd, BLKZEROOUT, r));
}

TEST_HARNESS_MAIN
