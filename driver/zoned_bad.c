// SPDX-License-Identifier: GPL-2.0
/*
 * Bad zones: the zone model has the READ_ONLY and OFFLINE conditions;
 * fault injection's knobs (fault.c) put a zone in them and take it out
 * again through these, under the zone locks zoned.c describes.  A
 * file-backed drive saves the change (zoned_meta.c).  Built only with
 * CONFIG_BLK_DEV_ZONED; uringblk.h has the stubs otherwise.
 */
#include <linux/blkdev.h>
#include <linux/sched.h>

#include "zoned.h"

/**
 * uringblk_zone_set_cond() - fault injection: a zone goes bad, or is repaired
 * @dev: the zoned device
 * @zno: zone number
 * @cond: BLK_ZONE_COND_READONLY or BLK_ZONE_COND_OFFLINE; or
 *	  BLK_ZONE_COND_EMPTY to bring back a zone in one of those two
 *
 * As null_blk does (6.2+): a zone leaving the open or closed condition
 * gives back its open/active resources first, and its write pointer
 * becomes invalid (~0, which REPORT_ZONES and blkzone show); its data stay
 * readable while READ_ONLY.  A repaired zone is EMPTY with its data
 * discarded, as after a reset: nothing can say where its write pointer was.
 * Conventional zones have no condition to change.
 * Process context; may sleep (zone mutex, discard).
 * Return: 0; -ERANGE for no such zone; -EINVAL for a conventional zone, or
 * a repair of a zone that is neither read-only nor offline.
 */
int uringblk_zone_set_cond(struct uringblk_dev *dev, u32 zno, u8 cond)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone_state *z;
	int ret = 0;

	if (zno >= zd->nr_zones)
		return -ERANGE;
	z = &zd->zones[zno];
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return -EINVAL;

	mutex_lock(&z->lock);
	if (cond == BLK_ZONE_COND_EMPTY) {
		if (!uringblk_zone_cond_error(z)) {
			ret = -EINVAL;
			goto out_unlock;
		}
		/* Zeroes first: an EMPTY zone reads as zeroes (the invariant). */
		ret = dev->ops->discard(dev, (u64)z->start << SECTOR_SHIFT,
					(u64)z->len << SECTOR_SHIFT);
		if (ret)
			goto out_unlock;
		WRITE_ONCE(z->wp, z->start);
		z->dirty_end = 0;
		spin_lock(&zd->res_lock);
		WRITE_ONCE(z->cond, BLK_ZONE_COND_EMPTY);
		spin_unlock(&zd->res_lock);
		goto out_unlock;
	}
	uringblk_zone_clean(dev, z);
	spin_lock(&zd->res_lock);
	uringblk_zone_put_resources(zd, z);
	WRITE_ONCE(z->cond, cond);
	spin_unlock(&zd->res_lock);
	WRITE_ONCE(z->wp, (sector_t)-1);
out_unlock:
	mutex_unlock(&z->lock);
	/* A file-backed drive keeps its bad zones across reloads. */
	if (!ret && dev->zmeta)
		ret = uringblk_zmeta_sync(dev);
	return ret;
}

/* The condition of zone @zno (BLK_ZONE_COND_*), or -ERANGE.  Lockless. */
int uringblk_zone_cond(struct uringblk_dev *dev, u32 zno)
{
	struct uringblk_zoned *zd = dev->zoned;

	if (zno >= zd->nr_zones)
		return -ERANGE;
	return READ_ONCE(zd->zones[zno].cond);
}

/**
 * uringblk_zone_repair_all() - bring every read-only or offline zone back
 * @dev: the device; nothing to do for a drive without zones
 *
 * Fault injection's "clear" (fault.c), under its mutex, so a repair cannot
 * race with anything but another one.  Process context; may sleep.
 * Return: 0, or the last error of a repair that failed.
 */
int uringblk_zone_repair_all(struct uringblk_dev *dev)
{
	struct uringblk_zoned *zd = dev->zoned;
	int ret = 0;

	for (u32 zno = 0; zd && zno < zd->nr_zones; zno++) {
		u8 cond = READ_ONCE(zd->zones[zno].cond);

		if (cond == BLK_ZONE_COND_READONLY || cond == BLK_ZONE_COND_OFFLINE) {
			int err = uringblk_zone_set_cond(dev, zno, BLK_ZONE_COND_EMPTY);

			/* A repair cannot race with anything but another one. */
			if (err && err != -EINVAL)
				ret = err;
		}
		cond_resched();
	}
	return ret;
}
