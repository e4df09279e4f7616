// SPDX-License-Identifier: GPL-2.0
/*
 * The block layer's setup calls on each kernel (compat.h): allocating the
 * disk, its queue limits and features, its zoned geometry.  Linux 6.1 sets
 * them with the blk_queue_*() setters and queue flags on the allocated
 * queue; 6.12 with a struct queue_limits (6.9's queue_limits_start_update()
 * and queue_limits_commit_update(), 6.11's BLK_FEAT_* features).  What the
 * disk looks like from userspace (sysfs queue/ files, zones) is the same.
 */
#include "compat.h"

#ifdef URINGBLK_HAS_BLK_FEAT

/**
 * uringblk_alloc_disk() - a disk for a blk-mq tag set, or a bio-based one
 * @set: the tag set, or NULL for a bio-based disk (no tag set)
 * @queuedata: the queue's queuedata (blk-mq disks only)
 *
 * The limits are set afterwards (uringblk_set_queue_limits()), before the
 * disk is added.  May sleep.  Return: the disk or an ERR_PTR().
 */
struct gendisk *uringblk_alloc_disk(struct blk_mq_tag_set *set, void *queuedata)
{
	if (!set)
		return blk_alloc_disk(NULL, NUMA_NO_NODE);
	return blk_mq_alloc_disk(set, NULL, queuedata);
}

/**
 * uringblk_set_queue_limits() - the disk's limits and features
 * @disk: allocated, not yet added
 * @l: what the driver wants
 *
 * May sleep.  Return: 0 or -errno (the block layer refused the limits).
 */
int uringblk_set_queue_limits(struct gendisk *disk, const struct uringblk_limits *l)
{
	struct request_queue *q = disk->queue;
	struct queue_limits lim = queue_limits_start_update(q);

	lim.logical_block_size = l->block_size;
	lim.physical_block_size = l->block_size;
	lim.max_hw_sectors = l->max_hw_sectors;
	lim.max_hw_discard_sectors = l->max_discard_sectors;
	lim.max_write_zeroes_sectors = l->max_write_zeroes_sectors;
	lim.discard_granularity = l->block_size;
	/*
	 * A volatile write cache with FUA; not rotational, no entropy (both
	 * opt-in features since 6.11, so left clear); blk-mq's queues have
	 * iostats and nowait from the allocation, a bio-based one gets them
	 * here as 6.1's flags gave them.
	 */
	lim.features |= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA;
	lim.features &= ~(BLK_FEAT_ROTATIONAL | BLK_FEAT_ADD_RANDOM);
	if (l->iostats)
		lim.features |= BLK_FEAT_IO_STAT;
	else
		lim.features &= ~BLK_FEAT_IO_STAT;
	if (l->bio_based)
		lim.features |= BLK_FEAT_NOWAIT;
	return queue_limits_commit_update(q, &lim);
}

#ifdef CONFIG_BLK_DEV_ZONED
/**
 * uringblk_set_zoned() - make the disk host-managed zoned
 * @disk: allocated, its limits set, not yet added
 * @z: the zone geometry
 *
 * The zoned feature and geometry in the limits, then the zones checked by
 * blk_revalidate_disk_zones() (which reads them through ->report_zones and
 * sets up zone write plugging, 6.10).  Reset-all needs no flag since 6.10
 * (the block layer sends REQ_OP_ZONE_RESET_ALL to every zoned disk), nor
 * an elevator: zone write plugging serializes the writes of a zone that
 * mq-deadline serialized on 6.1.  May sleep.  Return: 0 or -errno.
 */
int uringblk_set_zoned(struct gendisk *disk, const struct uringblk_zone_limits *z)
{
	struct request_queue *q = disk->queue;
	struct queue_limits lim = queue_limits_start_update(q);
	int ret;

	lim.features |= BLK_FEAT_ZONED;
	lim.chunk_sectors = z->zone_sects;
	lim.max_hw_discard_sectors = 0;
	lim.max_write_zeroes_sectors = 0;
	lim.max_zone_append_sectors = z->max_append_sects;
	lim.max_open_zones = z->max_open;
	lim.max_active_zones = z->max_active;
	ret = queue_limits_commit_update(q, &lim);
	if (ret)
		return ret;
	return blk_revalidate_disk_zones(disk);
}
#endif

#else /* Linux 6.1 */

struct gendisk *uringblk_alloc_disk(struct blk_mq_tag_set *set, void *queuedata)
{
	struct gendisk *disk;

	if (set)
		return blk_mq_alloc_disk(set, queuedata);
	disk = blk_alloc_disk(NUMA_NO_NODE);
	return disk ?: ERR_PTR(-ENOMEM);
}

int uringblk_set_queue_limits(struct gendisk *disk, const struct uringblk_limits *l)
{
	struct request_queue *q = disk->queue;

	blk_queue_logical_block_size(q, l->block_size);
	blk_queue_physical_block_size(q, l->block_size);
	blk_queue_max_hw_sectors(q, l->max_hw_sectors);
	blk_queue_max_discard_sectors(q, l->max_discard_sectors);
	blk_queue_max_write_zeroes_sectors(q, l->max_write_zeroes_sectors);
	q->limits.discard_granularity = l->block_size;
	blk_queue_write_cache(q, true, true);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
	if (!l->iostats)
		blk_queue_flag_clear(QUEUE_FLAG_IO_STAT, q);
	if (l->bio_based) {
		/* blk_alloc_disk() leaves iostats off and nowait unset */
		if (l->iostats)
			blk_queue_flag_set(QUEUE_FLAG_IO_STAT, q);
		blk_queue_flag_set(QUEUE_FLAG_NOWAIT, q);
	}
	return 0;
}

#ifdef CONFIG_BLK_DEV_ZONED
/*
 * As null_blk does on 6.1: zoned model, reset-all support, mq-deadline
 * required (it keeps one write per zone in flight), zones checked by
 * blk_revalidate_disk_zones() (which also sets chunk_sectors and
 * nr_zones), then the limits that depend on them.
 */
int uringblk_set_zoned(struct gendisk *disk, const struct uringblk_zone_limits *z)
{
	struct request_queue *q = disk->queue;
	int ret;

	disk_set_zoned(disk, BLK_ZONED_HM);
	blk_queue_flag_set(QUEUE_FLAG_ZONE_RESETALL, q);
	blk_queue_required_elevator_features(q, ELEVATOR_F_ZBD_SEQ_WRITE);
	blk_queue_chunk_sectors(q, z->zone_sects);
	blk_queue_max_discard_sectors(q, 0);
	blk_queue_max_write_zeroes_sectors(q, 0);
	ret = blk_revalidate_disk_zones(disk, NULL);
	if (ret)
		return ret;
	blk_queue_max_zone_append_sectors(q, z->max_append_sects);
	disk_set_max_open_zones(disk, z->max_open);
	disk_set_max_active_zones(disk, z->max_active);
	return 0;
}
#endif

#endif
