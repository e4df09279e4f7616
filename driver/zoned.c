// SPDX-License-Identifier: GPL-2.0
/*
 * The zoned model: a host-managed zoned drive as Linux 6.1 expects one,
 * after drivers/block/null_blk/zoned.c, and its commands on the command
 * device (REPORT_ZONES, ZONE_MGMT, ZONE_APPEND).  Built only with
 * CONFIG_BLK_DEV_ZONED; uringblk.h has the stubs otherwise.
 *
 * Zones are kept in 512-byte sectors, the block layer's unit; the command
 * device speaks logical blocks and converts at its edge.
 *
 * Locking.  Each sequential zone has a mutex, held across everything that
 * reads or changes its write pointer and condition, data writes included,
 * so a write lands at the write pointer it checked.  queue_rq runs in
 * atomic context: there the mutex is only tried (mutex_trylock() never
 * sleeps), and a request that cannot get it, or whose write would have to
 * sleep to allocate, returns -EAGAIN and is run again from the device's
 * workqueue, where the mutex is taken for real.  Zone management always
 * runs there: a reset frees the zone's memory.
 * zd->res_lock (a spinlock, taken inside a zone mutex) protects the open,
 * closed and active counts.  A condition changes only with the zone's
 * mutex and res_lock both held, so either one is enough to read it.  An
 * implicit close of another zone (to stay under the open limit) happens
 * with res_lock held and only takes that zone's mutex with a trylock: a
 * zone whose mutex is busy is being written or managed and is skipped.
 * Lock order: dev->lock (commands) -> zone mutex -> res_lock.
 *
 * Invariant: every block at or past a sequential zone's write pointer
 * reads as zeroes.  A reset discards the zone; a write that fails after
 * storing part of its data discards it again (or, when it failed in atomic
 * context, records how far it got in dirty_end, cleaned the next time the
 * zone is handled where sleeping is allowed).  So reads need no zone logic
 * at all, and a FINISH exposes only zeroes.
 */
#include <linux/blkdev.h>
#include <linux/blkzoned.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "uringblk.h"

/* Bounds the zone array (about 100 bytes a zone). */
#define URINGBLK_MAX_ZONES	(1U << 18)

/**
 * struct uringblk_zone_state - one zone
 * @lock:	serialises users of the zone's write pointer (see above)
 * @start:	first sector
 * @len:	sectors in the zone
 * @capacity:	writable sectors from @start
 * @wp:		write pointer (sector); stored with release semantics after
 *		the data below it, so lockless readers (EXEC) may acquire it
 * @dirty_end:	data may have been stored up to here past @wp by a write
 *		that had to be retried (0: none); @lock
 * @write_ops:	writes and appends that landed; @lock
 * @reset_ops:	resets that found the zone not empty; @lock
 * @type:	BLK_ZONE_TYPE_*
 * @cond:	BLK_ZONE_COND_*; changed under @lock and res_lock
 */
struct uringblk_zone_state {
	struct mutex	lock;
	sector_t	start;
	sector_t	len;
	sector_t	capacity;
	sector_t	wp;
	sector_t	dirty_end;
	u64		write_ops;
	u64		reset_ops;
	u8		type;
	u8		cond;
};

/**
 * struct uringblk_zoned - the zone model of one device
 * @zone_sects:	sectors per zone, a power of two
 * @zone_shift:	ilog2(@zone_sects)
 * @lba_shift:	ilog2(block size / 512): sectors -> logical blocks
 * @nr_zones:	zones, the last one possibly smaller
 * @nr_conv:	conventional zones, the first ones
 * @max_open:	open zones allowed (0: no limit)
 * @max_active:	open or closed zones allowed (0: no limit)
 * @max_append:	largest zone append, sectors (the queue's limit)
 * @res_lock:	protects the four counts below
 * @nr_imp_open: implicitly open zones
 * @nr_exp_open: explicitly open zones
 * @nr_closed:	closed zones
 * @imp_close_zno: where the next implicit close starts looking (round robin)
 * @zones:	the zones
 */
struct uringblk_zoned {
	sector_t	zone_sects;
	unsigned int	zone_shift;
	unsigned int	lba_shift;
	u32		nr_zones;
	u32		nr_conv;
	u32		max_open;
	u32		max_active;
	u32		max_append;
	spinlock_t	res_lock;
	u32		nr_imp_open;
	u32		nr_exp_open;
	u32		nr_closed;
	u32		imp_close_zno;
	struct uringblk_zone_state zones[];
};

static struct uringblk_zone_state *uringblk_zone(struct uringblk_zoned *zd,
						 sector_t sector)
{
	return &zd->zones[sector >> zd->zone_shift];
}

static u64 uringblk_nr_lbas(const struct uringblk_dev *dev)
{
	return dev->cfg.capacity / dev->cfg.block_size;
}

/* The zone mutex: tried only where sleeping is not allowed. */
static bool uringblk_zone_lock(struct uringblk_zone_state *z, bool can_sleep)
{
	if (can_sleep) {
		mutex_lock(&z->lock);
		return true;
	}
	return mutex_trylock(&z->lock);
}

/**
 * uringblk_zone_validate() - check the zone part of a configuration
 * @cfg: the configuration; only looked at when cfg->zoned
 * @msg: where a refusal is explained
 *
 * Return: 0, or -EINVAL with the reason in the kernel log.
 */
