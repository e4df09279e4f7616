// SPDX-License-Identifier: GPL-2.0
/*
 * The zone model: every condition change, every error with its errno, the
 * open and active limits with implicit close, and the counters.
 *
 * Zone management is tested through both doors: the command device's
 * ZONE_MGMT (errnos as the uAPI header lists them) and the block device's
 * BLK*ZONE ioctls, where the block layer turns the driver's errno into a
 * blk_status_t and back (block/blk-core.c blk_errors[]): -ENOSPC,
 * -ETOOMANYREFS and -EOVERFLOW survive that round trip, anything else the
 * table does not know (-EMEDIUMTYPE; -EINVAL before 6.11) reaches
 * userspace as -EIO.
 * Writes go through the block device (O_DIRECT pwrite); one the zone
 * cannot take is an I/O error there (EWRITE below).
 *
 * Linux 6.10 on, the block layer plugs zone writes (zone write plugging,
 * block/blk-zoned.c; Documentation/dev/kernels.md): it refuses itself,
 * before the drive sees them (so the drive's errors counter does not
 * count them), a write not at the write pointer it tracks for a partly
 * written zone, a write to a zone it knows is full, a reset or finish of a
 * conventional zone; and after a failed write bio it fails every later
 * write to the zone until the zone is reported, reset or finished.  The
 * tests follow that rule where the kernel has it (bad_write()) and say
 * per kernel what the drive counts; on 6.1 they check what they always did.
 *
 * Geometries (FIXTURE_VARIANT), all with max_open 3 and max_active 4:
 *   size_eq_cap	16 zones of 2 MiB, capacity = size, 512 B blocks
 *   cap_lt_size	8 zones of 4 MiB with 2 MiB capacity, 4 KiB blocks
 *   conv		16 zones of 2 MiB, the first 3 conventional
 * Each test starts from a freshly loaded module: every zone EMPTY, all
 * counters zero, the implicit-close cursor at the first sequential zone.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "zone_lib.h"

/*
 * A block-device write a zone cannot take (not at the write pointer, past
 * the zone capacity, into a FULL zone) fails with BLK_STS_IOERR, as on
 * null_blk and NVMe: -EIO.  Only the zone resource limits have statuses
 * (and errnos) of their own.
 */
#define EWRITE		(-EIO)
#define MAX_OPEN	3
#define MAX_ACTIVE	4
#define BUF_SIZE	(4 * UBT_MIB)

/*
 * Set in FIXTURE_SETUP (each test runs in a process of its own):
 * g_plugs, the block layer plugs zone writes (6.10+,
 * ubt_zone_write_plugging()); g_inval, it has BLK_STS_INVAL, so a
 * driver's -EINVAL reaches userspace as -EINVAL.  That status came with
 * 6.11's atomic writes, as did the queue attribute atomic_write_max_bytes,
 * the probe (6.12 uses both there; the commit not confirmed here).
 */
static bool g_plugs, g_inval;

FIXTURE(zone) {
	struct ubz_dev d;
	uint8_t *buf;
};

FIXTURE_VARIANT(zone) {
	const char *params;
	uint32_t bs;
	uint32_t zone_mb;
	uint32_t zcap_mb;
	uint32_t nr_zones;
	uint32_t nr_conv;
};

FIXTURE_VARIANT_ADD(zone, size_eq_cap) {
	.params = "capacity_mb=32 zoned=1 zone_size_mb=2 zone_max_open=3 zone_max_active=4",
	.bs = 512, .zone_mb = 2, .zcap_mb = 2, .nr_zones = 16, .nr_conv = 0,
};

FIXTURE_VARIANT_ADD(zone, cap_lt_size) {
	.params = "capacity_mb=32 block_size=4096 zoned=1 zone_size_mb=4 zone_capacity_mb=2 zone_max_open=3 zone_max_active=4",
	.bs = 4096, .zone_mb = 4, .zcap_mb = 2, .nr_zones = 8, .nr_conv = 0,
};

FIXTURE_VARIANT_ADD(zone, conv) {
	.params = "capacity_mb=32 zoned=1 zone_size_mb=2 zone_nr_conv=3 zone_max_open=3 zone_max_active=4",
	.bs = 512, .zone_mb = 2, .zcap_mb = 2, .nr_zones = 16, .nr_conv = 3,
};

/* The whole model again on a file-backed drive (zone state saved in the file). */
FIXTURE_VARIANT_ADD(zone, file_conv) {
	.params = "capacity_mb=32 zoned=1 zone_size_mb=2 zone_nr_conv=3 zone_max_open=3 zone_max_active=4 backing=file path=/var/tmp/ubt-zone_model.img",
	.bs = 512, .zone_mb = 2, .zcap_mb = 2, .nr_zones = 16, .nr_conv = 3,
};

FIXTURE_SETUP(zone)
{
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	ret = ubz_open(&self->d, 0);
	if (ret == -ENOTTY)
		UBT_SETUP_SKIP("the driver does not report URINGBLK_F_ZONED");
	ASSERT_EQ(0, ret) TH_LOG("opening the device: %s", strerror(-ret));
	g_plugs = ubt_zone_write_plugging(0);
	g_inval = access("/sys/block/uringblk0/queue/atomic_write_max_bytes",
			 F_OK) == 0;
	/*
	 * bad_write() waits for the block layer's in-flight count, which
	 * counts only requests that iostats accounts (off by default here).
	 */
	if (g_plugs) {
		ASSERT_EQ(0, ubt_write_str("/sys/block/uringblk0/queue/iostats", "1"));
	}
	self->buf = ubt_alloc(BUF_SIZE);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(zone)
{
	uint64_t v = 1;

	/*
	 * EXPECT, not ASSERT.  A failed ASSERT of the test longjmp()s here
	 * with the harness's _metadata->trigger still set (6.1's
	 * kselftest_harness.h resets it only when __bail() returns), so any
	 * ASSERT here, even one that holds, would bail and jump back into
	 * this teardown again, forever (the process spinning in userspace
	 * until the harness's timeout).
	 */
	if (self->d.cfd >= 0) {
		EXPECT_EQ(0, ubt_blk_attr_u64(0, "uringblk/in_flight", &v));
		EXPECT_EQ(0, v);
	}
	ubz_close(&self->d);
}

/* Expect zone @zno in condition @cond with write pointer @wp (an LBA). */
#define EXPECT_ZONE(zno, cond_, wp_) do {				\
	struct uringblk_zone _z;					\
	ASSERT_EQ(0, ubz_zone(&self->d, (zno), &_z));			\
	EXPECT_EQ((cond_), _z.cond)					\
		TH_LOG("zone %u is %s, expected %s", (unsigned int)(zno), \
		       ubz_cond_name(_z.cond), ubz_cond_name(cond_));	\
	EXPECT_EQ((uint64_t)(wp_), _z.wp) TH_LOG("zone %u wp", (unsigned int)(zno)); \
} while (0)

