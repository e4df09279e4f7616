// SPDX-License-Identifier: GPL-2.0
/*
 * The zoned model: a host-managed zoned drive as Linux 6.1 expects one,
 * after drivers/block/null_blk/zoned.c.  The request path enters it once,
 * at uringblk_zone_rq(), for every request of a zoned drive; the zone
 * write core, uringblk_zone_write(), serves that path and the ZONE_APPEND
 * command alike.  Every change of a zone's condition by requests and zone
 * management is made here.  Around it, each in the file of its kind: bad
 * zones (fault injection's knobs in fault.c) in zoned_bad.c, the calls
 * of every front end in logical blocks in zoned_lba.c, the zone commands
 * in cmd_zone.c, the sysfs zone table in zoned_sysfs.c, the zone
 * state as records to save and restore in zoned_state.c, and their place
 * in the backing file in zoned_meta.c; the state they share is in
 * zoned.h.  Built only with CONFIG_BLK_DEV_ZONED;
 * uringblk.h has the stubs otherwise.
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
 * but the offline check (uringblk_zone_readable()), and a FINISH exposes
 * only zeroes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/blkzoned.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "bio.h"
#include "zoned.h"

/* Bounds the zone array (about 100 bytes a zone). */
#define URINGBLK_MAX_ZONES	(1U << 18)

/**
 * uringblk_zone_needs_mq() - does @cfg describe a drive with zones?
 * @cfg: the configuration
 *
 * Zones are a request's state machine (blk-mq's): queue_mode=auto makes
 * such a drive a blk-mq one (bio.c).
 */
bool uringblk_zone_needs_mq(const struct uringblk_config *cfg)
{
	return cfg->zoned;
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
	if (cfg->kv) {		/* kv_ns.c: the whole media is the KV image */
		uringblk_msg(msg, "kv=1 with zoned=1: a KV drive's media is its KV image, not zones");
		return -EINVAL;
	}
	if (cfg->kv_nvm_mb) {	/* kv_ns.c: the seed dialect on an NVM namespace */
		uringblk_msg(msg, "kv_nvm_mb=%u with zoned=1: the seed dialect is on an NVM namespace only, not a zoned one",
			     cfg->kv_nvm_mb);
		return -EINVAL;
	}
	/* Zones are a request's state machine, and blk-mq's (bio.h). */
	if (cfg->queue_mode == URINGBLK_QUEUE_BIO) {
		uringblk_msg(msg, "queue_mode=bio with zoned=1: zones need queue_mode=mq");
		return -EINVAL;
	}
	/* The file's size cannot say where the data end and the zones begin. */
	if (!cfg->capacity) {
		uringblk_msg(msg, "capacity=0 bytes: must be a non-zero multiple of block_size=%u (0, the file's size, only without zones)",
			     cfg->block_size);
		return -EINVAL;
	}
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
 * @dev: the device; dev->zoned is set, and a zone append runs where a
 *	 write does (dev->inline_ops, set before).  Does nothing for a
 *	 regular device.
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
	/* A zone append is a write at a place this file picks. */
	if (dev->inline_ops & URINGBLK_OP_BIT(REQ_OP_WRITE))
		dev->inline_ops |= URINGBLK_OP_BIT(REQ_OP_ZONE_APPEND);
	return 0;
}

/**
 * uringblk_zone_register() - make the disk a host-managed zoned disk
 * @dev: the device, its disk allocated and limits set, not yet added
 *
 * As null_blk does (uringblk_set_zoned(), compat_blk.c, for each kernel):
 * zoned model, reset-all support, one write per zone in flight (6.1's
 * mq-deadline, 6.12's zone write plugging), zones checked by
 * blk_revalidate_disk_zones(), the zone append, open and active limits.
 * Discard and write-zeroes are turned off: on a zoned drive a reset is the
 * way to drop data.
 * May sleep.  Return: 0 or -errno.
 */
int uringblk_zone_register(struct uringblk_dev *dev)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone_limits z;
	int ret;

	if (!zd)
		return 0;
	z = (struct uringblk_zone_limits) {
		.zone_sects		= zd->zone_sects,
		.max_append_sects	= zd->zone_sects,
		.max_open		= zd->max_open,
		.max_active		= zd->max_active,
	};
	ret = uringblk_set_zoned(dev->disk, &z);	/* compat_blk.c */
	if (ret)
		return ret;
	zd->max_append = queue_max_zone_append_sectors(dev->disk->queue);
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
 * Return: the number of zones reported, or @cb's error.  Each zone is copied
 * under its mutex, then handed to @cb (which may change the copy).  Process
 * context; may sleep.
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