int uringblk_zone_validate(const struct uringblk_config *cfg, struct uringblk_msg *msg)
{
	u64 zone_bytes = (u64)cfg->zone_size_mb << 20;
	u64 nr_zones, nr_seq;

	if (!cfg->zoned)
		return 0;
	if (!cfg->zone_size_mb || !is_power_of_2(cfg->zone_size_mb)) {
		uringblk_msg(msg, "zone_size_mb=%u: must be a power of two", cfg->zone_size_mb);
		return -EINVAL;
	}
	if (zone_bytes > cfg->capacity) {
		uringblk_msg(msg, "zone_size_mb=%u: larger than the capacity (%llu MiB)",
		       cfg->zone_size_mb, cfg->capacity >> 20);
		return -EINVAL;
	}
	if (cfg->zone_capacity_mb > cfg->zone_size_mb) {
		uringblk_msg(msg, "zone_capacity_mb=%u: larger than zone_size_mb=%u",
		       cfg->zone_capacity_mb, cfg->zone_size_mb);
		return -EINVAL;
	}
	/* No real drive has both (null_blk refuses it too). */
	if (cfg->zone_capacity_mb && cfg->zone_capacity_mb != cfg->zone_size_mb &&
	    cfg->capacity % zone_bytes) {
		uringblk_msg(msg, "zone_capacity_mb=%u: a smaller zone capacity needs a capacity that is a multiple of zone_size_mb=%u",
		       cfg->zone_capacity_mb, cfg->zone_size_mb);
		return -EINVAL;
	}
	nr_zones = DIV_ROUND_UP_ULL(cfg->capacity, zone_bytes);
	if (nr_zones > URINGBLK_MAX_ZONES) {
		uringblk_msg(msg, "zone_size_mb=%u: %llu zones, more than the %u allowed",
		       cfg->zone_size_mb, nr_zones, URINGBLK_MAX_ZONES);
		return -EINVAL;
	}
	if (cfg->zone_nr_conv >= nr_zones) {
		uringblk_msg(msg, "zone_nr_conv=%u: must leave at least one of the %llu zones sequential",
		       cfg->zone_nr_conv, nr_zones);
		return -EINVAL;
	}
	nr_seq = nr_zones - cfg->zone_nr_conv;
	if (cfg->zone_max_active > nr_seq) {
		uringblk_msg(msg, "zone_max_active=%u: more than the %llu sequential zones (0 = no limit)",
		       cfg->zone_max_active, nr_seq);
		return -EINVAL;
	}
	if (cfg->zone_max_open > nr_seq) {
		uringblk_msg(msg, "zone_max_open=%u: more than the %llu sequential zones (0 = no limit)",
		       cfg->zone_max_open, nr_seq);
		return -EINVAL;
	}
	if (cfg->zone_max_active && cfg->zone_max_open > cfg->zone_max_active) {
		uringblk_msg(msg, "zone_max_open=%u: more than zone_max_active=%u",
		       cfg->zone_max_open, cfg->zone_max_active);
		return -EINVAL;
	}
	return 0;
}

/**
 * uringblk_zone_init() - build the zones of a validated zoned configuration
 * @dev: the device; dev->zoned is set.  Does nothing for a regular device.
 *
 * May sleep.  Return: 0 or -ENOMEM.
 */
int uringblk_zone_init(struct uringblk_dev *dev)
{
	const struct uringblk_config *cfg = &dev->cfg;
	sector_t dev_sects = cfg->capacity >> SECTOR_SHIFT;
	sector_t zone_sects = (sector_t)cfg->zone_size_mb << (20 - SECTOR_SHIFT);
	sector_t cap_sects = (sector_t)(cfg->zone_capacity_mb ?: cfg->zone_size_mb)
			     << (20 - SECTOR_SHIFT);
	struct uringblk_zoned *zd;
	u32 nr_zones, i;

	if (!cfg->zoned)
		return 0;
	nr_zones = DIV_ROUND_UP_ULL(dev_sects, zone_sects);
	zd = kvzalloc(struct_size(zd, zones, nr_zones), GFP_KERNEL);
	if (!zd)
		return -ENOMEM;
	zd->zone_sects = zone_sects;
	zd->zone_shift = ilog2(zone_sects);
	zd->lba_shift = ilog2(cfg->block_size) - SECTOR_SHIFT;
	zd->nr_zones = nr_zones;
	zd->nr_conv = cfg->zone_nr_conv;
	zd->max_open = cfg->zone_max_open;
	zd->max_active = cfg->zone_max_active;
	zd->imp_close_zno = zd->nr_conv;
	spin_lock_init(&zd->res_lock);

	for (i = 0; i < nr_zones; i++) {
		struct uringblk_zone_state *z = &zd->zones[i];

		mutex_init(&z->lock);
		z->start = (sector_t)i << zd->zone_shift;
		z->len = min_t(sector_t, zone_sects, dev_sects - z->start);
		if (i < zd->nr_conv) {
			z->capacity = z->len;
			z->wp = z->start + z->len;
			z->type = BLK_ZONE_TYPE_CONVENTIONAL;
			z->cond = BLK_ZONE_COND_NOT_WP;
		} else {
			z->capacity = min(z->len, cap_sects);
			z->wp = z->start;
			z->type = BLK_ZONE_TYPE_SEQWRITE_REQ;
			z->cond = BLK_ZONE_COND_EMPTY;
		}
	}
	dev->zoned = zd;
	return 0;
}

/**
 * uringblk_zone_register() - make the disk a host-managed zoned disk
 * @dev: the device, its disk allocated and limits set, not yet added
 *
 * As null_blk does on 6.1: zoned model, reset-all support, mq-deadline
 * required (it keeps one write per zone in flight), zones checked by
 * blk_revalidate_disk_zones() (which also sets chunk_sectors and nr_zones),
 * then the limits that depend on them.  Discard and write-zeroes are
 * turned off: on a zoned drive a reset is the way to drop data.
 * May sleep.  Return: 0 or -errno.
 */
