// SPDX-License-Identifier: GPL-2.0
/*
 * The zone model in logical blocks: the calls every front end makes (the
 * command device's zone commands, cmd_zone.c; the ZNS namespace,
 * zoned_nvme.c and nvme_zns.c; Copy, nvme_copy.c; EXEC, exec.c; the sysfs
 * zone table, zoned_sysfs.c).  They take decoded arguments in logical
 * blocks, check them against the zone model (zoned.c), convert to the
 * model's sectors and call it; they answer the ZNS statuses (status.h) the
 * model gives, or pick them where a shared errno would not say which.
 * Nothing here knows a transport: a caller that must not sleep says so
 * (@gfp), and each front end turns the answers into its own.
 * Built only with CONFIG_BLK_DEV_ZONED (zoned_hooks.h has the stubs).
 */
#include <linux/blkdev.h>
#include <linux/string.h>

#include "compat_internals.h"
#include "stats.h"
#include "zoned.h"

static u64 uringblk_nr_lbas(const struct uringblk_dev *dev)
{
	return dev->cfg.capacity / dev->cfg.block_size;
}

/*
 * The first sector of the zone starting at logical block @lba: -ERANGE
 * past the end, -EINVAL if @lba is not a zone start (ZNS's Invalid Field).
 */
int uringblk_zone_start_lba(struct uringblk_dev *dev, u64 lba, sector_t *sector)
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
 * uringblk_zone_get() - a copy of one zone, in logical blocks
 * @dev: the zoned device
 * @zno: zone number
 * @out: filled in as REPORT_ZONES returns it (an invalid write pointer,
 *	 of a read-only or offline zone, is ~0)
 *
 * Takes the zone's mutex: may sleep.  Return: 0, or -ERANGE past the last zone.
 */
int uringblk_zone_get(struct uringblk_dev *dev, u32 zno, struct uringblk_zone *out)
{
	struct uringblk_zoned *zd = dev->zoned;
	const unsigned int s = zd->lba_shift;
	struct uringblk_zone_state *z;

	if (zno >= zd->nr_zones)
		return -ERANGE;
	z = &zd->zones[zno];
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
	return 0;
}

/* How many zones the zoned device @dev has. */
u32 uringblk_zone_count(struct uringblk_dev *dev)
{
	return dev->zoned->nr_zones;
}

/* The number of the zone holding logical block @lba; the zone count past the end. */
u32 uringblk_zone_of(struct uringblk_dev *dev, u64 lba)
{
	struct uringblk_zoned *zd = dev->zoned;

	if (lba >= uringblk_nr_lbas(dev))
		return zd->nr_zones;
	return (lba << zd->lba_shift) >> zd->zone_shift;
}

/* The block request of each zone action (RESET_ALL is a reset with all). */
static const enum req_op uringblk_zone_action_ops[] = {
	[URINGBLK_ZONE_ACTION_RESET]	= REQ_OP_ZONE_RESET,
	[URINGBLK_ZONE_ACTION_OPEN]	= REQ_OP_ZONE_OPEN,
	[URINGBLK_ZONE_ACTION_CLOSE]	= REQ_OP_ZONE_CLOSE,
	[URINGBLK_ZONE_ACTION_FINISH]	= REQ_OP_ZONE_FINISH,
};

/**
 * uringblk_zone_action_op() - the block request of a zone action
 * @action: URINGBLK_ZONE_ACTION_RESET, _OPEN, _CLOSE or _FINISH (valid)
 * @flags: URINGBLK_ZMGMT_ALL: a reset of every zone
 *
 * What the timing model and the statistics count the action as.
 */
enum req_op uringblk_zone_action_op(u32 action, u32 flags)
{
	return flags & URINGBLK_ZMGMT_ALL ? REQ_OP_ZONE_RESET_ALL :
					    uringblk_zone_action_ops[action];
}

/**
 * uringblk_zone_mgmt() - zone management, in logical blocks
 * @dev: the device
 * @zone_lba: first logical block of the zone (not looked at with @all)
 * @action: URINGBLK_ZONE_ACTION_RESET, _OPEN, _CLOSE or _FINISH
 * @flags: URINGBLK_ZMGMT_ALL: every zone (NVMe's Select All), only RESET
 *	   takes it; URINGBLK_ZMGMT_ZNS: ZNS's state machine (zoned_hooks.h)
 *
 * Checks in the uAPI's order: the action (-EINVAL), the LBA (-ERANGE past
 * the end; -EINVAL if not a zone start, Invalid Field as ZNS has it), a
 * conventional zone (-EMEDIUMTYPE); then the model's answer.  Counts the
 * operation in the device's statistics.
 * Context: dev->lock held for read.  May sleep (a reset frees memory, any
 * action may wait for the zone's mutex).
 * Return: 0, -EOPNOTSUPP on a regular drive, -errno, or a status: Invalid
 * Zone State Transition, Zone Is Full, Is Read Only, Is Offline (as
 * uringblk_zone_mgmt_op()), Too Many Open or Active Zones (their errnos).
 */