/* A zone management action through the command device or the block device. */
static int mgmt(struct ubz_dev *d, bool blk, uint32_t zno, unsigned long req)
{
	if (blk)
		return ubz_blk_mgmt(d, req, zno, 1);
	return ubz_mgmt(d, zno, ubz_action_of(req));
}

/* The errno a driver error @err shows through the chosen door. */
static int door_errno(bool blk, int err)
{
	if (!blk)
		return err;
	switch (err) {
	case -ENOSPC:
	case -ETOOMANYREFS:
	case -EOVERFLOW:
		return err;
	case -EINVAL:
		return g_inval ? err : -EIO;
	default:
		return -EIO;
	}
}

/*
 * Wait until the block layer has no request of the drive in flight
 * (/sys/block/uringblk0/inflight): a request ends its bio, which wakes
 * the writer, before it lets go of its zone's write plug
 * (blk_zone_write_plug_finish_request()).  The bound is a hang guard.
 */
static int blk_idle(void)
{
	unsigned int r, w;
	char s[64];
	int ret;

	for (int i = 0; i < 20000; i++) {
		ret = ubt_read_str("/sys/block/uringblk0/inflight", s, sizeof(s));
		if (ret)
			return ret;
		if (sscanf(s, "%u %u", &r, &w) != 2)
			return -EPROTO;
		if (!r && !w)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

/*
 * A block-device write the test expects to fail: its result.  Where the
 * block layer plugs zone writes, a failed write leaves its zone's plug
 * needing a write pointer update and every later write to the zone fails
 * (-EIO, in the block layer) until the zone is reported, reset or
 * finished, as on every zoned disk of 6.10+; so, as such a disk's user
 * must, report the zone (BLKREPORTZONE), once the failed request has
 * let go of the plug.  The plug then takes the drive's write pointer: a
 * partly written zone keeps a plug there, an empty or full zone's plug
 * goes, and the next write to it makes a new plug at its own position,
 * which the drive judges.  Nothing more on 6.1.
 */
static int bad_write(struct ubz_dev *d, uint64_t lba, uint64_t nr,
		     uint32_t seed)
{
	int ret = ubz_write_pattern(d, lba, nr, seed), err;
	struct blk_zone z;

	if (!ret || !g_plugs)
		return ret;
	err = blk_idle();
	if (!err)
		err = ubz_blk_report(d, lba * d->spb, &z, 1);
	return err < 0 ? err : ret;
}

TEST_F(zone, identify_and_queue_limits)
{
	const struct uringblk_identify *id = &self->d.id;
	char sched[128], model[64];
	uint64_t v;

	EXPECT_EQ(URINGBLK_F_ZONED, id->features & URINGBLK_F_ZONED);
	EXPECT_EQ(0, id->features & (URINGBLK_F_DISCARD | URINGBLK_F_WRITE_ZEROES));
	EXPECT_EQ(variant->bs, id->logical_block_size);
	EXPECT_EQ((uint64_t)variant->zone_mb * UBT_MIB, id->zone_size);
	EXPECT_EQ((uint64_t)variant->zcap_mb * UBT_MIB, id->zone_capacity);
	EXPECT_EQ(variant->nr_zones, id->nr_zones);
	EXPECT_EQ(variant->nr_conv, id->nr_conv_zones);
	EXPECT_EQ(MAX_OPEN, id->max_open_zones);
	EXPECT_EQ(MAX_ACTIVE, id->max_active_zones);
	EXPECT_NE(0, id->max_zone_append);
	EXPECT_EQ(0, id->max_zone_append % variant->bs);
	EXPECT_GE(id->zone_size, id->max_zone_append);
	for (size_t i = 0; i < ARRAY_SIZE(id->rsvd); i++) {
		EXPECT_EQ(0, id->rsvd[i]);
	}

	/* What the block layer made of it. */
	ASSERT_EQ(0, ubt_read_str("/sys/block/uringblk0/queue/zoned", model,
				  sizeof(model)));
	EXPECT_STREQ("host-managed", model);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/nr_zones", &v));
	EXPECT_EQ(variant->nr_zones, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/chunk_sectors", &v));
	EXPECT_EQ(variant->zone_mb * UBT_MIB / 512, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_open_zones", &v));
	EXPECT_EQ(MAX_OPEN, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_active_zones", &v));
	EXPECT_EQ(MAX_ACTIVE, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/zone_append_max_bytes", &v));
	EXPECT_EQ(id->max_zone_append, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/discard_max_bytes", &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/write_zeroes_max_bytes", &v));
	EXPECT_EQ(0, v);
	/*
	 * Sequential zones need writes kept in order.  Before 6.10 only the
	 * mq-deadline scheduler does it (the driver requires
	 * ELEVATOR_F_ZBD_SEQ_WRITE).  From 6.10 zone write plugging does it
	 * below any scheduler, that requirement is gone, and the queue gets
	 * the kernel's default (elevator_get_default()): none with more than
	 * one hardware queue, mq-deadline with one.
	 */
	ASSERT_EQ(0, ubt_read_str("/sys/block/uringblk0/queue/scheduler", sched,
				  sizeof(sched)));
	if (!g_plugs || id->nr_hw_queues == 1) {
		EXPECT_NE(NULL, strstr(sched, "[mq-deadline]")) TH_LOG("scheduler: %s", sched);
	} else {
		EXPECT_NE(NULL, strstr(sched, "[none]")) TH_LOG("scheduler: %s", sched);
	}

	{
		unsigned int nr = 0, zsz = 0;

		ASSERT_EQ(0, ioctl(self->d.bfd, BLKGETNRZONES, &nr));
		EXPECT_EQ(variant->nr_zones, nr);
		ASSERT_EQ(0, ioctl(self->d.bfd, BLKGETZONESZ, &zsz));
		EXPECT_EQ(variant->zone_mb * UBT_MIB / 512, zsz);
	}
}

TEST_F(zone, initial_report)
{
	struct uringblk_zone z[16];
	const struct ubz_dev *d = &self->d;
	int n;

	n = ubz_report(&self->d, 0, z, 16);
	ASSERT_EQ(variant->nr_zones, n);
	for (int i = 0; i < n; i++) {
		bool conv = i < (int)variant->nr_conv;

		EXPECT_EQ(ubz_lba(d, i), z[i].start);
		EXPECT_EQ(d->zone_lbas, z[i].len);
		EXPECT_EQ(conv ? d->zone_lbas : d->zcap_lbas, z[i].capacity);
		EXPECT_EQ(conv ? URINGBLK_ZONE_TYPE_CONVENTIONAL :
			  URINGBLK_ZONE_TYPE_SEQWRITE_REQ, z[i].type);
		EXPECT_EQ(conv ? URINGBLK_ZONE_COND_NOT_WP :
			  URINGBLK_ZONE_COND_EMPTY, z[i].cond);
		EXPECT_EQ(conv ? z[i].start + z[i].len : z[i].start, z[i].wp);
		EXPECT_EQ(0, z[i].write_ops);
		EXPECT_EQ(0, z[i].reset_ops);
		EXPECT_EQ(0, z[i].rsvd1);
		for (int j = 0; j < 6; j++) {
			EXPECT_EQ(0, z[i].rsvd0[j]);
		}
	}
}

/*
 * EMPTY -write-> IMP_OPEN -close-> CLOSED -open-> EXP_OPEN -write->
 * EXP_OPEN -finish-> FULL -reset-> EMPTY -open-> EXP_OPEN -close-> EMPTY
 * -finish-> FULL -reset-> EMPTY -write to capacity-> FULL -reset-> EMPTY,
 * with the no-op actions (close CLOSED, open EXP_OPEN, finish FULL, reset
 * EMPTY) and the invalid ones (close EMPTY/FULL, open FULL) on the way.
 */
static void transitions(struct __test_metadata *_metadata,
			FIXTURE_DATA(zone) *self, bool blk)
{
	struct ubz_dev *d = &self->d;
	const uint32_t zno = ubz_seq(d, 1);
	const uint64_t s = ubz_lba(d, zno);
	struct uringblk_stats st0, st;
	struct uringblk_zone z;
	uint64_t err0;

	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st0, 0));
	err0 = st0.errors;

	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EMPTY, s);
	ASSERT_EQ(0, ubz_write_pattern(d, s, 1, 1));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_IMP_OPEN, s + 1);
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKCLOSEZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_CLOSED, s + 1);
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKCLOSEZONE));		/* no-op */
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_CLOSED, s + 1);
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKOPENZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EXP_OPEN, s + 1);
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKOPENZONE));		/* no-op */
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EXP_OPEN, s + 1);
	/* Writing keeps an explicitly open zone explicitly open. */
	ASSERT_EQ(0, ubz_write_pattern(d, s + 1, 2, 1));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EXP_OPEN, s + 3);
	/* Not at the write pointer: rejected, nothing moves. */
	EXPECT_EQ(EWRITE, bad_write(d, s, 1, 2));
	EXPECT_EQ(EWRITE, bad_write(d, s + 4, 1, 2));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EXP_OPEN, s + 3);

	ASSERT_EQ(0, mgmt(d, blk, zno, BLKFINISHZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKFINISHZONE));		/* no-op */
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);
	/* What was written stays; FINISH exposes only zeroes after it. */
	EXPECT_EQ(0, ubz_check_pattern(d, s, 3, 1));
	EXPECT_EQ(0, ubz_check_zero(d, s + 3, d->zone_lbas - 3));
	/* A FULL zone can be neither opened, closed nor written. */
	EXPECT_EQ(door_errno(blk, -ENOSPC), mgmt(d, blk, zno, BLKOPENZONE));
	EXPECT_EQ(door_errno(blk, -EINVAL), mgmt(d, blk, zno, BLKCLOSEZONE));
	EXPECT_EQ(EWRITE, bad_write(d, s, 1, 3));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);

	ASSERT_EQ(0, ubz_zone(d, zno, &z));
	EXPECT_EQ(2, z.write_ops);
	EXPECT_EQ(0, z.reset_ops);
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKRESETZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EMPTY, s);
	EXPECT_EQ(0, ubz_check_zero(d, s, d->zone_lbas));
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKRESETZONE));		/* no-op */
	ASSERT_EQ(0, ubz_zone(d, zno, &z));
	EXPECT_EQ(1, z.reset_ops) TH_LOG("resetting an EMPTY zone erased nothing");
	EXPECT_EQ(2, z.write_ops);

	/* Opened and closed without a write: back to EMPTY. */
	EXPECT_EQ(door_errno(blk, -EINVAL), mgmt(d, blk, zno, BLKCLOSEZONE));
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKOPENZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EXP_OPEN, s);
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKCLOSEZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EMPTY, s);
	/* FINISH of an EMPTY zone. */
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKFINISHZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);
	EXPECT_EQ(0, ubz_check_zero(d, s, d->zone_lbas));
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKRESETZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EMPTY, s);

	/* Written up to its capacity, a zone is FULL by itself. */
	ASSERT_EQ(0, ubz_write_pattern(d, s, d->zcap_lbas - 1, 4));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_IMP_OPEN, s + d->zcap_lbas - 1);
	ASSERT_EQ(0, ubz_write_pattern(d, s + d->zcap_lbas - 1, 1, 4));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);
	EXPECT_EQ(0, ubz_check_pattern(d, s, d->zcap_lbas, 4));
	if (d->zcap_lbas < d->zone_lbas) {
		EXPECT_EQ(0, ubz_check_zero(d, s + d->zcap_lbas,
					    d->zone_lbas - d->zcap_lbas));
	}
	ASSERT_EQ(0, mgmt(d, blk, zno, BLKRESETZONE));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EMPTY, s);
	ASSERT_EQ(0, ubz_zone(d, zno, &z));
	EXPECT_EQ(3, z.reset_ops);

	/* Nothing else moved; no zone stayed open. */
	for (uint32_t i = d->nr_conv; i < d->nr_zones; i++) {
		EXPECT_ZONE(i, URINGBLK_ZONE_COND_EMPTY, ubz_lba(d, i));
	}

	/*
	 * Counters: 3 closes (one a no-op, one of an opened EMPTY zone),
	 * 3 opens, 3 finishes, 4 resets; the block device's failed requests
	 * (2 misplaced writes, 1 write to FULL, open/close of FULL, close of
	 * EMPTY) count as errors, the command device's refusals do not.
	 * Where zone writes are plugged the 2 misplaced writes never reach
	 * the drive (the plug knows the write pointer); the write to FULL
	 * does (the finish ended the zone's plug; the write made a new one
	 * at its own position).
	 */
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st, 0));
	EXPECT_EQ(3, st.zone_closes - st0.zone_closes);
	EXPECT_EQ(3, st.zone_opens - st0.zone_opens);
	EXPECT_EQ(3, st.zone_finishes - st0.zone_finishes);
	EXPECT_EQ(4, st.zone_resets - st0.zone_resets);
	EXPECT_EQ(0, st.zone_appends - st0.zone_appends);
	EXPECT_EQ((g_plugs ? 0 : 2) + 1 + (blk ? 3 : 0), st.errors - err0);
}