int uringblk_zone_register(struct uringblk_dev *dev)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct gendisk *disk = dev->disk;
	struct request_queue *q = disk->queue;
	int ret;

	if (!zd)
		return 0;
	disk_set_zoned(disk, BLK_ZONED_HM);
	blk_queue_flag_set(QUEUE_FLAG_ZONE_RESETALL, q);
	blk_queue_required_elevator_features(q, ELEVATOR_F_ZBD_SEQ_WRITE);
	blk_queue_chunk_sectors(q, zd->zone_sects);
	blk_queue_max_discard_sectors(q, 0);
	blk_queue_max_write_zeroes_sectors(q, 0);
	ret = blk_revalidate_disk_zones(disk, NULL);
	if (ret)
		return ret;
	blk_queue_max_zone_append_sectors(q, zd->zone_sects);
	zd->max_append = queue_max_zone_append_sectors(q);
	disk_set_max_open_zones(disk, zd->max_open);
	disk_set_max_active_zones(disk, zd->max_active);
	pr_info("%s: zoned, %u zones of %u MiB (capacity %u MiB), %u conventional, max open %u, max active %u\n",
		dev->name, zd->nr_zones, dev->cfg.zone_size_mb,
		dev->cfg.zone_capacity_mb ?: dev->cfg.zone_size_mb, zd->nr_conv,
		zd->max_open, zd->max_active);
	return 0;
}

/* Free the zones; the disk is gone, nobody can reach them. */
void uringblk_zone_exit(struct uringblk_dev *dev)
{
	kvfree(dev->zoned);
	dev->zoned = NULL;
}

/**
 * uringblk_report_zones() - block_device_operations.report_zones
 * @disk: our disk
 * @sector: report from the zone holding this sector
 * @nr_zones: at most this many zones
 * @cb: called for each zone, with its index in the report
 * @data: for @cb
 *
 * Return: the number of zones reported, or @cb's error.  Each zone is copied under its mutex, then handed to @cb (which may
 * change the copy).  Process context; may sleep.
 */
int uringblk_report_zones(struct gendisk *disk, sector_t sector,
			  unsigned int nr_zones, report_zones_cb cb, void *data)
{
	struct uringblk_dev *dev = disk->private_data;
	struct uringblk_zoned *zd = dev->zoned;
	unsigned int first = sector >> zd->zone_shift, i;
	struct blk_zone blkz;
	int ret;

	if (first >= zd->nr_zones)
		return 0;
	nr_zones = min(nr_zones, zd->nr_zones - first);
	memset(&blkz, 0, sizeof(blkz));
	for (i = 0; i < nr_zones; i++) {
		struct uringblk_zone_state *z = &zd->zones[first + i];

		mutex_lock(&z->lock);
		blkz.start = z->start;
		blkz.len = z->len;
		blkz.capacity = z->capacity;
		blkz.wp = z->wp;
		blkz.type = z->type;
		blkz.cond = z->cond;
		mutex_unlock(&z->lock);
		ret = cb(&blkz, i, data);
		if (ret)
			return ret;
	}
	return nr_zones;
}

/*
 * Close one implicitly open zone to make room under the open limit, round
 * robin from where the last one was closed.  Zones busy (mutex held) are
 * skipped.  Returns whether one was closed.
 */
static bool uringblk_close_imp_open_zone(struct uringblk_zoned *zd)
	__must_hold(&zd->res_lock)
{
	u32 zno = zd->imp_close_zno, i;

	lockdep_assert_held(&zd->res_lock);
	for (i = zd->nr_conv; i < zd->nr_zones; i++) {
		struct uringblk_zone_state *z;

		if (zno >= zd->nr_zones)
			zno = zd->nr_conv;
		z = &zd->zones[zno++];
		if (z->cond != BLK_ZONE_COND_IMP_OPEN || !mutex_trylock(&z->lock))
			continue;
		zd->nr_imp_open--;
		if (z->wp == z->start) {
			z->cond = BLK_ZONE_COND_EMPTY;
		} else {
			z->cond = BLK_ZONE_COND_CLOSED;
			zd->nr_closed++;
		}
		mutex_unlock(&z->lock);
		zd->imp_close_zno = zno;
		return true;
	}
	return false;
}

static int uringblk_check_active(struct uringblk_zoned *zd)
	__must_hold(&zd->res_lock)
{
	if (!zd->max_active ||
	    zd->nr_exp_open + zd->nr_imp_open + zd->nr_closed < zd->max_active)
		return 0;
	return -EOVERFLOW;	/* BLK_STS_ZONE_ACTIVE_RESOURCE */
}

static int uringblk_check_open(struct uringblk_zoned *zd)
	__must_hold(&zd->res_lock)
{
	if (!zd->max_open || zd->nr_exp_open + zd->nr_imp_open < zd->max_open)
		return 0;
	if (zd->nr_imp_open && !uringblk_check_active(zd) &&
	    uringblk_close_imp_open_zone(zd))
		return 0;
	return -ETOOMANYREFS;	/* BLK_STS_ZONE_OPEN_RESOURCE */
}

/*
 * Can zone @z (EMPTY or CLOSED) become open without breaking the limits?
 * As ZBC's "manage open zone resources", with ZNS's active limit: an
 * implicitly open zone may be closed to make room.
 */
static int uringblk_check_zone_resources(struct uringblk_zoned *zd,
					 struct uringblk_zone_state *z)
	__must_hold(&zd->res_lock)
{
	int ret;

	if (z->cond == BLK_ZONE_COND_EMPTY) {
		ret = uringblk_check_active(zd);
		if (ret)
			return ret;
	}
	return uringblk_check_open(zd);
}

/* @z leaves the open or closed condition: give back what it held.  res_lock held. */
static void uringblk_zone_put_resources(struct uringblk_zoned *zd,
					struct uringblk_zone_state *z)
{
	switch (z->cond) {
	case BLK_ZONE_COND_IMP_OPEN:
		zd->nr_imp_open--;
		break;
	case BLK_ZONE_COND_EXP_OPEN:
		zd->nr_exp_open--;
		break;
	case BLK_ZONE_COND_CLOSED:
		zd->nr_closed--;
		break;
	}
}