int uringblk_zone_mgmt(struct uringblk_dev *dev, u64 zone_lba, u32 action, u32 flags)
{
	const bool all = flags & URINGBLK_ZMGMT_ALL;
	sector_t sector = 0;
	enum req_op op;
	int ret;

	if (!dev->zoned)
		return -EOPNOTSUPP;
	if (!action || action >= URINGBLK_ZONE_ACTION_RESET_ALL)
		return -EINVAL;
	if (all && action != URINGBLK_ZONE_ACTION_RESET)
		return -EINVAL;
	op = uringblk_zone_action_op(action, flags);
	if (!all) {
		ret = uringblk_zone_start_lba(dev, zone_lba, &sector);
		if (ret)
			return ret;
	}
	ret = uringblk_zone_mgmt_op(dev, op, sector, flags & URINGBLK_ZMGMT_ZNS);
	if (ret)
		return ret;
	uringblk_stats_zone_mgmt(dev, op);
	/*
	 * Done without a bio: the block layer's zone write plug (6.10+)
	 * learns the new write pointer as from its own bio (compat.h).
	 * Open and close leave the write pointer where it is.
	 */
	if (op != REQ_OP_ZONE_OPEN && op != REQ_OP_ZONE_CLOSE)
		uringblk_zone_plug_done(dev->disk, op, sector);
	return 0;
}

/**
 * uringblk_zone_append_check() - may @len bytes be appended to the zone at @zone_lba?
 * @dev: the device
 * @zone_lba: first logical block of the zone
 * @len: bytes to append
 *
 * The checks of the arguments alone, before a front end fetches the data:
 * -ERANGE (past the end), -EINVAL (not a zone start, as ZNS's Invalid
 * Field; a length that is zero or not a multiple of the block size),
 * -E2BIG (above max_zone_append), -EMEDIUMTYPE (a conventional zone).
 * Lockless; does not sleep.  Return: 0, -EOPNOTSUPP or -errno.
 */
int uringblk_zone_append_check(struct uringblk_dev *dev, u64 zone_lba, u32 len)
{
	struct uringblk_zoned *zd = dev->zoned;
	sector_t sector;
	int ret;

	if (!zd)
		return -EOPNOTSUPP;
	ret = uringblk_zone_start_lba(dev, zone_lba, &sector);
	if (ret)
		return ret;
	if (!len || len % dev->cfg.block_size)
		return -EINVAL;
	if (len >> SECTOR_SHIFT > zd->max_append)
		return -E2BIG;
	if (uringblk_zone(zd, sector)->type == BLK_ZONE_TYPE_CONVENTIONAL)
		return -EMEDIUMTYPE;
	return 0;
}

/**
 * uringblk_zone_append() - append @len bytes at the zone's write pointer
 * @dev: the device
 * @zone_lba: first logical block of the zone
 * @buf: the data, a kernel buffer
 * @len: bytes
 * @lba: on success, the first logical block the data landed at
 * @gfp: GFP_NOWAIT where sleeping is not allowed (the zone's mutex is then
 *	 only tried: -EAGAIN), GFP_NOIO where it is
 *
 * uringblk_zone_append_check()'s checks, then the zone write core, as a
 * REQ_OP_ZONE_APPEND.  Counts the append in the device's statistics.
 * Context: dev->lock held for read.
 * Return: 0, -errno as uringblk_zone_append_check() or the backend, -EAGAIN,
 * or a status: Zone Is Full, Zone Boundary Error (less room than @len, as
 * ZNS has it), Is Read Only, Is Offline; Too Many Open or Active Zones
 * (their errnos).
 */
int uringblk_zone_append(struct uringblk_dev *dev, u64 zone_lba, const void *buf,
			 u32 len, u64 *lba, gfp_t gfp)
{
	const struct uringblk_wdata d = { .buf = buf, .len = len };
	sector_t sector;
	int ret;

	ret = uringblk_zone_append_check(dev, zone_lba, len);
	if (ret)
		return ret;
	sector = zone_lba << dev->zoned->lba_shift;
	ret = uringblk_zone_write(dev, &d, &sector, true, false, gfp);
	if (ret)
		return ret;
	uringblk_stats_append(dev, len);
	/* The plug's write pointer is behind now: it goes (compat_internals.h). */
	uringblk_zone_plug_forget(dev->disk, zone_lba << dev->zoned->lba_shift);
	*lba = sector >> dev->zoned->lba_shift;
	return 0;
}

/**
 * uringblk_zone_exec_range() - cut an EXEC range at its zone's write pointer
 * @dev: the device
 * @lba: first logical block of the range (inside the device)
 * @count: number of blocks (the range is inside the device); cut to what
 *	   has been written
 *
 * Does not sleep.  Return: 0; -EOPNOTSUPP on a regular drive; the
 * statuses Zone Boundary Error (-EINVAL) if the range crosses a zone
 * boundary, as a ZNS read across one is, and Zone Is Offline (-EIO) for an
 * offline zone.
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
		return uringblk_st(URINGBLK_SC_ZONE_BOUNDARY_ERROR);
	switch (READ_ONCE(z->cond)) {
	case BLK_ZONE_COND_OFFLINE:
		return uringblk_st(URINGBLK_SC_ZONE_OFFLINE);
	case BLK_ZONE_COND_NOT_WP:
	case BLK_ZONE_COND_READONLY:
		return 0;	/* all of it */
	}
	/* Pairs with the release in the writers: the data below wp are there. */
	wp = smp_load_acquire(&z->wp) >> zd->lba_shift;
	*count = wp > lba ? min(*count, wp - lba) : 0;
	return 0;
}