TEST_F(zone, transitions_cmd_device)
{
	transitions(_metadata, self, false);
}

TEST_F(zone, transitions_block_ioctls)
{
	transitions(_metadata, self, true);
}

/* RESET_ALL: every written sequential zone, whatever its condition. */
static void reset_all(struct __test_metadata *_metadata,
		      FIXTURE_DATA(zone) *self, bool blk)
{
	struct ubz_dev *d = &self->d;
	const uint32_t a = ubz_seq(d, 0), b = ubz_seq(d, 1), c = ubz_seq(d, 2),
		       e = ubz_seq(d, 3), f = ubz_seq(d, 4);
	struct uringblk_stats st0, st;

	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st0, 0));
	if (d->nr_conv) {
		ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, 0) + 5, 8, 9));
	}
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, a), 4, 1));	/* IMP_OPEN */
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, b), 4, 2));
	ASSERT_EQ(0, ubz_mgmt(d, b, URINGBLK_ZONE_ACTION_CLOSE));	/* CLOSED */
	ASSERT_EQ(0, ubz_mgmt(d, c, URINGBLK_ZONE_ACTION_OPEN));	/* EXP_OPEN */
	ASSERT_EQ(0, ubz_mgmt(d, e, URINGBLK_ZONE_ACTION_FINISH));	/* FULL */
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, f), d->zcap_lbas, 3)); /* FULL */

	if (blk) {
		ASSERT_EQ(0, ubz_blk_mgmt(d, BLKRESETZONE, 0, d->nr_zones));
	} else {
		ASSERT_EQ(0, ubz_mgmt(d, 0, URINGBLK_ZONE_ACTION_RESET_ALL));
	}
	for (uint32_t i = d->nr_conv; i < d->nr_zones; i++) {
		EXPECT_ZONE(i, URINGBLK_ZONE_COND_EMPTY, ubz_lba(d, i));
	}
	EXPECT_EQ(0, ubz_check_zero(d, ubz_lba(d, a), 4));
	EXPECT_EQ(0, ubz_check_zero(d, ubz_lba(d, f), d->zcap_lbas));
	/* Conventional zones keep their data. */
	if (d->nr_conv) {
		EXPECT_ZONE(0, URINGBLK_ZONE_COND_NOT_WP, ubz_lba(d, 1));
		EXPECT_EQ(0, ubz_check_pattern(d, ubz_lba(d, 0) + 5, 8, 9));
	}
	/* The zones that held data (or were open) count one erase each. */
	{
		struct uringblk_zone z;

		ASSERT_EQ(0, ubz_zone(d, a, &z));
		EXPECT_EQ(1, z.reset_ops);
		ASSERT_EQ(0, ubz_zone(d, f, &z));
		EXPECT_EQ(1, z.reset_ops);
		ASSERT_EQ(0, ubz_zone(d, ubz_seq(d, 5), &z));
		EXPECT_EQ(0, z.reset_ops);
	}
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st, 0));
	EXPECT_EQ(1, st.zone_resets - st0.zone_resets) TH_LOG("one RESET_ALL operation");
	/* The limits are free again: MAX_OPEN zones can be opened. */
	for (uint32_t i = 0; i < MAX_OPEN; i++) {
		EXPECT_EQ(0, ubz_mgmt(d, ubz_seq(d, i), URINGBLK_ZONE_ACTION_OPEN));
	}
}

