// SPDX-License-Identifier: GPL-2.0
/*
 * REPORT_ZONES on the command device against the block layer's
 * BLKREPORTZONE (the ioctl blkzone and every zoned file system use): both
 * must describe the same zones (LBAs there, 512-byte sectors here).  Also:
 * reports from any LBA of a zone, partial and continued reports, the end
 * of the drive, bad buffers and lengths, snapshots that stay consistent
 * while a zone is written, and a drive that is not zoned.
 *
 * Geometries: conventional zones and a zone capacity below the zone size
 * (512 B blocks), 4 KiB blocks with 64 small zones (more than fit one
 * 4 KiB report), and a capacity that is not a multiple of the zone size
 * (the last zone is smaller).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "zone_lib.h"

#define MAX_ZONES	128

FIXTURE(report) {
	struct ubz_dev d;
	uint8_t *buf;
};

FIXTURE_VARIANT(report) {
	const char *params;
	uint32_t nr_zones;
	uint64_t last_len_mb;	/* length of the last zone */
};

FIXTURE_VARIANT_ADD(report, conv_cap_lt_size) {
	.params = "capacity_mb=64 zoned=1 zone_size_mb=2 zone_capacity_mb=1 zone_nr_conv=2",
	.nr_zones = 32, .last_len_mb = 2,
};

FIXTURE_VARIANT_ADD(report, bs4096_64_zones) {
	.params = "capacity_mb=64 block_size=4096 zoned=1 zone_size_mb=1",
	.nr_zones = 64, .last_len_mb = 1,
};

FIXTURE_VARIANT_ADD(report, smaller_last_zone) {
	.params = "capacity_mb=33 zoned=1 zone_size_mb=4 zone_nr_conv=1",
	.nr_zones = 9, .last_len_mb = 1,
};

FIXTURE_SETUP(report)
{
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	ret = ubz_open(&self->d, 0);
	if (ret == -ENOTTY)
		UBT_SETUP_SKIP("the driver does not report URINGBLK_F_ZONED");
	ASSERT_EQ(0, ret);
	self->buf = ubt_alloc(4 * UBT_MIB);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(report)
{
	ubz_close(&self->d);
}

/* Put the zones in a mix of every condition. */
static void make_mix(struct __test_metadata *_metadata, struct ubz_dev *d)
{
	uint8_t blk[4096] __attribute__((aligned(4096)));
	const uint32_t z = d->nr_conv;
	uint64_t lba;

	if (d->nr_conv) {
		ASSERT_EQ(0, ubz_write_pattern(d, 3, 5, 1));
	}
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z), 3, 1));	/* IMP_OPEN */
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z + 1), 2, 1));
	ASSERT_EQ(0, ubz_mgmt(d, z + 1, URINGBLK_ZONE_ACTION_CLOSE));	/* CLOSED */
	ASSERT_EQ(0, ubz_mgmt(d, z + 2, URINGBLK_ZONE_ACTION_OPEN));	/* EXP_OPEN */
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z + 3), 1, 1));
	ASSERT_EQ(0, ubz_mgmt(d, z + 3, URINGBLK_ZONE_ACTION_FINISH));	/* FULL */
	ASSERT_EQ(0, ubz_mgmt(d, z + 3, URINGBLK_ZONE_ACTION_RESET));
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z + 3), 2, 1));	/* reset once */
	/* The last zone, written through appends. */
	memset(blk, 0x11, sizeof(blk));
	ASSERT_EQ(0, ubz_append(d, ubz_lba(d, d->nr_zones - 1), blk, d->bs, &lba, NULL));
	EXPECT_EQ(ubz_lba(d, d->nr_zones - 1), lba);
}

/* Compare one command-device zone with one block-layer zone. */
static void same_zone(struct __test_metadata *_metadata, const struct ubz_dev *d,
		      const struct uringblk_zone *u, const struct blk_zone *b)
{
	const uint64_t spb = d->spb;

	EXPECT_EQ(u->start * spb, b->start);
	EXPECT_EQ(u->len * spb, b->len);
	EXPECT_EQ(u->capacity * spb, b->capacity);
	EXPECT_EQ(u->wp * spb, b->wp) TH_LOG("zone at %llu (%s)",
		(unsigned long long)u->start, ubz_cond_name(u->cond));
	EXPECT_EQ(u->type, b->type);
	EXPECT_EQ(u->cond, b->cond);
}

