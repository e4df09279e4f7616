// SPDX-License-Identifier: GPL-2.0
/*
 * The fence's block-layer entry W7 (compat_internals.h): telling a zoned
 * disk's write plugs what the drive did without a bio, on a kernel that
 * has them (6.10's zone write plugging; Linux 6.12 here); nothing on 6.1.
 * It works through the block layer's own completion paths, not an API
 * made for it: tests/tools/workarounds-test.sh reads each kernel's
 * block/blk-zoned.c for the paths it depends on.
 */
#include <linux/sched/mm.h>

#include "compat_internals.h"

#ifdef CONFIG_BLK_DEV_ZONED
#ifdef URINGBLK_HAS_ZONE_PLUG_BIO	/* zone write plugging, 6.10 */

/**
 * uringblk_zone_plug_done() - a zone reset, reset all or finish the drive did
 * @disk: the zoned disk
 * @op: REQ_OP_ZONE_RESET, REQ_OP_ZONE_RESET_ALL or REQ_OP_ZONE_FINISH,
 *	done and successful
 * @sector: the zone's first sector (not looked at for a reset all)
 *
 * The drive did it without a bio (a zone command, NVMe's Zone Management
 * Send): the zone's write plug, if it has one, is told as a completed
 * bio of that operation tells it (blk_zone_mgmt_bio_endio(): the plug's
 * write pointer goes to the zone's start, or its end), by ending a bio of
 * that operation that was never submitted: bio_endio() is the only way
 * in, and the bio reaches no driver.  Any context that may take the
 * plug's spinlock (irqsave); does not sleep.
 */
void uringblk_zone_plug_done(struct gendisk *disk, enum req_op op, sector_t sector)
{
	struct bio bio;

	bio_init(&bio, disk->part0, NULL, 0, op | REQ_SYNC);
	bio.bi_iter.bi_sector = sector;
	bio.bi_status = BLK_STS_OK;
	bio_endio(&bio);
	bio_uninit(&bio);
}

/**
 * uringblk_zone_plug_forget() - the drive wrote a zone without a bio
 * @disk: the zoned disk
 * @sector: the zone's first sector
 *
 * An append of the zone command set or NVMe's Zone Append moved the
 * zone's write pointer.  No call sets a plug's write pointer to a given
 * place; a native zone append bio removes the zone's plug
 * (blk_zone_wplug_handle_native_zone_append(), which blk_zone_plug_bio()
 * calls for it and which only marks the plug dead): the next write bio
 * then makes a new plug at its own position, and the drive judges that
 * position (Zone Invalid Write) as on 6.1.  The drive's appends are
 * native (max_zone_append_sectors is the zone size); an emulated append
 * would be plugged as a write, so the bio is only shown then.  Does not
 * sleep.
 */
void uringblk_zone_plug_forget(struct gendisk *disk, sector_t sector)
{
	struct bio bio;

	if (bdev_emulates_zone_append(disk->part0))
		return;
	bio_init(&bio, disk->part0, NULL, 0, REQ_OP_ZONE_APPEND);
	bio.bi_iter.bi_sector = sector;
	/* A native append is never plugged: the answer is always false. */
	if (bio_needs_zone_write_plugging(&bio))
		blk_zone_plug_bio(&bio, 0);
	bio_uninit(&bio);
}

/**
 * uringblk_zone_plug_resync() - a write bio of the drive's own failed
 * @disk: the zoned disk
 * @sector: a sector of the zone
 *
 * A failed write bio leaves its zone's plug "needing a write pointer
 * update" (BLK_ZONE_WPLUG_NEED_WP_UPDATE, blk_zone_write_plug_bio_endio()),
 * and every later write bio to the zone fails until a report of the zone
 * through the block layer (disk_zone_wplug_sync_wp_offset()), a reset or
 * a finish.  An NVMe Write is a command on its own: the next one at the
 * write pointer works on a ZNS drive.  So the NVMe front end reports the
 * zone after a failed one, as its client would have to.  May sleep
 * (the zone's report takes the zone's mutex).
 */
void uringblk_zone_plug_resync(struct gendisk *disk, sector_t sector)
{
	unsigned int noio = memalloc_noio_save();

	blkdev_report_zones(disk->part0, sector, 1, NULL, NULL);
	memalloc_noio_restore(noio);
}

#else /* Linux 6.1 */

/* No zone write plugs before 6.10: mq-deadline serializes, nothing to tell. */
void uringblk_zone_plug_done(struct gendisk *disk, enum req_op op, sector_t sector)
{
}

void uringblk_zone_plug_forget(struct gendisk *disk, sector_t sector)
{
}

void uringblk_zone_plug_resync(struct gendisk *disk, sector_t sector)
{
}

#endif
#endif /* CONFIG_BLK_DEV_ZONED */