TEST_F(zone, reset_all_cmd_device)
{
	reset_all(_metadata, self, false);
}

TEST_F(zone, reset_all_block_ioctl)
{
	reset_all(_metadata, self, true);
}

/* Every invalid ZONE_MGMT on the command device, with its errno. */
TEST_F(zone, mgmt_errors_cmd_device)
{
	struct ubz_dev *d = &self->d;
	const uint64_t s = ubz_lba(d, ubz_seq(d, 0));
	struct uringblk_zone z;
	struct uringblk_cmd cmd;
	struct io_uring ring;
	int rofd;

	/* Not the first LBA of a zone. */
	EXPECT_EQ(-EINVAL, ubz_mgmt_lba(d, s + 1, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_EQ(-EINVAL, ubz_mgmt_lba(d, s + d->zone_lbas - 1, URINGBLK_ZONE_ACTION_RESET));
	/* At or past the end. */
	EXPECT_EQ(-ERANGE, ubz_mgmt_lba(d, d->nr_lbas, URINGBLK_ZONE_ACTION_RESET));
	EXPECT_EQ(-ERANGE, ubz_mgmt_lba(d, ~0ULL, URINGBLK_ZONE_ACTION_OPEN));
	/* Unknown actions. */
	EXPECT_EQ(-EINVAL, ubz_mgmt_lba(d, s, 0));
	EXPECT_EQ(-EINVAL, ubz_mgmt_lba(d, s, URINGBLK_ZONE_ACTION_RESET_ALL + 1));
	EXPECT_EQ(-EINVAL, ubz_mgmt_lba(d, s, 1ULL << 32 | URINGBLK_ZONE_ACTION_OPEN));
	/* RESET_ALL names no zone. */
	EXPECT_EQ(-EINVAL, ubz_mgmt_lba(d, s ? s : d->zone_lbas, URINGBLK_ZONE_ACTION_RESET_ALL));
	/* addr/len and unused words must be zero. */
	ubt_cmd_init(&cmd, self->buf, 0);
	cmd.zone_mgmt.zone_lba = s;
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_OPEN;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	ubt_cmd_init(&cmd, NULL, 512);
	cmd.zone_mgmt.zone_lba = s;
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_OPEN;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	ubt_cmd_init(&cmd, NULL, 0);
	cmd.zone_mgmt.zone_lba = s;
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_OPEN;
	cmd.cdw[2] = 1;		/* past the ZONE_MGMT view */
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	cmd.cdw[2] = 0;
	cmd.flags = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	/* Conventional zones have no write pointer to manage. */
	if (d->nr_conv) {
		for (uint32_t a = URINGBLK_ZONE_ACTION_RESET; a <= URINGBLK_ZONE_ACTION_FINISH; a++) {
			EXPECT_EQ(-EMEDIUMTYPE, ubz_mgmt(d, d->nr_conv - 1, a))
				TH_LOG("action %u on a conventional zone", a);
		}
		EXPECT_ZONE(d->nr_conv - 1, URINGBLK_ZONE_COND_NOT_WP,
			    ubz_lba(d, d->nr_conv));
		/* RESET_ALL skips them and succeeds. */
		EXPECT_EQ(0, ubz_mgmt(d, 0, URINGBLK_ZONE_ACTION_RESET_ALL));
	}
	/* Invalid transitions: close of EMPTY (and of FULL below). */
	EXPECT_EQ(-EINVAL, ubz_mgmt(d, ubz_seq(d, 0), URINGBLK_ZONE_ACTION_CLOSE));
	ASSERT_EQ(0, ubz_mgmt(d, ubz_seq(d, 0), URINGBLK_ZONE_ACTION_FINISH));
	EXPECT_EQ(-EINVAL, ubz_mgmt(d, ubz_seq(d, 0), URINGBLK_ZONE_ACTION_CLOSE));
	EXPECT_EQ(-ENOSPC, ubz_mgmt(d, ubz_seq(d, 0), URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_ZONE(ubz_seq(d, 0), URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);

	/* A command device opened read-only may report, not change. */
	rofd = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, rofd);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	ubt_cmd_init(&cmd, NULL, 0);
	cmd.zone_mgmt.zone_lba = s;
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_RESET;
	EXPECT_EQ(-EBADF, ubt_uring_cmd(&ring, rofd, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	cmd.zone_mgmt.zone_lba = 0;
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_RESET_ALL;
	EXPECT_EQ(-EBADF, ubt_uring_cmd(&ring, rofd, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL));
	ubt_cmd_init(&cmd, &z, sizeof(z));
	cmd.report_zones.lba = s;
	EXPECT_EQ(1, ubt_uring_cmd(&ring, rofd, URINGBLK_CMD_REPORT_ZONES, &cmd, NULL));
	EXPECT_EQ(URINGBLK_ZONE_COND_FULL, z.cond);
	io_uring_queue_exit(&ring);
	close(rofd);
}

/* The same mistakes through the block device's ioctls. */
TEST_F(zone, mgmt_errors_block_ioctls)
{
	struct ubz_dev *d = &self->d;
	const uint64_t spz = d->zone_lbas * d->spb;
	const uint64_t s = ubz_lba(d, ubz_seq(d, 0)) * d->spb;
	struct blk_zone_range r = { .sector = s, .nr_sectors = spz };
	uint64_t err0, err;
	int rofd;

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err0));
	/* The block layer checks ranges and alignment itself: -EINVAL. */
	EXPECT_EQ(-EINVAL, ubz_blk_mgmt_sectors(d, BLKOPENZONE, s + 1, spz));
	EXPECT_EQ(-EINVAL, ubz_blk_mgmt_sectors(d, BLKRESETZONE, s, spz - 1));
	EXPECT_EQ(-EINVAL, ubz_blk_mgmt_sectors(d, BLKRESETZONE, d->nr_lbas * d->spb, spz));
	EXPECT_EQ(-EINVAL, ubz_blk_mgmt_sectors(d, BLKFINISHZONE, s, 0));
	/* None of those reached the driver. */
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err));
	EXPECT_EQ(err0, err);
	if (d->nr_conv) {
		/*
		 * -EMEDIUMTYPE from the driver, -EIO through the block layer.
		 * From 6.10 the block layer fails a finish or reset of a
		 * conventional zone itself (blk_zone_wplug_handle_zone_mgmt()):
		 * -EIO too, but only the open reaches the drive.
		 */
		EXPECT_EQ(-EIO, ubz_blk_mgmt(d, BLKOPENZONE, 0, 1));
		EXPECT_EQ(-EIO, ubz_blk_mgmt(d, BLKFINISHZONE, 0, 1));
		EXPECT_EQ(-EIO, ubz_blk_mgmt(d, BLKRESETZONE, 0, 1));
		ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err));
		EXPECT_EQ(err0 + (g_plugs ? 1 : 3), err);
	}
	/* A read-only block device: the block layer says -EBADF. */
	rofd = ubt_open_blk(0, O_RDONLY);
	ASSERT_LE(0, rofd);
	EXPECT_EQ(-1, ioctl(rofd, BLKOPENZONE, &r));
	EXPECT_EQ(EBADF, errno);
	close(rofd);
	/* A range of zones: all of them change. */
	ASSERT_EQ(0, ubz_blk_mgmt(d, BLKOPENZONE, ubz_seq(d, 0), 2));
	EXPECT_ZONE(ubz_seq(d, 0), URINGBLK_ZONE_COND_EXP_OPEN, s / d->spb);
	EXPECT_ZONE(ubz_seq(d, 1), URINGBLK_ZONE_COND_EXP_OPEN, s / d->spb + d->zone_lbas);
	ASSERT_EQ(0, ubz_blk_mgmt(d, BLKFINISHZONE, ubz_seq(d, 0), 2));
	EXPECT_ZONE(ubz_seq(d, 1), URINGBLK_ZONE_COND_FULL, s / d->spb + 2 * d->zone_lbas);
}