TEST_F(report, agrees_with_blkreportzone)
{
	struct ubz_dev *d = &self->d;
	static struct uringblk_zone u[MAX_ZONES];
	static struct blk_zone b[MAX_ZONES];
	struct {
		struct blk_zone_report hdr;
		struct blk_zone zone;
	} rep = { .hdr = { .sector = 0, .nr_zones = 1 } };
	uint32_t n = 0;
	uint64_t lba = 0;
	int ret;

	make_mix(_metadata, d);
	/* Command device, five zones at a time, continuing where it ended. */
	for (;;) {
		ret = ubz_report(d, lba, u + n, 5);
		ASSERT_LE(0, ret);
		if (!ret)
			break;
		ASSERT_LE(n + ret, variant->nr_zones);
		n += ret;
		lba = u[n - 1].start + u[n - 1].len;
	}
	ASSERT_EQ(variant->nr_zones, n);
	ASSERT_EQ(n, ubz_blk_report(d, 0, b, MAX_ZONES));
	/* The block layer passes the capacity on (blk_zone.capacity valid). */
	ASSERT_EQ(0, ioctl(d->bfd, BLKREPORTZONE, &rep));
	EXPECT_EQ(1, rep.hdr.nr_zones);
	EXPECT_EQ(BLK_ZONE_REP_CAPACITY, rep.hdr.flags & BLK_ZONE_REP_CAPACITY);
	for (uint32_t i = 0; i < n; i++)
		same_zone(_metadata, d, &u[i], &b[i]);
	/* The mix really is a mix. */
	EXPECT_EQ(URINGBLK_ZONE_COND_IMP_OPEN, u[d->nr_conv].cond);
	EXPECT_EQ(URINGBLK_ZONE_COND_CLOSED, u[d->nr_conv + 1].cond);
	EXPECT_EQ(URINGBLK_ZONE_COND_EXP_OPEN, u[d->nr_conv + 2].cond);
	EXPECT_EQ(1, u[d->nr_conv + 3].reset_ops);
	EXPECT_EQ(2, u[d->nr_conv + 3].write_ops);	/* before and after */
	EXPECT_EQ(variant->last_len_mb * UBT_MIB / d->bs, u[n - 1].len);
	EXPECT_EQ(u[n - 1].start + 1, u[n - 1].wp);
	EXPECT_EQ(d->nr_lbas, u[n - 1].start + u[n - 1].len);
	/* Every zone tiles the drive. */
	for (uint32_t i = 1; i < n; i++) {
		EXPECT_EQ(u[i - 1].start + u[i - 1].len, u[i].start);
	}

	/* From the middle of a zone, both report that zone first. */
	{
		const uint32_t z = n / 2;
		const uint64_t mid = u[z].start + u[z].len / 2;

		ret = ubz_report(d, mid, u, 3);
		ASSERT_EQ(3, ret);
		ASSERT_EQ(3, ubz_blk_report(d, mid * d->spb, b, 3));
		for (int i = 0; i < 3; i++)
			same_zone(_metadata, d, &u[i], &b[i]);
		EXPECT_EQ(ubz_lba(d, z), u[0].start);
	}
}

TEST_F(report, positions_and_counts)
{
	struct ubz_dev *d = &self->d;
	const uint32_t nz = variant->nr_zones;
	static struct uringblk_zone u[MAX_ZONES];

	/* Any LBA of a zone starts the report at that zone. */
	for (uint32_t z = 0; z < nz; z += nz / 4 + 1) {
		uint64_t s = ubz_lba(d, z), e = z == nz - 1 ? d->nr_lbas : ubz_lba(d, z + 1);
		const uint64_t lbas[] = { s, s + 1, (s + e) / 2, e - 1 };

		for (int i = 0; i < 4; i++) {
			ASSERT_EQ(nz - z, ubz_report(d, lbas[i], u, MAX_ZONES));
			EXPECT_EQ(s, u[0].start) TH_LOG("from LBA %llu",
							(unsigned long long)lbas[i]);
		}
	}
	/* Fewer slots than zones: exactly that many. */
	EXPECT_EQ(1, ubz_report(d, 0, u, 1));
	EXPECT_EQ(nz - 1, ubz_report(d, 0, u, nz - 1));
	EXPECT_EQ(ubz_lba(d, nz - 2), u[nz - 2].start);
	/* The last LBA: the last zone; at or past the end: nothing. */
	EXPECT_EQ(1, ubz_report(d, d->nr_lbas - 1, u, 4));
	EXPECT_EQ(ubz_lba(d, nz - 1), u[0].start);
	EXPECT_EQ(0, ubz_report(d, d->nr_lbas, u, 4));
	EXPECT_EQ(0, ubz_report(d, ~0ULL, u, 4));
	EXPECT_EQ(0, ubz_report(d, 1ULL << 63, u, 4));
	/* Many more slots than zones. */
	EXPECT_EQ(nz, ubz_report(d, 0, (struct uringblk_zone *)self->buf, 4096));
}