/* Errors of a zone the host may not write. */
static int uringblk_zone_cond_error(const struct uringblk_zone_state *z)
{
	switch (z->cond) {
	case BLK_ZONE_COND_READONLY:
		return -EROFS;
	case BLK_ZONE_COND_OFFLINE:
		return -EIO;
	default:
		return 0;
	}
}

/*
 * Check a write (or append) of @nr sectors and open the zone for it.  For
 * an append, *@sector receives the write pointer it will land at.
 * Zone mutex held; does not sleep.
 */
static int uringblk_zone_prepare_write(struct uringblk_zoned *zd,
				       struct uringblk_zone_state *z,
				       sector_t *sector, u32 nr, bool append)
{
	int ret = uringblk_zone_cond_error(z);

	if (ret)
		return ret;
	if (z->cond == BLK_ZONE_COND_FULL)
		return -ENOSPC;
	if (append)
		*sector = z->wp;
	else if (*sector != z->wp)
		return -EINVAL;		/* not at the write pointer */
	if (nr > z->start + z->capacity - z->wp)
		return -ENOSPC;
	if (z->cond != BLK_ZONE_COND_EMPTY && z->cond != BLK_ZONE_COND_CLOSED)
		return 0;		/* already open */

	spin_lock(&zd->res_lock);
	ret = uringblk_check_zone_resources(zd, z);
	if (!ret) {
		if (z->cond == BLK_ZONE_COND_CLOSED)
			zd->nr_closed--;
		zd->nr_imp_open++;
		z->cond = BLK_ZONE_COND_IMP_OPEN;
	}
	spin_unlock(&zd->res_lock);
	return ret;
}

/* @nr sectors landed at the write pointer.  Zone mutex held. */
static void uringblk_zone_advance(struct uringblk_zoned *zd,
				  struct uringblk_zone_state *z, u32 nr)
{
	sector_t wp = z->wp + nr;

	z->write_ops++;
	if (z->dirty_end <= wp)
		z->dirty_end = 0;
	if (wp < z->start + z->capacity) {
		smp_store_release(&z->wp, wp);
		return;
	}
	spin_lock(&zd->res_lock);
	if (z->cond == BLK_ZONE_COND_EXP_OPEN)
		zd->nr_exp_open--;
	else if (z->cond == BLK_ZONE_COND_IMP_OPEN)
		zd->nr_imp_open--;
	z->cond = BLK_ZONE_COND_FULL;
	spin_unlock(&zd->res_lock);
	smp_store_release(&z->wp, z->start + z->len);
}

/*
 * Make the blocks past the write pointer zeroes again after a write that
 * stored data there and then failed.  Zone mutex held; may sleep.
 */
static void uringblk_zone_clean(struct uringblk_dev *dev,
				struct uringblk_zone_state *z)
{
	if (z->dirty_end > z->wp && z->cond != BLK_ZONE_COND_FULL)
		dev->ops->discard(dev, (u64)z->wp << SECTOR_SHIFT,
				  (u64)(z->dirty_end - z->wp) << SECTOR_SHIFT);
	z->dirty_end = 0;
}

/*
 * A write failed after possibly storing data at [pos, pos + nr): clean it
 * now if we may sleep, else leave a note for the retry.  Zone mutex held.
 */
static void uringblk_zone_write_failed(struct uringblk_dev *dev,
				       struct uringblk_zone_state *z,
				       sector_t pos, u32 nr, bool can_sleep)
{
	z->dirty_end = max(z->dirty_end, pos + nr);
	if (can_sleep)
		uringblk_zone_clean(dev, z);
}

/**
 * uringblk_zone_write_rq() - a REQ_OP_WRITE or REQ_OP_ZONE_APPEND request
 * @dev: the zoned device
 * @rq: the request; an append's position becomes the sector it landed at
 * @gfp: GFP_NOWAIT in queue_rq (atomic), GFP_NOIO on the workqueue
 *
 * Return: 0, -EAGAIN (retry on the workqueue) or -errno.
 */
int uringblk_zone_write_rq(struct uringblk_dev *dev, struct request *rq, gfp_t gfp)
{
	struct uringblk_zoned *zd = dev->zoned;
	const bool append = req_op(rq) == REQ_OP_ZONE_APPEND;
	const bool can_sleep = gfpflags_allow_blocking(gfp);
	sector_t sector = blk_rq_pos(rq);
	u32 nr = blk_rq_sectors(rq);
	struct uringblk_zone_state *z = uringblk_zone(zd, sector);
	int ret;

	/* chunk_sectors keeps requests inside a zone; do not rely on it. */
	if (nr > z->start + z->len - sector)
		return -EIO;
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL) {
		if (append)
			return -EMEDIUMTYPE;
		return uringblk_write_rq(dev, rq, sector << SECTOR_SHIFT, gfp);
	}

	if (!uringblk_zone_lock(z, can_sleep))
		return -EAGAIN;
	if (can_sleep)
		uringblk_zone_clean(dev, z);
	ret = uringblk_zone_prepare_write(zd, z, &sector, nr, append);
	/*
	 * A zone that cannot take the write is an I/O error on the block
	 * device, as on null_blk and NVMe (not BLK_STS_NOSPC: the device is
	 * not out of space); only the zone resource errors have a status of
	 * their own.
	 */
	if (ret == -ENOSPC || ret == -EROFS || ret == -EINVAL)
		ret = -EIO;
	if (ret)
		goto out_unlock;
	ret = uringblk_write_rq(dev, rq, sector << SECTOR_SHIFT, gfp);
	if (ret) {
		uringblk_zone_write_failed(dev, z, sector, nr, can_sleep);
		goto out_unlock;
	}
	if (append)
		rq->__sector = sector;	/* blk-mq hands it back in the bio */
	uringblk_zone_advance(zd, z, nr);