/* Writes that break the sequential rules, through the block device. */
TEST_F(zone, write_errors)
{
	struct ubz_dev *d = &self->d;
	/* Zone seq(0) stays EMPTY for the conventional boundary below. */
	const uint32_t zno = ubz_seq(d, 1);
	const uint64_t s = ubz_lba(d, zno);
	uint64_t err0, err;

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err0));
	/* Not at the write pointer: ahead of it, and in the middle. */
	EXPECT_EQ(EWRITE, bad_write(d, s + 1, 1, 1));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_EMPTY, s);
	EXPECT_EQ(EWRITE, bad_write(d, s + d->zone_lbas - 1, 1, 1));
	ASSERT_EQ(0, ubz_write_pattern(d, s, 8, 1));
	EXPECT_EQ(EWRITE, bad_write(d, s + 4, 4, 2));	/* rewrite */
	EXPECT_EQ(EWRITE, bad_write(d, s + 9, 1, 2));	/* hole */
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_IMP_OPEN, s + 8);
	EXPECT_EQ(0, ubz_check_pattern(d, s, 8, 1));
	EXPECT_EQ(0, ubz_check_zero(d, s + 8, 8));
	/*
	 * Past the zone capacity: a write that does not fit what is left
	 * fails whole and stores nothing.  (When capacity ==
	 * size, chunk_sectors splits such a write at the zone end instead
	 * and its tail is a write at the next zone's start.)
	 */
	if (d->zcap_lbas < d->zone_lbas) {
		ASSERT_EQ(0, ubz_write_pattern(d, s + 8, d->zcap_lbas - 16, 1));
		EXPECT_ZONE(zno, URINGBLK_ZONE_COND_IMP_OPEN, s + d->zcap_lbas - 8);
		EXPECT_EQ(EWRITE, bad_write(d, s + d->zcap_lbas - 8, 9, 1));
		EXPECT_EQ(EWRITE, bad_write(d, s + d->zcap_lbas - 8, 16, 1));
		EXPECT_ZONE(zno, URINGBLK_ZONE_COND_IMP_OPEN, s + d->zcap_lbas - 8);
		EXPECT_EQ(0, ubz_check_zero(d, s + d->zcap_lbas - 8,
					    d->zone_lbas - d->zcap_lbas + 8));
		/* Even at the (old) capacity boundary, after the last LBA. */
		ASSERT_EQ(0, ubz_write_pattern(d, s + d->zcap_lbas - 8, 8, 1));
		EXPECT_ZONE(zno, URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);
		EXPECT_EQ(EWRITE, bad_write(d, s + d->zcap_lbas, 1, 1));
		EXPECT_EQ(0, ubz_check_pattern(d, s, d->zcap_lbas, 1));
		/*
		 * Where zone writes are plugged the drive sees 3 of the 7:
		 * the first (no plug yet, so one made at its position) and
		 * the two past the capacity (at the plug's write pointer).
		 * The block layer refuses the rest itself: the one past the
		 * capacity of an empty zone (a new plug there is full), the
		 * rewrite and the hole (not at the plug's write pointer),
		 * the one after the last LBA (the zone is full).
		 */
		ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err));
		EXPECT_EQ(err0 + (g_plugs ? 3 : 7), err);
	} else {
		ASSERT_EQ(0, ubz_mgmt(d, zno, URINGBLK_ZONE_ACTION_FINISH));
		/*
		 * Plugged, the drive sees the first two (no plug yet, so one
		 * made at their position); the rewrite and the hole the
		 * block layer refuses itself.
		 */
		ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err));
		EXPECT_EQ(err0 + (g_plugs ? 2 : 4), err);
	}
	/* A FULL zone takes no write anywhere. */
	EXPECT_EQ(EWRITE, bad_write(d, s, 1, 1));
	EXPECT_EQ(EWRITE, bad_write(d, s + d->zone_lbas - 1, 1, 1));
	EXPECT_ZONE(zno, URINGBLK_ZONE_COND_FULL, s + d->zone_lbas);
	/* Reads work anywhere, written or not. */
	EXPECT_EQ(0, ubz_check_zero(d, ubz_lba(d, zno + 1), d->zone_lbas));

	/* Conventional zones take writes anywhere, in any order. */
	if (d->nr_conv) {
		ASSERT_EQ(0, ubz_write_pattern(d, 100, 4, 5));
		ASSERT_EQ(0, ubz_write_pattern(d, 10, 4, 5));
		ASSERT_EQ(0, ubz_write_pattern(d, 100, 4, 6));
		EXPECT_EQ(0, ubz_check_pattern(d, 100, 4, 6));
		EXPECT_EQ(0, ubz_check_pattern(d, 10, 4, 5));
		/* Across the boundary into the first sequential zone's wp. */
		ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, d->nr_conv) - 2, 4, 7));
		EXPECT_ZONE(d->nr_conv, URINGBLK_ZONE_COND_IMP_OPEN,
			    ubz_lba(d, d->nr_conv) + 2);
		EXPECT_ZONE(d->nr_conv - 1, URINGBLK_ZONE_COND_NOT_WP,
			    ubz_lba(d, d->nr_conv));
		EXPECT_EQ(0, ubz_check_pattern(d, ubz_lba(d, d->nr_conv) - 2, 4, 7));
	}
}

