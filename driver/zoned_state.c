// SPDX-License-Identifier: GPL-2.0
/*
 * A zoned drive's state as a table of records (struct uringblk_zone_rec):
 * taken for saving, and checked and restored at load.  zoned_meta.c keeps
 * the table in the backing file (the on-disk format is its job); what a
 * valid zone state is, and what a half-saved one becomes, is decided here,
 * against the zone model (zoned.c, zoned.h).  Built only with
 * CONFIG_BLK_DEV_ZONED; uringblk.h has the stubs otherwise.
 */
#include <linux/blkdev.h>
#include <linux/sched.h>

#include "zoned.h"

/**
 * uringblk_zone_snapshot() - each zone's condition and write pointer
 * @dev: the zoned device
 * @recs: one record per zone, filled in
 *
 * Takes no zone mutex, so a save never waits for a write in progress; a
 * zone changing meanwhile may be caught half way, e.g. already FULL with
 * the old write pointer; uringblk_zone_restore() normalises such pairs.  A write
 * pointer is read with acquire: the data below it has landed.
 */
void uringblk_zone_snapshot(struct uringblk_dev *dev, struct uringblk_zone_rec *recs)
{
	struct uringblk_zoned *zd = dev->zoned;

	for (u32 i = 0; i < zd->nr_zones; i++) {
		recs[i].cond = READ_ONCE(zd->zones[i].cond);
		/* pairs with the writers' release: the data below wp are there */
		recs[i].wp = smp_load_acquire(&zd->zones[i].wp);
	}
}

/*
 * The condition a saved (cond, wp) pair comes back as, or -1 if it cannot
 * be a state of @z.  Open zones come back closed, as on a drive after a
 * power cycle; a pair caught mid-change is settled by its write pointer.
 */
static int uringblk_zone_restored_cond(const struct uringblk_zone_state *z,
				       const struct uringblk_zone_rec *r)
{
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return r->cond == BLK_ZONE_COND_NOT_WP ? r->cond : -1;
	/* Bad zones (fault.c) have no write pointer. */
	if (r->cond == BLK_ZONE_COND_READONLY || r->cond == BLK_ZONE_COND_OFFLINE)
		return r->cond;
	if (r->wp < z->start || r->wp > z->start + z->len)
		return -1;
	switch (r->cond) {
	case BLK_ZONE_COND_EMPTY:
	case BLK_ZONE_COND_FULL:
		return r->cond;
	case BLK_ZONE_COND_IMP_OPEN:
	case BLK_ZONE_COND_EXP_OPEN:
	case BLK_ZONE_COND_CLOSED:
		if (r->wp == z->start)
			return BLK_ZONE_COND_EMPTY;
		if (r->wp >= z->start + z->capacity)
			return BLK_ZONE_COND_FULL;
		return BLK_ZONE_COND_CLOSED;
	default:
		return -1;
	}
}

/**
 * uringblk_zone_restore() - apply saved zone states to fresh (all empty) zones
 * @dev: the zoned device, not yet visible to anyone
 * @recs: one record per zone
 * @msg: where a refusal is explained
 *
 * Everything is checked before anything changes.
 * Return: 0, or -EINVAL naming the zone or limit that is wrong.
 */
int uringblk_zone_restore(struct uringblk_dev *dev, const struct uringblk_zone_rec *recs,
			  struct uringblk_msg *msg)
{
	struct uringblk_zoned *zd = dev->zoned;
	u32 i, nr_closed = 0;

	for (i = 0; i < zd->nr_zones; i++) {
		int cond = uringblk_zone_restored_cond(&zd->zones[i], &recs[i]);

		if (cond < 0) {
			uringblk_msg(msg, "path=%s: zone metadata: zone %u has condition %u with write pointer %llu, impossible for this zone",
				     dev->cfg.path, i, recs[i].cond, recs[i].wp);
			return -EINVAL;
		}
		nr_closed += cond == BLK_ZONE_COND_CLOSED;
	}
	if (zd->max_active && nr_closed > zd->max_active) {
		uringblk_msg(msg, "path=%s: %u zones were active when saved but zone_max_active=%u",
			     dev->cfg.path, nr_closed, zd->max_active);
		return -EINVAL;
	}
	for (i = zd->nr_conv; i < zd->nr_zones; i++) {
		struct uringblk_zone_state *z = &zd->zones[i];

		z->cond = uringblk_zone_restored_cond(z, &recs[i]);
		if (z->cond == BLK_ZONE_COND_EMPTY)
			z->wp = z->start;
		else if (z->cond == BLK_ZONE_COND_FULL)
			z->wp = z->start + z->len;
		else if (z->cond == BLK_ZONE_COND_CLOSED)
			z->wp = recs[i].wp;
		else				/* read-only, offline */
			z->wp = (sector_t)-1;
	}
	zd->nr_closed = nr_closed;
	return 0;
}

/*
 * At load: discard whatever lies past each write pointer (writes that
 * reached the file after the last save), so it reads as zeroes.
 */
void uringblk_zone_clean_all(struct uringblk_dev *dev)
{
	struct uringblk_zoned *zd = dev->zoned;

	for (u32 i = zd->nr_conv; i < zd->nr_zones; i++) {
		struct uringblk_zone_state *z = &zd->zones[i];

		if (z->cond == BLK_ZONE_COND_EMPTY || z->cond == BLK_ZONE_COND_CLOSED) {
			z->dirty_end = z->start + z->len;
			uringblk_zone_clean(dev, z);
		}
		cond_resched();
	}
}
