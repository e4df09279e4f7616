// SPDX-License-Identifier: GPL-2.0
/*
 * The zone commands on the command device: REPORT_ZONES, ZONE_MGMT and
 * ZONE_APPEND, and the zone part of IDENTIFY.  cmd.c's gate has validated
 * the payload; the handlers decode its words, deal with the client's
 * buffers and io_uring's issue flags, and call the zone model in logical
 * blocks (zoned_lba.c), which every front end shares.  ZONE_APPEND writes
 * through the same zone write core as a REQ_OP_ZONE_APPEND request, and
 * with the timing model on ZONE_APPEND and ZONE_MGMT complete when the
 * same block request would (zone_timing_io()).
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
#include "stats.h"
#include "zoned.h"

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
			   enum req_op op, sector_t sector, u64 bytes)
{
	struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);
	u64 t = uringblk_timing_io_deadline(dev, pdu->t0, op,
					    (u64)sector << SECTOR_SHIFT, bytes);

	if (t)
		pdu->deadline = t;
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
	sector_t sector = 0;
	u32 flags;
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
		/* A bad LBA is refused inline, before the hop to io-wq. */
		ret = uringblk_zone_start_lba(dev, zone_lba, &sector);
		if (ret)
			return ret;
	}
	if (uringblk_cmd_nonblock(ioucmd))
		return -EAGAIN;

	flags = all ? URINGBLK_ZMGMT_ALL : 0;
	ret = uringblk_zone_mgmt(dev, zone_lba, action, flags);
	if (ret)
		return ret;
	/* The timing model: as the block layer's zone management request. */
	zone_timing_io(dev, ioucmd, uringblk_zone_action_op(action, flags), sector, 0);
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
	zone_timing_io(dev, ioucmd, REQ_OP_ZONE_APPEND,
		       zone_lba << dev->zoned->lba_shift, c->len);
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
