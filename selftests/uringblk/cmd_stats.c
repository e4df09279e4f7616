// SPDX-License-Identifier: GPL-2.0
/*
 * The counters are exact: O_DIRECT I/O of known sizes moves each counter by
 * exactly what was done, GET_STATS and sysfs agree, reading does not change
 * them, and both reset paths zero the counters but not the gauges.
 *
 * Exactness relies on nothing else doing I/O to the device (the guest runs
 * no udev) and on each O_DIRECT request reaching the driver as one request:
 * every transfer here is at most 64 KiB, page-aligned and synchronous, so
 * it is neither split nor merged.  The one split case computes its request
 * count from max_sectors_kb, and polled I/O needs a poll queue: both are
 * blk-mq's, so the drives are queue_mode=mq (a bio drive's exact counters:
 * bio_mode.sh).
 */
#include <fcntl.h>
#include <linux/blkzoned.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define REGION	(32 * UBT_MIB)	/* each test works in [REGION, 2 * REGION) */

FIXTURE(stats) {
	struct io_uring ring;
	int cfd, bfd;
	struct uringblk_identify id;
	uint8_t *buf;
};

FIXTURE_VARIANT(stats) {
	const char *params;
	uint32_t bs;
};

FIXTURE_VARIANT_ADD(stats, bs512) {
	.params = "capacity_mb=256 block_size=512 poll_queues=1 queue_mode=mq",
	.bs = 512,
};

FIXTURE_VARIANT_ADD(stats, bs4096) {
	.params = "capacity_mb=256 block_size=4096 poll_queues=1 queue_mode=mq",
	.bs = 4096,
};

FIXTURE_SETUP(stats)
{
	struct uringblk_discard_range { uint64_t start, len; } r = { REGION, REGION };

	UBT_SETUP_MODULE(ubt_module_ensure, variant->params);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	self->buf = ubt_alloc(4 * UBT_MIB);
	ASSERT_NE(NULL, self->buf);
	/* Start from an empty region so backing_bytes deltas are known. */
	if (self->id.features & URINGBLK_F_DISCARD) {
		ASSERT_EQ(0, ioctl(self->bfd, BLKDISCARD, &r));
	}
}

FIXTURE_TEARDOWN(stats)
{
	io_uring_queue_exit(&self->ring);
	close(self->bfd);
	close(self->cfd);
}

static void stats_cmd(struct __test_metadata *_metadata,
		      FIXTURE_DATA(stats) *self, struct uringblk_stats *st)
{
	ASSERT_EQ(sizeof(*st), ubt_get_stats(&self->ring, self->cfd, st, 0));
}

/*
 * Check after - before == expected for every named field (in_flight and
 * backing_bytes are compared as absolute values given in *expect_abs).
 */
static void expect_delta(struct __test_metadata *_metadata,
			 const struct uringblk_stats *before,
			 const struct uringblk_stats *after,
			 const uint64_t delta[UBT_NR_STATS])
{
	int i;

	for (i = 0; i < UBT_NR_STATS; i++) {
		uint64_t d = ubt_stats_field(after, i) - ubt_stats_field(before, i);

		if (i == UBT_STAT_IN_FLIGHT) {
			EXPECT_EQ(0, ubt_stats_field(after, i))
				TH_LOG("in_flight after all I/O completed");
			continue;
		}
		EXPECT_EQ(delta[i], d) TH_LOG("%s: %llu -> %llu", ubt_stats_names[i],
					      (unsigned long long)ubt_stats_field(before, i),
					      (unsigned long long)ubt_stats_field(after, i));
	}
}

enum { R_OPS, R_BYTES, W_OPS, W_BYTES, FLUSH, D_OPS, D_BYTES, WZ_OPS, WZ_BYTES,
       FUA, ERRORS, IN_FLIGHT, TO_HOST, BACKING };