out_unlock:
	mutex_unlock(&z->lock);
	/* FUA covers the write pointer too, or the data past it is lost at load. */
	if (!ret && (rq->cmd_flags & REQ_FUA) && dev->zmeta)
		ret = uringblk_zmeta_sync(dev);
	return ret;
}

/* Reads of an offline zone fail; everything else reads (see the invariant). */
int uringblk_zone_check_read(struct uringblk_dev *dev, sector_t sector)
{
	struct uringblk_zone_state *z = uringblk_zone(dev->zoned, sector);

	return READ_ONCE(z->cond) == BLK_ZONE_COND_OFFLINE ? -EIO : 0;
}

/* The zone management actions.  Zone mutex held; only reset sleeps. */

static int uringblk_zone_open(struct uringblk_zoned *zd,
			      struct uringblk_zone_state *z)
{
	int ret = 0;

	spin_lock(&zd->res_lock);
	switch (z->cond) {
	case BLK_ZONE_COND_EXP_OPEN:
		goto out_unlock;
	case BLK_ZONE_COND_EMPTY:
		ret = uringblk_check_zone_resources(zd, z);
		break;
	case BLK_ZONE_COND_IMP_OPEN:
		zd->nr_imp_open--;
		break;
	case BLK_ZONE_COND_CLOSED:
		ret = uringblk_check_zone_resources(zd, z);
		if (!ret)
			zd->nr_closed--;
		break;
	default:	/* FULL */
		ret = -ENOSPC;
		break;
	}
	if (!ret) {
		z->cond = BLK_ZONE_COND_EXP_OPEN;
		zd->nr_exp_open++;
	}
out_unlock:
	spin_unlock(&zd->res_lock);
	return ret;
}

static int uringblk_zone_close(struct uringblk_zoned *zd,
			       struct uringblk_zone_state *z)
{
	int ret = 0;

	spin_lock(&zd->res_lock);
	switch (z->cond) {
	case BLK_ZONE_COND_CLOSED:
		goto out_unlock;
	case BLK_ZONE_COND_IMP_OPEN:
		zd->nr_imp_open--;
		break;
	case BLK_ZONE_COND_EXP_OPEN:
		zd->nr_exp_open--;
		break;
	default:	/* EMPTY, FULL: not open */
		ret = -EINVAL;
		goto out_unlock;
	}
	if (z->wp == z->start) {
		z->cond = BLK_ZONE_COND_EMPTY;
	} else {
		z->cond = BLK_ZONE_COND_CLOSED;
		zd->nr_closed++;
	}
out_unlock:
	spin_unlock(&zd->res_lock);
	return ret;
}

static int uringblk_zone_finish(struct uringblk_dev *dev,
				struct uringblk_zone_state *z)
{
	struct uringblk_zoned *zd = dev->zoned;
	int ret = 0;

	uringblk_zone_clean(dev, z);
	spin_lock(&zd->res_lock);
	switch (z->cond) {
	case BLK_ZONE_COND_FULL:
		goto out_unlock;
	case BLK_ZONE_COND_EMPTY:
		ret = uringblk_check_zone_resources(zd, z);
		break;
	case BLK_ZONE_COND_IMP_OPEN:
		zd->nr_imp_open--;
		break;
	case BLK_ZONE_COND_EXP_OPEN:
		zd->nr_exp_open--;
		break;
	case BLK_ZONE_COND_CLOSED:
		ret = uringblk_check_zone_resources(zd, z);
		if (!ret)
			zd->nr_closed--;
		break;
	}
	if (!ret) {
		z->cond = BLK_ZONE_COND_FULL;
		smp_store_release(&z->wp, z->start + z->len);
	}
out_unlock:
	spin_unlock(&zd->res_lock);
	return ret;
}

/* May sleep: the zone's memory is released. */
static int uringblk_zone_reset(struct uringblk_dev *dev,
			       struct uringblk_zone_state *z)
{
	struct uringblk_zoned *zd = dev->zoned;

	spin_lock(&zd->res_lock);
	if (z->cond == BLK_ZONE_COND_EMPTY) {
		spin_unlock(&zd->res_lock);
		uringblk_zone_clean(dev, z);
		return 0;
	}
	uringblk_zone_put_resources(zd, z);
	z->cond = BLK_ZONE_COND_EMPTY;
	spin_unlock(&zd->res_lock);

	WRITE_ONCE(z->wp, z->start);
	z->dirty_end = 0;
	z->reset_ops++;
	return dev->ops->discard(dev, (u64)z->start << SECTOR_SHIFT,
				 (u64)z->len << SECTOR_SHIFT);
}

static int uringblk_zone_reset_all(struct uringblk_dev *dev)
{
	struct uringblk_zoned *zd = dev->zoned;

	for (u32 i = zd->nr_conv; i < zd->nr_zones; i++) {
		struct uringblk_zone_state *z = &zd->zones[i];

		mutex_lock(&z->lock);
		if (!uringblk_zone_cond_error(z))
			uringblk_zone_reset(dev, z);
		mutex_unlock(&z->lock);
		cond_resched();
	}
	return 0;
}

/**
 * uringblk_zone_mgmt() - reset, reset all, open, close or finish
 * @dev: the zoned device
 * @op: REQ_OP_ZONE_*
 * @sector: first sector of the zone, inside the device (ignored for
 *	    REQ_OP_ZONE_RESET_ALL)
 *
 * Process context; may sleep.
 * Return: 0 or -errno (see the uAPI header's list).
 */