/*
 * May @nr sectors be written at @sector of zone @z?  The zone's refusals,
 * as ZNS orders them: its condition, full, then the write pointer.  The
 * zone write core's, and zoned_nvme.c's for a write the block layer
 * refused.  Zone mutex held; does not sleep.
 */
int uringblk_zone_check_write(const struct uringblk_zone_state *z, sector_t sector,
			      u32 nr)
{
	int ret = uringblk_zone_cond_status(z);

	if (ret)
		return ret;
	if (z->cond == BLK_ZONE_COND_FULL)
		return uringblk_st(URINGBLK_SC_ZONE_FULL);
	if (sector != z->wp)
		return uringblk_st(URINGBLK_SC_ZONE_INVALID_WRITE);
	/*
	 * Past the zone's capacity, the zone not full: ZNS's Zone Boundary
	 * Error, for a Write and a Zone Append alike (QEMU's
	 * nvme_check_zone_write()).  The command device's ZONE_APPEND keeps
	 * the Zone Is Full (-ENOSPC) of ABI 1.0 (cmd_zone.c).
	 */
	if (nr > z->start + z->capacity - z->wp)
		return uringblk_st(URINGBLK_SC_ZONE_BOUNDARY_ERROR);
	return 0;
}

/*
 * Check a write (or append) of @nr sectors and open the zone for it.  For
 * an append, *@sector receives the write pointer it will land at.  The
 * zone's refusals are ZNS statuses (a write's check, as ZNS orders it:
 * the zone's condition, then the write pointer); the resource limits are
 * bare errnos, whose generic statuses are the ZNS ones.
 * Zone mutex held; does not sleep.
 */
static int uringblk_zone_prepare_write(struct uringblk_zoned *zd,
				       struct uringblk_zone_state *z,
				       sector_t *sector, u32 nr, bool append)
{
	int ret;

	if (append)
		*sector = z->wp;
	ret = uringblk_zone_check_write(z, *sector, nr);
	if (ret)
		return ret;
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
		/* the data below wp first: pairs with the lockless readers' acquire */
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
	/* the zone's data first: pairs with the lockless readers' acquire */
	smp_store_release(&z->wp, z->start + z->len);
}

/*
 * Make the blocks past the write pointer zeroes again after a write that
 * stored data there and then failed.  Zone mutex held; may sleep.
 */
void uringblk_zone_clean(struct uringblk_dev *dev, struct uringblk_zone_state *z)
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
 * uringblk_zone_write() - the zone write core: every write to a sequential zone
 * @dev: the zoned device
 * @d: the data (a request's pages or a command's buffer)
 * @sector: a write's first sector, at the write pointer; for an append,
 *	    any sector of the zone, and on success the sector it landed at
 * @append: a zone append (lands at the write pointer)
 * @fua: make the data, and the write pointer that covers it, durable
 *	 before returning (uringblk_zmeta_sync())
 * @gfp: GFP_NOWAIT where sleeping is not allowed (the zone mutex is then
 *	 only tried), GFP_NOIO where it is
 *
 * Used by REQ_OP_WRITE and REQ_OP_ZONE_APPEND (uringblk_zone_rq()) and by
 * the ZONE_APPEND command (cmd_zone.c).  Under the zone's mutex: clean what
 * a failed write left past the write pointer (if it may sleep), check the
 * zone and open it, store the data, advance the write pointer.  The zone
 * must be sequential and the write inside it (the callers check, each
 * with its own errno).  A FUA write syncs after the mutex is dropped: the
 * sync snapshots every zone and takes no zone mutex.
 * Return: 0; -EAGAIN (retry where sleeping is allowed); the statuses
 * Zone Invalid Write (not at the write pointer), Zone Is Full, Zone
 * Boundary Error (less room left than @d), Zone Is Read Only, Zone Is
 * Offline; -ETOOMANYREFS,
 * -EOVERFLOW (open, active limit); or the backend's -errno.  The block
 * path turns the statuses into their errnos (uringblk_status_errno());
 * the ZONE_APPEND command answers them.
 */