TEST_F(stats, sysfs_matches_get_stats)
{
	struct uringblk_stats cmd, sys, cmd2;
	int i;

	ubt_fill(self->buf, 65536, REGION, 1);
	ASSERT_EQ(65536, pwrite(self->bfd, self->buf, 65536, REGION));
	ASSERT_EQ(65536, pread(self->bfd, self->buf, 65536, REGION));

	stats_cmd(_metadata, self, &cmd);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &sys));
	stats_cmd(_metadata, self, &cmd2);
	for (i = 0; i < UBT_NR_STATS; i++) {
		EXPECT_EQ(ubt_stats_field(&cmd, i), ubt_stats_field(&sys, i))
			TH_LOG("%s", ubt_stats_names[i]);
	}
	EXPECT_EQ(0, memcmp(&cmd, &cmd2, sizeof(cmd)));
	/* where rsvd[2] was until ABI 1.8: no model here, so still zero */
	EXPECT_EQ(0, cmd.timing_timer_late_ns);
	EXPECT_EQ(0, cmd.timing_early_ns);
	EXPECT_LE(1, cmd.write_ops);
	EXPECT_LE(1, cmd.read_ops);
}

TEST_F(stats, reading_does_not_change_them)
{
	struct uringblk_stats first, st;
	struct uringblk_identify id;
	int i;

	stats_cmd(_metadata, self, &first);
	for (i = 0; i < 20; i++) {
		stats_cmd(_metadata, self, &st);
		ASSERT_EQ(0, memcmp(&first, &st, sizeof(st)))
			TH_LOG("GET_STATS #%d changed the counters", i);
		ASSERT_EQ(sizeof(id), ubt_identify(&self->ring, self->cfd, &id));
		ASSERT_EQ(0, ubt_sysfs_stats(0, &st));
	}
	stats_cmd(_metadata, self, &st);
	EXPECT_EQ(0, memcmp(&first, &st, sizeof(st)));
}

TEST_F(stats, write_deltas_exact)
{
	const uint32_t bs = variant->bs;
	/* Sizes and offsets in distinct device pages of an empty region. */
	const struct { uint64_t off; uint32_t len; } io[] = {
		{ REGION, bs },
		{ REGION + 64 * UBT_KIB, 4096 },
		{ REGION + 128 * UBT_KIB, 65536 },
		{ REGION + 256 * UBT_KIB + bs, 3 * bs },
	};
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats before, after, sys;
	size_t i;

	if (!(self->id.features & URINGBLK_F_DISCARD))
		SKIP(return, "no discard: cannot start from an empty region");
	stats_cmd(_metadata, self, &before);
	for (i = 0; i < ARRAY_SIZE(io); i++) {
		ubt_fill(self->buf, io[i].len, io[i].off, 2);
		ASSERT_EQ(io[i].len, pwrite(self->bfd, self->buf, io[i].len, io[i].off));
		delta[W_OPS]++;
		delta[W_BYTES] += io[i].len;
		/* The memory backend stores whole 4 KiB pages. */
		delta[BACKING] += ((io[i].off + io[i].len - 1) / 4096 -
				   io[i].off / 4096 + 1) * 4096;
	}
	stats_cmd(_metadata, self, &after);
	expect_delta(_metadata, &before, &after, delta);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &sys));
	EXPECT_EQ(0, memcmp(&after, &sys, UBT_NR_STATS * 8));
}

TEST_F(stats, read_deltas_exact)
{
	const uint32_t bs = variant->bs;
	const uint32_t lens[] = { bs, 4096, 65536, 5 * bs, 2 * bs };
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats before, after;
	uint64_t off = REGION;
	size_t i;

	stats_cmd(_metadata, self, &before);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		ASSERT_EQ(lens[i], pread(self->bfd, self->buf, lens[i], off));
		delta[R_OPS]++;
		delta[R_BYTES] += lens[i];
		off += 128 * UBT_KIB;
	}
	/* Reads move data to the host; reading holes allocates nothing. */
	delta[TO_HOST] = delta[R_BYTES];
	stats_cmd(_metadata, self, &after);
	expect_delta(_metadata, &before, &after, delta);
}

