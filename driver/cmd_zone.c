// SPDX-License-Identifier: GPL-2.0
/*
 * The zone commands on the command device: REPORT_ZONES, ZONE_MGMT and
 * ZONE_APPEND, and the zone part of IDENTIFY and of EXEC's
 * URINGBLK_EXEC_F_ZONE_WP; and a zone as the uAPI shows it (struct
 * uringblk_zone), for REPORT_ZONES and the sysfs zone table (zoned_sysfs.c).
 * The set has two layers.  Its model calls (uringblk_zone_of(),
 * uringblk_zone_get(), uringblk_zone_mgmt(), uringblk_zone_append(),
 * uringblk_zone_exec_range()) take decoded arguments in logical blocks,
 * check them against the zone model (zoned.c), convert to the model's
 * sectors and call it; they answer the ZNS statuses (status.h) the model
 * gives, or pick them where a shared errno would not say which: any front
 * end can call them (an NVMe passthrough would answer the status as is).
 * The handlers below them are the command device's: cmd.c's gate has
 * validated the payload, they decode its words, deal with the client's
 * buffers and io_uring's issue flags, and call the model.  ZONE_APPEND
 * writes through the same zone write core as a REQ_OP_ZONE_APPEND
 * request, and with the timing model on ZONE_APPEND and ZONE_MGMT
 * complete when the same block request would (zone_timing_io()).
 * Built only with CONFIG_BLK_DEV_ZONED; uringblk.h has the stubs
 * otherwise, and cmd.c the zone commands' rows, answering -EOPNOTSUPP.
 */
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cmd.h"
#include "cmd_mem.h"
#include "compat.h"
#include "zoned.h"

static u64 uringblk_nr_lbas(const struct uringblk_dev *dev)
{
	return dev->cfg.capacity / dev->cfg.block_size;
}

static bool uringblk_cmd_nonblock(struct io_uring_cmd *ioucmd)
{
	return uringblk_cmd_pdu(ioucmd)->issue_flags & IO_URING_F_NONBLOCK;
}

/*
 * The timing model: the deadline a block request of @op and @bytes
 * arriving when the command did would get (the same function, the same
 * shared link and media), in the pdu for the gate, which holds the CQE to
 * it; nothing while the model is off.  Called once the command has
 * succeeded: a refused command costs nothing.  Does not sleep.
 */