static int __uringblk_zone_mgmt(struct uringblk_dev *dev, enum req_op op,
				sector_t sector)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone_state *z;
	int ret;

	if (op == REQ_OP_ZONE_RESET_ALL)
		return uringblk_zone_reset_all(dev);
	z = uringblk_zone(zd, sector);
	if (sector != z->start)
		return -EINVAL;
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return -EMEDIUMTYPE;

	mutex_lock(&z->lock);
	ret = uringblk_zone_cond_error(z);
	if (ret)
		goto out_unlock;
	switch (op) {
	case REQ_OP_ZONE_RESET:
		ret = uringblk_zone_reset(dev, z);
		break;
	case REQ_OP_ZONE_OPEN:
		ret = uringblk_zone_open(zd, z);
		break;
	case REQ_OP_ZONE_CLOSE:
		ret = uringblk_zone_close(zd, z);
		break;
	case REQ_OP_ZONE_FINISH:
		ret = uringblk_zone_finish(dev, z);
		break;
	default:
		ret = -EOPNOTSUPP;
		break;
	}
out_unlock:
	mutex_unlock(&z->lock);
	return ret;
}

int uringblk_zone_mgmt(struct uringblk_dev *dev, enum req_op op, sector_t sector)
{
	int ret = __uringblk_zone_mgmt(dev, op, sector);

	/* On a file, a completed zone operation is durable, like a FUA write. */
	if (!ret && dev->zmeta)
		ret = uringblk_zmeta_sync(dev);
	return ret;
}

/* ---- persistence (the on-disk format is zoned_meta.c's) ---- */

/**
 * uringblk_zone_snapshot() - each zone's condition and write pointer
 * @dev: the zoned device
 * @recs: one record per zone, filled in
 *
 * Takes no zone mutex (a FUA write holds one while it flushes), so a zone
 * changing meanwhile may be caught half way, e.g. already FULL with the old
 * write pointer; uringblk_zone_restore() normalises such pairs.  A write
 * pointer is read with acquire: the data below it has landed.
 */
