/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zone model's state, shared by the files that work on zones: zoned.c
 * (the model), zoned_bad.c (bad zones), zoned_state.c (its state saved and
 * restored), zoned_lba.c (its calls in logical blocks), cmd_zone.c (its
 * commands).  Everyone
 * else goes through the functions uringblk.h declares.  Locking is
 * described at the top of zoned.c.  Only built with CONFIG_BLK_DEV_ZONED.
 */
#ifndef URINGBLK_ZONED_H
#define URINGBLK_ZONED_H

#include <linux/blkzoned.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "uringblk.h"

/**
 * struct uringblk_zone_state - one zone
 * @lock:	serialises users of the zone's write pointer (see zoned.c)
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

/* The zone holding @sector, which must be inside the device. */
static inline struct uringblk_zone_state *uringblk_zone(struct uringblk_zoned *zd,
							sector_t sector)
{
	return &zd->zones[sector >> zd->zone_shift];
}

/* The zone mutex: only tried where sleeping is not allowed. */
static inline bool uringblk_zone_lock(struct uringblk_zone_state *z, bool can_sleep)
{
	if (can_sleep) {
		mutex_lock(&z->lock);
		return true;
	}
	return mutex_trylock(&z->lock);
}

/* @z leaves the open or closed condition: give back what it held.  res_lock held. */
static inline void uringblk_zone_put_resources(struct uringblk_zoned *zd,
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
static inline int uringblk_zone_cond_error(const struct uringblk_zone_state *z)
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
 * The same as statuses (status.h), for the write core and zone
 * management: -EIO alone would not say the zone is offline (a backend's
 * -EIO is a media error).  uringblk_status_errno() gives back the errnos
 * above, which is what the block path answers.
 */
static inline int uringblk_zone_cond_status(const struct uringblk_zone_state *z)
{
	switch (z->cond) {
	case BLK_ZONE_COND_READONLY:
		return uringblk_st(URINGBLK_SC_ZONE_READ_ONLY);
	case BLK_ZONE_COND_OFFLINE:
		return uringblk_st(URINGBLK_SC_ZONE_OFFLINE);
	default:
		return 0;
	}
}

/* zoned.c */
void uringblk_zone_clean(struct uringblk_dev *dev, struct uringblk_zone_state *z);
int uringblk_zone_check_write(const struct uringblk_zone_state *z, sector_t sector,
			      u32 nr);
int uringblk_zone_mgmt_op(struct uringblk_dev *dev, enum req_op op, sector_t sector,
			  u32 flags);
int uringblk_zone_write(struct uringblk_dev *dev, const struct uringblk_wdata *d,
			sector_t *sector, bool append, bool fua, gfp_t gfp);
/* zoned_lba.c: what the zoned layer's front ends check before the model */
int uringblk_zone_start_lba(struct uringblk_dev *dev, u64 lba, sector_t *sector);
enum req_op uringblk_zone_action_op(u32 action, u32 flags);

#endif /* URINGBLK_ZONED_H */