/*
 * max_open 3: explicit OPENs beyond it fail with -ETOOMANYREFS, and so
 * does a write that must open a zone when every open zone is explicitly
 * open (nothing can be closed implicitly).
 */
TEST_F(zone, open_limit)
{
	struct ubz_dev *d = &self->d;
	const uint32_t z0 = ubz_seq(d, 0);
	uint64_t err0, err, lba = ~0ULL;

	for (uint32_t i = 0; i < MAX_OPEN; i++) {
		ASSERT_EQ(0, ubz_mgmt(d, z0 + i, URINGBLK_ZONE_ACTION_OPEN));
	}
	EXPECT_EQ(-ETOOMANYREFS, ubz_mgmt(d, z0 + MAX_OPEN, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_EQ(-ETOOMANYREFS, ubz_blk_mgmt(d, BLKOPENZONE, z0 + MAX_OPEN, 1));
	/* Re-opening an open zone needs no new resource. */
	EXPECT_EQ(0, ubz_mgmt(d, z0, URINGBLK_ZONE_ACTION_OPEN));

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err0));
	EXPECT_EQ(-ETOOMANYREFS, bad_write(d, ubz_lba(d, z0 + MAX_OPEN), 1, 1));
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/errors", &err));
	EXPECT_EQ(err0 + 1, err);
	memset(self->buf, 0xab, d->bs);
	EXPECT_EQ(-ETOOMANYREFS, ubz_append(d, ubz_lba(d, z0 + MAX_OPEN),
					    self->buf, d->bs, &lba, NULL));
	EXPECT_ZONE(z0 + MAX_OPEN, URINGBLK_ZONE_COND_EMPTY, ubz_lba(d, z0 + MAX_OPEN));
	EXPECT_EQ(0, ubz_check_zero(d, ubz_lba(d, z0 + MAX_OPEN), 1));
	/* Writes to the open zones are fine. */
	for (uint32_t i = 0; i < MAX_OPEN; i++) {
		ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z0 + i), 1, i));
		EXPECT_ZONE(z0 + i, URINGBLK_ZONE_COND_EXP_OPEN, ubz_lba(d, z0 + i) + 1);
	}
	/* Closing one makes room. */
	ASSERT_EQ(0, ubz_mgmt(d, z0, URINGBLK_ZONE_ACTION_CLOSE));
	EXPECT_EQ(0, ubz_mgmt(d, z0 + MAX_OPEN, URINGBLK_ZONE_ACTION_OPEN));
	/* A CLOSED zone needs an open resource to be opened, too. */
	EXPECT_EQ(-ETOOMANYREFS, ubz_mgmt(d, z0, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_EQ(-ETOOMANYREFS, bad_write(d, ubz_lba(d, z0) + 1, 1, 0));
	EXPECT_ZONE(z0, URINGBLK_ZONE_COND_CLOSED, ubz_lba(d, z0) + 1);
	/* FINISH frees one. */
	ASSERT_EQ(0, ubz_mgmt(d, z0 + 1, URINGBLK_ZONE_ACTION_FINISH));
	EXPECT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z0) + 1, 1, 0));
	EXPECT_ZONE(z0, URINGBLK_ZONE_COND_IMP_OPEN, ubz_lba(d, z0) + 2);
	EXPECT_EQ(MAX_OPEN, ubz_count_cond(d, URINGBLK_ZONE_COND_EXP_OPEN) +
			    ubz_count_cond(d, URINGBLK_ZONE_COND_IMP_OPEN));
}

/*
 * max_active 4: opening (explicitly, by a write or by an append) or
 * finishing an EMPTY zone while 4 zones are open or closed fails with
 * -EOVERFLOW; CLOSED zones count as active.
 */