/*
 * One O_DIRECT transfer larger than max_sectors_kb becomes several
 * requests.  The transfer is kept to one bio (at most BIO_MAX_VECS = 256
 * pages, the blkdev "simple" path), so the split points, and with them the
 * request count, depend only on max_sectors_kb; several bios would add
 * splits wherever get_user_pages() happened to end each one.
 */
TEST_F(stats, large_io_split_counted_per_request)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats before, after;
	uint64_t max_kb, len;

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_sectors_kb", &max_kb));
	len = 2 * max_kb * UBT_KIB;
	if (len > 256 * 4096)
		SKIP(return, "max_sectors_kb %llu: two requests need more than one bio",
		     (unsigned long long)max_kb);
	/* Offsets aligned to the request size: both pieces are full-sized. */
	ASSERT_EQ(0, REGION % (max_kb * UBT_KIB));

	stats_cmd(_metadata, self, &before);
	ubt_fill(self->buf, len, REGION, 3);
	ASSERT_EQ(len, pwrite(self->bfd, self->buf, len, REGION));
	memset(self->buf, 0, len);
	ASSERT_EQ(len, pread(self->bfd, self->buf, len, REGION));
	EXPECT_EQ(-1, ubt_check(self->buf, len, REGION, 3));
	stats_cmd(_metadata, self, &after);

	delta[W_OPS] = delta[R_OPS] = 2;
	delta[W_BYTES] = delta[R_BYTES] = delta[TO_HOST] = len;
	delta[BACKING] = len;
	expect_delta(_metadata, &before, &after, delta);
}

/*
 * Requests the block layer refuses never reach the driver and count
 * nowhere, errors included.
 */
TEST_F(stats, rejected_io_not_counted)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats before, after;
	uint64_t cap = self->id.capacity;

	stats_cmd(_metadata, self, &before);
	/* Misaligned offset (half a block) and misaligned length. */
	EXPECT_EQ(-1, pread(self->bfd, self->buf, variant->bs, variant->bs / 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(self->bfd, self->buf, variant->bs + 256, 0));
	EXPECT_EQ(EINVAL, errno);
	/* At the end of the device. */
	EXPECT_EQ(0, pread(self->bfd, self->buf, variant->bs, cap));
	EXPECT_EQ(-1, pwrite(self->bfd, self->buf, variant->bs, cap));
	EXPECT_EQ(ENOSPC, errno);
	stats_cmd(_metadata, self, &after);
	expect_delta(_metadata, &before, &after, delta);
}

/*
 * The errors counter going up needs a request the driver fails.  The block
 * layer filters every bad request userspace can build against a normal
 * drive (see rejected_io_not_counted), but on a host-managed zoned drive a
 * write that is not at the zone's write pointer reaches the driver, which
 * fails it (-EIO, as null_blk and NVMe ZNS do).  A failed request counts
 * in errors only.  On 6.10+ the next write to that zone needs a report
 * first (zone write plugging, below).
 */