void uringblk_zone_snapshot(struct uringblk_dev *dev, struct uringblk_zone_rec *recs)
{
	struct uringblk_zoned *zd = dev->zoned;

	for (u32 i = 0; i < zd->nr_zones; i++) {
		recs[i].cond = READ_ONCE(zd->zones[i].cond);
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

/* ---- fault injection: bad zones ---- */

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

/* ---- identify, EXEC, sysfs ---- */

/* Fill the zone fields of IDENTIFY. */
void uringblk_zone_identify(struct uringblk_dev *dev, struct uringblk_identify *id)
{
	struct uringblk_zoned *zd = dev->zoned;

	if (!zd)
		return;
	id->features |= URINGBLK_F_ZONED;
	id->features &= ~(URINGBLK_F_DISCARD | URINGBLK_F_WRITE_ZEROES);
	id->zone_size = (u64)zd->zone_sects << SECTOR_SHIFT;
	id->zone_capacity = (u64)(dev->cfg.zone_capacity_mb ?: dev->cfg.zone_size_mb) << 20;
	id->nr_zones = zd->nr_zones;
	id->nr_conv_zones = zd->nr_conv;
	id->max_open_zones = zd->max_open;
	id->max_active_zones = zd->max_active;
	id->max_zone_append = zd->max_append << SECTOR_SHIFT;
}

/**
 * uringblk_zone_exec_range() - cut an EXEC range at its zone's write pointer
 * @dev: the device
 * @lba: first logical block of the range (inside the device)
 * @count: number of blocks (the range is inside the device); cut to what
 *	   has been written
 *
 * Does not sleep.  Return: 0; -EOPNOTSUPP on a regular drive; -EINVAL if
 * the range crosses a zone boundary; -EIO for an offline zone.
 */
int uringblk_zone_exec_range(struct uringblk_dev *dev, u64 lba, u64 *count)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone_state *z;
	u64 wp, end;

	if (!zd)
		return -EOPNOTSUPP;
	z = uringblk_zone(zd, lba << zd->lba_shift);
	end = (z->start + z->len) >> zd->lba_shift;
	if (*count > end - lba)
		return -EINVAL;
	switch (READ_ONCE(z->cond)) {
	case BLK_ZONE_COND_OFFLINE:
		return -EIO;
	case BLK_ZONE_COND_NOT_WP:
	case BLK_ZONE_COND_READONLY:
		return 0;	/* all of it */
	}
	/* Pairs with the release in the writers: the data below wp are there. */
	wp = smp_load_acquire(&z->wp) >> zd->lba_shift;
	*count = wp > lba ? min(*count, wp - lba) : 0;
	return 0;
}

static const char *uringblk_zone_cond_name(u8 cond)
{
	switch (cond) {
	case BLK_ZONE_COND_NOT_WP:	return "not_wp";
	case BLK_ZONE_COND_EMPTY:	return "empty";
	case BLK_ZONE_COND_IMP_OPEN:	return "imp_open";
	case BLK_ZONE_COND_EXP_OPEN:	return "exp_open";
	case BLK_ZONE_COND_CLOSED:	return "closed";
	case BLK_ZONE_COND_READONLY:	return "readonly";
	case BLK_ZONE_COND_FULL:	return "full";
	case BLK_ZONE_COND_OFFLINE:	return "offline";
	default:			return "?";
	}
}

/* A copy of one zone for a report, in logical blocks.  May sleep. */
static void uringblk_zone_get(struct uringblk_zoned *zd, u32 zno,
			      struct uringblk_zone *out)
{
	struct uringblk_zone_state *z = &zd->zones[zno];
	const unsigned int s = zd->lba_shift;

	memset(out, 0, sizeof(*out));
	mutex_lock(&z->lock);
	out->start = z->start >> s;
	out->len = z->len >> s;
	out->capacity = z->capacity >> s;
	if (z->cond == BLK_ZONE_COND_READONLY || z->cond == BLK_ZONE_COND_OFFLINE)
		out->wp = ~0ULL;
	else
		out->wp = z->wp >> s;
	out->type = z->type;
	out->cond = z->cond;
	out->write_ops = z->write_ops;
	out->reset_ops = z->reset_ops;
	mutex_unlock(&z->lock);
}

/*
 * The sysfs "zones" table: fixed-width lines (a header, then one per
 * zone), so a read at any offset knows which zones to format, and a table
 * of any number of zones can be read in pieces.  Positions in logical
 * blocks, as in REPORT_ZONES.
 */
#define URINGBLK_ZONE_LINE	"%8s %14s %12s %12s %14s %-4s %-8s %20s %20s\n"
#define URINGBLK_ZONE_LINE_LEN	(8 + 14 + 12 + 12 + 14 + 4 + 8 + 20 + 20 + 9)

static void uringblk_zone_line(struct uringblk_zoned *zd, u64 line, char *buf)
{
	char zno[16], start[24], len[24], cap[24], wp[24], wr[24], rs[24];
	struct uringblk_zone z;

	if (!line) {
		snprintf(buf, URINGBLK_ZONE_LINE_LEN + 1, URINGBLK_ZONE_LINE, "zone",
			 "start", "len", "capacity", "wp", "type", "cond",
			 "write_ops", "reset_ops");
		return;
	}
	uringblk_zone_get(zd, line - 1, &z);
	snprintf(zno, sizeof(zno), "%llu", line - 1);
	snprintf(start, sizeof(start), "%llu", z.start);
	snprintf(len, sizeof(len), "%llu", z.len);
	snprintf(cap, sizeof(cap), "%llu", z.capacity);
	if (z.wp == ~0ULL)
		strscpy(wp, "-", sizeof(wp));
	else
		snprintf(wp, sizeof(wp), "%llu", z.wp);
	snprintf(wr, sizeof(wr), "%llu", z.write_ops);
	snprintf(rs, sizeof(rs), "%llu", z.reset_ops);
	snprintf(buf, URINGBLK_ZONE_LINE_LEN + 1, URINGBLK_ZONE_LINE, zno, start,
		 len, cap, wp, z.type == BLK_ZONE_TYPE_CONVENTIONAL ? "conv" : "seq",
		 uringblk_zone_cond_name(z.cond), wr, rs);
}

/**
 * uringblk_zone_sysfs_read() - read part of the sysfs zone table
 * @dev: the zoned device
 * @buf: destination
 * @off: offset in the table
 * @count: bytes wanted
 *
 * May sleep.  Return: bytes copied, 0 at the end.
 */
ssize_t uringblk_zone_sysfs_read(struct uringblk_dev *dev, char *buf,
				 loff_t off, size_t count)
{
	const u32 w = URINGBLK_ZONE_LINE_LEN;
	struct uringblk_zoned *zd = dev->zoned;
	u64 size = (1 + (u64)zd->nr_zones) * w;
	char line[URINGBLK_ZONE_LINE_LEN + 1];
	size_t done = 0;

	if (off < 0 || off >= size)
		return 0;
	count = min_t(u64, count, size - off);
	while (done < count) {
		u32 col;
		u64 nr = div_u64_rem(off + done, w, &col);	/* line number */
		size_t n = min_t(size_t, w - col, count - done);

		uringblk_zone_line(zd, nr, line);
		memcpy(buf + done, line + col, n);
		done += n;
	}
	return done;
}

/* ---- the zone commands on the command device ---- */

static bool uringblk_cmd_nonblock(struct io_uring_cmd *ioucmd)
{
	return uringblk_cmd_pdu(ioucmd)->issue_flags & IO_URING_F_NONBLOCK;
}

/*
 * The zone starting at logical block @lba: -ERANGE past the end, -EINVAL
 * if @lba is not a zone start.
 */
static int uringblk_cmd_zone_start(struct uringblk_dev *dev, u64 lba,
				   sector_t *sector)
{
	struct uringblk_zoned *zd = dev->zoned;

	if (lba >= uringblk_nr_lbas(dev))
		return -ERANGE;
	*sector = lba << zd->lba_shift;
	if (*sector & (zd->zone_sects - 1))
		return -EINVAL;
	return 0;
}

/**
 * uringblk_cmd_report_zones() - REPORT_ZONES
 * @dev: the device
 * @c: the validated payload
 * @ioucmd: the command (its pdu holds the issue flags)
 *
 * Return: cqe->res or -errno (see the uAPI header).
 * May sleep; issued non-blocking, a busy zone sends it to io-wq (-EAGAIN).
 * Context: dev->lock held for read.
 */
int uringblk_cmd_report_zones(struct uringblk_dev *dev, const struct uringblk_cmd *c,
			      struct io_uring_cmd *ioucmd)
{
	const size_t isz = sizeof(struct uringblk_zone);
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone __user *ubuf = u64_to_user_ptr(c->addr);
	u32 max = c->len / isz, n, zno;
	struct uringblk_zone z;

	BUILD_BUG_ON(sizeof(struct uringblk_zone) != 64);
	if (!zd)
		return -EOPNOTSUPP;
	/* A bound on the work of one command, however many zones there are. */
	if (max > URINGBLK_MAX_REPORT_ZONES)
		return -E2BIG;
	if (!max || c->len % isz)
		return -EINVAL;
	if (c->report_zones.lba >= uringblk_nr_lbas(dev))
		return 0;
	zno = (c->report_zones.lba << zd->lba_shift) >> zd->zone_shift;
	for (n = 0; n < max && zno < zd->nr_zones; n++, zno++) {
		if (uringblk_cmd_nonblock(ioucmd) &&
		    mutex_is_locked(&zd->zones[zno].lock))
			return -EAGAIN;
		uringblk_zone_get(zd, zno, &z);
		if (copy_to_user(&ubuf[n], &z, isz))
			return -EFAULT;
		cond_resched();
	}
	return n;
}

/**
 * uringblk_cmd_zone_mgmt() - ZONE_MGMT
 * @dev: the device
 * @c: the validated payload
 * @ioucmd: the command (its pdu holds the issue flags)
 *
 * Return: cqe->res or -errno (see the uAPI header).
 * Issued non-blocking, it goes to io-wq first (-EAGAIN): a reset frees the
 * zone's memory and any action may wait for the zone's mutex.
 * Context: dev->lock held for read.  May sleep.
 */
int uringblk_cmd_zone_mgmt(struct uringblk_dev *dev, const struct uringblk_cmd *c,
			   struct io_uring_cmd *ioucmd)
{
	static const enum req_op ops[] = {
		[URINGBLK_ZONE_ACTION_RESET]	= REQ_OP_ZONE_RESET,
		[URINGBLK_ZONE_ACTION_OPEN]	= REQ_OP_ZONE_OPEN,
		[URINGBLK_ZONE_ACTION_CLOSE]	= REQ_OP_ZONE_CLOSE,
		[URINGBLK_ZONE_ACTION_FINISH]	= REQ_OP_ZONE_FINISH,
		[URINGBLK_ZONE_ACTION_RESET_ALL] = REQ_OP_ZONE_RESET_ALL,
	};
	const u64 start_ns = uringblk_lat_start(dev);
	sector_t sector = 0;
	enum req_op op;
	int ret;

	if (!dev->zoned)
		return -EOPNOTSUPP;
	if (!(ioucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	/* addr, len: the gate */
	if (!c->zone_mgmt.action || c->zone_mgmt.action >= ARRAY_SIZE(ops))
		return -EINVAL;
	op = ops[c->zone_mgmt.action];
	if (op == REQ_OP_ZONE_RESET_ALL) {
		if (c->zone_mgmt.zone_lba)
			return -EINVAL;
	} else {
		ret = uringblk_cmd_zone_start(dev, c->zone_mgmt.zone_lba, &sector);
		if (ret)
			return ret;
	}
	if (uringblk_cmd_nonblock(ioucmd))
		return -EAGAIN;

	ret = uringblk_zone_mgmt(dev, op, sector);
	if (ret)
		return ret;
	uringblk_stats_zone_mgmt(dev, op);
	uringblk_lat_record(dev, URINGBLK_LAT_ZONE_MGMT, start_ns);
	return 0;
}

/**
 * uringblk_cmd_zone_append() - ZONE_APPEND
 * @dev: the device
 * @c: the validated payload
 * @ioucmd: the command (its pdu holds the issue flags)
 *
 * Return: cqe->res or -errno (see the uAPI header).
 * The data are copied into a kernel buffer first, then written at the
 * write pointer under the zone's mutex, like a REQ_OP_ZONE_APPEND.
 * Issued non-blocking, the mutex is only tried and memory is not waited
 * for: either failing sends the command to io-wq (-EAGAIN).  lba_out_addr is
 * written before the data so that a bad address fails the command before
 * anything lands.  Context: dev->lock held for read.  May sleep.
 */
int uringblk_cmd_zone_append(struct uringblk_dev *dev, const struct uringblk_cmd *c,
			     struct io_uring_cmd *ioucmd)
{
	const u64 start_ns = uringblk_lat_start(dev);
	struct uringblk_zoned *zd = dev->zoned;
	u64 __user *lba_out = u64_to_user_ptr(c->zone_append.lba_out_addr);
	const bool can_sleep = !uringblk_cmd_nonblock(ioucmd);
	const gfp_t gfp = can_sleep ? GFP_NOIO : GFP_NOWAIT;
	struct uringblk_zone_state *z;
	sector_t sector;
	u32 nr;
	u8 *buf;
	int ret;

	if (!zd)
		return -EOPNOTSUPP;
	if (!(ioucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = uringblk_cmd_zone_start(dev, c->zone_append.zone_lba, &sector);
	if (ret)
		return ret;
	if (!c->len || c->len % dev->cfg.block_size)
		return -EINVAL;
	nr = c->len >> SECTOR_SHIFT;
	if (nr > zd->max_append)
		return -E2BIG;
	z = uringblk_zone(zd, sector);
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return -EMEDIUMTYPE;
	if (lba_out && put_user(~0ULL, lba_out))
		return -EFAULT;

	buf = kvmalloc(c->len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, u64_to_user_ptr(c->addr), c->len)) {
		ret = -EFAULT;
		goto out_free;
	}
	if (!uringblk_zone_lock(z, can_sleep)) {
		ret = -EAGAIN;
		goto out_free;
	}
	if (can_sleep)
		uringblk_zone_clean(dev, z);
	ret = uringblk_zone_prepare_write(zd, z, &sector, nr, true);
	if (!ret) {
		ret = uringblk_copy(dev, buf, (u64)sector << SECTOR_SHIFT, c->len,
				    true, gfp);
		if (ret)
			uringblk_zone_write_failed(dev, z, sector, nr, can_sleep);
		else
			uringblk_zone_advance(zd, z, nr);
	}
	mutex_unlock(&z->lock);
	if (ret)
		goto out_free;

	uringblk_stats_append(dev, c->len);
	uringblk_lat_record(dev, URINGBLK_LAT_ZONE_APPEND, start_ns);
	uringblk_cmd_pdu(ioucmd)->res2 = sector >> zd->lba_shift;
	if (lba_out && put_user(sector >> zd->lba_shift, lba_out))
		ret = -EFAULT;	/* landed, and big_cqe[0] says where */
out_free:
	kvfree(buf);
	return ret;
}