TEST_F(zone, active_limit)
{
	struct ubz_dev *d = &self->d;
	const uint32_t z0 = ubz_seq(d, 0), zx = z0 + MAX_ACTIVE;
	const uint64_t x = ubz_lba(d, zx);
	uint64_t lba;

	/* Three CLOSED zones and one IMP_OPEN: four active. */
	for (uint32_t i = 0; i < MAX_ACTIVE - 1; i++) {
		ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z0 + i), 2, i));
		ASSERT_EQ(0, ubz_mgmt(d, z0 + i, URINGBLK_ZONE_ACTION_CLOSE));
	}
	ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z0 + MAX_ACTIVE - 1), 2, 9));
	EXPECT_EQ(MAX_ACTIVE - 1, ubz_count_cond(d, URINGBLK_ZONE_COND_CLOSED));

	EXPECT_EQ(-EOVERFLOW, ubz_mgmt(d, zx, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_EQ(-EOVERFLOW, ubz_blk_mgmt(d, BLKOPENZONE, zx, 1));
	EXPECT_EQ(-EOVERFLOW, ubz_mgmt(d, zx, URINGBLK_ZONE_ACTION_FINISH));
	EXPECT_EQ(-EOVERFLOW, bad_write(d, x, 1, 1));
	memset(self->buf, 0x5a, d->bs);
	lba = 0;
	EXPECT_EQ(-EOVERFLOW, ubz_append(d, x, self->buf, d->bs, &lba, NULL));
	EXPECT_ZONE(zx, URINGBLK_ZONE_COND_EMPTY, x);
	EXPECT_EQ(0, ubz_check_zero(d, x, 1));
	/* Re-opening a CLOSED zone activates nothing new: allowed. */
	EXPECT_EQ(0, ubz_mgmt(d, z0, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_EQ(0, ubz_write_pattern(d, ubz_lba(d, z0 + 1) + 2, 1, 1));
	EXPECT_ZONE(z0 + 1, URINGBLK_ZONE_COND_IMP_OPEN, ubz_lba(d, z0 + 1) + 3);
	/* A reset frees an active zone. */
	ASSERT_EQ(0, ubz_mgmt(d, z0 + 2, URINGBLK_ZONE_ACTION_RESET));
	EXPECT_EQ(0, ubz_append(d, x, self->buf, d->bs, &lba, NULL));
	EXPECT_EQ(x, lba);
	EXPECT_ZONE(zx, URINGBLK_ZONE_COND_IMP_OPEN, x + 1);
	EXPECT_EQ(-EOVERFLOW, ubz_mgmt(d, z0 + 2, URINGBLK_ZONE_ACTION_OPEN));
	/* A FULL zone is not active. */
	ASSERT_EQ(0, ubz_mgmt(d, z0 + 3, URINGBLK_ZONE_ACTION_FINISH));
	EXPECT_EQ(0, ubz_mgmt(d, z0 + 2, URINGBLK_ZONE_ACTION_FINISH));
	EXPECT_ZONE(z0 + 2, URINGBLK_ZONE_COND_FULL, ubz_lba(d, z0 + 3));
}

/*
 * A write (or an OPEN) that needs an open zone while MAX_OPEN are open
 * closes an implicitly open one instead of failing, round robin from the
 * zone after the last one closed; explicitly open zones are never closed.
 * As in null_blk (null_check_open()), the implicit close is only done while
 * fewer than max_active zones are active, even when the zone to be opened
 * is CLOSED and the active count would not change: then -ETOOMANYREFS.
 */
TEST_F(zone, implicit_close)
{
	struct ubz_dev *d = &self->d;
	const uint32_t z = ubz_seq(d, 0);
	struct uringblk_stats st0, st;

#define ZL(i) ubz_lba(d, z + (i))
	if (d->nr_zones - d->nr_conv < 6)
		SKIP(return, "needs 6 sequential zones");
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st0, 0));
	for (uint32_t i = 0; i < MAX_OPEN; i++) {
		ASSERT_EQ(0, ubz_write_pattern(d, ZL(i), 1, i));
	}
	EXPECT_EQ(MAX_OPEN, ubz_count_cond(d, URINGBLK_ZONE_COND_IMP_OPEN));

	/* A 4th zone: z0 is closed to make room (3 + 1 active <= 4). */
	ASSERT_EQ(0, ubz_write_pattern(d, ZL(3), 1, 3));
	EXPECT_ZONE(z, URINGBLK_ZONE_COND_CLOSED, ZL(0) + 1);
	EXPECT_ZONE(z + 3, URINGBLK_ZONE_COND_IMP_OPEN, ZL(3) + 1);
	EXPECT_EQ(MAX_OPEN, ubz_count_cond(d, URINGBLK_ZONE_COND_IMP_OPEN));
	/* An implicit close is not a CLOSE command. */
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st, 0));
	EXPECT_EQ(st0.zone_closes, st.zone_closes);

	/* 3 open + 1 closed = 4 active: a 5th zone is refused... */
	EXPECT_EQ(-EOVERFLOW, bad_write(d, ZL(4), 1, 4));
	EXPECT_ZONE(z + 4, URINGBLK_ZONE_COND_EMPTY, ZL(4));
	/* ...and so is reopening the CLOSED one (null_blk's rule). */
	EXPECT_EQ(-ETOOMANYREFS, bad_write(d, ZL(0) + 1, 1, 0));
	EXPECT_ZONE(z, URINGBLK_ZONE_COND_CLOSED, ZL(0) + 1);

	/* Below the open limit a CLOSED zone reopens without closing any. */
	ASSERT_EQ(0, ubz_mgmt(d, z + 1, URINGBLK_ZONE_ACTION_FINISH));
	ASSERT_EQ(0, ubz_write_pattern(d, ZL(0) + 1, 1, 0));
	EXPECT_ZONE(z, URINGBLK_ZONE_COND_IMP_OPEN, ZL(0) + 2);
	EXPECT_ZONE(z + 2, URINGBLK_ZONE_COND_IMP_OPEN, ZL(2) + 1);
	EXPECT_ZONE(z + 3, URINGBLK_ZONE_COND_IMP_OPEN, ZL(3) + 1);

	/* Round robin: after z0 came z1 (FULL now, skipped), so z2 closes. */
	ASSERT_EQ(0, ubz_write_pattern(d, ZL(4), 1, 4));
	EXPECT_ZONE(z + 2, URINGBLK_ZONE_COND_CLOSED, ZL(2) + 1);
	EXPECT_ZONE(z + 4, URINGBLK_ZONE_COND_IMP_OPEN, ZL(4) + 1);
	EXPECT_ZONE(z, URINGBLK_ZONE_COND_IMP_OPEN, ZL(0) + 2);

	/* Explicitly open zones are never closed implicitly. */
	ASSERT_EQ(0, ubz_mgmt(d, z + 2, URINGBLK_ZONE_ACTION_RESET));
	ASSERT_EQ(0, ubz_mgmt(d, z, URINGBLK_ZONE_ACTION_OPEN));
	ASSERT_EQ(0, ubz_mgmt(d, z + 3, URINGBLK_ZONE_ACTION_OPEN));
	ASSERT_EQ(0, ubz_write_pattern(d, ZL(2), 1, 2));
	EXPECT_ZONE(z + 4, URINGBLK_ZONE_COND_CLOSED, ZL(4) + 1);
	EXPECT_ZONE(z, URINGBLK_ZONE_COND_EXP_OPEN, ZL(0) + 2);
	EXPECT_ZONE(z + 3, URINGBLK_ZONE_COND_EXP_OPEN, ZL(3) + 1);
	EXPECT_ZONE(z + 2, URINGBLK_ZONE_COND_IMP_OPEN, ZL(2) + 1);

	/* An OPEN closes an implicitly open zone too. */
	ASSERT_EQ(0, ubz_mgmt(d, z + 3, URINGBLK_ZONE_ACTION_FINISH));
	ASSERT_EQ(0, ubz_mgmt(d, z + 4, URINGBLK_ZONE_ACTION_RESET));
	ASSERT_EQ(0, ubz_write_pattern(d, ZL(5), 1, 5));	/* 3 open, 3 active */
	ASSERT_EQ(0, ubz_mgmt(d, z + 4, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_ZONE(z + 5, URINGBLK_ZONE_COND_CLOSED, ZL(5) + 1);
	EXPECT_ZONE(z + 4, URINGBLK_ZONE_COND_EXP_OPEN, ZL(4));
	EXPECT_ZONE(z + 2, URINGBLK_ZONE_COND_IMP_OPEN, ZL(2) + 1);

	/* All open zones explicit: nothing can be closed for a write. */
	ASSERT_EQ(0, ubz_mgmt(d, z + 2, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_EQ(-ETOOMANYREFS, bad_write(d, ZL(5) + 1, 1, 5));
	EXPECT_EQ(3, ubz_count_cond(d, URINGBLK_ZONE_COND_EXP_OPEN));
	EXPECT_EQ(0, ubz_count_cond(d, URINGBLK_ZONE_COND_IMP_OPEN));

	/* The data written along the way are all there. */
	EXPECT_EQ(0, ubz_check_pattern(d, ZL(0), 2, 0));
	EXPECT_EQ(0, ubz_check_pattern(d, ZL(1), 1, 1));
	EXPECT_EQ(0, ubz_check_pattern(d, ZL(2), 1, 2));
	EXPECT_EQ(0, ubz_check_pattern(d, ZL(3), 1, 3));
	EXPECT_EQ(0, ubz_check_pattern(d, ZL(5), 1, 5));
	EXPECT_EQ(0, ubz_check_zero(d, ZL(4), 1));
#undef ZL
}

/* Per-zone counters, the stats deltas, and the sysfs zone table. */
TEST_F(zone, counters)
{
	struct ubz_dev *d = &self->d;
	static const char *const names[] = {
		"zone_resets", "zone_opens", "zone_closes",
		"zone_finishes", "zone_appends", "zone_append_bytes",
	};
	const uint32_t a = ubz_seq(d, 0), b = ubz_seq(d, 1);
	struct uringblk_stats st0, st, sy;
	const __u64 *want = &st.zone_resets;
	struct uringblk_zone z;
	uint64_t lba;
	char line[256];
	FILE *f;
	int n;

	ASSERT_EQ(0, ubt_sysfs_reset_stats(0));
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st0, 0));
	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(0, ubz_write_pattern(d, ubz_lba(d, a) + i, 1, 1));
	}
	memset(self->buf, 7, 4 * d->bs);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, ubz_append(d, ubz_lba(d, b), self->buf, 4 * d->bs, &lba, NULL));
	}
	ASSERT_EQ(0, ubz_mgmt(d, a, URINGBLK_ZONE_ACTION_CLOSE));
	ASSERT_EQ(0, ubz_mgmt(d, a, URINGBLK_ZONE_ACTION_OPEN));
	ASSERT_EQ(0, ubz_mgmt(d, a, URINGBLK_ZONE_ACTION_FINISH));
	ASSERT_EQ(0, ubz_mgmt(d, a, URINGBLK_ZONE_ACTION_RESET));
	ASSERT_EQ(0, ubz_blk_mgmt(d, BLKRESETZONE, b, 1));
	ASSERT_EQ(0, ubz_mgmt(d, a, URINGBLK_ZONE_ACTION_RESET));	/* EMPTY */

	ASSERT_EQ(0, ubz_zone(d, a, &z));
	EXPECT_EQ(5, z.write_ops);
	EXPECT_EQ(1, z.reset_ops);
	ASSERT_EQ(0, ubz_zone(d, b, &z));
	EXPECT_EQ(3, z.write_ops);
	EXPECT_EQ(1, z.reset_ops);

	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st, 0));
	EXPECT_EQ(8, st.write_ops - st0.write_ops) TH_LOG("appends count as writes");
	EXPECT_EQ((5 + 12) * d->bs, st.write_bytes - st0.write_bytes);
	EXPECT_EQ(3, st.zone_appends - st0.zone_appends);
	EXPECT_EQ(12 * d->bs, st.zone_append_bytes - st0.zone_append_bytes);
	EXPECT_EQ(1, st.zone_opens - st0.zone_opens);
	EXPECT_EQ(1, st.zone_closes - st0.zone_closes);
	EXPECT_EQ(1, st.zone_finishes - st0.zone_finishes);
	EXPECT_EQ(3, st.zone_resets - st0.zone_resets);
	EXPECT_EQ(0, st.errors - st0.errors);
	/* no timing model here: its counters (where rsvd[2] was) stay zero */
	EXPECT_EQ(0, st.timing_timer_late_ns);
	EXPECT_EQ(0, st.timing_early_ns);

	/* sysfs has the same zone counters. */
	ASSERT_EQ(0, ubt_sysfs_stats(0, &sy));
	EXPECT_EQ(st.write_ops, sy.write_ops);
	for (int i = 0; i < 6; i++) {
		char rel[64];
		uint64_t v;

		snprintf(rel, sizeof(rel), "uringblk/%s", names[i]);
		ASSERT_EQ(0, ubt_blk_attr_u64(0, rel, &v)) TH_LOG("%s", rel);
		EXPECT_EQ(want[i], v) TH_LOG("%s", rel);
	}

	/* The sysfs zone table: a header, then one line per zone. */
	f = fopen("/sys/block/uringblk0/uringblk/zones", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_NE(NULL, strstr(line, "write_ops"));
	n = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long zno, start, len, cap, wr, rs;
		char wp[32], type[8], cond[16];

		ASSERT_EQ(9, sscanf(line, "%llu %llu %llu %llu %31s %7s %15s %llu %llu",
				    &zno, &start, &len, &cap, wp, type, cond, &wr, &rs))
			TH_LOG("line: %s", line);
		ASSERT_EQ(0, ubz_zone(d, zno, &z));
		EXPECT_EQ(n, zno);
		EXPECT_EQ(z.start, start);
		EXPECT_EQ(z.len, len);
		EXPECT_EQ(z.capacity, cap);
		EXPECT_EQ(z.wp, strtoull(wp, NULL, 10));
		EXPECT_STREQ(z.type == URINGBLK_ZONE_TYPE_CONVENTIONAL ? "conv" : "seq", type);
		EXPECT_STREQ(ubz_cond_name(z.cond), cond);
		EXPECT_EQ(z.write_ops, wr);
		EXPECT_EQ(z.reset_ops, rs);
		n++;
	}
	fclose(f);
	EXPECT_EQ(d->nr_zones, n);
}

TEST_HARNESS_MAIN