TEST_F(report, bad_buffers_and_lengths)
{
	struct ubz_dev *d = &self->d;
	const size_t zsz = sizeof(struct uringblk_zone);
	struct uringblk_cmd cmd;
	uint8_t *ro, *hole;
	long pg = sysconf(_SC_PAGESIZE);

	/* Length zero or not a multiple of the zone struct. */
	for (uint32_t len = 0; len <= 2 * zsz; len++) {
		if (len && len % zsz == 0)
			continue;
		ubt_cmd_init(&cmd, self->buf, len);
		EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd,
						 URINGBLK_CMD_REPORT_ZONES, &cmd, NULL))
			TH_LOG("len %u", len);
	}
	/* Unused words and flags must be zero. */
	ubt_cmd_init(&cmd, self->buf, zsz);
	cmd.cdw[1] = 1;		/* past the REPORT_ZONES view */
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	ubt_cmd_init(&cmd, self->buf, zsz);
	cmd.flags = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	ubt_cmd_init(&cmd, self->buf, zsz);
	cmd.rsvd0 = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));

	/* Addresses that fault: NULL, read-only memory, a hole after a page. */
	ubt_cmd_init(&cmd, NULL, zsz);
	EXPECT_EQ(-EFAULT, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ubt_cmd_init(&cmd, ro, zsz);
	EXPECT_EQ(-EFAULT, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	hole = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole + pg, pg));
	/* Two zones fit in the page, the third would be past it. */
	ubt_cmd_init(&cmd, hole + pg - 2 * zsz, 3 * zsz);
	EXPECT_EQ(-EFAULT, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	/* A kernel address. */
	ubt_cmd_init(&cmd, NULL, zsz);
	cmd.addr = 0xffff888000000000ULL;
	EXPECT_EQ(-EFAULT, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	/*
	 * Lengths over URINGBLK_MAX_REPORT_ZONES zones: -E2BIG, checked before
	 * the shape of the length, whatever the buffer.  Up to the limit, a
	 * length over a small buffer that does not need more is fine.
	 */
	EXPECT_EQ(65536, URINGBLK_MAX_REPORT_ZONES);
	{
		const uint32_t big[] = { (URINGBLK_MAX_REPORT_ZONES + 1) * zsz,
			(URINGBLK_MAX_REPORT_ZONES + 1) * zsz + 1, 0x80000000u,
			0xffffffc0u, 0xffffffffu };

		for (size_t i = 0; i < ARRAY_SIZE(big); i++) {
			ubt_cmd_init(&cmd, hole + pg - 2 * zsz, big[i]);
			cmd.report_zones.lba = ubz_lba(d, d->nr_zones - 2);
			EXPECT_EQ(-E2BIG, ubt_uring_cmd(&d->ring, d->cfd,
							URINGBLK_CMD_REPORT_ZONES, &cmd, NULL))
				TH_LOG("len 0x%x", big[i]);
		}
	}
	ubt_cmd_init(&cmd, hole + pg - 2 * zsz, URINGBLK_MAX_REPORT_ZONES * zsz);
	cmd.report_zones.lba = ubz_lba(d, d->nr_zones - 2);
	EXPECT_EQ(2, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	munmap(hole, pg);
	munmap(ro, pg);
	/* The drive is fine afterwards. */
	EXPECT_EQ(URINGBLK_ZONE_COND_EMPTY, ubz_cond(d, d->nr_zones - 1));
}

/* A zone being written: every report is a consistent snapshot. */
struct writer_arg {
	struct ubz_dev *d;
	uint32_t zno;
	int n;
	int err;
};

static void *appender(void *p)
{
	struct writer_arg *a = p;
	struct io_uring ring;
	uint8_t blk[4096] __attribute__((aligned(4096)));
	struct uringblk_cmd cmd;
	uint64_t lba;

	memset(blk, 0x77, sizeof(blk));
	a->err = ubt_ring_init(&ring, 0);
	if (a->err)
		return NULL;
	for (int i = 0; i < a->n && !a->err; i++) {
		ubt_cmd_init(&cmd, blk, a->d->bs);
		cmd.zone_append.zone_lba = ubz_lba(a->d, a->zno);
		cmd.zone_append.lba_out_addr = (uintptr_t)&lba;
		a->err = ubt_uring_cmd(&ring, a->d->cfd, URINGBLK_CMD_ZONE_APPEND, &cmd, NULL);
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

TEST_F(report, consistent_while_written)
{
	struct ubz_dev *d = &self->d;
	const uint32_t zno = d->nr_conv;
	struct writer_arg a = { .d = d, .zno = zno, .n = 400 };
	struct uringblk_zone z;
	uint64_t last_wp = 0;
	pthread_t t;
	int reports = 0;

	if (d->zcap_lbas < (uint64_t)a.n)
		a.n = d->zcap_lbas;
	ASSERT_EQ(0, pthread_create(&t, NULL, appender, &a));
	do {
		ASSERT_EQ(0, ubz_zone(d, zno, &z));
		/* One block per append: wp and write_ops move together. */
		if (z.cond == URINGBLK_ZONE_COND_FULL) {
			EXPECT_EQ(z.start + z.len, z.wp);
		} else {
			EXPECT_EQ(z.start + z.write_ops, z.wp);
			EXPECT_TRUE(z.cond == URINGBLK_ZONE_COND_EMPTY ||
				    z.cond == URINGBLK_ZONE_COND_IMP_OPEN)
				TH_LOG("cond %s", ubz_cond_name(z.cond));
		}
		EXPECT_LE(last_wp, z.wp);
		last_wp = z.wp;
		reports++;
	} while (z.write_ops < (uint64_t)a.n && !a.err);
	pthread_join(t, NULL);
	EXPECT_EQ(0, a.err);
	ASSERT_EQ(0, ubz_zone(d, zno, &z));
	EXPECT_EQ((uint64_t)a.n, z.write_ops);
	TH_LOG("%d reports during %d appends", reports, a.n);
}

/* A regular drive has no zones: every zone command says so. */
FIXTURE(not_zoned) {
	int cfd, bfd;
	struct io_uring ring;
};

FIXTURE_SETUP(not_zoned)
{
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->bfd = ubt_open_blk(0, O_RDWR);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
}

FIXTURE_TEARDOWN(not_zoned)
{
	io_uring_queue_exit(&self->ring);
	close(self->bfd);
	close(self->cfd);
}

TEST_F(not_zoned, zone_commands_eopnotsupp)
{
	struct blk_zone_report rep = { .sector = 0, .nr_zones = 0 };
	struct uringblk_identify id;
	struct uringblk_zone z;
	struct uringblk_cmd cmd;
	uint8_t blk[512];
	char model[64];
	uint64_t lba;

	ASSERT_LE(0, ubt_identify(&self->ring, self->cfd, &id));
	EXPECT_EQ(0, id.features & URINGBLK_F_ZONED);
	EXPECT_EQ(0, id.zone_size);
	EXPECT_EQ(0, id.zone_capacity);
	EXPECT_EQ(0, id.nr_zones);
	EXPECT_EQ(0, id.max_zone_append);

	ubt_cmd_init(&cmd, &z, sizeof(z));
	EXPECT_EQ(-EOPNOTSUPP, ubt_uring_cmd(&self->ring, self->cfd,
					     URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	ubt_cmd_init(&cmd, NULL, 0);
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_RESET;
	EXPECT_EQ(-EOPNOTSUPP, ubt_uring_cmd(&self->ring, self->cfd,
					     URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	/* A buffer for a command that takes none: the gate's -EINVAL comes first. */
	ubt_cmd_init(&cmd, &z, sizeof(z));
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_RESET;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	memset(blk, 0, sizeof(blk));
	ubt_cmd_init(&cmd, blk, sizeof(blk));
	cmd.zone_append.lba_out_addr = (uintptr_t)&lba;
	EXPECT_EQ(-EOPNOTSUPP, ubt_uring_cmd(&self->ring, self->cfd,
					     URINGBLK_CMD_ZONE_APPEND, &cmd, NULL));

	/* The block layer agrees: no zones. */
	ASSERT_EQ(0, ubt_read_str("/sys/block/uringblk0/queue/zoned", model, sizeof(model)));
	EXPECT_STREQ("none", model);
	EXPECT_EQ(-1, ioctl(self->bfd, BLKREPORTZONE, &rep));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_NE(0, access("/sys/block/uringblk0/uringblk/zones", F_OK));
}

TEST_HARNESS_MAIN