static void zone_timing_io(struct uringblk_dev *dev, struct io_uring_cmd *ioucmd,
			   enum req_op op, u64 bytes)
{
	struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);
	u64 t = uringblk_timing_io_deadline(dev, pdu->t0, op, bytes);

	if (t)
		pdu->deadline = t;
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
	op = all ? REQ_OP_ZONE_RESET_ALL : uringblk_zone_action_ops[action];
	if (!all) {
		ret = uringblk_cmd_zone_start(dev, zone_lba, &sector);
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
	ret = uringblk_cmd_zone_start(dev, zone_lba, &sector);
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
 * uringblk_cmd_report_zones() - REPORT_ZONES
 * @dev: the device
 * @c: the validated payload
 * @ioucmd: the command (its pdu holds the issue flags)
 *
 * Return: cqe->res or -errno (see the uAPI header).
 * May sleep; issued non-blocking, a busy zone sends it to io-wq (-EAGAIN).
 * Context: dev->lock held for read.
 */
static int uringblk_cmd_report_zones(struct uringblk_dev *dev,
				     const struct uringblk_cmd *c,
				     struct io_uring_cmd *ioucmd)
{
	const size_t isz = sizeof(struct uringblk_zone);
	struct uringblk_zoned *zd = dev->zoned;
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
	zno = uringblk_zone_of(dev, c->report_zones.lba);
	for (n = 0; n < max && zno < zd->nr_zones; n++, zno++) {
		if (uringblk_cmd_nonblock(ioucmd) &&
		    mutex_is_locked(&zd->zones[zno].lock))
			return -EAGAIN;
		uringblk_zone_get(dev, zno, &z);
		if (copy_to_user_nofault(u64_to_user_ptr(c->addr + n * isz), &z, isz))
			return uringblk_client_fault(c, c->addr + n * isz,
						     c->len - n * isz, true);
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
 * Return: cqe->res, -errno or a status (see uringblk_zone_mgmt()).
 * Decodes the words: RESET_ALL is a reset of all zones, its zone_lba must
 * be 0.  Issued non-blocking, a valid command goes to io-wq first
 * (-EAGAIN): a reset frees the zone's memory and any action may wait for
 * the zone's mutex.
 * Context: dev->lock held for read.  May sleep.
 */
static int uringblk_cmd_zone_mgmt(struct uringblk_dev *dev,
				  const struct uringblk_cmd *c,
				  struct io_uring_cmd *ioucmd)
{
	const u64 start_ns = uringblk_lat_start(dev);
	const u64 zone_lba = c->zone_mgmt.zone_lba;
	u64 action = c->zone_mgmt.action;
	bool all;
	int ret;

	if (!dev->zoned)
		return -EOPNOTSUPP;
	if (!(ioucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	/* addr, len: the gate */
	if (!action || action > URINGBLK_ZONE_ACTION_RESET_ALL)
		return -EINVAL;
	all = action == URINGBLK_ZONE_ACTION_RESET_ALL;
	if (all) {
		if (zone_lba)
			return -EINVAL;
		action = URINGBLK_ZONE_ACTION_RESET;
	} else {
		sector_t sector;

		/* A bad LBA is refused inline, before the hop to io-wq. */
		ret = uringblk_cmd_zone_start(dev, zone_lba, &sector);
		if (ret)
			return ret;
	}
	if (uringblk_cmd_nonblock(ioucmd))
		return -EAGAIN;

	ret = uringblk_zone_mgmt(dev, zone_lba, action, all ? URINGBLK_ZMGMT_ALL : 0);
	if (ret)
		return ret;
	/* The timing model: as the block layer's zone management request. */
	zone_timing_io(dev, ioucmd,
		       all ? REQ_OP_ZONE_RESET_ALL : uringblk_zone_action_ops[action], 0);
	uringblk_cmd_lat(dev, ioucmd, URINGBLK_LAT_ZONE_MGMT, start_ns);
	return 0;
}

/**
 * uringblk_cmd_zone_append() - ZONE_APPEND
 * @dev: the device
 * @c: the validated payload
 * @ioucmd: the command (its pdu holds the issue flags)
 *
 * Return: cqe->res, -errno or a status (see uringblk_zone_append()).
 * The arguments are checked, the data copied into a kernel buffer, then
 * appended by the model, uringblk_zone_append().
 * Issued non-blocking, the mutex is only tried and memory is not waited
 * for: either failing sends the command to io-wq (-EAGAIN).  lba_out_addr
 * is written before the data so that a bad address fails the command
 * before anything lands.  With the timing model on, a successful append
 * completes at the deadline of a REQ_OP_ZONE_APPEND of its size: the gate
 * holds its CQE on a timer (the submitter does not sleep; its exit or a
 * removal ends the wait).  Context: dev->lock held for read.  May sleep.
 */
static int uringblk_cmd_zone_append(struct uringblk_dev *dev,
				    const struct uringblk_cmd *c,
				    struct io_uring_cmd *ioucmd)
{
	const u64 start_ns = uringblk_lat_start(dev);
	const u64 zone_lba = c->zone_append.zone_lba;
	const u64 lba_out = c->zone_append.lba_out_addr;
	const u64 no_lba = ~0ULL;
	u64 lba;
	const gfp_t gfp = uringblk_cmd_nonblock(ioucmd) ? GFP_NOWAIT : GFP_NOIO;
	u8 *buf;
	int ret;

	if (!dev->zoned)
		return -EOPNOTSUPP;
	if (!(ioucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = uringblk_zone_append_check(dev, zone_lba, c->len);
	if (ret)
		return ret;
	/* the answer's place must be writable before anything lands */
	if (lba_out && uringblk_copy_to_client(c, lba_out, &no_lba, sizeof(no_lba)))
		return -EFAULT;

	buf = uringblk_cmd_buf(dev, c->len, 0);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (uringblk_copy_from_client(c, buf, c->addr, c->len)) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = uringblk_zone_append(dev, zone_lba, buf, c->len, &lba, gfp);
	/*
	 * Less room left than the append: ZNS's Zone Boundary Error (the
	 * model's, NVMe's Zone Append's), but this command has answered Zone
	 * Is Full, -ENOSPC, since ABI 1.0 (Documentation/uapi/statuses.md).
	 */
	if (ret == uringblk_st(URINGBLK_SC_ZONE_BOUNDARY_ERROR))
		ret = uringblk_st(URINGBLK_SC_ZONE_FULL);
	if (ret)
		goto out_free;

	/*
	 * The timing model: the cost of a REQ_OP_ZONE_APPEND of the same size
	 * (the link from the host, the media); the gate holds the CQE to it.
	 */
	zone_timing_io(dev, ioucmd, REQ_OP_ZONE_APPEND, c->len);
	uringblk_cmd_lat(dev, ioucmd, URINGBLK_LAT_ZONE_APPEND, start_ns);
	uringblk_cmd_pdu(ioucmd)->res2 = lba;
	/*
	 * Landed: the answer's page may be gone for a moment since the check
	 * above (reclaim, migration, a huge page collapse), so the gate
	 * writes it with faults allowed if need be; only an address that
	 * cannot take it then is -EFAULT, and big_cqe[0] says where.
	 */
	if (lba_out)
		uringblk_put_answer(c, lba_out, lba);
out_free:
	uringblk_cmd_buf_free(dev, buf, c->len);
	return ret;
}

/* ---- the zone command set: its views, table, IDENTIFY fields ---- */

static_assert(URINGBLK_CDW_WORD(report_zones.lba) == 0);
static_assert(URINGBLK_CDW_WORD(zone_mgmt.zone_lba) == 0);
static_assert(URINGBLK_CDW_WORD(zone_mgmt.action) == 1);
static_assert(URINGBLK_CDW_WORD(zone_append.zone_lba) == 0);
static_assert(URINGBLK_CDW_WORD(zone_append.lba_out_addr) == 1);

/* Without CONFIG_BLK_DEV_ZONED, cmd.c has a table of the same rows. */
static const struct uringblk_cmd_desc uringblk_zone_cmds[] = {
	{ URINGBLK_CMD_REPORT_ZONES, 0, URINGBLK_CDW_USED(report_zones), false, false,
	  uringblk_cmd_report_zones },
	{ URINGBLK_CMD_ZONE_MGMT,   0, URINGBLK_CDW_USED(zone_mgmt), true, false,
	  uringblk_cmd_zone_mgmt },
	{ URINGBLK_CMD_ZONE_APPEND, 0, URINGBLK_CDW_USED(zone_append), false, false,
	  uringblk_cmd_zone_append },
};

/* Fill the zone fields of IDENTIFY (a regular drive has none). */
static void uringblk_zone_identify(struct uringblk_dev *dev, struct uringblk_identify *id)
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

const struct uringblk_cmd_set uringblk_cmd_set_zone = {
	.name		= "zones",
	.cmds		= uringblk_zone_cmds,
	.nr_cmds	= ARRAY_SIZE(uringblk_zone_cmds),
	.identify	= uringblk_zone_identify,
};

/* ---- the zone part of EXEC (exec.c's uringblk_prog_exec()) ---- */

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