int uringblk_zone_write(struct uringblk_dev *dev, const struct uringblk_wdata *d,
			sector_t *sector, bool append, bool fua, gfp_t gfp)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone_state *z = uringblk_zone(zd, *sector);
	const bool can_sleep = gfpflags_allow_blocking(gfp);
	const u32 nr = d->len >> SECTOR_SHIFT;
	int ret;

	if (!uringblk_zone_lock(z, can_sleep))
		return -EAGAIN;
	if (can_sleep)
		uringblk_zone_clean(dev, z);
	ret = uringblk_zone_prepare_write(zd, z, sector, nr, append);
	if (!ret) {
		ret = uringblk_store(dev, d, (u64)*sector << SECTOR_SHIFT, gfp);
		if (ret)
			uringblk_zone_write_failed(dev, z, *sector, nr, can_sleep);
		else
			uringblk_zone_advance(zd, z, nr);
	}
	mutex_unlock(&z->lock);
	/* FUA covers the write pointer too, or the data past it is lost at load. */
	if (!ret && fua)
		ret = uringblk_zmeta_sync(dev);
	return ret;
}

/*
 * Who keeps a failed write's zone status beside its bio, for a front end
 * whose writes answer the zone's own status (the NVMe face's Write: Zone
 * Invalid Write, Zone Is Full, ...) while the block device sees -EIO.
 * Set once at module load, before any drive exists (main.c); the zone
 * model does not know whose it is.
 */
static void (*zone_status_note)(struct bio *bio, int status);

/**
 * uringblk_zone_set_status_note() - who is told a failed zone write's status
 * @note:	called with a failed write request's first bio and its status
 *		(uringblk_st()), any context; it leaves bios not its own
 *		alone.  NULL: nobody.
 *
 * Context: module load or unload, no drive in existence.
 */
void uringblk_zone_set_status_note(void (*note)(struct bio *bio, int status))
{
	zone_status_note = note;
}

/* A REQ_OP_WRITE or REQ_OP_ZONE_APPEND request.  Return: as uringblk_zone_rq(). */
static int uringblk_zone_write_rq(struct uringblk_dev *dev, struct request *rq,
				  gfp_t gfp)
{
	const bool append = req_op(rq) == REQ_OP_ZONE_APPEND;
	const struct uringblk_wdata d = { .rq = rq, .len = blk_rq_bytes(rq) };
	sector_t sector = blk_rq_pos(rq);
	struct uringblk_zone_state *z = uringblk_zone(dev->zoned, sector);
	int ret;

	/* chunk_sectors keeps requests inside a zone; do not rely on it. */
	if (blk_rq_sectors(rq) > z->start + z->len - sector)
		return -EIO;
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return append ? -EMEDIUMTYPE : uringblk_process_rq(dev, rq, gfp);
	ret = uringblk_zone_write(dev, &d, &sector, append, rq->cmd_flags & REQ_FUA, gfp);
	/* A front end's write may answer the zone's status itself. */
	if (uringblk_is_st(ret) && rq->bio && zone_status_note)
		zone_status_note(rq->bio, ret);
	ret = uringblk_status_errno(ret);
	/*
	 * A zone that cannot take the write is an I/O error on the block
	 * device, as on null_blk and NVMe (not BLK_STS_NOSPC: the device is
	 * not out of space); only the zone resource errors have a status of
	 * their own.
	 */
	if (ret == -ENOSPC || ret == -EROFS || ret == -EINVAL)
		return -EIO;
	if (!ret && append)
		rq->__sector = sector;	/* blk-mq hands it back in the bio */
	return ret;
}

/**
 * uringblk_zone_rq() - the zoned layer's entry: one request of a zoned drive
 * @dev: the zoned device
 * @rq: the request, inside the device (rq.c checked)
 * @gfp: GFP_NOWAIT in queue_rq (atomic), GFP_NOIO on the workqueue
 *
 * The request path's only way into zones, as null_blk enters
 * null_process_zoned_cmd(): flushes save the zones, writes and appends go
 * through the zone write core, zone management to the model; everything
 * else (reads) is a plain request, handed back to uringblk_process_rq().
 * Return: 0, -EAGAIN (retry on the workqueue) or -errno.
 */
int uringblk_zone_rq(struct uringblk_dev *dev, struct request *rq, gfp_t gfp)
{
	const enum req_op op = req_op(rq);

	if (op == REQ_OP_FLUSH)
		return uringblk_zmeta_sync(dev);
	/* Never inline (not in inline_ops): these may sleep. */
	if (op_is_zone_mgmt(op))
		return uringblk_status_errno(uringblk_zone_mgmt_op(dev, op, blk_rq_pos(rq), 0));
	if (op == REQ_OP_WRITE || op == REQ_OP_ZONE_APPEND)
		return uringblk_zone_write_rq(dev, rq, gfp);
	return uringblk_process_rq(dev, rq, gfp);
}