TEST(errors_counts_failed_requests)
{
	struct uringblk_stats a, b;
	uint8_t *buf = ubt_alloc(4096);
	int ret, fd;

	ret = ubt_module_reload("zoned=1 zone_size_mb=4 capacity_mb=64");
	if (ret == -ENOENT && !ubt_ko_path())
		SKIP(return, "URINGBLK_KO not set: cannot load the module");
	if (ret == -ENOENT || ret == -EINVAL)
		SKIP(return, "the driver has no zoned mode to fail a write with");
	ASSERT_EQ(0, ret) TH_LOG("loading the module: %s", strerror(-ret));
	ASSERT_NE(NULL, buf);
	fd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, fd);
	memset(buf, 0x5a, 4096);

	ASSERT_EQ(0, ubt_sysfs_stats(0, &a));
	/* Zone 0 is empty: its write pointer is at 0, not at 8 KiB. */
	errno = 0;
	EXPECT_EQ(-1, pwrite(fd, buf, 4096, 8192));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &b));
	EXPECT_EQ(1, b.errors - a.errors);
	EXPECT_EQ(0, b.write_ops - a.write_ops);
	EXPECT_EQ(0, b.write_bytes - a.write_bytes);
	EXPECT_EQ(0, b.in_flight);

	/*
	 * Linux 6.10 on: the block layer's zone write plug took the failed
	 * write's position for the zone's write pointer, and a failed write
	 * leaves the plug needing an update: the next write to the zone fails
	 * in the block layer, before the drive (not counted), until a report
	 * of the zone, a reset or a finish (block/blk-zoned.c), as on
	 * null_blk or a ZNS drive there.  6.1 has no plugs: the write at the
	 * write pointer works at once, as below.
	 */
	if (ubt_zone_write_plugging(0)) {
		struct {
			struct blk_zone_report r;
			struct blk_zone z;
		} rep = { .r = { .sector = 0, .nr_zones = 1 } };

		errno = 0;
		EXPECT_EQ(-1, pwrite(fd, buf, 4096, 0));
		EXPECT_EQ(EIO, errno);
		ASSERT_EQ(0, ubt_sysfs_stats(0, &a));
		EXPECT_EQ(b.errors, a.errors);
		EXPECT_EQ(b.write_ops, a.write_ops);
		ASSERT_EQ(0, ioctl(fd, BLKREPORTZONE, &rep));
		ASSERT_EQ(1, rep.r.nr_zones);
		EXPECT_EQ(BLK_ZONE_COND_EMPTY, rep.z.cond);
	}
	/* At the write pointer it works, and errors stays where it is. */
	EXPECT_EQ(4096, pwrite(fd, buf, 4096, 0));
	ASSERT_EQ(0, ubt_sysfs_stats(0, &a));
	EXPECT_EQ(b.errors, a.errors);
	EXPECT_EQ(1, a.write_ops - b.write_ops);
	close(fd);
	/* Leave no zoned drive behind for the fixture tests. */
	ubt_module_unload();
}

TEST_F(stats, reset_with_get_stats_flag)
{
	struct uringblk_stats snap, reply, after, sys;
	uint64_t backing;
	int i;

	if (!(self->id.features & URINGBLK_F_STATS_RESET))
		SKIP(return, "IDENTIFY does not announce URINGBLK_F_STATS_RESET");

	ubt_fill(self->buf, 8192, REGION, 4);
	ASSERT_EQ(8192, pwrite(self->bfd, self->buf, 8192, REGION));
	ASSERT_EQ(8192, pread(self->bfd, self->buf, 8192, REGION));
	stats_cmd(_metadata, self, &snap);
	backing = snap.backing_bytes;
	ASSERT_LT(0, backing);

	/* The reply is the snapshot taken before the reset. */
	ASSERT_EQ(sizeof(reply), ubt_get_stats(&self->ring, self->cfd, &reply,
					       URINGBLK_STATS_F_RESET));
	EXPECT_EQ(0, memcmp(&snap, &reply, sizeof(snap)));

	stats_cmd(_metadata, self, &after);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &sys));
	for (i = 0; i < UBT_NR_STATS; i++) {
		uint64_t want = i == UBT_STAT_BACKING_BYTES ? backing : 0;

		EXPECT_EQ(want, ubt_stats_field(&after, i)) TH_LOG("%s", ubt_stats_names[i]);
		EXPECT_EQ(want, ubt_stats_field(&sys, i)) TH_LOG("sysfs %s",
								ubt_stats_names[i]);
	}
}

TEST_F(stats, reset_with_sysfs)
{
	struct uringblk_stats snap, after;
	int i;

	ubt_fill(self->buf, 4096, REGION, 5);
	ASSERT_EQ(4096, pwrite(self->bfd, self->buf, 4096, REGION));
	ASSERT_EQ(4096, pread(self->bfd, self->buf, 4096, REGION));
	stats_cmd(_metadata, self, &snap);
	ASSERT_EQ(0, ubt_sysfs_reset_stats(0));
	stats_cmd(_metadata, self, &after);
	for (i = 0; i < UBT_NR_STATS; i++) {
		uint64_t want = i == UBT_STAT_BACKING_BYTES ? snap.backing_bytes : 0;

		EXPECT_EQ(want, ubt_stats_field(&after, i)) TH_LOG("%s", ubt_stats_names[i]);
	}
}

/* After a reset the counters are the I/O done since, absolutely. */
TEST_F(stats, exact_after_reset)
{
	struct uringblk_stats st;

	ASSERT_EQ(0, ubt_sysfs_reset_stats(0));
	ubt_fill(self->buf, 12288, REGION, 6);
	ASSERT_EQ(12288, pwrite(self->bfd, self->buf, 12288, REGION));
	ASSERT_EQ(4096, pread(self->bfd, self->buf, 4096, REGION + 4096));
	ASSERT_EQ(4096, pread(self->bfd, self->buf, 4096, REGION + 8192));
	stats_cmd(_metadata, self, &st);
	EXPECT_EQ(1, st.write_ops);
	EXPECT_EQ(12288, st.write_bytes);
	EXPECT_EQ(2, st.read_ops);
	EXPECT_EQ(8192, st.read_bytes);
	EXPECT_EQ(8192, st.bytes_to_host);
	EXPECT_EQ(0, st.flush_ops);
	EXPECT_EQ(0, st.fua_ops);
	EXPECT_EQ(0, st.errors);
	EXPECT_EQ(0, st.in_flight);
}

/* Polled (IOPOLL) I/O goes through the poll queues and is counted too. */
TEST_F(stats, polled_io_counted)
{
	uint64_t delta[UBT_NR_STATS] = { 0 };
	struct uringblk_stats before, after;
	struct io_uring_cqe *cqe;
	struct io_uring pring;
	int i, n = 16, ret;

	if (!(self->id.features & URINGBLK_F_POLL))
		SKIP(return, "device has no poll queues");
	ASSERT_EQ(0, io_uring_queue_init(32, &pring, IORING_SETUP_IOPOLL));
	stats_cmd(_metadata, self, &before);

	ubt_fill(self->buf, n * 8192, REGION, 7);
	/* Every other 4 KiB slot, so no two requests are adjacent. */
	for (i = 0; i < n; i++)
		io_uring_prep_write(io_uring_get_sqe(&pring), self->bfd,
				    self->buf + i * 8192, 4096, REGION + i * 8192);
	ASSERT_EQ(n, io_uring_submit(&pring));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&pring, &cqe));
		EXPECT_EQ(4096, cqe->res);
		io_uring_cqe_seen(&pring, cqe);
	}
	for (i = 0; i < n; i++)
		io_uring_prep_read(io_uring_get_sqe(&pring), self->bfd,
				   self->buf + i * 8192 + 4096, 4096, REGION + i * 8192);
	ASSERT_EQ(n, io_uring_submit(&pring));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&pring, &cqe));
		EXPECT_EQ(4096, cqe->res);
		io_uring_cqe_seen(&pring, cqe);
	}
	for (i = 0; i < n; i++) {
		ret = memcmp(self->buf + i * 8192, self->buf + i * 8192 + 4096, 4096);
		EXPECT_EQ(0, ret) TH_LOG("slot %d read back differs", i);
	}
	io_uring_queue_exit(&pring);
	stats_cmd(_metadata, self, &after);

	delta[W_OPS] = delta[R_OPS] = n;
	delta[W_BYTES] = delta[R_BYTES] = delta[TO_HOST] = n * 4096ULL;
	delta[BACKING] = n * 4096ULL;
	expect_delta(_metadata, &before, &after, delta);
}

TEST_HARNESS_MAIN