/**
 * uringblk_zone_readable() - the zone part of the read policy
 * @dev: the device; a drive without zones reads anywhere
 * @pos: device byte offset (inside the device)
 * @len: bytes wanted
 *
 * An offline zone cannot be read; everything else can, past the write
 * pointer too (it reads as zeroes: the invariant at the top).  Called by
 * uringblk_read_check() only.  Lockless; does not sleep.
 * Return: the bytes from @pos that stay in @pos's zone (at most @len), or
 * -EIO.
 */
s64 uringblk_zone_readable(struct uringblk_dev *dev, u64 pos, u64 len)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone_state *z;
	u64 end;

	if (!zd)
		return len;
	z = uringblk_zone(zd, pos >> SECTOR_SHIFT);
	end = (u64)(z->start + z->len) << SECTOR_SHIFT;
	if (READ_ONCE(z->cond) == BLK_ZONE_COND_OFFLINE)
		return -EIO;
	return min(len, end - pos);
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
	default:
		/*
		 * FULL.  ZNS: Invalid Zone State Transition; the uAPI has
		 * answered -ENOSPC since ABI 1.0, and that errno's status is
		 * Zone Is Full (status.c keeps one errno per status).
		 */
		ret = uringblk_st(URINGBLK_SC_ZONE_FULL);
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

/*
 * An open zone becomes CLOSED; one without data (write pointer at its
 * start) EMPTY, as ZBC and null_blk have it, unless @zns: ZNS closes it
 * (ZSEO -> ZSC whatever the write pointer), and it stays active.
 */
static int uringblk_zone_close(struct uringblk_zoned *zd,
			       struct uringblk_zone_state *z, bool zns)
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
	default:	/* EMPTY, FULL: not open (ZNS: no such transition) */
		ret = uringblk_st(URINGBLK_SC_ZONE_INVALID_TRANSITION);
		goto out_unlock;
	}
	if (z->wp == z->start && !zns) {
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
		/* the zone's data first: pairs with the lockless readers' acquire */
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

static int __uringblk_zone_mgmt(struct uringblk_dev *dev, enum req_op op,
				sector_t sector, u32 flags)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone_state *z;
	int ret;

	if (op == REQ_OP_ZONE_RESET_ALL)
		return uringblk_zone_reset_all(dev);
	/* The block layer and cmd_zone.c check this too; the array is ours. */
	if (sector >= dev->cfg.capacity >> SECTOR_SHIFT)
		return -EINVAL;
	z = uringblk_zone(zd, sector);
	if (sector != z->start)
		return -EINVAL;
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return -EMEDIUMTYPE;

	mutex_lock(&z->lock);
	ret = uringblk_zone_cond_status(z);
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
		ret = uringblk_zone_close(zd, z, flags & URINGBLK_ZMGMT_ZNS);
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

/**
 * uringblk_zone_mgmt_op() - reset, reset all, open, close or finish
 * @dev: the zoned device
 * @op: REQ_OP_ZONE_*
 * @sector: first sector of the zone, inside the device (ignored for
 *	    REQ_OP_ZONE_RESET_ALL)
 * @flags: 0 (the block device's zone model), or URINGBLK_ZMGMT_ZNS
 *
 * The block path's zone management (uringblk_zone_rq()) and the model
 * under the zone command set's uringblk_zone_mgmt() (zoned_lba.c).
 * Process context; may sleep.
 * Return: 0, -errno (see the uAPI header's list) or, for a refusal ZNS
 * names, its status: Invalid Zone State Transition (CLOSE of a zone that
 * is not open), Zone Is Full (OPEN of a full zone), Zone Is Read Only,
 * Zone Is Offline.  uringblk_status_errno() turns them into the errnos the
 * block layer is given.
 */
int uringblk_zone_mgmt_op(struct uringblk_dev *dev, enum req_op op, sector_t sector,
			  u32 flags)
{
	int ret = __uringblk_zone_mgmt(dev, op, sector, flags);

	/* On a file, a completed zone operation is durable, like a FUA write. */
	if (!ret && dev->zmeta)
		ret = uringblk_zmeta_sync(dev);
	return ret;
}
